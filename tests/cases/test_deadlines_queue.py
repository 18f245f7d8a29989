"""The queue's walk split per status (app.cases.queue.services._branches) is an optimisation only: with
every sort and status filter it pages exactly like one plain ORDER BY; and the deadline sort
and the overdue filter read index ranges, never the whole table."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.cases.models import Case
from app.cases.queue import services as queue
from app.clock import frozen
from app.extensions import db
from app.workflow import statuses_for
from tests.cases.helpers import file_case, unit, user

NOW = datetime(2026, 3, 20, 9, 0)


@pytest.fixture
def many(demo):
    start = datetime(2026, 1, 5)
    units = ("Boendestöd", "Vuxenstöd", "Socialpsykiatri", "HVB Solrosen")
    for i in range(36):
        kind = ("deviation", "complaint", "lex_sarah")[i % 3]
        case = file_case(kind, at=start + timedelta(days=i % 9, hours=i % 4), unit_name=units[i % 4],
                         summary=f"{i}", bypass_manager=(kind == "lex_sarah" and i % 7 == 0))
        flow = statuses_for(kind)
        case.status = flow[i % len(flow)]
    db.session.add(User(username="olle", full_name="Olle", role="officer", units=[unit("Vuxna")], password_hash="-"))
    db.session.commit()


def _plain(person, filters) -> list[int]:
    column, descending = queue._sort_key(filters.sort)
    conditions = [queue.scope_condition(person), *queue.filter_conditions(person, filters, NOW)]
    chosen = queue.unit_filter_ids(filters)
    if chosen is not None:
        conditions.append(Case.unit_id.in_(chosen))
    order = (column.desc(), Case.id.desc()) if descending else (column.asc(), Case.id.asc())
    return list(db.session.scalars(select(Case.id).where(*conditions).order_by(*order)))


def _walked(person, filters, size=4) -> list[int]:
    _, descending = queue._sort_key(filters.sort)
    walked, cursor = [], None
    while True:
        rows = db.session.execute(queue.page_query(person, filters, cursor=cursor, descending=descending,
                                                   limit=size, now=NOW)).all()
        walked += [row[0] for row in rows]
        if len(rows) < size:
            return walked
        cursor = (rows[-1][1], rows[-1][0])


@pytest.mark.parametrize("username", ["erik", "sara", "olle", "admin"])
@pytest.mark.parametrize("filters", [
    {}, {"sort": "deadline"}, {"status": "all", "sort": "deadline"}, {"overdue": True},
    {"overdue": True, "sort": "deadline"}, {"status": "closed"}, {"status": "investigating", "sort": "oldest"},
    {"kind": "complaint", "sort": "deadline"}, {"assigned": "none", "status": "all"},
])
def test_the_split_walk_pages_like_one_sorted_query(many, username, filters):
    person = user(username)
    filters = queue.QueueFilters(**filters)
    with frozen(NOW):
        assert _walked(person, filters) == _plain(person, filters)


def test_a_chosen_unit_is_split_too(many):
    filters = queue.QueueFilters(unit_id=unit("Boendestöd").id, sort="deadline")
    with frozen(NOW):
        assert _walked(user("sara"), filters) == _plain(user("sara"), filters) != []


def _plan(statement) -> str:
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))


@pytest.mark.parametrize("username", ["erik", "sara"])
@pytest.mark.parametrize("filters", [{"sort": "deadline"}, {"overdue": True}, {"status": "all", "sort": "deadline"}])
def test_the_deadline_sort_and_the_overdue_filter_read_index_ranges(demo, username, filters):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    statement = queue.page_query(user(username), queue.QueueFilters(**filters), cursor=(NOW, 10**9),
                                 descending=False, limit=51, now=NOW)
    plan = _plan(statement)
    assert "SCAN cases" not in plan, plan
    ranges = plan.count("SEARCH cases USING COVERING INDEX ix_cases_status_")
    assert ranges == len(queue._statuses(queue.QueueFilters(**filters))), plan
