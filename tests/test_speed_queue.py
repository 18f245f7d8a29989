"""Speed of the queue page and its search, in statements and in work done once rather than per
request (a timed test fails on a busy machine). What a person sees must not change."""

import re

import pytest

from tests.cases.helpers import file_case
from tests.cases.helpers import queue_references as references
from tests.statements import statements as counted


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def test_a_search_the_index_finds_nothing_for_reads_no_cases(erik):
    """Nothing found in the search index: the page, the counts and the cards are known to be
    empty without asking. (Counting an empty id list per open status read every open case of
    the person's units on SQLite: 3.6 ms of a million cases.)"""
    file_case(summary="Fallolycka i badrummet")
    with counted(fresh_session=True) as seen:
        response = erik.get("/arenden?q=vattenkokare&status=all")
    assert references(response) == []
    html = response.get_data(as_text=True)
    assert "Inga ärenden matchar urvalet." in html
    assert re.search(r"Alla öppna <strong>0</strong>", html)
    text = "\n".join(seen)
    probes = [s for s in seen if "cases_search MATCH" in s or "to_tsvector" in s]
    assert len(probes) == 1, text
    assert not any(s.startswith(("SELECT cases.", "SELECT anon_")) for s in seen if s not in probes), text
    assert "vattenkokare" in html  # the search field keeps the text


def test_the_years_are_kept_in_the_process_and_a_new_year_shows_at_once(erik):
    from datetime import datetime
    file_case(at=datetime(2025, 6, 1, 12, 0))
    erik.get("/arenden")
    with counted(fresh_session=True) as seen:
        html = erik.get("/arenden").get_data(as_text=True)
    assert not any("min(cases.received_at)" in s for s in seen), "\n".join(seen)
    assert '<option value="2025">2025</option>' in html and '"2023"' not in html
    # A case this process files forgets them: the next page offers its year.
    file_case(at=datetime(2023, 3, 1, 12, 0))
    html = erik.get("/arenden").get_data(as_text=True)
    assert '<option value="2023">2023</option>' in html


def test_the_filter_form_is_rendered_once_per_choices_and_values(erik, monkeypatch):
    from app.cases.queue import routes
    from app.org.models import Unit
    from tests.cases.helpers import unit
    routes._FILTER_FORMS.clear()
    rendered = []
    original = routes._fill_choices
    monkeypatch.setattr(routes, "_fill_choices", lambda *a: rendered.append(1) or original(*a))
    file_case()
    first = erik.get("/arenden").get_data(as_text=True)
    assert erik.get("/arenden").get_data(as_text=True) == first
    assert len(rendered) == 1
    # Other values are another form, with what was asked for selected and kept.
    html = erik.get("/arenden?kind=deviation&q=%3Cb%3Efall").get_data(as_text=True)
    assert '<option selected value="deviation">' in html and 'value="&lt;b&gt;fall"' in html
    assert len(rendered) == 2
    # The cursor is not part of the form: the next page reuses it.
    erik.get("/arenden?kind=deviation&q=%3Cb%3Efall&efter=x")
    assert len(rendered) == 2
    # A renamed unit is offered under its new name on the next page.
    renamed = unit("Boendestöd")
    renamed.name = "Boendestöd norr"
    from app.extensions import db
    db.session.commit()
    assert db.session.get(Unit, renamed.id).name == "Boendestöd norr"
    assert "Boendestöd norr</option>" in erik.get("/arenden").get_data(as_text=True)
    assert len(rendered) == 3


def test_cards_and_filter_form_in_each_language_and_typed_text_escaped(erik):
    from datetime import datetime

    from app.clock import utcnow
    from app.extensions import db
    from tests.cases.helpers import user
    late = file_case(summary="<script>alert(1)</script> & \"citat\"", at=datetime(2024, 1, 2, 9, 0))
    late.assigned_to_id = user("erik").id
    late.next_deadline_at = datetime(2024, 2, 1, 9, 0)
    db.session.commit()
    erik_user = user("erik")
    erik_user.full_name = "Erik <b>Eriksson</b>"
    db.session.commit()
    assert late.next_deadline_at < utcnow()
    html = erik.get("/arenden").get_data(as_text=True)
    card = re.search(r'<li class="case-card is-overdue">.*?</li>', html, re.S).group(0)
    assert f'<h2><a href="/arenden/{late.reference}">{late.reference}</a>' in card
    assert '<span class="badge badge--overdue">⚠ Försenad</span></h2>' in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;citat&#34;" in card
    assert "<dt>Handläggare</dt><dd>Erik &lt;b&gt;Eriksson&lt;/b&gt;</dd>" in card
    assert "<dt>Typ</dt><dd>Avvikelse</dd>" in card and "<dt>Tidsfrist</dt><dd>2024-02-01</dd>" in card
    assert "<script>" not in html and "<b>Eriksson" not in html
    erik.post("/sprak", data={"language": "en", "next": "/arenden"})
    html = erik.get("/arenden").get_data(as_text=True)
    assert "<dt>Type</dt><dd>Deviation</dd>" in html and "<dt>Received</dt><dd>2024-01-02</dd>" in html
    assert "Search and filter" in html and "Sök på diarienummer" not in html
    erik.post("/sprak", data={"language": "sv", "next": "/arenden"})
    html = erik.get("/arenden").get_data(as_text=True)
    assert "<dt>Typ</dt><dd>Avvikelse</dd>" in html and "Sök på diarienummer" in html


@pytest.mark.parametrize("path", ["/arenden", "/arenden?q=fallolycka&status=all", "/arenden?q=vattenkokare"])
def test_the_audit_commit_is_the_last_statement_of_a_queue_page(erik, path):
    """A read after the commit opens a transaction that the pool rolls back at the end of the
    request, and psycopg forgets every prepared statement of the connection on a rollback:
    PostgreSQL then planned the page's statements anew on every request."""
    from sqlalchemy import event

    from app.extensions import db
    file_case(summary="Fallolycka i badrummet")
    erik.get(path)
    events = []

    def statement(*_args):
        events.append("statement")

    def commit(*_args):
        events.append("commit")

    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(db.engine, "commit", commit)
    try:
        assert erik.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(db.engine, "commit", commit)
    assert "commit" in events and events[-1] == "commit", events


def test_a_kept_statement_carries_its_codes_in_its_text(erik):
    """The first page's statements are kept (services._cached) and their values written into
    the SQL: PostgreSQL then plans the prepared statement once instead of once per request."""
    file_case()
    with counted(fresh_session=True) as seen:
        assert len(references(erik.get("/arenden?kind=deviation&assigned=none&year=2026"))) <= 1
    page = next(s for s in seen if s.startswith("SELECT anon_1.id, anon_1.sort_value"))
    counts = next(s for s in seen if " AS status, count(*)" in s)
    for statement in (page, counts):
        assert "cases.status = 'received'" in statement, statement
        assert "'deviation'" in statement, statement
    assert "LIMIT 51" in page


def test_cards_show_the_swedish_day_on_either_side_of_midnight(erik):
    from datetime import datetime
    before = file_case(at=datetime(2024, 12, 31, 22, 30), summary="Före")   # 23:30 in Sweden
    after = file_case(at=datetime(2024, 12, 31, 23, 30), summary="Efter")   # 00:30 on New Year's Day
    summer = file_case(at=datetime(2024, 6, 30, 22, 30), summary="Sommar")  # 00:30, summer time
    html = erik.get("/arenden?status=all").get_data(as_text=True)
    cards = dict(re.findall(r'<a href="/arenden/([^"]+)">.*?<dt>Inkom</dt><dd>([^<]+)</dd>', html, re.S))
    assert cards == {before.reference: "2024-12-31", after.reference: "2025-01-01", summer.reference: "2024-07-01"}


@pytest.mark.parametrize(("text", "asks_references"), [
    ("vattenkokare", False), ("Åsa", False), ("av 2026", False), ("fel-dos", False),
    ("AV-2026", True), ("2026-00", True), ("v-20", True), ("026", True)])
def test_a_search_asks_the_reference_index_only_for_what_can_be_part_of_a_reference(
        erik, text, asks_references):
    """Every reference is two letters, the year and a number (AV-2026-0001; the CSV import
    checks the same form): a text with three letters in a row, a space or any other sign is in
    none, and asking pg_trgm for it was half of a no-match search's time in PostgreSQL."""
    from app.extensions import db
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite finds references in its FTS5 table")
    file_case()
    with counted() as seen:
        erik.get(f"/arenden?q={text}&status=all")
    probe = next(s for s in seen if "to_tsvector" in s or "ILIKE" in s)
    assert ("cases.reference ILIKE" in probe) == asks_references, probe


def test_the_status_links_keep_the_filters_and_are_made_once_per_query(erik, monkeypatch):
    from app.cases.queue import routes
    routes._STATUS_LINKS.clear()
    made = []
    original = routes.url_for
    monkeypatch.setattr(routes, "url_for", lambda *a, **k: made.append(k) or original(*a, **k))
    file_case()
    for _ in range(2):
        html = erik.get("/arenden?kind=deviation&q=").get_data(as_text=True)
        nav = re.search(r'<nav class="status-counts".*?</nav>', html, re.S).group(0)
        assert '<a href="/arenden?kind=deviation&amp;status=open" aria-current="true">Alla öppna' in nav
        assert '<a href="/arenden?kind=deviation&amp;status=received" >Mottagen <strong>1</strong>' in nav
        assert '<a href="/arenden?kind=deviation&amp;status=closed" >Avslutade</a>' in nav
    assert len(made) == 10  # open, the eight open statuses, closed: once
    erik.get("/arenden?kind=lex_sarah")
    assert len(made) == 20
