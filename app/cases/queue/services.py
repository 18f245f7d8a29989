"""The case queue: which cases a person works on, filtered, counted and paged.

Paging is by keyset, a cursor on (sort value, id) rather than an OFFSET, so page
10,000 is one index range scan just like page 1. A filtered status (the default: the
open ones) is walked one range per status on (status, received_at | next_deadline_at,
id, ...) with scope and filters checked in the index; every status in received order is
walked per unit on (unit_id, received_at, id), or (kind, received_at, id) over the whole
table. `next_deadline_at` is a column app.cases.deadlines.services keeps current, so the overdue
filter and the deadline sort are index ranges too. benchmarks/queue_benchmark.py
measures it with a million cases.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import (
    String,
    and_,
    bindparam,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from app.auth.models import User
from app.auth.permissions import Action, can
from app.cases.models import NO_DEADLINE, Case, case_categories, concerned_anywhere, not_concerned
from app.cases.queue import search
from app.clock import local_moment, to_local, utcnow
from app.extensions import db
from app.kept_statements import KeptStatements
from app.org.models import Unit
from app.paging import decode_cursor, encode_cursor
from app.process_cache import ProcessCache
from app.workflow import Kind, Status

OPEN = "open"
ALL = "all"
SORTS = ("newest", "oldest", "deadline")
ASSIGNED = ("", "me", "none")
OPEN_STATUSES = tuple(s.value for s in Status if s is not Status.CLOSED)
ALL_STATUSES = tuple(s.value for s in Status)
REFERENCE = re.compile(r"^(AV|LS|KL)-\d{4}-\d{4,}$", re.IGNORECASE)


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    status: str = OPEN           # OPEN, ALL, or one Status value
    unit_id: int | None = None   # that unit and the units below it
    category_id: int | None = None
    assigned: str = ""           # "", "me" or "none"
    overdue: bool = False
    year: int | None = None      # the year received, Swedish time
    q: str = ""                  # free text on reference and summary
    sort: str = "newest"


@dataclass
class QueuePage:
    ids: list[int]                         # the page's cases, in order
    counts: dict[str, int]                 # open statuses only (see status_counts)
    cases: list["Card"] = field(default_factory=list)  # loaded by load_cases()
    next_cursor: str | None = None
    previous_cursor: str | None = None
    overdue_ids: frozenset[int] = field(default_factory=frozenset)
    deadlines: dict[int, datetime] = field(default_factory=dict)


# --- who sees what ------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Which cases a person's queue holds, as data: both the SQL condition (counts) and
    the per-unit walk of the page query are built from it."""

    unit_ids: tuple[int, ...] | None  # the person's units and everything below; None: every unit
    every_lex_sarah: bool = False     # besides: every lex Sarah report, wherever it is
    with_bypass: bool = False         # also the reports whose reporter bypassed the nearest manager
    # Jäv: the person's id when some case concerns them (ConcernedStaff), whose cases are then left
    # out; None for everyone else, so that their statements stay shared (see _cached).
    concerned_user_id: int | None = None


def _plain(statement, parameters=None):
    """Plain rows of a statement of columns, run on the session's connection (in its
    transaction). The session's own execute passes the rows through the ORM's loading
    machinery, made for entities: 0.3 ms for the fifty cards alone. Only for reads that need
    no flush first (the queue's, before its audit entry)."""
    return db.session.connection().execute(statement, parameters)


_ALL_UNITS = select(Unit.id, Unit.path, Unit.name, Unit.depth, Unit.parent_id)


def all_units() -> list:
    """Every unit as a plain row (id, path, name, depth, parent_id): the organisation is a few
    hundred units at most. The queue page reads it once and takes its scope, its unit filter
    and the filter's choices from it (three reads before)."""
    return _plain(_ALL_UNITS).all()


def scope_unit_ids(user, units: list | None = None) -> tuple[int, ...] | None:
    """The ids of the user's units and every unit below them; None when that is the whole tree.
    `units`: the rows of all_units(), when the caller has read them already."""
    paths = [unit.path for unit in user.units if unit.path]
    if not paths:
        return ()
    # One small read, matched here, costs less than building a condition per path and
    # counting the units in a second query.
    if units is None:
        units = db.session.execute(select(Unit.id, Unit.path)).all()
    prefixes = tuple(paths)
    ids = tuple(u.id for u in units if u.path.startswith(prefixes))
    if len(ids) == len(units):
        return None  # no unit condition at all lets the database walk one index in order
    return ids


def scope_for(user, units: list | None = None) -> Scope:
    """The SQL twin of app.auth.permissions for the queue; tests hold the two together.

    Investigators: exactly the cases can(VIEW_CASE) allows them, i.e. their units
    and below, except reports whose reporter asked to bypass the nearest manager.
    Officers: their units and below, plus every lex Sarah report (bypassing ones too).
    Admins (read-only): their units and below, without the bypassing reports, which
    are for the officers' eyes. The last two are subsets of what can(VIEW_CASE) allows.
    Nobody: the cases that concern them (jäv), as can(VIEW_CASE) says.
    """
    if not can(user, Action.VIEW_QUEUE):
        return Scope(unit_ids=())
    officer = user.role == "officer"
    concerned = user.id if concerned_anywhere(user) else None
    return Scope(unit_ids=scope_unit_ids(user, units), every_lex_sarah=officer, with_bypass=officer,
                 concerned_user_id=concerned)


def scope_condition(user, scope: Scope | None = None):
    scope = scope or scope_for(user)
    condition = true() if scope.unit_ids is None else Case.unit_id.in_(scope.unit_ids)
    if scope.every_lex_sarah:
        condition = or_(condition, Case.kind == Kind.LEX_SARAH)
    if not scope.with_bypass:
        condition = and_(condition, Case.bypass_manager.is_(False))
    if scope.concerned_user_id is not None:
        condition = and_(condition, not_concerned(scope.concerned_user_id))
    return condition


def in_queue(user, case: Case) -> bool:
    return db.session.scalar(select(func.count()).select_from(Case).where(
        Case.id == case.id, scope_condition(user))) == 1


# --- deadlines (app.cases.deadlines.services keeps Case.next_deadline_at current) ----------------------

def overdue_condition(now: datetime):
    """SQL: a running deadline has passed. NO_DEADLINE (nothing running) is never passed."""
    return Case.next_deadline_at < now


def next_deadline(case: Case) -> datetime | None:
    """When the case's next step is due, or None when nothing is running."""
    if case.next_deadline_at is None or case.next_deadline_at >= NO_DEADLINE:
        return None
    return case.next_deadline_at


def is_overdue(case: Case, now: datetime) -> bool:
    deadline = next_deadline(case)
    return deadline is not None and deadline < now


def _sort_key(sort: str):
    """(column, descending). Cases with no running deadline hold NO_DEADLINE, so they come
    last in the deadline sort without a NULL in the index."""
    if sort == "deadline":
        return Case.next_deadline_at, False
    if sort == "oldest":
        return Case.received_at, False
    return Case.received_at, True


# --- filters ------------------------------------------------------------------------------

_UNREAD = object()  # unit_filter_ids() or search_found() not called yet


def search_found(filters: QueueFilters):
    """The free text looked up in the search index (search.find), once per page; None when
    there is no free text to look up (none, a reference, or no word at all)."""
    text = filters.q.strip()
    if not text or REFERENCE.match(text):
        return None
    return search.find(text)


def _local_year_bounds(year: int) -> tuple[datetime, datetime]:
    """The UTC instants where the Swedish calendar year starts and ends: an index range."""
    return local_moment(date(year, 1, 1)), local_moment(date(year + 1, 1, 1))


def filter_conditions(user, filters: QueueFilters, now: datetime, *, with_status: bool = True,
                      walk: bool = False, count: bool = False, found=_UNREAD) -> list:
    """Every filter but the scope and the unit, which decide the index ranges (see _branches).

    `walk`: for the page's walk per status. The kind and the handler are then read from the
    walked index itself (app.cases.models: the status indexes carry them), and written so
    that the planner does not pick an index that finds them but then has to sort every
    match: `kind || ''` and `assigned_to_id + 0` are the same values, but no index column
    (SQLite and PostgreSQL alike). SQLite plans without statistics, so this is how it is told.
    `count`: the same for the deadline, so that counting stays within the person's units.
    `found`: search_found(filters), when the caller has looked the free text up already."""
    conditions = []
    kind = Case.kind.concat("") if walk else Case.kind
    handler = (Case.assigned_to_id + 0) if walk else Case.assigned_to_id
    if filters.kind:
        conditions.append(kind == filters.kind)
    if with_status:
        if filters.status == OPEN:
            conditions.append(Case.status.in_(OPEN_STATUSES))
        elif filters.status != ALL:
            conditions.append(Case.status == filters.status)
    if filters.category_id is not None:
        conditions.append(exists().where(case_categories.c.case_id == Case.id,
                                         case_categories.c.category_id == filters.category_id))
    if filters.assigned == "me":
        conditions.append(handler == user.id)
    elif filters.assigned == "none":
        conditions.append(handler.is_(None))
    if filters.overdue:
        conditions.append(func.coalesce(Case.next_deadline_at, NO_DEADLINE) < now if count
                          else overdue_condition(now))
    if filters.year:
        start, end = _local_year_bounds(filters.year)
        conditions.append(and_(Case.received_at >= start, Case.received_at < end))
    text = filters.q.strip()
    if text:
        if REFERENCE.match(text):
            conditions.append(Case.reference == text.upper())
        else:
            # From the search index (app.cases.queue.search): words of the summary, description and
            # client name, and fragments of the reference.
            if found is _UNREAD:
                found = search.find(text)
            if found is None:
                # No word at all ("%"): a substring of the reference or summary, read row by row.
                # SQLite folds only A–Z in LIKE; "Åsa" finds "Åsa" but not "åsa" there (PostgreSQL finds both).
                conditions.append(or_(Case.reference.icontains(text, autoescape=True),
                                      Case.summary.icontains(text, autoescape=True)))
            else:
                conditions.append(found.condition)
    return conditions


def unit_filter_ids(filters: QueueFilters, units: list | None = None) -> tuple[int, ...] | None:
    """The chosen unit and the units below it; None when no unit is chosen. `units`: the rows
    of all_units(), when the caller has read them already."""
    if filters.unit_id is None:
        return None
    if units is not None:
        chosen = next((u for u in units if u.id == filters.unit_id), None)
        return () if chosen is None else tuple(u.id for u in units if u.path.startswith(chosen.path))
    unit = db.session.get(Unit, filters.unit_id)
    if unit is None:
        return ()
    return tuple(db.session.scalars(select(Unit.id).where(Unit.path.startswith(unit.path))))


def _branches(scope: Scope, chosen: tuple[int, ...] | None, statuses: tuple[str, ...] | None = None) -> list:
    """One condition per index range the page walks. Per unit, (unit_id, received_at, id)
    hands out a unit's cases already in order, so a page reads at most a page per unit
    instead of sorting every case of every unit in the queue.

    With `statuses`, the walk is one range per status instead, on (status, sort value, id,
    ...) indexes that also hold the unit, kind, bypass flag and handler: the scope and the
    usual filters are checked in the index, and a page reads about a page divided by the
    person's share of that status. A walk per unit would pass every closed case of a unit
    with fewer open cases than a page; with a million cases that is most units."""
    units = scope.unit_ids
    if chosen is not None:
        units = chosen if units is None else tuple(u for u in units if u in set(chosen))
    branches = [true()] if units is None else [Case.unit_id == u for u in units]
    in_scope = [true()] if units is None else [Case.unit_id.in_(units)] if units else []
    if scope.every_lex_sarah and scope.unit_ids is not None:
        elsewhere = and_(Case.kind == Kind.LEX_SARAH, Case.unit_id.not_in(scope.unit_ids))
        if chosen is not None:
            elsewhere = and_(elsewhere, Case.unit_id.in_(chosen))
        branches.append(elsewhere)
        in_scope.append(elsewhere)
    if statuses is None or not in_scope:
        return branches if statuses is None else []
    return [and_(Case.status == status, or_(*in_scope)) for status in statuses]


def _statuses(filters: QueueFilters) -> tuple[str, ...] | None:
    """The statuses walked one index range each (see _branches); None: all in one range.

    The received-date sort over every status needs no split: every case matches, so
    the walk stops after a page. The deadline indexes begin with the status, so that
    sort is always split."""
    if filters.status == OPEN:
        return OPEN_STATUSES
    if filters.status == ALL:
        return ALL_STATUSES if filters.sort == "deadline" else None
    return (filters.status,)


# --- cursors ------------------------------------------------------------------------------

def _beyond(cursor: tuple[datetime, int], descending: bool, column=Case.received_at):
    """Rows after the cursor in the given direction, on the sort column. The plain range
    on the column (redundant with the OR) is what lets the database seek in the index."""
    moment, identifier = cursor
    if descending:
        return and_(column <= moment, or_(column < moment, Case.id < identifier))
    return and_(column >= moment, or_(column > moment, Case.id > identifier))


# --- the page -----------------------------------------------------------------------------


# Built statements, by everything they are built from (app/kept_statements.py). A queue
# statement is a union of a dozen selects with IN lists; a person's first page (no cursor) is
# asked again and again, so the same statement object is executed again. Pages past the first
# (a cursor) and the overdue filter (the moment) are built each time.
_STATEMENTS = KeptStatements()


def _cached(key, build):
    return build() if key is None else _STATEMENTS.get(key, build)


def _key(user, filters: QueueFilters, scope: Scope, chosen, *rest):
    """What a statement is built from besides the moment (the caller leaves out the overdue
    filter): the handler filter "me" reads the person's id, the search the database's dialect."""
    return (db.engine.dialect.name, filters, scope, chosen, user.id if filters.assigned == "me" else None, *rest)


def _kept(filters: QueueFilters) -> bool:
    """Whether the statement may be kept: not with the overdue filter (the moment) or a free
    text (the ids found in the index are part of the statement)."""
    return not filters.overdue and not filters.q.strip()


def status_counts(user, filters: QueueFilters, now: datetime, scope: Scope | None = None,
                  chosen=_UNREAD, found=_UNREAD) -> dict[str, int]:
    """Cases per open status under the current filters (but any status), in one statement.

    Closed cases are not counted: over the years they become nearly all of the
    table, and counting them would make every queue page cost a full scan. One count
    per status (UNION ALL) rather than a GROUP BY over all of them: with one status at a
    time the database counts within the person's units on (unit_id, status, ...), in the
    index alone, instead of every open case of the administration.

    With a free text, one GROUP BY over the matches instead: the few ids found are looked up
    once, not once per status, and a common text is checked once per open case.
    """
    scope = scope or scope_for(user)
    if chosen is _UNREAD:
        chosen = unit_filter_ids(filters)
    if found is _UNREAD:
        found = search_found(filters)

    def build():
        conditions = [scope_condition(user, scope),
                      *filter_conditions(user, filters, now, with_status=False, walk=True, count=True,
                                         found=found)]
        if chosen is not None:
            conditions.append(Case.unit_id.in_(chosen))
        if found is not None:
            return select(Case.status, func.count()).where(Case.status.in_(OPEN_STATUSES), *conditions) \
                .group_by(Case.status)
        parts = [select(literal(status, String).label("status"), func.count().label("n"))
                 .where(Case.status == status, *conditions) for status in OPEN_STATUSES]
        return union_all(*parts)

    key = ("counts", *_key(user, filters, scope, chosen)) if _kept(filters) else None
    return {status: n for status, n in _plain(_cached(key, build)).all() if n}  # all(): one fetch, not one a row


# More index ranges than this are walked as one (SQLite allows 500 terms in a compound SELECT).
MAX_BRANCHES = 400


def page_query(user, filters: QueueFilters, *, cursor: tuple[datetime, int] | None, descending: bool,
               limit: int, now: datetime, scope: Scope | None = None, chosen=_UNREAD, found=_UNREAD):
    """(id, sort value) of one page, in order: each branch's first `limit` rows past the
    cursor, merged and cut to `limit`. Costs the same on page 1 and page 10,000.

    A free text found in few cases (search.find: their ids) is one statement that looks
    them up by id and sorts them, whatever the scope; so is a common one on SQLite (its
    matches are read from the index once, not once per branch). On PostgreSQL a common
    text keeps the walk per branch, checking each walked case, which finds a page early."""
    scope = scope or scope_for(user)
    if found is _UNREAD:
        found = search_found(filters)
    from_ids = found is not None and (found.ids is not None or db.engine.dialect.name == "sqlite")
    statuses = _statuses(filters)
    # Only a walk over the whole table (no unit, no status split) may pick the kind's own
    # index; every other walk must keep to its unit or status range (see filter_conditions).
    per_range = statuses is not None or scope.unit_ids is not None or filters.unit_id is not None
    common = filter_conditions(user, filters, now, with_status=statuses is None, walk=per_range, found=found)
    if not scope.with_bypass:
        common.append(Case.bypass_manager.is_(False))
    if scope.concerned_user_id is not None:
        common.append(not_concerned(scope.concerned_user_id))
    column, _ = _sort_key(filters.sort)
    if cursor is not None:
        common.append(_beyond(cursor, descending, column))

    def ordered(statement, sort_column, id_column):
        if descending:
            return statement.order_by(sort_column.desc(), id_column.desc())
        return statement.order_by(sort_column.asc(), id_column.asc())

    branches = _branches(scope, unit_filter_ids(filters) if chosen is _UNREAD else chosen, statuses)
    if not branches:
        return select(Case.id, column).where(false())
    if len(branches) == 1 or len(branches) > MAX_BRANCHES or from_ids:
        return ordered(select(Case.id, column).where(or_(*branches), *common), column, Case.id).limit(limit)
    parts = []
    for branch in branches:
        first = ordered(select(Case.id.label("id"), column.label("sort_value")).where(branch, *common),
                        column, Case.id).limit(limit).subquery()
        parts.append(select(first.c.id, first.c.sort_value))
    merged = union_all(*parts).subquery()
    return ordered(select(merged.c.id, merged.c.sort_value), merged.c.sort_value, merged.c.id).limit(limit)


def queue_page(user, filters: QueueFilters, *, after: str | None = None, before: str | None = None,
               per_page: int = 50, now: datetime | None = None, scope: Scope | None = None,
               units: list | None = None) -> QueuePage:
    """Which cases make up one page of the queue, and the counts; load_cases() then loads
    them. `after` continues forward from a cursor, `before` goes back. `units`: the rows of
    all_units(), when the caller has read them."""
    now = now or utcnow()
    scope = scope or scope_for(user, units)
    chosen = unit_filter_ids(filters, units)
    found = search_found(filters)
    _, descending = _sort_key(filters.sort)
    after_at, before_at = decode_cursor(after), decode_cursor(before)
    backwards = before_at is not None and after_at is None
    # Going back is going forward in the opposite order, then turning the page around.
    direction = descending != backwards
    cursor = before_at if backwards else after_at

    def build():
        return page_query(user, filters, cursor=cursor, descending=direction, limit=per_page + 1, now=now,
                          scope=scope, chosen=chosen, found=found)

    if found is not None and found.ids == ():
        # The search index found nothing: no page and nothing to count. (Asked anyway, an empty
        # id list made SQLite count every open case of the person's units, 3.6 ms of a million.)
        return QueuePage(ids=[], counts={})
    key = None if cursor is not None or not _kept(filters) else \
        ("page", *_key(user, filters, scope, chosen, direction, per_page))
    rows = _plain(_cached(key, build)).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    page = QueuePage(ids=[row[0] for row in rows], counts=status_counts(user, filters, now, scope, chosen, found))
    if rows:
        has_next = more if not backwards else True
        has_previous = (after_at is not None) if not backwards else more
        page.next_cursor = encode_cursor(rows[-1][1], rows[-1][0]) if has_next else None
        page.previous_cursor = encode_cursor(rows[0][1], rows[0][0]) if has_previous else None
    return page


CARD_COLUMNS = (Case.reference, Case.kind, Case.status, Case.summary, Case.received_at, Case.unit_id,
                Case.assigned_to_id, Case.next_deadline_at)


@dataclass(slots=True)
class Named:
    name: str = ""
    full_name: str = ""


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each of its fields through object.__setattr__
class Card:
    """What a card in the queue shows of a case: plain values, not a Case (see load_cases)."""

    id: int
    reference: str
    kind: str
    status: str
    summary: str
    received_at: datetime
    unit_id: int
    assigned_to_id: int | None
    next_deadline_at: datetime | None
    unit: Named
    assigned_to: Named | None
    received_on: str = ""   # the local date, as the card shows it (formatted here, not by a filter per card)
    deadline_on: str = ""   # the next deadline's local date; "" when none is running


_CARDS = (select(Case.id, *CARD_COLUMNS, Unit.name, User.full_name)
          .join(Unit, Unit.id == Case.unit_id).outerjoin(User, User.id == Case.assigned_to_id))
_CARDS_BY_ID = _CARDS.where(Case.id.in_(bindparam("ids", expanding=True)))  # built once, not per page


def load_cases(page: QueuePage, now: datetime | None = None) -> QueuePage:
    """The page's cases with their units and handlers, in one query, and their deadlines."""
    now = now or utcnow()
    # Only what a card shows, as plain rows: a case has some fifty columns, and building fifty
    # ORM entities (identity map, attribute instrumentation) cost more than finding them.
    loaded = {}
    deadlines = {}
    days: dict = {}  # the local day of each UTC hour met (Swedish time moves by whole hours, on the hour)

    def local_day(moment: datetime | None) -> str:
        if moment is None:
            return ""
        hour = (moment.year, moment.month, moment.day, moment.hour)
        day = days.get(hour)
        if day is None:
            day = days[hour] = _local_day(moment)
        return day

    # all(): the rows in one fetch from the driver (iterating a result fetches them one by one).
    for row in _plain(_CARDS_BY_ID, {"ids": page.ids}).all() if page.ids else ():
        *values, unit_name, handler_name = row
        deadline = row.next_deadline_at
        if deadline is not None and deadline >= NO_DEADLINE:
            deadline = None
        if deadline is not None:
            deadlines[row.id] = deadline
        loaded[row.id] = Card(*values, Named(name=unit_name),
                              Named(full_name=handler_name) if values[7] is not None else None,
                              local_day(row.received_at), local_day(deadline))
    page.cases = [loaded[i] for i in page.ids]
    page.deadlines = {i: deadlines[i] for i in page.ids if i in deadlines}
    page.overdue_ids = frozenset(i for i, d in page.deadlines.items() if d < now)  # as is_overdue()
    return page


def _local_day(moment: datetime | None) -> str:
    return to_local(moment).date().isoformat() if moment is not None else ""


def start_count_columns(user, me, scope: Scope | None = None) -> list:
    """For the start page: open cases assigned to the person, and unassigned ones in their queue,
    as two scalar subqueries to be selected with the page's other counts. `me`: the person's id,
    or a bindparam for it in a kept statement. Each is a range of ix_cases_status_assigned_cover,
    whose trailing columns hold the scope: the count never reads a row."""
    open_case = Case.status.in_(OPEN_STATUSES)
    mine = select(func.count()).select_from(Case).where(Case.assigned_to_id == me, open_case)
    unassigned = select(func.count()).select_from(Case).where(
        scope_condition(user, scope), Case.assigned_to_id.is_(None), open_case)
    return [mine.scalar_subquery().label("assigned_to_me"), unassigned.scalar_subquery().label("unassigned")]


def start_counts(user) -> dict[str, int]:
    """For the start page: open cases assigned to the person, and unassigned ones in their queue."""
    mine, unassigned = db.session.execute(select(*start_count_columns(user, user.id))).one()
    return {"assigned_to_me": mine or 0, "unassigned": unassigned or 0}


def years_received() -> list[int]:
    """The years with cases, newest first, for the year filter. Kept in the process
    (app/process_cache.py): the choices of a filter that the query applies as given, which
    change once a year; forgotten when this process writes a case, after 30 s for the others."""
    return list(_YEARS.get())


def _read_years() -> tuple[int, ...]:
    # Two subqueries in one statement: SQLite answers a lone min() or max() from the index,
    # but not both in one select.
    first, last = db.session.execute(select(select(func.min(Case.received_at)).scalar_subquery(),
                                            select(func.max(Case.received_at)).scalar_subquery())).one()
    if first is None:
        return ()
    return tuple(range(to_local(last).year, to_local(first).year - 1, -1))


_YEARS = ProcessCache(("cases",), _read_years)
