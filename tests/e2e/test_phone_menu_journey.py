"""Journey: the header on a phone (390×844). The main menu is folded behind a "Meny" button so
the header leaves the screen to the page; the button opens and closes the menu with the keyboard
only, tells a screen reader whether it is open, and a desktop sees the menu as before."""

from playwright.sync_api import expect

from tests.e2e.pages import PHONE

HEADER_HEIGHT = "() => document.querySelector('.site-header').getBoundingClientRect().height"


def test_the_phone_menu_folds_and_opens_with_the_keyboard(journey):
    anna = journey.keyboard_user(phone=True)
    anna.open("/logga-in")
    anna.tab_to_field("username")
    anna.types("anna")
    anna.tab_to_field("password")
    anna.types("demo")
    anna.presses("Enter", shot="start")
    anna.expect_heading("Hej Anna")
    page = anna.page
    assert page.viewport_size == PHONE

    # Folded: the header is one line, the menu is out of sight (and out of the Tab order).
    toggle = page.get_by_role("button", name="Meny", exact=True)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_have_attribute("aria-controls", "site-menu")
    expect(menu).to_be_hidden()
    height = page.evaluate(HEADER_HEIGHT)
    assert height < 120, f"the folded header takes {height} of 844 pixels"

    # Tab from the top of the page: the skip link, the brand, then the button.
    page.locator("body").focus()
    anna.tab_to(lambda f: f["tag"] == "button" and f["text"].startswith("Meny"), "the menu button")
    anna.presses("Enter", navigates=False)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(toggle).to_be_focused()
    anna.assert_focus_visible()
    anna.arrive(shot="menu-open")  # axe on the open menu as well

    # The next Tab goes into the menu: its first link, then on through it.
    page.keyboard.press("Tab")
    focus = anna.assert_focus_visible()
    assert focus["tag"] == "a" and focus["text"] == "Start", focus
    anna.tab_to_control("Mina rapporter")

    # Escape closes it and brings focus back to the button; Enter on the button toggles it too.
    anna.presses("Escape", navigates=False)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()
    anna.presses("Enter", navigates=False)
    expect(menu).to_be_visible()
    anna.presses("Enter", navigates=False)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()

    # Open again and follow a link with the keyboard.
    anna.presses("Enter", navigates=False)
    anna.tab_to_control("Mina rapporter")
    anna.presses("Enter", shot="my-reports")
    anna.expect_heading("Mina rapporter")
    expect(page.get_by_role("button", name="Meny", exact=True)).to_have_attribute("aria-expanded", "false")
    anna.assert_settled()


WHAT = ("Dörren till förrådet med läkemedel stod olåst hela kvällen och nyckeln saknades i skåpet, "
        "vilket vi upptäckte först vid nattpasset.")


def test_a_case_page_on_a_phone_is_headed_by_reference_and_kind(journey):
    anna = journey.staff("anna", phone=True)
    reference = anna.staff_files_deviation(WHAT, ["Fysisk miljö, utrustning, teknik"])
    erik = journey.investigator("erik", phone=True)
    erik.investigator_finds_in_queue(reference, WHAT)
    # The heading names the case; what happened follows it in full, not cut off inside it.
    expect(erik.page.get_by_role("heading", level=1)).to_have_text(f"{reference} – Avvikelse")
    expect(erik.main.locator(".case-summary")).to_contain_text(WHAT[:60])
    assert erik.page.evaluate(HEADER_HEIGHT) < 120
    erik.assert_settled()


def test_on_a_desktop_the_menu_is_open_and_there_is_no_button(journey):
    erik = journey.investigator("erik")
    expect(erik.page.get_by_role("navigation", name="Huvudmeny")).to_be_visible()
    expect(erik.page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ärenden")).to_be_visible()
    expect(erik.page.locator(".menu-toggle")).to_be_hidden()
    expect(erik.page.get_by_text("Byt lösenord")).to_be_visible()
    erik.assert_settled()
