"""Speed of the start page, every staff member's first page: its numbers are one statement built
once per kind of person, each number answered from an index; and they are the same numbers as a
plain count over the same data, for every role (what the page shows to whom must not change)."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from app import clock
from app.actions import queries as action_queries
from app.actions.models import ActionType, CaseAction
from app.actions.workflow import OPEN_STATUSES as OPEN_ACTION_STATUSES
from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.models import Case, ConcernedStaff
from app.cases.queue import services as queue
from app.extensions import db
from app.main import services as start
from app.org.models import Unit
from app.workflow import Status
from tests.cases.helpers import file_case, user
from tests.statements import statements as counted

TODAY = datetime(2026, 5, 4, 10, 0)
TILES = {"assigned_to_me": "öppna ärenden tilldelade mig", "unassigned": "öppna ärenden utan handläggare",
         "mine": "öppna åtgärder där du är ansvarig", "overdue": "försenade åtgärder",
         "follow_up": "åtgärder väntar på uppföljning", "user_count": "aktiva användare",
         "unit_count": "aktiva enheter"}


def _tiles(page: str) -> dict[str, int]:
    return {label: int(n) for n, label in re.findall(r"<strong>(\d+)</strong> ([^<]+)</a>", page)}


def _action(case: Case, responsible: str, *, status: str = "planned", due_on: date = date(2026, 6, 1),
            completed_on: date | None = None, follow_up_result: str | None = None) -> None:
    db.session.add(CaseAction(case=case, type=db.session.scalars(select(ActionType)).first(), description="Åtgärd",
                              responsible=user(responsible), due_on=due_on, status=status,
                              completed_on=completed_on, follow_up_result=follow_up_result))


@pytest.fixture
def world(demo):
    """Open, closed, assigned and unassigned cases in erik's units (Vuxna), ulla's (Unga) and
    elsewhere, a lex Sarah report whose reporter bypassed the manager, actions of every status
    for several people, and a case that concerns erik (jäv: he must not count it)."""
    with clock.frozen(TODAY):
        cases = [file_case("deviation"), file_case("deviation"), file_case("complaint", unit_name="Socialpsykiatri",
                                                                            reporter=None),
                 file_case("deviation", unit_name="HVB Solrosen", reporter=None),
                 file_case("lex_sarah", unit_name="HVB Solrosen", bypass_manager=True),
                 file_case("deviation"), file_case("lex_sarah"), file_case("deviation"),
                 file_case("complaint", unit_name="HVB Solrosen", reporter=None),
                 file_case("deviation", unit_name="HVB Solrosen", reporter=None)]
        cases[0].assigned_to = user("erik")
        cases[3].assigned_to = user("erik")     # assigned to him outside his units
        cases[5].status = Status.CLOSED.value
        cases[6].assigned_to = user("sara")
        cases[9].assigned_to = user("ulla")
        concerning = cases[7]
        db.session.add(ConcernedStaff(case_id=concerning.id, user_id=user("erik").id))
        past, long_ago = date(2026, 5, 1), date(2026, 2, 1)
        for case in cases:
            for who in ("erik", "ulla", "sara", "admin", "anna"):
                _action(case, who)
                _action(case, who, due_on=past)
                _action(case, who, status="in_progress", due_on=past)
                _action(case, who, status="done", completed_on=long_ago)
                _action(case, who, status="done", completed_on=long_ago, follow_up_result="yes")
                _action(case, who, status="done", completed_on=date(2026, 5, 2))
                _action(case, who, status="cancelled", due_on=past)
        db.session.commit()
    return cases


def _plain_counts(username: str) -> dict[str, int]:
    """The same numbers, counted plainly: the queue and the action lists behind the tiles' links,
    and the rules in Python over every row."""
    person = user(username)
    today = TODAY.date()
    found: dict[str, int] = {}
    every_case = db.session.scalars(select(Case)).all()
    every_action = db.session.scalars(select(CaseAction)).all()
    concerns = set(db.session.scalars(select(ConcernedStaff.case_id).where(ConcernedStaff.user_id == person.id)))
    # The admin's page has no queue tiles.
    if can(person, Action.VIEW_QUEUE) and person.role in ("investigator", "officer"):
        found["assigned_to_me"] = sum(c.assigned_to_id == person.id and c.status != Status.CLOSED for c in every_case)
        # What the tile's link (/arenden?assigned=none) counts.
        filters = queue.QueueFilters(assigned="none")
        found["unassigned"] = sum(queue.status_counts(person, filters, clock.utcnow()).values())
    if can(person, Action.VIEW_OWN_ACTIONS):
        open_values = {s.value for s in OPEN_ACTION_STATUSES}
        found["mine"] = sum(a.responsible_id == person.id and a.status in open_values and a.case_id not in concerns
                            for a in every_action)
        for scope in ("overdue", "follow_up"):
            found[scope] = action_queries.list_actions(person, scope, action_queries.Filters(), page_size=500,
                                                       today=today).total
        # The lists in Python, with the permission function: what the person may see, overdue or done
        # long ago and not followed up.
        visible = [a for a in every_action if can(person, Action.VIEW_ACTION, a)]
        assert found["overdue"] == sum(a.status in open_values and a.due_on < today for a in visible)
        cutoff = action_queries.follow_up_cutoff(today)
        assert found["follow_up"] == sum(a.status == "done" and a.follow_up_result is None and a.completed_on < cutoff
                                         for a in visible)
    if can(person, Action.MANAGE_USERS):
        found["user_count"] = sum(u.active for u in db.session.scalars(select(User)))
        found["unit_count"] = sum(u.active for u in db.session.scalars(select(Unit)))
    return found


@pytest.mark.parametrize("username", ["erik", "ulla", "sara", "admin", "anna", "board"])
def test_the_start_pages_numbers_are_plain_counts_of_the_same_data(world, login_as, username):
    client = login_as(username)
    with clock.frozen(TODAY):
        tiles = _tiles(client.get("/").get_data(as_text=True))
        expected = _plain_counts(username)
    shown = {name: tiles[label] for name, label in TILES.items() if label in tiles}
    if username == "anna" and not expected["mine"] and not expected["follow_up"]:
        expected = {}  # staff see the action tiles only when something is theirs
    assert shown == {name: expected[name] for name in shown}
    assert set(shown) == set(expected) - {"units", "my_overdue"}
    assert all(value > 0 for name, value in shown.items() if name != "follow_up" or username != "anna"), shown


def test_each_persons_numbers_after_another_persons(world, login_as):
    """The statement is kept per kind of person; the numbers are each person's own."""
    with clock.frozen(TODAY):
        first = {name: _tiles(login_as(name).get("/").get_data(as_text=True)) for name in ("erik", "ulla", "sara")}
        again = {name: _tiles(login_as(name).get("/").get_data(as_text=True)) for name in ("sara", "ulla", "erik")}
    assert first == again
    assert first["erik"] != first["ulla"]


def test_the_start_pages_numbers_are_one_statement_built_once(world, login_as, monkeypatch):
    start._KEPT.clear()
    built = []
    original = action_queries.count_columns
    monkeypatch.setattr(action_queries, "count_columns", lambda *a: built.append(1) or original(*a))
    erik = login_as("erik")
    with clock.frozen(TODAY):
        erik.get("/")
        with counted(fresh_session=True) as seen:
            assert erik.get("/").status_code == 200
    assert len(built) == 1
    counts = [s for s in seen if "count(" in s]
    assert len(counts) == 1, "\n".join(seen)


# The person (with their units), the units (the queue's scope), the numbers, the open supervision
# cases (none here) and the person's five open actions.
@pytest.mark.parametrize(("username", "most"), [("erik", 5), ("sara", 5), ("admin", 4), ("anna", 3), ("board", 1)])
def test_statements_per_start_page(world, login_as, username, most):
    client = login_as(username)
    with clock.frozen(TODAY):
        client.get("/")
        with counted(fresh_session=True) as seen:
            assert client.get("/").status_code == 200
    assert len(seen) <= most, "\n".join(seen)


@pytest.mark.parametrize("username", ["erik", "ulla", "sara", "admin", "anna"])
def test_the_counts_read_an_index_only(world, login_as, username):
    """SQLite's plan of the start page's numbers: every count of cases and of actions is a search
    in a covering index (the open cases without a handler read 22,000 rows of a million-case table
    before, the actions waiting for follow-up every done action of every year); a case is looked
    up by its primary key only for an action that is not the person's own."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    executed = []

    def keep(_conn, _cursor, statement, parameters, *_):
        if "count(" in statement:
            executed.append((statement, parameters))

    client = login_as(username)
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        with clock.frozen(TODAY):
            client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    (statement, parameters), = executed
    plan = [row[-1] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    steps = [step for step in plan if re.search(r"\b(SCAN|SEARCH) (cases|actions)\b", step)]
    assert not any(step.startswith("SCAN") for step in steps), plan
    counted = [step for step in steps if "USING INTEGER PRIMARY KEY" not in step]  # an action's case
    # A case concerns erik (jäv): his own actions' cases are read to leave that one out.
    assert all("COVERING INDEX" in step for step in counted
               if not (username == "erik" and "ix_actions_responsible_status_due" in step)), plan
    assert sum("actions" in step for step in counted) == 3, plan  # mine, overdue, waiting for follow-up
    assert sum("cases" in step for step in counted) == (2 if username in ("erik", "ulla", "sara") else 0), plan
    assert any("ix_actions_follow_up" in step for step in counted), plan


def test_the_open_actions_as_plain_rows_are_escaped(world, login_as):
    """The start page's open actions are plain rows now, not entities: typed text still escaped."""
    kind = db.session.scalars(select(ActionType)).first()
    kind.name = '<script>alert("typ")</script>'
    db.session.commit()
    with clock.frozen(TODAY):
        page = login_as("erik").get("/").get_data(as_text=True)
    assert '<script>alert("typ")</script>' not in page
    assert "&lt;script&gt;alert(&#34;typ&#34;)&lt;/script&gt;" in page


def test_the_http_benchmark_measures_the_start_page():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "http_benchmark.py"
    spec = importlib.util.spec_from_file_location("http_benchmark_for_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pages = module.pages_for("AV-2026-0001")
    # Värna's pages (the floor's, benchmarks/floor_app.py, stand beside them).
    assert [p.name for p in pages if not p.floor] == ["healthz", "public_form", "queue", "case", "search", "filing",
                                                      "start"]
    assert (pages[-1].path, pages[-1].user) == ("/", "erik")
