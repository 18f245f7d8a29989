"""Journey 2: citizens complain on their phones at /klagomal, one anonymously and one with a
name; the named complaint is answered through the case page; the citizen reads the answer
with the personal follow-up code."""

from playwright.sync_api import expect

MEAL = ("Min pappa på boendet fick ingen middag i lördags eftersom ingen personal kom. "
        "Han ringde flera gånger utan att få svar.")
RUDE = "Personalen på mottagningen var otrevlig mot mig och min son när vi kom dit på tisdagen."
ANSWER = ("Tack för att du hörde av dig. Vi har gått igenom vad som hände i lördags: ett pass blev obemannat "
          "vid ett schemabyte. Schemat kontrolleras nu av två personer, och vi ber om ursäkt.")


def test_citizens_complain_on_a_phone_and_the_named_one_reads_the_answer(journey):
    anonymous = journey.citizen("anonym", phone=True)
    anonymous_reference, anonymous_code = anonymous.citizen_files_complaint(RUDE, department="Unga")

    relative = journey.citizen("karin", phone=True)
    reference, code = relative.citizen_files_complaint(MEAL, department="Vuxna", name="Karin Karlsson",
                                                       email="karin.karlsson@example.se")
    assert reference != anonymous_reference and code != anonymous_code

    # The receipt says when to expect an answer; its link opens the follow-up page with the
    # reference filled in, and the code left for the person to type.
    expect(relative.main.locator("#answer-due")).to_contain_text("Du kan räkna med ett svar senast")
    relative.follow("Följ ditt klagomål")
    expect(relative.field("Diarienummer")).to_have_value(reference)
    expect(relative.field("Personlig kod")).to_have_value("")
    # The receipt by e-mail: reference and link, never the code.
    [receipt] = journey.varna.mail_to("karin.karlsson@example.se", reference)
    assert code not in receipt.get_body(("plain",)).get_content()

    # Every public page's footer leads to the accessibility statement and the personal data page.
    footer = anonymous.page.locator("footer")
    anonymous.go(footer.get_by_role("link", name="Tillgänglighetsredogörelse").click)
    anonymous.expect_heading("Tillgänglighetsredogörelse")
    anonymous.go(anonymous.page.locator("footer").get_by_role("link", name="Personuppgifter").click)
    anonymous.expect_heading("Så hanterar vi dina personuppgifter")

    # Each went to the investigators of the department it concerns.
    assert journey.varna.mail_to("erik@varna.example", reference)
    assert journey.varna.mail_to("ulla@varna.example", anonymous_reference)
    assert not journey.varna.mail_to("erik@varna.example", anonymous_reference)

    # Before anyone has answered, the relative can already see that it was received.
    status = relative.citizen_follows_complaint(reference, code)
    expect(status).to_contain_text(f"Klagomål {reference}")
    expect(status).to_contain_text("Status: Mottaget.")
    expect(status).not_to_contain_text("Vårt svar")

    erik = journey.investigator("erik")
    erik.investigator_finds_in_queue(reference, MEAL)
    expect(erik.main).to_contain_text("Karin Karlsson")
    erik.investigator_triages()
    erik.investigator_answers_complaint(reference, ANSWER)

    # Told by e-mail that the answer can be read on the follow-up page; the answer itself is not in it.
    [notice] = journey.varna.mail_to("karin.karlsson@example.se", f"Svar på ditt klagomål {reference}")
    assert ANSWER[:40] not in notice.get_body(("plain",)).get_content()
    status = relative.citizen_follows_complaint(reference, code, shot="answer")
    expect(status).to_contain_text("Status: Besvarat.")
    expect(status.locator(".answer-text")).to_have_text(ANSWER)
    expect(status).to_contain_text("Erik Eriksson")

    # The anonymous complainant can follow theirs, which nobody could answer, and sees nothing of the other.
    status = anonymous.citizen_follows_complaint(anonymous_reference, anonymous_code, shot="anonymous-status")
    expect(status).to_contain_text(f"Klagomål {anonymous_reference}")
    expect(status).to_contain_text("Status: Mottaget.")
    expect(status).not_to_contain_text(ANSWER)

    # The reference with someone else's code shows nothing at all.
    status = anonymous.citizen_follows_complaint(reference, anonymous_code, shot="wrong-code")
    expect(status.get_by_role("alert")).to_contain_text("Vi hittade inget klagomål")
    expect(status).not_to_contain_text(ANSWER)
