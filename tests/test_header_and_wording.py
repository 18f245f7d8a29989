"""What everyone sees: the header that folds on a phone (and still works without JavaScript),
a case page headed by its reference and kind, and wording that says what is true."""

import re
from datetime import date, datetime

import pytest

from app import clock
from tests.cases.helpers import file_case
from tests.lexsarah.helpers import draft, judge, make_case, notify, set_provider


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


# --- the queue's empty list says what is true ------------------------------------------------

def _queue_text(client, query: str = "") -> str:
    page = client.get("/arenden" + query).get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index("</details>"):]))


def test_an_empty_queue_without_a_filter_says_there_are_no_cases(login_as):
    ulla = login_as("ulla")
    assert "Du har inga öppna ärenden." in _queue_text(ulla)
    assert "matchar" not in _queue_text(ulla)
    assert "Du har inga avslutade ärenden." in _queue_text(ulla, "?status=closed")
    assert "Du har inga ärenden." in _queue_text(ulla, "?status=all")
    assert "Du har inga ärenden med status under utredning." in _queue_text(ulla, "?status=investigating")
    # Sorting narrows nothing.
    assert "Du har inga öppna ärenden." in _queue_text(ulla, "?sort=oldest")


@pytest.mark.parametrize("query", ["?q=fall", "?kind=complaint", "?assigned=me", "?overdue=y", "?year=2020",
                                   "?status=closed&kind=deviation"])
def test_an_empty_queue_with_a_filter_says_nothing_matches(login_as, query):
    text = _queue_text(login_as("ulla"), query)
    assert "Inga ärenden matchar urvalet." in text
    assert "Du har inga" not in text


def test_the_category_filter_groups_its_categories_by_kind(login_as):
    page = login_as("erik").get("/arenden").get_data(as_text=True)
    select = page[page.index('<select id="category"'):]
    select = select[:select.index("</select>")]
    assert select.startswith('<select id="category" name="category">'
                             '<option selected value="">Alla kategorier</option><optgroup'), select[:200]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Avvikelse", "Lex Sarah-rapport", "Klagomål"]
    # The kind is the group's label, no longer repeated after every name.
    assert "(Avvikelse)" not in select
    chosen = re.search(r'<option value="(\d+)">', select).group(1)
    again = login_as("erik").get(f"/arenden?category={chosen}").get_data(as_text=True)
    assert f'<option selected value="{chosen}">' in again


# --- the lex Sarah desk: days since the notification --------------------------------------------

@pytest.mark.parametrize(("today", "words"), [(datetime(2026, 3, 20, 15, 0), "i dag"),
                                              (datetime(2026, 3, 21, 9, 0), "i går"),
                                              (datetime(2026, 3, 25, 9, 0), "för 5 dagar sedan")])
def test_the_desk_says_today_and_yesterday_instead_of_zero_and_one_days_ago(login_as, today, words):
    set_provider()
    notified = make_case()
    judge(notified)
    draft(notified)
    notify(notified, sent_on=date(2026, 3, 20))
    with clock.frozen(today):
        page = login_as("sara").get("/lex-sarah").get_data(as_text=True)
    link = page.index(f'href="/lex-sarah/{notified.reference}/anmalan#beslut"')
    row = page[page.rindex("<tr", 0, link):link]
    assert f'<div class="muted">{words}</div>' in row
    assert "för 0 dagar" not in page and "för 1 dag sedan" not in page


# --- the staff report forms: every required field says so, and only those --------------------

@pytest.mark.parametrize("slug", ["avvikelse", "lex-sarah", "klagomal"])
def test_every_field_an_empty_report_is_refused_for_is_marked_obligatorisk(login_as, slug):
    anna = login_as("anna")
    form = anna.get(f"/rapportera/{slug}").get_data(as_text=True)
    marked = set()
    for mark in re.finditer(r"\(obligatorisk\)", form):
        field = form[form.rindex('<div class="field', 0, mark.start()):]
        marked.add(re.search(r'(?:for|id)="([a-z_]+?)(?:-\d+)?"', field).group(1))
    refused = set(re.findall(r'<p class="error" id="([a-z_]+)-error">',
                             anna.post(f"/rapportera/{slug}", data={}).get_data(as_text=True)))
    # "Personen vill ha svar" needs contact details only when ticked: a condition, not a required field.
    assert marked == refused - {"answer_wanted"}
    assert marked >= {"unit_id", "occurred_on", "description", "category_ids"}


# --- the public complaint form states its limits before the error -----------------------------

def test_the_complaint_form_states_the_length_of_the_description_under_the_field(client, demo):
    page = client.get("/klagomal").get_data(as_text=True)
    textarea = re.search(r"<textarea[^>]*id=\"description\"[^>]*>", page).group(0)
    hint_ids = re.search(r'aria-describedby="([^"]+)"', textarea).group(1).split()
    hint = re.search(rf'<p class="hint" id="{hint_ids[0]}">([^<]*)</p>', page).group(1)
    assert "Minst 20 och högst 10 000 tecken." in hint
    assert "10000" not in re.sub(r'maxlength="10000"', "", page)


def test_the_numbers_in_the_texts_are_the_limits_the_form_enforces():
    from app.public.services import DESCRIPTION_MAX, DESCRIPTION_MIN, WISHES_MAX
    assert (DESCRIPTION_MIN, DESCRIPTION_MAX, WISHES_MAX) == (20, 10_000, 5_000)


# --- the draft IVO notification as PDF says UTKAST as plainly as the HTML ---------------------

def _pdf_pages(data: bytes) -> list[str]:
    import io

    from pypdf import PdfReader
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_draft_pdf_says_utkast_on_every_page_and_the_sent_one_does_not(login_as):
    from tests.lexsarah.helpers import reload
    set_provider()
    case = make_case()
    judge(case)
    draft(case)
    pdf = login_as("sara").get(f"/lex-sarah/{case.reference}/anmalan.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pages = _pdf_pages(pdf.data)
    assert all("UTKAST" in page for page in pages), pages
    # The same warning as the HTML's red box, in full, on the first page.
    html = login_as("sara").get(f"/lex-sarah/{case.reference}/anmalan/dokument").get_data(as_text=True)
    warning = re.search(r'<p class="draft"><strong class="draft-word">UTKAST</strong> ([^<]+)</p>', html).group(1)
    assert "UTKAST " + warning in " ".join(pages[0].split())
    notify(case)
    sent = _pdf_pages(reload(case).lex_sarah_ivo.document_pdf)
    assert not any("UTKAST" in page.upper() for page in sent)
