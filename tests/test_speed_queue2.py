"""Speed of the queue page and of the shell every logged-in page pays (second round): the same
HTML, escaping and answers from less work. Held in comparisons with the former way of writing
the same markup and in work counted, not in seconds (a timed test fails on a busy machine)."""

from urllib.parse import quote

import pytest
from markupsafe import Markup, escape

from app.cases.queue import cards
from app.cases.queue.services import Card, Named, QueuePage

NASTY = ["<script>alert(1)</script>", "Tom & Jerry's \"bästa\"", "{} {0} %s %(x)s %%", "'\"<>&&amp;", "",
         "Åsa Öberg", "a\u2003b"]


def _former_cards(page) -> Markup:
    """The cards as the first version of app/cases/queue/cards.py wrote them: every value
    through markupsafe's escape, one str.format with keywords a card."""
    words = cards._words()
    kinds, statuses = words["kinds"], words["statuses"]
    case_url = escape(cards.url_for("cases.case", reference="REF").replace("REF", ""))
    html = []
    for case in page.cases:
        overdue = case.id in page.overdue_ids
        html.append(cards._CARD.format(
            overdue_class=" is-overdue" if overdue else "",
            href=case_url + escape(quote(case.reference, safe="/")),
            reference=escape(case.reference),
            badge=Markup('<span class="badge badge--overdue">⚠ %s</span>') % cards._("Försenad") if overdue else "",
            summary=escape(case.summary),
            kind=escape(str(cards.labels.KIND_LABELS[case.kind])) if case.kind in kinds else "",
            status=statuses[case.status] if case.status in statuses else escape(case.status),
            unit=escape(case.unit.name),
            received=escape(case.received_on),
            handler=(escape(case.assigned_to.full_name) if case.assigned_to
                     else Markup("<em>%s</em>") % cards._("Ingen")),
            deadline=escape(case.deadline_on or "–"),
            w_kind=escape(cards._("Typ")), w_status=escape(cards._("Status")), w_unit=escape(cards._("Enhet")),
            w_received=escape(cards._("Inkom")), w_handler=escape(cards._("Handläggare")),
            w_deadline=escape(cards._("Tidsfrist"))))
    return Markup("".join(html))  # noqa: S704 - every value above is escaped


def _page(texts: list[str]) -> QueuePage:
    from app.workflow import Kind, Status
    page = QueuePage(ids=[], counts={})
    kinds = [k.value for k in Kind] + ["okänd<typ>"]
    statuses = [s.value for s in Status] + ["okänd<status>"]
    for i, text in enumerate(texts):
        handler = None if i % 3 == 0 else Named(full_name=texts[(i + 1) % len(texts)])
        page.cases.append(Card(
            id=i, reference=f"AVV-2026-{i:05d}" if i % 4 else f"A/{text}", kind=kinds[i % len(kinds)],
            status=statuses[i % len(statuses)], summary=text, received_at=None, unit_id=1,
            assigned_to_id=None if handler is None else 1, next_deadline_at=None,
            unit=Named(name=texts[(i + 2) % len(texts)]), assigned_to=handler,
            # The dates as load_cases writes them (ISO dates, or "" when no deadline runs).
            received_on=f"2026-01-0{i % 9 + 1}", deadline_on="" if i % 2 else f"2026-02-{i % 28 + 1:02d}"))
    page.overdue_ids = frozenset(range(0, len(texts), 2))
    return page


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_cards_are_the_same_html_as_before_with_typed_text_escaped(app, language):
    from flask_babel import force_locale
    page = _page(NASTY * 3)
    with app.test_request_context("/arenden"), force_locale(language):
        now, before = cards.case_cards(page), _former_cards(page)
    assert isinstance(now, Markup)
    assert now == before
    assert "<script>" not in now and "&lt;script&gt;alert(1)&lt;/script&gt;" in now
    assert "Tom &amp; Jerry&#39;s &#34;bästa&#34;" in now and "{} {0} %s %(x)s %%" in now


def test_html_escape_is_markupsafes_escape():
    for text in [*NASTY, "".join(chr(c) for c in range(32, 128)), "&#39;"]:
        assert cards.html_escape(text) == str(escape(text))


def _menu(page: str) -> str:
    return page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_the_kept_menu_follows_the_permission_answers_of_each_page(app, login_as, monkeypatch):
    """The menu's HTML is kept per set of answers, never per person: a person whose answer
    changes sees the other menu on the next page, and people with other answers their own."""
    from app.auth import permissions
    from app.auth.permissions import Action
    anna, admin = login_as("anna"), login_as("admin")
    for _ in range(2):
        assert 'href="/admin/anvandare"' not in _menu(anna.get("/").get_data(as_text=True))
        assert 'href="/admin/anvandare"' in _menu(admin.get("/").get_data(as_text=True))
    real = permissions.can
    monkeypatch.setattr(permissions, "can", lambda user, action, case=None:
                        True if action == Action.MANAGE_USERS else real(user, action, case))
    assert 'href="/admin/anvandare"' in _menu(anna.get("/").get_data(as_text=True))
    monkeypatch.setattr(permissions, "can", real)
    assert 'href="/admin/anvandare"' not in _menu(anna.get("/").get_data(as_text=True))


def test_the_kept_parts_are_per_language(login_as):
    erik = login_as("erik")
    swedish = erik.get("/").get_data(as_text=True)
    assert ">Tillgänglighetsredogörelse<" in swedish and ">Byt lösenord<" in swedish and ">Ärenden<" in _menu(swedish)
    erik.post("/sprak", data={"language": "en", "next": "/"})
    english = erik.get("/").get_data(as_text=True)
    assert ">Tillgänglighetsredogörelse<" not in english and ">Byt lösenord<" not in english
    assert ">Ärenden<" not in _menu(english) and 'href="/arenden"' in _menu(english)
    erik.post("/sprak", data={"language": "sv", "next": "/"})
    again = erik.get("/").get_data(as_text=True)
    assert again.replace(_csrf(again), "") == swedish.replace(_csrf(swedish), "")


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_the_menu_marks_the_page_it_is_on_after_another_page_was_kept(login_as):
    erik = login_as("erik")
    for path in ("/", "/arenden", "/", "/atgarder", "/arenden"):
        menu = _menu(erik.get(path).get_data(as_text=True))
        assert menu.count('aria-current="page"') == 1 and f'<a href="{path}" aria-current="page">' in menu, path


def test_a_kept_queue_statement_is_not_written_out_again_on_each_page(login_as, monkeypatch):
    """The kept statements' codes and ids are in their SQL text once (app.cases.queue.services:
    app.kept_statements.literal_values), not rendered into it on every execution (some forty values a page)."""
    from sqlalchemy.sql.compiler import SQLCompiler

    from tests.cases.helpers import file_case
    from tests.cases.helpers import queue_references as references
    case = file_case(summary="Fallolycka")
    erik = login_as("erik")
    first = erik.get("/arenden")
    assert case.reference in references(first)
    rendered = []
    real = SQLCompiler.render_literal_bindparam
    monkeypatch.setattr(SQLCompiler, "render_literal_bindparam",
                        lambda self, *a, **k: rendered.append(a) or real(self, *a, **k))
    again = erik.get("/arenden")
    assert references(again) == references(first)
    assert "Alla öppna <strong>1</strong>" in again.get_data(as_text=True)
    assert rendered == []


def test_the_cards_dates_are_iso_dates(login_as):
    """case_cards writes a card's dates as they come from load_cases: only digits and hyphens,
    nothing to escape."""
    import re
    from datetime import datetime

    from app.cases.queue.services import QueuePage, load_cases
    from app.extensions import db
    from tests.cases.helpers import file_case
    case = file_case(summary="Datum", at=datetime(2024, 12, 31, 23, 30))
    case.next_deadline_at = datetime(2025, 1, 14, 23, 30)
    db.session.commit()
    page = load_cases(QueuePage(ids=[case.id], counts={}))
    (card,) = page.cases
    assert (card.received_on, card.deadline_on) == ("2025-01-01", "2025-01-15")
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in (card.received_on, card.deadline_on))


def test_the_filter_form_is_built_only_for_a_query_not_seen_before(login_as, monkeypatch):
    from app.cases.casework import forms
    from tests.cases.helpers import file_case
    from tests.cases.helpers import queue_references as references
    open_case = file_case(summary="Öppen")
    erik = login_as("erik")
    built = []
    real = forms.QueueFilterForm.__init__
    monkeypatch.setattr(forms.QueueFilterForm, "__init__", lambda self, *a, **k: built.append(a) or real(self, *a, **k))
    erik.get("/arenden?status=closed&sort=oldest")
    assert len(built) == 1
    built.clear()
    closed = erik.get("/arenden?status=closed&sort=oldest")
    assert built == []
    assert open_case.reference not in references(closed)
    page = closed.get_data(as_text=True)
    assert '<option selected value="closed">' in page and '<option selected value="oldest">' in page
    erik.post("/sprak", data={"language": "en", "next": "/"})
    english = erik.get("/arenden?status=closed&sort=oldest").get_data(as_text=True)
    assert len(built) == 1  # the same filters, the form's HTML in another language
    assert '<option selected value="closed">' in english and "Sortering" not in english
    assert open_case.reference in references(erik.get("/arenden?sort=oldest"))
