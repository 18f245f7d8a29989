"""The queue: who sees which cases (the SQL must agree with the permission function),
the filters, the counts, and keyset paging without duplicates or gaps."""

import html
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth import services as accounts
from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.models import Case
from app.cases.queue import services as queue
from app.clock import frozen, utcnow
from app.extensions import db
from tests.cases.helpers import file_case, unit, user

REFERENCE = re.compile(r'<h2><a href="/arenden/([A-Z]{2}-\d{4}-\d{4})">')


def listed(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return REFERENCE.findall(response.get_data(as_text=True))


def link(response, rel: str) -> str | None:
    match = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.get_data(as_text=True))
    return html.unescape(match.group(1)) if match else None


def _make_user(username: str, role: str, unit_names: list[str]) -> User:
    person = User(username=username, full_name=username.title(), role=role,
                  units=[unit(name) for name in unit_names],
                  password_hash=accounts.hash_password("demo", enforce_policy=False))
    db.session.add(person)
    db.session.commit()
    return person


@pytest.fixture
def spread(demo):
    """A case of every kind in units all over the tree, with and without bypass_manager."""
    cases = []
    for unit_name in ("Boendestöd", "Socialpsykiatri", "Vuxna", "HVB Solrosen", "Administration",
                      "Socialförvaltningen"):
        for kind in ("deviation", "complaint", "lex_sarah"):
            cases.append(file_case(kind, unit_name=unit_name, summary=f"{kind} i {unit_name}"))
        cases.append(file_case("lex_sarah", unit_name=unit_name, bypass_manager=True,
                               summary=f"förbi chefen i {unit_name}"))
    return cases


def _queue_ids(person) -> set[int]:
    return set(db.session.scalars(select(Case.id).where(queue.scope_condition(person))))


@pytest.mark.parametrize("username", ["anna", "erik", "ulla", "sara", "admin"])
def test_the_queue_sql_agrees_with_the_permission_function(spread, username):
    person = user(username)
    in_queue = _queue_ids(person)
    viewable = {c.id for c in spread if can(person, Action.VIEW_CASE, c)}
    assert in_queue <= viewable, "the queue shows a case the permission function refuses"
    if username in ("erik", "ulla"):
        assert in_queue == viewable
        assert not any(c.bypass_manager for c in spread if c.id in in_queue)
    if username == "anna":
        assert in_queue == set()
    if username == "sara":  # her unit is the whole administration
        assert in_queue == {c.id for c in spread}
    if username == "admin":  # everything but what the reporter meant for the officers only
        assert in_queue == {c.id for c in spread if not c.bypass_manager}


def test_an_officer_of_one_department_sees_it_and_every_lex_sarah_report(spread):
    officer = _make_user("olle", "officer", ["Unga"])
    unga = unit("Unga")
    expected = {c.id for c in spread if c.kind == "lex_sarah" or unga.id in c.unit_path}
    assert _queue_ids(officer) == expected
    assert any(c.bypass_manager for c in spread if c.id in expected)
    # Case by case, the same answer through the page's own helper.
    assert all(queue.in_queue(officer, c) == (c.id in expected) for c in spread)


def test_an_investigator_with_two_units_sees_both_subtrees(spread):
    both = _make_user("bodil", "investigator", ["Boendestöd", "Unga"])
    assert _queue_ids(both) == {c.id for c in spread if can(both, Action.VIEW_CASE, c)}
    assert {c.unit.name for c in spread if c.id in _queue_ids(both)} == {"Boendestöd", "HVB Solrosen"}


def test_erik_sees_annas_deviation_and_not_unga_nor_the_bypassing_report(login_as):
    annas = file_case("deviation", summary="Annas avvikelse")
    unga = file_case("deviation", unit_name="HVB Solrosen", reporter=None, summary="I Unga")
    bypass = file_case("lex_sarah", bypass_manager=True, summary="Förbi chefen")
    erik_sees = listed(login_as("erik").get("/arenden"))
    assert annas.reference in erik_sees
    assert unga.reference not in erik_sees and bypass.reference not in erik_sees
    assert set(listed(login_as("sara").get("/arenden"))) == {annas.reference, unga.reference, bypass.reference}
    assert set(listed(login_as("ulla").get("/arenden"))) == {unga.reference}


@pytest.mark.parametrize(("username", "status"), [("anna", 403), ("erik", 200), ("ulla", 200), ("sara", 200),
                                                  ("admin", 200)])
def test_who_gets_the_queue(login_as, username, status):
    response = login_as(username).get("/arenden")
    assert response.status_code == status
    start = login_as(username).get("/").get_data(as_text=True)
    assert ('href="/arenden"' in start) == (status == 200), "the nav link follows VIEW_QUEUE"


def test_the_queue_is_not_for_the_logged_out(client, demo):
    response = client.get("/arenden")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_every_listing_is_audited_with_the_cases_shown(login_as):
    case = file_case("deviation")
    login_as("erik").get("/arenden?kind=deviation")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.listed"))
    assert event.user_id == user("erik").id
    assert event.detail["case_ids"] == [case.id]
    assert event.detail["filters"]["kind"] == "deviation"


# --- filters ----------------------------------------------------------------------------------

@pytest.fixture
def assorted(demo):
    erik = user("erik")
    old = datetime(2024, 5, 2, 9, 0)
    cases = {
        "old_deviation": file_case("deviation", at=old, summary="Fel medicin 2024",
                                   categories=("Dokumentation",)),
        "complaint": file_case("complaint", unit_name="Socialpsykiatri", summary="Otrevligt bemötande"),
        "lex_sarah": file_case("lex_sarah", unit_name="Vuxenstöd", summary="Fallolycka, 100% säker",
                               categories=("Fysiska övergrepp",)),
        "closed": file_case("deviation", summary="Avslutad sak"),
    }
    cases["lex_sarah"].assigned_to = erik
    cases["closed"].status = "closed"
    db.session.commit()
    return cases


def _refs(assorted, *names) -> set[str]:
    return {assorted[name].reference for name in names}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ("old_deviation", "complaint", "lex_sarah")),  # open cases by default
    ("?status=all", ("old_deviation", "complaint", "lex_sarah", "closed")),
    ("?status=closed", ("closed",)),
    ("?kind=deviation", ("old_deviation",)),
    ("?kind=complaint&status=all", ("complaint",)),
    ("?assigned=me", ("lex_sarah",)),
    ("?assigned=none", ("old_deviation", "complaint")),
    ("?year=2024&status=all", ("old_deviation",)),
    ("?q=bemötande", ("complaint",)),
    ("?q=100%25", ("lex_sarah",)),  # a % is a character, not a wildcard
    ("?q=%25", ("lex_sarah",)),
    ("?q=_", ()),
    ("?overdue=y", ("old_deviation",)),
    ("?kind=nonsense", ("old_deviation", "complaint", "lex_sarah")),  # unknown values are ignored
])
def test_filters(login_as, assorted, query, expected):
    assert set(listed(login_as("erik").get("/arenden" + query))) == _refs(assorted, *expected)


def test_filter_by_reference_unit_category_and_year_boundary(login_as, assorted):
    erik = login_as("erik")
    ref = assorted["complaint"].reference
    assert listed(erik.get(f"/arenden?q={ref.lower()}")) == [ref]
    assert set(listed(erik.get(f"/arenden?unit={unit('Vuxna').id}&status=all"))) == _refs(
        assorted, "old_deviation", "complaint", "lex_sarah", "closed")  # a department includes its units
    assert set(listed(erik.get(f"/arenden?unit={unit('Socialpsykiatri').id}"))) == _refs(assorted, "complaint")
    category_id = assorted["lex_sarah"].categories[0].id
    assert set(listed(erik.get(f"/arenden?category={category_id}"))) == _refs(assorted, "lex_sarah")
    # The year is the Swedish calendar year: 23:30 UTC on New Year's Eve is already next year here.
    new_year = file_case("deviation", at=datetime(2024, 12, 31, 23, 30), summary="Nyårsnatt")
    assert new_year.reference in listed(erik.get("/arenden?year=2025"))
    assert new_year.reference not in listed(erik.get("/arenden?year=2024"))


def test_a_unit_outside_ones_queue_shows_nothing_of_it(login_as, assorted):
    file_case("deviation", unit_name="HVB Solrosen", reporter=None)
    assert listed(login_as("erik").get(f"/arenden?unit={unit('HVB Solrosen').id}")) == []


def test_counts_per_open_status_follow_the_other_filters(login_as, assorted):
    erik = user("erik")
    assorted["complaint"].status = "investigating"
    db.session.commit()
    counts = queue.status_counts(erik, queue.QueueFilters(), utcnow())
    assert counts == {"received": 2, "investigating": 1}
    assert queue.status_counts(erik, queue.QueueFilters(kind="complaint"), utcnow()) == {"investigating": 1}
    page = login_as("erik").get("/arenden").get_data(as_text=True)
    assert re.search(r"Mottagen <strong>2</strong>", page)
    assert re.search(r"Under utredning <strong>1</strong>", page)
    assert re.search(r"Alla öppna <strong>3</strong>", page)


def test_overdue_cases_say_so_in_words(login_as, demo):
    with frozen(datetime(2026, 3, 2, 10, 0)):
        late = file_case("deviation", at=datetime(2026, 1, 2, 10, 0), summary="Gammal")
        fresh = file_case("deviation", summary="Ny")
        page = login_as("erik").get("/arenden").get_data(as_text=True)
    cards = dict(re.findall(r'<li class="case-card[^"]*">\s*<h2><a href="/arenden/([^"]+)">[^<]*</a>(.*?)</h2>',
                            page, re.S))
    assert "Försenad" in cards[late.reference]
    assert "Försenad" not in cards[fresh.reference]
