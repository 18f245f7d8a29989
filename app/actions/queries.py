"""The action lists: mine, my units', overdue and waiting for follow-up.

Filtering, sorting and counting happen in SQL; pages are keyset-paginated (the
cursor is the last row's sort key and id), so a page costs the same on the first
page and the thousandth.

Who sees which actions, as the permission function says (VIEW_ACTION): the
person responsible sees their own; everyone who may see the case (VIEW_CASE:
officers all, admins all but the reports whose reporter bypassed the manager,
investigators their units and below unless the reporter bypassed the manager)
sees its actions. `_visible` states that rule in
SQL for lists; tests check it against `can()`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Date, and_, bindparam, false, func, or_, select, true
from sqlalchemy.orm import joinedload

from app.actions.models import ActionType, CaseAction
from app.actions.workflow import OPEN_STATUSES, ActionStatus
from app.auth.permissions import ADMIN, INVESTIGATOR, OFFICER
from app.cases.models import Case, concerned_anywhere, not_concerned
from app.clock import today_local
from app.extensions import db
from app.kept_statements import KeptStatements
from app.org.models import Unit
from app.paging import decode_cursor, encode_cursor

SCOPES = ("mine", "units", "overdue", "follow_up")
SORTS = ("due", "due_desc", "newest", "oldest")
STATUS_FILTERS = ("open", "planned", "in_progress", "done", "cancelled", "all")
OPEN_VALUES = tuple(s.value for s in OPEN_STATUSES)


@dataclass
class Filters:
    status: str = "open"          # mine and units only: one of STATUS_FILTERS
    type_id: int | None = None
    unit_id: int | None = None    # the case's unit or any unit below it
    kind: str = ""
    only_mine: bool = False       # overdue and follow-up: only those I am responsible for
    q: str = ""                   # case reference or words in the description
    sort: str = "due"             # one of SORTS


@dataclass
class Page:
    items: list[CaseAction]
    total: int
    next_cursor: str | None
    previous_cursor: str | None
    page_size: int


def follow_up_days() -> int:
    return int(current_app.config.get("ACTION_FOLLOW_UP_DAYS", 30))


def follow_up_cutoff(today: date | None = None) -> date:
    """Actions completed before this day and not followed up are waiting for follow-up."""
    return (today or today_local()) - timedelta(days=follow_up_days())


def _unit_paths(user) -> list[str]:
    return [unit.path for unit in user.units]


def _under(paths: list[str], unit_ids: bool = False):
    """The case's unit is one of these units or below one of them (Case must be joined to Unit).
    `unit_ids`: as the case's unit id among the units found once (a subquery), for counts that
    would otherwise look up the unit of every action counted (Case joined, not Unit)."""
    if not paths:
        return false()
    under = or_(*[Unit.path.startswith(p) for p in paths])
    return Case.unit_id.in_(select(Unit.id).where(under)) if unit_ids else under


def _sees_case(user, unit_ids: bool = False):
    """SQL for can(user, VIEW_CASE, case)."""
    if user.role == OFFICER:
        return true()
    if user.role == ADMIN:
        return Case.bypass_manager.is_(False)
    if user.role == INVESTIGATOR:
        return and_(Case.bypass_manager.is_(False), _under(_unit_paths(user), unit_ids))
    return false()


def _case_is(condition):
    """The action's case meets the condition, asked of that one case (its primary key) for each
    action counted. Not a join: a count joining the cases let PostgreSQL read all million of them
    when it expected many actions (200 ms for a thousand actions waiting for follow-up). Not
    EXISTS either: PostgreSQL may turn that into a hashed subplan over every case in scope (600 ms).
    A scalar subquery of the case's own row is asked per action on both databases."""
    return select(condition).where(Case.id == CaseAction.case_id).scalar_subquery()


def _sees_case_of_action(user, counting: bool):
    """_sees_case for an action: `counting` (counts, without Case joined) asks it of the action's case."""
    if not counting or user.role not in (ADMIN, INVESTIGATOR):  # true() or false(): no case to ask
        return _sees_case(user)
    return _case_is(_sees_case(user, unit_ids=True))


def _visible(user, me, counting: bool = False):
    return or_(CaseAction.responsible_id == me, _sees_case_of_action(user, counting))


def overdue_condition(today: date):
    return and_(CaseAction.status.in_(OPEN_VALUES), CaseAction.due_on < today)


def follow_up_condition(today: date, cutoff=None):
    """`cutoff`: follow_up_cutoff(today), or a bindparam for it in a kept statement."""
    return and_(CaseAction.status == ActionStatus.DONE.value, CaseAction.follow_up_result.is_(None),
                CaseAction.completed_on < (follow_up_cutoff(today) if cutoff is None else cutoff))


def _scope_condition(user, scope: str, today, me=None, cutoff=None, counting: bool = False):
    """`me`, `today` and `cutoff`: the person's id, the day and the follow-up cutoff, or bindparams
    standing for them in a kept statement (counts). `counting`: for a count of actions alone
    (no Case or Unit joined); the case is then asked per action (_case_is)."""
    me = user.id if me is None else me
    condition = _scope_only(user, scope, today, me, cutoff, counting)
    if concerned_anywhere(user):
        # Jäv: nothing of a case that concerns the person, not even an action they are responsible for.
        condition = and_(condition, not_concerned(me, CaseAction.case_id))
    return condition


def _scope_only(user, scope: str, today, me, cutoff=None, counting: bool = False):
    if scope == "mine":
        return CaseAction.responsible_id == me
    if scope == "units":
        units = and_(_sees_case(user, counting), _under(_unit_paths(user), counting))
        return _case_is(units) if counting else units
    if scope == "overdue":
        return and_(_visible(user, me, counting), overdue_condition(today))
    if scope == "follow_up":
        return and_(_visible(user, me, counting), follow_up_condition(today, cutoff))
    raise ValueError(scope)


def _base(user, scope: str, filters: Filters, today: date):
    statement = (select(CaseAction).join(Case, CaseAction.case_id == Case.id).join(Unit, Case.unit_id == Unit.id)
                 .where(_scope_condition(user, scope, today)))
    if scope in ("mine", "units"):
        if filters.status == "open":
            statement = statement.where(CaseAction.status.in_(OPEN_VALUES))
        elif filters.status in ("planned", "in_progress", "done", "cancelled"):
            statement = statement.where(CaseAction.status == filters.status)
    elif filters.only_mine:
        statement = statement.where(CaseAction.responsible_id == user.id)
    if filters.type_id:
        statement = statement.where(CaseAction.type_id == filters.type_id)
    if filters.unit_id:
        unit = db.session.get(Unit, filters.unit_id)
        statement = statement.where(Unit.path.startswith(unit.path) if unit else false())
    if filters.kind:
        statement = statement.where(Case.kind == filters.kind)
    q = " ".join((filters.q or "").split())
    if q:
        statement = statement.where(or_(Case.reference.icontains(q, autoescape=True),
                                        CaseAction.description.icontains(q, autoescape=True)))
    return statement


def _sort_spec(sort: str) -> tuple[bool, bool]:
    """(by due date, descending); ties and the id sorts go by id, which follows creation."""
    return {"due": (True, False), "due_desc": (True, True), "newest": (False, True),
            "oldest": (False, False)}.get(sort, (True, False))


def _beyond(cursor: tuple[date, int], by_due: bool, descending: bool):
    """Rows after the cursor in the given direction. The plain range on due_on (redundant
    with the OR) lets the database seek in the index."""
    day, identifier = cursor
    if not by_due:
        return CaseAction.id < identifier if descending else CaseAction.id > identifier
    if descending:
        return and_(CaseAction.due_on <= day, or_(CaseAction.due_on < day, CaseAction.id < identifier))
    return and_(CaseAction.due_on >= day, or_(CaseAction.due_on > day, CaseAction.id > identifier))


def list_actions(user, scope: str, filters: Filters, *, after: str | None = None, before: str | None = None,
                 page_size: int | None = None, today: date | None = None) -> Page:
    """One page of a list. `after` continues forward from a cursor, `before` goes back."""
    today = today or today_local()
    page_size = page_size or int(current_app.config.get("PAGE_SIZE", 50))
    by_due, descending = _sort_spec(filters.sort)
    base = _base(user, scope, filters, today)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    after_at, before_at = decode_cursor(after, date.fromisoformat), decode_cursor(before, date.fromisoformat)
    backwards = before_at is not None and after_at is None
    # Going back is going forward in the opposite order, then turning the page around.
    direction = descending != backwards
    statement = base
    if backwards:
        statement = statement.where(_beyond(before_at, by_due, direction))
    elif after_at is not None:
        statement = statement.where(_beyond(after_at, by_due, direction))
    columns = (CaseAction.due_on, CaseAction.id) if by_due else (CaseAction.id,)
    statement = statement.order_by(*(c.desc() if direction else c.asc() for c in columns))
    statement = statement.options(joinedload(CaseAction.case), joinedload(CaseAction.type),
                                  joinedload(CaseAction.responsible))
    rows = list(db.session.scalars(statement.limit(page_size + 1)).unique())
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    page = Page(items=rows, total=total, next_cursor=None, previous_cursor=None, page_size=page_size)
    if rows:
        has_next = more if not backwards else True
        has_previous = (after_at is not None) if not backwards else more
        page.next_cursor = encode_cursor(rows[-1].due_on, rows[-1].id) if has_next else None
        page.previous_cursor = encode_cursor(rows[0].due_on, rows[0].id) if has_previous else None
    return page


# The parameters of the kept count statements (app.kept_statements): the rest is written out.
ME, TODAY, CUTOFF = bindparam("me"), bindparam("today", type_=Date), bindparam("cutoff", type_=Date)
COUNT_PARAMETERS = ("me", "today", "cutoff")
_KEPT = KeptStatements()


def counts_key(user) -> tuple:
    """What count_columns(user) is built from besides the parameters: the role (which cases the
    person sees), their units' paths and whether some case concerns them (jäv)."""
    return (user.role, tuple(_unit_paths(user)), concerned_anywhere(user))


COUNTS = ("mine", "units", "overdue", "follow_up", "my_overdue")
START_PAGE_COUNTS = ("mine", "overdue", "follow_up")  # the start page's tiles (actions/_start_tiles.html)


def count_columns(user, names: tuple[str, ...] = COUNTS) -> list:
    """The numbers on the tabs and the start page, each a COUNT in SQL: one scalar subquery each
    (each answered from its own index), to be selected together in one statement. Parameters:
    ME, TODAY and CUTOFF (count_parameters). `names`: which of COUNTS."""

    def count(name: str, condition):
        # Actions alone, the case asked per action only where the person's own do not decide
        # (_case_is): an action always has a case, and a case a unit, so joining them counted
        # nothing but cost a lookup of each for every action counted.
        return select(func.count()).select_from(CaseAction).where(condition).scalar_subquery().label(name)

    def scope(name: str):
        return _scope_condition(user, name, TODAY, ME, CUTOFF, counting=True)

    conditions = {
        "mine": lambda: and_(scope("mine"), CaseAction.status.in_(OPEN_VALUES)),
        "units": lambda: and_(scope("units"), CaseAction.status.in_(OPEN_VALUES)),
        "overdue": lambda: scope("overdue"),
        "follow_up": lambda: scope("follow_up"),
        "my_overdue": lambda: and_(scope("mine"), overdue_condition(TODAY)),
    }
    return [count(name, conditions[name]()) for name in names]


def count_parameters(user, today: date) -> dict:
    return {"me": user.id, "today": today, "cutoff": follow_up_cutoff(today)}


def counts(user, today: date | None = None) -> dict[str, int]:
    """The numbers on the tabs and the start page, each one COUNT in SQL, all in one statement
    built once per kind of person (counts_key)."""
    today = today or today_local()
    statement = _KEPT.get((db.engine.dialect.name, *counts_key(user)), lambda: select(*count_columns(user)),
                          COUNT_PARAMETERS)
    db.session.flush()  # nothing to write on the pages that count (a clean session returns at once)
    # Plain rows on the session's connection: no ORM loading for five numbers.
    row = db.session.connection().execute(statement, count_parameters(user, today)).one()
    return {name: value or 0 for name, value in row._mapping.items()}


START_PAGE_ACTIONS = 5


class OpenAction(NamedTuple):
    """One of the start page's open actions: what the page shows of it, as a plain row."""
    id: int
    due_on: date
    type_name: str
    reference: str


def my_open_actions(user, limit: int = START_PAGE_ACTIONS) -> list[OpenAction]:
    """The person's open actions (they are responsible), soonest due first, for the start page:
    plain rows of what the page shows (no actions, cases and types loaded as entities), from a
    statement kept per limit and jäv (the person's id a parameter)."""
    concerned = concerned_anywhere(user)

    def build():
        # The few first ids from (responsible_id, status, due_on) alone, then their rows: joined
        # before the limit, every open action of the person was joined to its case and type
        # and then sorted (two statuses are two ranges, so the index order does not hold).
        first = (select(CaseAction.id).where(CaseAction.responsible_id == ME, CaseAction.status.in_(OPEN_VALUES))
                 .order_by(CaseAction.due_on, CaseAction.id).limit(limit))
        if concerned:
            first = first.where(not_concerned(ME, CaseAction.case_id))
        first = first.subquery()
        return (select(CaseAction.id, CaseAction.due_on, ActionType.name, Case.reference)
                .join(first, first.c.id == CaseAction.id)
                .join(Case, CaseAction.case_id == Case.id).join(ActionType, CaseAction.type_id == ActionType.id)
                .order_by(CaseAction.due_on, CaseAction.id))

    statement = _KEPT.get((db.engine.dialect.name, "my_open_actions", limit, concerned), build, ("me",))
    db.session.flush()  # nothing to write on the start page (a clean session returns at once)
    return [OpenAction(*row) for row in db.session.connection().execute(statement, {"me": user.id})]
