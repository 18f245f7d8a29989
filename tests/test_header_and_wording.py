"""What everyone sees: the header that folds on a phone (and still works without JavaScript),
a case page headed by its reference and kind, and wording that says what is true."""

import re

from tests.cases.helpers import file_case


def test_the_menu_button_controls_the_menu_and_the_menu_is_in_the_page_without_javascript(login_as):
    page = login_as("erik").get("/").get_data(as_text=True)
    button = re.search(r"<button[^>]*class=\"menu-toggle\"[^>]*>([^<]*)</button>", page)
    assert button, "no menu button in the header"
    tag = button.group(0)
    assert 'type="button"' in tag and 'aria-controls="site-menu"' in tag and "aria-expanded=" in tag
    assert button.group(1).strip() == "Meny"
    # Hidden until menu.js shows it: without JavaScript there is no button that does nothing,
    # and the menu (with its links) is in the page, open.
    assert " hidden" in tag
    menu = page[page.index('id="site-menu"'):]
    assert 'aria-label="Huvudmeny"' in menu and 'href="/arenden"' in menu and "Logga ut" in menu
    assert '<script src="/static/js/menu.js" defer></script>' in page


def test_the_menu_script_is_served(client):
    response = client.get("/static/js/menu.js")
    assert response.status_code == 200
    assert "aria-expanded" in response.get_data(as_text=True)


def test_the_logged_out_pages_have_no_menu_button(client):
    assert "menu-toggle" not in client.get("/logga-in").get_data(as_text=True)


def test_a_case_page_is_headed_by_reference_and_kind_with_the_summary_below(login_as):
    summary = "Brukaren fick fel dos av sina läkemedel på kvällen och personalen märkte det först dagen efter"
    case = file_case("deviation", summary=summary)
    page = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", heading).strip() == f"{case.reference} – Avvikelse"
    assert f'<p class="case-summary">{summary}</p>' in page
