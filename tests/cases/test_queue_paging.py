"""Keyset paging of the queue: no duplicates or gaps, either way, whatever is filed meanwhile;
and the page query is an index range scan."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import Case
from app.cases.queue import services as queue
from app.clock import utcnow
from app.extensions import db
from tests.cases.helpers import file_case, unit, user
from tests.cases.test_queue import link, listed


@pytest.fixture
def app_config():
    return {"PAGE_SIZE": 3}


@pytest.fixture
def many(demo):
    """Eight open deviations; three share one received_at, so paging must break ties by id."""
    start = datetime(2026, 2, 1, 8, 0)
    moments = [start + timedelta(hours=h) for h in (0, 1, 2, 2, 2, 3, 4, 5)]
    return [file_case("deviation", at=moment, summary=f"Nummer {i}") for i, moment in enumerate(moments)]


def _walk(client, url: str, rel: str = "next") -> list[list[str]]:
    pages, seen_urls = [], set()
    while url:
        assert url not in seen_urls
        seen_urls.add(url)
        response = client.get(url)
        pages.append(listed(response))
        url = link(response, rel)
    return pages


@pytest.mark.parametrize(("sort", "newest_first"), [("newest", True), ("oldest", False), ("deadline", False)])
def test_keyset_pages_have_no_duplicates_or_gaps_either_way(login_as, many, sort, newest_first):
    erik = login_as("erik")
    ordered = sorted(many, key=lambda c: (c.received_at, c.id), reverse=newest_first)
    expected = [c.reference for c in ordered]
    forward = _walk(erik, f"/arenden?sort={sort}")
    assert [len(p) for p in forward] == [3, 3, 2]
    assert [ref for page in forward for ref in page] == expected
    # From the last page back to the first with the "previous" links.
    last = f"/arenden?sort={sort}"
    for _ in range(2):
        last = link(erik.get(last), "next")
    backward = _walk(erik, last, rel="prev")
    assert backward == list(reversed(forward))


def test_a_filing_between_two_pages_neither_repeats_nor_hides_a_case(login_as, many):
    erik = login_as("erik")
    first = erik.get("/arenden")
    file_case("deviation", summary="Nyinkommen")  # newer than everything: belongs before page 1
    rest = _walk(erik, link(first, "next"))
    seen = listed(first) + [ref for page in rest for ref in page]
    assert sorted(seen) == sorted(c.reference for c in many)


def test_a_broken_cursor_shows_the_first_page(login_as, many):
    erik = login_as("erik")
    assert listed(erik.get("/arenden?efter=inte-en-markör")) == listed(erik.get("/arenden"))


def _plan(statement) -> str:
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))


@pytest.mark.parametrize(("username", "filters", "index"), [
    ("sara", {"unit_id": "Boendestöd", "status": "all"}, "ix_cases_unit_received_id"),
    ("sara", {"kind": "deviation", "status": "all"}, "ix_cases_kind_received_id"),
    ("erik", {"unit_id": "Boendestöd", "status": "investigating"}, "ix_cases_status_received_cover"),
])
def test_a_page_in_one_index_range_is_a_range_scan_without_sorting(demo, username, filters, index):
    """SQLite's plan: an index walk in (received_at, id) order, never a temporary b-tree that
    sorts every matching row before the first is shown."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    if "unit_id" in filters:
        filters = {**filters, "unit_id": unit(filters["unit_id"]).id}
    statement = queue.page_query(user(username), queue.QueueFilters(**filters), cursor=(utcnow(), 10**9),
                                 descending=True, limit=51, now=utcnow())
    plan = _plan(statement)
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_the_default_queue_of_a_department_reads_one_index_range_per_open_status(demo):
    """Open cases are few whatever the size of the table, so each open status is one range
    of (status, received_at, id, ...), with the scope checked in the index; a walk per unit
    would pass every closed case of a unit with fewer open cases than a page. Only the
    merged page is sorted."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    erik = user("erik")
    statement = queue.page_query(erik, queue.QueueFilters(), cursor=(utcnow(), 10**9), descending=True,
                                 limit=51, now=utcnow())
    plan = _plan(statement)
    ranges = re.findall(r"SEARCH cases USING COVERING INDEX ix_cases_status_received_cover \(status=\?", plan)
    assert len(ranges) == len(queue.OPEN_STATUSES), plan
    assert "SCAN cases" not in plan, plan


def test_the_merged_walk_gives_the_same_pages_as_one_sorted_query(demo):
    """The per-unit walk is an optimisation only: compare it with the plain ORDER BY."""
    start = datetime(2026, 1, 1)
    for i in range(12):
        file_case("deviation", at=start + timedelta(hours=i % 5), unit_name=("Boendestöd", "Vuxenstöd",
                  "Socialpsykiatri", "Vuxna")[i % 4], summary=f"{i}")
        file_case("lex_sarah", at=start + timedelta(hours=i % 3), unit_name="HVB Solrosen", summary=f"LS {i}")
    officer = User(username="olle", full_name="Olle", role="officer", units=[unit("Vuxna")], password_hash="-")
    db.session.add(officer)
    db.session.commit()
    for username in ("erik", "sara", "olle"):
        person = user(username)
        plain = list(db.session.scalars(select(Case.id).where(queue.scope_condition(person)).order_by(
            Case.received_at.desc(), Case.id.desc())))
        walked, cursor = [], None
        while True:
            ids = list(db.session.scalars(queue.page_query(person, queue.QueueFilters(status="all"), cursor=cursor,
                                                           descending=True, limit=5, now=utcnow())))
            walked += ids
            if len(ids) < 5:
                break
            last = db.session.get(Case, ids[-1])
            cursor = (last.received_at, last.id)
        assert walked == plain, username
