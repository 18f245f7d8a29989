"""Issue 13 point 12 in the browser: anna, on her phone, starts a deviation about money taken from
a client; the form hints at once (nudge.js) when she ticks "Ekonomiska övergrepp", and sending
asks "Kan detta vara ett missförhållande?" (the notice has the focus) before anything is stored.
She chooses "Rapportera som lex Sarah": the lex Sarah form has her text, she says what it
concerns and sends it. Every page is checked with axe, with the CSP on."""

from playwright.sync_api import expect

WHAT = "Brukaren berättade att en medarbetare tog pengar ur hans plånbok under kvällsbesöket."


def test_an_abuse_deviation_is_nudged_into_a_lex_sarah_report_on_a_phone(journey):
    anna = journey.staff("anna", phone=True)
    anna.follow(anna.main.get_by_role("link", name="Rapportera en avvikelse"), shot="deviation-form")
    anna.field("Vad hände?").fill(WHAT)
    hint = anna.page.locator("#nudge-hint")
    expect(hint).to_be_hidden()
    anna.field("Ekonomiska övergrepp").check()
    expect(hint).to_be_visible()
    anna.field("Ekonomiska övergrepp").uncheck()
    expect(hint).to_be_hidden()
    anna.field("Detta kan vara ett missförhållande (lex Sarah)").check()
    expect(hint).to_be_visible()
    anna.field("Ekonomiska övergrepp").check()

    anna.press("Skicka rapporten", shot="nudge")
    nudge = anna.page.get_by_role("region", name="Kan detta vara ett missförhållande?")
    expect(nudge.get_by_role("heading", name="Kan detta vara ett missförhållande?")).to_be_visible()
    expect(nudge).to_be_focused()
    expect(nudge).to_contain_text("Ekonomiska övergrepp")
    expect(nudge.get_by_role("button", name="Skicka som avvikelse ändå")).to_be_visible()
    expect(anna.field("Vad hände?")).to_have_value(WHAT)
    # On a phone the two buttons are as wide as the notice (nothing outside the screen).
    box = nudge.get_by_role("button", name="Rapportera som lex Sarah").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390

    anna.press(nudge.get_by_role("button", name="Rapportera som lex Sarah"), shot="lex-sarah-carried")
    anna.expect_heading("Lex Sarah-rapport")
    anna.expect_flash("Det du skrev i avvikelsen finns nu här")
    expect(anna.field("Vad hände?")).to_have_value(WHAT)
    expect(anna.field("Ekonomiska övergrepp")).to_be_checked()
    anna.field("Ett missförhållande har inträffat").check()
    anna.press("Skicka lex Sarah-rapporten", shot="receipt")
    reference = anna._receipt("Lex Sarah-rapport")
    assert reference.startswith("LS-")


def test_a_deviation_sent_anyway_is_proposed_for_lex_sarah_first(journey):
    anna = journey.staff("anna", phone=True)
    anna.follow(anna.main.get_by_role("link", name="Rapportera en avvikelse"))
    anna.field("Vad hände?").fill(WHAT)
    anna.field("Brister i bemötande").check()
    anna.field("Detta kan vara ett missförhållande (lex Sarah)").check()
    anna.press("Skicka rapporten")
    anna.press(anna.page.get_by_role("button", name="Skicka som avvikelse ändå"), shot="sent-anyway")
    reference = anna._receipt("Avvikelse")

    erik = journey.investigator("erik")
    erik.investigator_finds_in_queue(reference, WHAT)
    proposal = erik.todo.get_by_role("group", name="Föreslås först: gör en lex Sarah-rapport")
    expect(proposal).to_contain_text("rapportören har markerat det")
    expect(erik.todo.get_by_role("link", name="Gör en lex Sarah-rapport")).to_have_count(1)
    erik.page.screenshot(path=journey.next_shot("erik", "case-proposal"), full_page=True)
