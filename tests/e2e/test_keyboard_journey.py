"""Journey 4: keyboard only. anna logs in and files a lex Sarah report with Tab, Shift+Tab,
Enter, Space and typing, never the mouse. Focus is visible at every step, and when she gets
something wrong the errors are announced and tied to their fields."""

import re

from playwright.sync_api import expect

WHAT = "Brukaren föll i badrummet när larmet inte fungerade och låg kvar en timme innan vi kom."


def test_anna_logs_in_and_files_a_report_with_the_keyboard_only(journey):
    anna = journey.keyboard_user()

    # The login page: a wrong password first.
    anna.open("/logga-in", shot="login")
    anna.tab_to_field("username")
    anna.types("anna")
    anna.tab_to_field("password")
    anna.types("fel-lösenord")
    anna.presses("Enter", shot="login-error")
    anna.assert_error_summary_has_focus()
    anna.assert_error_announced("#password", "Fel användarnamn eller lösenord.")
    expect(anna.page.locator("#username")).to_have_value("anna")

    # From the error summary to the field, and in.
    anna.tab_to_control("Lösenord: Fel användarnamn eller lösenord.")
    anna.presses("Enter", navigates=False)
    expect(anna.page.locator("#password")).to_be_focused()
    anna.types("demo")
    anna.tab_to_field("username", backwards=True)  # Shift+Tab: was the user name right? It was.
    anna.tab_to_field("password")
    anna.presses("Enter", shot="start")
    anna.expect_heading("Hej Anna")

    # The start page's big button to the lex Sarah form.
    anna.tab_to_control("Gör en lex Sarah-rapport")
    anna.presses("Enter", shot="form")
    anna.expect_heading("Lex Sarah-rapport")

    # Straight to the button: nothing filled in, so the errors are announced.
    anna.tab_to_control("Skicka lex Sarah-rapporten")
    anna.presses("Enter", shot="form-errors")
    anna.assert_error_summary_has_focus()
    expect(anna.page.locator("#error-summary")).to_contain_text("Vad hände?")
    description_error = anna.assert_error_announced("#description")
    expect(anna.page.locator("#description")).to_have_attribute("aria-invalid", "true")
    anna.assert_error_announced("fieldset:has(> .choices #category_ids-0)")
    anna.assert_error_announced("fieldset:has(> .choices #lex_sarah_type-0)")

    anna.tab_to(lambda f: f["tag"] == "a" and f["text"].startswith("Vad hände?"), "the summary's link to Vad hände?")
    expect(anna.page.locator("#error-summary").get_by_role("link", name=re.compile("^Vad hände"))).to_contain_text(
        description_error)
    anna.presses("Enter", navigates=False)
    expect(anna.page.locator("#description")).to_be_focused()
    anna.types(WHAT)

    anna.tab_to_control("Fysisk miljö, utrustning, teknik")
    anna.presses("Space", navigates=False)
    anna.tab_to_control("Brister i utförande av insats", backwards=True)
    anna.presses("Space", navigates=False)
    anna.tab_to_field("lex_sarah_type-0")  # the radio group is one Tab stop
    anna.presses("Space", navigates=False)

    # An optional section opens with Enter.
    summary = anna.tab_to_control("Mer om händelsen (frivilligt)")
    assert summary["tag"] == "summary"
    anna.presses("Enter", navigates=False)
    expect(anna.page.locator("details.optional").first).to_have_attribute("open", "")
    anna.tab_to_field("consequences")
    anna.types("Blåmärken på höften. Hon kunde ha blivit liggande längre.")

    for box in ("#category_ids-7", "#category_ids-2", "#lex_sarah_type-0"):
        expect(anna.page.locator(box)).to_be_checked()
    anna.tab_to_control("Skicka lex Sarah-rapporten")
    anna.presses("Enter", shot="receipt")
    anna.expect_heading("Tack! Din rapport är registrerad")
    reference = anna.main.locator(".receipt-reference").inner_text()
    assert re.fullmatch(r"LS-\d{4}-\d{4}", reference), reference
    [receipt] = journey.varna.mail_to("anna@varna.example", f"Kvitto: {reference}")
    body = receipt.get_body(("plain",)).get_content()
    assert reference in body and f"{journey.varna.url}/mina-rapporter" in body, body
