"""The GROUP BY aggregates behind the yearly statistics.

Each function is one query that returns a handful of aggregate rows (a count per kind,
per department, per category, ...), never cases: the database does the counting, on
SQLite and PostgreSQL alike. Conditional counts are portable `SUM(CASE WHEN ... THEN 1
ELSE 0 END)`, not `COUNT(*) FILTER (...)`, which SQLite before 3.30 and other databases lack.

What is counted (the counting rules of the quality report):
- A case counts in the year of the day it was received, in Swedish time. The year's
  bounds are turned into UTC before the query, so the condition is a plain range on the
  indexed `received_at`, the same on both databases.
- Every case counts under its own kind, in the year it was received. A case created by a
  hand-over (a lex Sarah report made from a deviation or a complaint, a deviation handed over
  from a lex Sarah report) is a case of its kind like any other: it was received when it was
  created, and its judgment, notification to IVO and actions count. `origin_case_id` only
  says how many of the received came that way (`from_handover`); the original keeps its
  kind and records where it went (`handover`).
- "By department" is the second level of the organisation tree above the case's unit; a
  case filed at the administration itself counts under the administration's name.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from app.actions.models import ActionType, CaseAction
from app.cases.models import CASE_KINDS, Case, Category, ComplaintDetails, case_categories
from app.clock import local_moment, to_local
from app.extensions import db
from app.lexsarah.models import IVO_OUTCOMES, LexSarahIvo, LexSarahJudgment
from app.org.models import Unit
from app.workflow import Kind

MEASURES = ("lex_sarah_to_judgment", "lex_sarah_to_ivo", "complaint_to_answer")


def year_start(year: int) -> datetime:
    """1 January 00:00 in Sweden as the naive UTC that the timestamp columns hold."""
    return local_moment(date(year, 1, 1))


# The kinds counted: the three kinds of report, and those other features register
# (app.stats.report.register_kind: the supervision cases).
COUNTED_KINDS: list[str] = list(CASE_KINDS)


@dataclass(frozen=True)
class Scope:
    """Which cases to count: those received in the years first..last (inclusive), optionally
    only those of one unit and everything under it (the unit's path, e.g. "/1/4/")."""

    first_year: int
    last_year: int
    department_path: str | None = None

    def cases(self):
        """The WHERE condition on `cases` for this scope."""
        # The kinds the quality report counts, stated: it lets both databases read the year of
        # each kind as a range of the covering index ix_cases_statistics (kind, received_at, ...)
        # without visiting the table.
        conditions = [Case.kind.in_(COUNTED_KINDS), Case.received_at >= year_start(self.first_year),
                      Case.received_at < year_start(self.last_year + 1)]
        if self.department_path:
            conditions.append(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(self.department_path))))
        return and_(*conditions)


def count_if(condition):
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END): a portable conditional count (NULL over no rows)."""
    return func.sum(case((condition, 1), else_=0))


class day_count(FunctionElement):  # used like a SQL function: day_count(end, start)
    """Whole calendar days from the date of `start` to the date of `end` (dates of the stored UTC values).

    Date arithmetic is the one thing SQLite and PostgreSQL spell differently, so this one
    expression is compiled per dialect; everything else is the same SQL on both.
    """

    type = Integer()
    inherit_cache = True
    name = "day_count"


@compiles(day_count, "sqlite")
def _day_count_sqlite(element, compiler, **kw):
    end, start = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)"


@compiles(day_count, "postgresql")
def _day_count_postgresql(element, compiler, **kw):
    end, start = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"


# --- the queries -------------------------------------------------------------------------------

def kind_counts(scope: Scope) -> list[tuple]:
    """(kind, client_gender, received, not_investigated, handed_over_to_deviation, escalated_to_lex_sarah,
    from_handover) per kind and client gender (NULL gender is its own row)."""
    query = (select(Case.kind, Case.client_gender, func.count(),
                    count_if(Case.triage_decision == "not_investigate"),
                    count_if(Case.handover == "to_deviation"),
                    count_if(Case.handover == "to_lex_sarah"),
                    count_if(Case.origin_case_id.is_not(None)))
             .where(scope.cases())
             .group_by(Case.kind, Case.client_gender))
    return [tuple(row) for row in db.session.execute(query)]


def lex_sarah_outcomes(scope: Scope) -> dict[str, int]:
    """Judged misconduct / risk / none, serious, and notified to IVO, of the lex Sarah reports in scope."""
    judgment, ivo = LexSarahJudgment, LexSarahIvo
    query = (select(count_if(judgment.outcome == "misconduct").label("misconduct"),
                    count_if(judgment.outcome == "risk").label("risk"),
                    count_if(judgment.outcome == "none").label("none"),
                    count_if(and_(judgment.outcome.in_(("misconduct", "risk")), judgment.serious.is_(True)))
                    .label("serious"),
                    count_if(ivo.decision == "notified").label("notified"),
                    *(count_if(ivo.ivo_outcome == outcome).label(f"ivo_{outcome}") for outcome in IVO_OUTCOMES))
             .select_from(Case)
             .outerjoin(judgment, judgment.case_id == Case.id)
             .outerjoin(ivo, ivo.case_id == Case.id)
             .where(scope.cases(), Case.kind == Kind.LEX_SARAH))
    row = db.session.execute(query).mappings().one()
    return {key: int(value or 0) for key, value in row.items()}


def complaint_channels(scope: Scope) -> list[tuple[str, str, int, int]]:
    """(channel, complaint type, complaints, of which answered) per channel and type of the complaints in scope."""
    details = ComplaintDetails
    query = (select(details.channel, details.complaint_type, func.count(), count_if(details.answered_at.is_not(None)))
             .select_from(Case).join(details, details.case_id == Case.id)
             .where(scope.cases(), Case.kind == Kind.COMPLAINT)
             .group_by(details.channel, details.complaint_type))
    return [(channel, kind, int(n), int(answered or 0)) for channel, kind, n, answered in db.session.execute(query)]


def department_counts(scope: Scope) -> list[tuple[str, str, int]]:
    """(department name, kind, cases). Counted per unit first (one pass over the cases), then
    the few unit rows are summed per department through the tree's paths."""
    per_unit = (select(Case.unit_id, Case.kind, func.count().label("n"))
                .where(scope.cases()).group_by(Case.kind, Case.unit_id).subquery())
    unit, department = aliased(Unit), aliased(Unit)
    above = or_(and_(department.depth == 1, unit.path.startswith(department.path)),
                and_(unit.depth == 0, department.id == unit.id))
    query = (select(department.name, per_unit.c.kind, func.sum(per_unit.c.n))
             .select_from(per_unit)
             .join(unit, unit.id == per_unit.c.unit_id)
             .join(department, above)
             .group_by(department.name, per_unit.c.kind))
    return [(name, kind, int(n)) for name, kind, n in db.session.execute(query)]


def category_counts(scope: Scope) -> list[tuple[str, str, int]]:
    """(kind, category name, cases): a case with two categories counts under both."""
    query = (select(Case.kind, Category.name, func.count())
             .select_from(Case)
             .join(case_categories, case_categories.c.case_id == Case.id)
             .join(Category, Category.id == case_categories.c.category_id)
             .where(scope.cases())
             .group_by(Case.kind, Category.name))
    return [(kind, name, int(n)) for kind, name, n in db.session.execute(query)]


def action_counts(scope: Scope) -> list[tuple[str, int]]:
    """(action type, actions) of the cases received in scope; cancelled actions were never taken."""
    query = (select(ActionType.name, func.count())
             .select_from(CaseAction)
             .join(Case, Case.id == CaseAction.case_id)
             .join(ActionType, ActionType.id == CaseAction.type_id)
             .where(scope.cases(), CaseAction.status != "cancelled")
             .group_by(ActionType.name))
    return [(name, int(n)) for name, n in db.session.execute(query)]


def follow_up_counts(scope: Scope) -> list[tuple[str, int]]:
    """(follow-up result, actions) of the actions on the cases in scope that have been followed up."""
    query = (select(CaseAction.follow_up_result, func.count())
             .select_from(CaseAction)
             .join(Case, Case.id == CaseAction.case_id)
             .where(scope.cases(), CaseAction.follow_up_result.is_not(None))
             .group_by(CaseAction.follow_up_result))
    return [(result, int(n)) for result, n in db.session.execute(query)]


def not_investigated_reasons(scope: Scope) -> list[tuple[str, str | None, int]]:
    """(kind, reason, cases) of the decisions not to investigate in scope."""
    query = (select(Case.kind, Case.triage_reason, func.count())
             .where(scope.cases(), Case.triage_decision == "not_investigate")
             .group_by(Case.kind, Case.triage_reason))
    return [(kind, reason, int(n)) for kind, reason, n in db.session.execute(query)]


def first_years() -> dict[str, int]:
    """The year (Swedish time) of the earliest case of each kind, handled or imported: one index
    range per kind (ix_cases_statistics begins with kind, received_at)."""
    query = select(Case.kind, func.min(Case.received_at)).where(Case.kind.in_(COUNTED_KINDS)).group_by(Case.kind)
    return {kind: to_local(first).year for kind, first in db.session.execute(query) if first is not None}


def _days_query(measure: str, scope: Scope):
    """One column, `days`, per measured case."""
    if measure == "lex_sarah_to_judgment":
        # Imported history carries no date of the judgment, so it is not measured.
        return (select(day_count(LexSarahJudgment.decided_at, Case.received_at).label("days"))
                .select_from(Case).join(LexSarahJudgment, LexSarahJudgment.case_id == Case.id)
                .where(scope.cases(), Case.kind == Kind.LEX_SARAH, LexSarahJudgment.outcome.is_not(None),
                       Case.imported.is_(False)))
    if measure == "lex_sarah_to_ivo":
        return (select(day_count(LexSarahIvo.sent_on, Case.received_at).label("days"))
                .select_from(Case).join(LexSarahIvo, LexSarahIvo.case_id == Case.id)
                .where(scope.cases(), Case.kind == Kind.LEX_SARAH, LexSarahIvo.decision == "notified",
                       LexSarahIvo.sent_on.is_not(None)))
    if measure == "complaint_to_answer":
        return (select(day_count(ComplaintDetails.answered_at, Case.received_at).label("days"))
                .select_from(Case).join(ComplaintDetails, ComplaintDetails.case_id == Case.id)
                .where(scope.cases(), Case.kind == Kind.COMPLAINT, ComplaintDetails.answered_at.is_not(None)))
    raise ValueError(measure)


def median_days(measure: str, scope: Scope) -> float | None:
    """The median number of days of one measure, in one query, or None when nothing was measured.

    Portable SQL has no MEDIAN, but both databases have window functions: number the
    sorted values and average the middle one (odd count) or the middle two (even count),
    so the answer is a whole or a half day. Integer division picks the middle rows.
    """
    days = _days_query(measure, scope).subquery()
    ranked = select(days.c.days, func.row_number().over(order_by=days.c.days).label("position"),
                    func.count().over().label("total")).subquery()
    query = select(func.avg(ranked.c.days)).where(or_(ranked.c.position == (ranked.c.total + 1) // 2,
                                                      ranked.c.position == (ranked.c.total + 2) // 2))
    value = db.session.scalar(query)
    return None if value is None else float(value)


def _year_of_receipt(scope: Scope):
    """CASE WHEN received_at < <1 Jan of year+1> THEN year ... END over the scope's years."""
    years = range(scope.first_year, scope.last_year)
    if not years:
        return literal(scope.last_year, Integer())
    return case(*((Case.received_at < year_start(y + 1), y) for y in years), else_=scope.last_year)


def trend_counts(scope: Scope) -> list[tuple[int, str, int]]:
    """(year, kind, cases received) for each year of the scope."""
    rows = (select(_year_of_receipt(scope).label("year"), Case.kind).where(scope.cases()).subquery())
    query = select(rows.c.year, rows.c.kind, func.count()).group_by(rows.c.year, rows.c.kind)
    return [(int(year), kind, int(n)) for year, kind, n in db.session.execute(query)]


def trend_notified(scope: Scope) -> list[tuple[int, int]]:
    """(year, lex Sarah reports notified to IVO) for each year of the scope."""
    rows = (select(_year_of_receipt(scope).label("year"))
            .select_from(LexSarahIvo).join(Case, Case.id == LexSarahIvo.case_id)
            .where(LexSarahIvo.decision == "notified", Case.kind == Kind.LEX_SARAH, scope.cases())
            .subquery())
    query = select(rows.c.year, func.count()).group_by(rows.c.year)
    return [(int(year), int(n)) for year, n in db.session.execute(query)]


def years_with_cases() -> tuple[int, int] | None:
    """The first and last year (Swedish time) anything was received, for the year chooser."""
    first, last = db.session.execute(select(func.min(Case.received_at), func.max(Case.received_at))).one()
    if first is None:
        return None
    return to_local(first).year, to_local(last).year


def reasons_by_department(scope: Scope) -> list[tuple[str, str, str | None, int]]:
    """(department name, kind, reason, cases) of the decisions not to investigate: counted per unit first,
    then summed per department through the tree's paths, as department_counts."""
    per_unit = (select(Case.unit_id, Case.kind, Case.triage_reason, func.count().label("n"))
                .where(scope.cases(), Case.triage_decision == "not_investigate")
                .group_by(Case.kind, Case.unit_id, Case.triage_reason).subquery())
    unit, department = aliased(Unit), aliased(Unit)
    above = or_(and_(department.depth == 1, unit.path.startswith(department.path)),
                and_(unit.depth == 0, department.id == unit.id))
    query = (select(department.name, per_unit.c.kind, per_unit.c.triage_reason, func.sum(per_unit.c.n))
             .select_from(per_unit)
             .join(unit, unit.id == per_unit.c.unit_id)
             .join(department, above)
             .group_by(department.name, per_unit.c.kind, per_unit.c.triage_reason))
    return [(name, kind, reason, int(n)) for name, kind, reason, n in db.session.execute(query)]


def category_trend(scope: Scope) -> list[tuple[int, str, str, int]]:
    """(year, kind, category name, cases) for each year of the scope: which categories grow."""
    rows = (select(_year_of_receipt(scope).label("year"), Case.kind, Category.name.label("category"))
            .select_from(Case)
            .join(case_categories, case_categories.c.case_id == Case.id)
            .join(Category, Category.id == case_categories.c.category_id)
            .where(scope.cases()).subquery())
    query = select(rows.c.year, rows.c.kind, rows.c.category, func.count()).group_by(rows.c.year, rows.c.kind,
                                                                                      rows.c.category)
    return [(int(year), kind, name, int(n)) for year, kind, name, n in db.session.execute(query)]
