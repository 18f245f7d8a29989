"""Deadlines per kind and step, working days, and the case's next deadline.

The admin sets how long each step may take (deadline_settings; DEFAULTS until then). A
step runs from the moment the case was received (or reopened) until the case leaves the
statuses the step covers. Working days skip Saturdays, Sundays, Swedish public holidays
and midsommarafton, julafton and nyårsafton (lag (1930:173) om beräkning av lagstadgad
tid counts those as holidays too); a deadline in calendar days that ends on such a day
moves to the next working day, as that law says.

`Case.next_deadline_at` holds the nearest running deadline (NO_DEADLINE when none runs).
It is kept current by a `before_flush` hook, so every service that changes a status (the
case work here, lex Sarah, intake, hand-overs) keeps it right without having to remember
to; `update_deadlines` recomputes the open cases when the admin changes a setting. The
queue's overdue filter and deadline sort are then plain index ranges on that column.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import bindparam, event, func, inspect, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import audit, commands, workflow
from app.auth.permissions import Action, ensure
from app.cases import journal
from app.cases.models import (
    DEADLINE_UNITS,
    NO_DEADLINE,
    Case,
    ComplaintDetails,
    DeadlineSetting,
    JournalEvent,
)
from app.clock import local_moment, moment_on, to_local, utcnow
from app.commands import CaseWorkError, Refused
from app.extensions import db
from app.facts import STEP_FACTS, acknowledgement_needed
from app.process_cache import ProcessCache
from app.workflow import Kind, Status

# --- the steps and their defaults (issue 4) -----------------------------------------------

# The steps of each kind and the statuses they run in are the state machine's
# (app.workflow.DEADLINE_STEPS); their lengths are set here.
STEPS: dict[str, tuple[str, ...]] = {kind.value: workflow.deadline_steps(kind) for kind in workflow.DEADLINE_STEPS}


@dataclass(frozen=True)
class Rule:
    amount: int
    unit: str  # DEADLINE_UNITS: "days" (calendar days) or "working_days"


DEFAULTS: dict[tuple[str, str], Rule] = {
    (Kind.LEX_SARAH, "triage"): Rule(1, "working_days"),
    (Kind.LEX_SARAH, "investigation"): Rule(14, "days"),
    (Kind.DEVIATION, "handling"): Rule(30, "days"),
    (Kind.COMPLAINT, "acknowledgement"): Rule(5, "working_days"),
    (Kind.COMPLAINT, "answer"): Rule(28, "days"),
}

# Steps whose length is the law's, not the admin's (not on the settings page): the immediate
# protection, "omedelbart", at the latest the day after the report came in, a weekend or holiday
# included (it does not wait for the next working day, as a deadline in days would).
FIXED: dict[tuple[str, str], Rule] = {
    (Kind.LEX_SARAH, "protection"): Rule(1, "days"),
}

STEP_LABELS = {
    (Kind.LEX_SARAH, "protection"): _l("Omedelbart skydd registrerat"),
    (Kind.LEX_SARAH, "triage"): _l("Beslut om utredning"),
    (Kind.LEX_SARAH, "investigation"): _l("Utredningen slutförd"),
    (Kind.DEVIATION, "handling"): _l("Avvikelsen utredd och avslutad"),
    (Kind.COMPLAINT, "acknowledgement"): _l("Mottagandet bekräftat till klaganden"),
    (Kind.COMPLAINT, "answer"): _l("Klaganden besvarad"),
}
UNIT_LABELS = {"days": _l("kalenderdagar"), "working_days": _l("arbetsdagar")}


def rule_text(rule: "Rule") -> str:
    """"1 arbetsdag", "14 kalenderdagar"."""
    if rule.unit == "working_days":
        return ngettext("%(num)d arbetsdag", "%(num)d arbetsdagar", rule.amount)
    return ngettext("%(num)d kalenderdag", "%(num)d kalenderdagar", rule.amount)



# --- working days -------------------------------------------------------------------------

@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    """Public holidays and the three de facto ones; Sundays are weekends anyway."""
    days = holidays.Sweden(years=year, include_sundays=False, categories=("public", "de_facto"))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`th working day after `day` (received on a Saturday, 1 working day is Monday)."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def due_on(start: date, rule: Rule, *, fixed: bool = False) -> date:
    """The last day of a step that starts on `start` (a Swedish calendar day); a FIXED step's
    calendar days are not moved to a working day."""
    if fixed:
        return start + timedelta(days=rule.amount)
    if rule.unit == "working_days":
        return add_working_days(start, rule.amount)
    return next_working_day(start + timedelta(days=rule.amount))


def end_of_day(day: date) -> datetime:
    """23:59:59 that day in Sweden, as naive UTC: the last moment the step is on time."""
    return local_moment(day, 23, 59, 59)


def due_day_of(moment: datetime) -> date:
    """The Swedish calendar day a stored deadline (end_of_day) belongs to."""
    return to_local(moment).date()


# --- settings -----------------------------------------------------------------------------

# Built once (with its cache key): read by every transaction that writes a case.
_SETTINGS = select(DeadlineSetting.__table__.c.kind, DeadlineSetting.__table__.c.step,
                   DeadlineSetting.__table__.c.amount, DeadlineSetting.__table__.c.unit)


def rules(session=None) -> dict[tuple[str, str], Rule]:
    """Every (kind, step) with its rule: the admin's setting, or the default."""
    session = session or db.session
    table = dict(DEFAULTS)
    # Plain rows (no ORM entities): read in every transaction that writes a case.
    for kind, step, amount, unit in session.execute(_SETTINGS):
        if (kind, step) in table:
            table[(kind, step)] = Rule(amount, unit)
    return {**table, **FIXED}


def fixed_due_on(kind: str, step: str, start: datetime) -> date:
    """The last day of a FIXED step that started at `start` (the desk and the digest show it)."""
    return due_on(to_local(start).date(), FIXED[(kind, step)], fixed=True)


# The rules as the case page shows them, kept in the process (app/process_cache.py): read on
# every case view before. Only for showing: what is stored (next_deadline_at) is computed
# from rules() read in the writing transaction.
_SHOWN_RULES = ProcessCache(("deadline_settings",), lambda: rules())


def shown_rules() -> dict[tuple[str, str], Rule]:
    return dict(_SHOWN_RULES.get())


# --- a case's deadlines -------------------------------------------------------------------

@dataclass
class StepDeadline:
    kind: str
    step: str
    rule: Rule
    due_on: date
    due_at: datetime
    state: str  # "running", "done" or "not_needed"

    @property
    def label(self) -> str:
        return str(STEP_LABELS[(self.kind, self.step)])

    def overdue(self, now: datetime) -> bool:
        return self.state == "running" and self.due_at < now


def _state(case: Case, step: str) -> str:
    if step == "acknowledgement":
        if not acknowledgement_needed(case):
            return "not_needed"
        if case.complaint.acknowledged_at is not None:
            return "done"
    ends_with = workflow.STEP_DONE_UNLESS.get((case.kind, step))
    if ends_with is not None and not STEP_FACTS[ends_with](case):
        return "done"
    return "running" if workflow.step_runs(case.kind, step, case.status) else "done"


def step_deadlines(case: Case, table: dict[tuple[str, str], Rule] | None = None,
                   start: datetime | None = None) -> list[StepDeadline]:
    """Every step of the case's kind, with its last day and whether it runs, is done or is not needed."""
    table = table or rules()
    start = start or deadline_start(case)
    first_day = to_local(start).date()
    result = []
    for step in STEPS.get(case.kind, ()):
        rule = table[(case.kind, step)]
        day = due_on(first_day, rule, fixed=(case.kind, step) in FIXED)
        result.append(StepDeadline(case.kind, step, rule, day, end_of_day(day), _state(case, step)))
    return result


# Kinds whose deadlines are dates someone else sets (a supervising authority's letter), not
# steps of a fixed length: each gives its own next_deadline(case), registered by create_app().
_DATED_KINDS: dict[str, Callable[[Case], datetime]] = {}


def register_dated_kind(kind: str, next_deadline: Callable[[Case], datetime]) -> None:
    _DATED_KINDS[kind] = next_deadline


def next_deadline_for(case: Case, table: dict[tuple[str, str], Rule], start: datetime) -> datetime:
    if case.kind in _DATED_KINDS:
        return _DATED_KINDS[case.kind](case)
    running = [d.due_at for d in step_deadlines(case, table, start) if d.state == "running"]
    return min(running, default=NO_DEADLINE)


def first_deadline(case: Case) -> datetime:
    """The next deadline of a case being filed (not yet written): from its receipt, with the
    rules read in the writing transaction."""
    with db.session.no_autoflush:
        return next_deadline_for(case, rules(), case.received_at)


def deadline_start(case: Case, session=None, *, journal=None) -> datetime:
    """When the steps started: at receipt, or when the case was last reopened. `journal`: the case's
    events as read for a page (nothing pending), instead of asking the database."""
    session = session or db.session
    received = case.received_at or utcnow()
    if case.id is None:
        return received
    status = inspect(case).attrs.status.history
    if status.deleted and status.deleted[0] == Status.CLOSED and case.status != Status.CLOSED:
        return utcnow()  # being reopened in this very flush
    if journal is not None:
        reopened = max((event.at for event in journal if event.event == "reopened"), default=None)
    else:
        with session.no_autoflush:
            reopened = session.scalar(select(func.max(JournalEvent.at)).where(
                JournalEvent.case_id == case.id, JournalEvent.event == "reopened"))
    return max(received, reopened) if reopened else received


def _needs_recompute(session, obj) -> Case | None:
    if isinstance(obj, Case):
        if obj in session.new:
            return obj
        state = inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in ("status", "kind", "received_at")):
            return obj
    if isinstance(obj, _STEP_SOURCES) and obj in session.new and obj.case is not None:
        return obj.case  # e.g. the immediate protection recorded: its step is done
    if isinstance(obj, ComplaintDetails) and obj.case is not None:
        state = inspect(obj)
        if obj in session.new or any(state.attrs[name].history.has_changes()
                                     for name in ("acknowledged_at", "channel", "anonymous")):
            return obj.case
    return None


# Rows (with a `case`) whose appearance ends a step (workflow.STEP_DONE_UNLESS), registered by
# create_app(): the lex Sarah immediate protection.
_STEP_SOURCES: tuple[type, ...] = ()


def register_step_source(model: type) -> None:
    global _STEP_SOURCES
    if model not in _STEP_SOURCES:
        _STEP_SOURCES = (*_STEP_SOURCES, model)


@event.listens_for(Session, "before_flush")
def _keep_next_deadline_current(session, _flush_context, _instances) -> None:
    candidates = [*session.new, *session.dirty]
    if not any(isinstance(obj, (Case, ComplaintDetails, *_STEP_SOURCES)) for obj in candidates):
        return
    with session.no_autoflush:
        cases = {id(c): c for obj in candidates if (c := _needs_recompute(session, obj)) is not None}
        if not cases:
            return
        table = rules(session)
        for case in cases.values():
            if case in session.deleted:
                continue
            value = next_deadline_for(case, table, deadline_start(case, session))
            if case.next_deadline_at == value:
                continue
            if case in session.new or session.is_modified(case, include_collections=False):
                case.next_deadline_at = value  # goes out with the case's own UPDATE
            else:
                # Only the complaint's details changed: write the derived column alone, so
                # that it does not count as a change of the case (no new version).
                cases_table = Case.__table__
                session.connection().execute(update(cases_table).where(cases_table.c.id == case.id)
                                             .values(next_deadline_at=value))
                set_committed_value(case, "next_deadline_at", value)


def recompute_open_cases() -> int:
    """After a change of settings: every open case's next deadline, in the current transaction.

    A plain UPDATE of the derived column, without bumping the case's version: changing a
    setting must not turn every colleague's open form into a conflict.
    """
    table = rules()
    cases = list(db.session.scalars(select(Case).where(Case.status != Status.CLOSED).options(
        selectinload(Case.complaint))))
    reopened = dict(db.session.execute(
        select(JournalEvent.case_id, func.max(JournalEvent.at)).where(
            JournalEvent.event == "reopened", JournalEvent.case_id.in_(
                select(Case.id).where(Case.status != Status.CLOSED))).group_by(JournalEvent.case_id)).all())
    changes = []
    for case in cases:
        start = max(case.received_at, reopened.get(case.id, case.received_at))
        value = next_deadline_for(case, table, start)
        if value != case.next_deadline_at:
            changes.append({"case_id": case.id, "value": value})
    if changes:
        cases_table = Case.__table__
        db.session.execute(update(cases_table).where(cases_table.c.id == bindparam("case_id"))
                           .values(next_deadline_at=bindparam("value")), changes)
        db.session.expire_all()
    return len(changes)


# --- acknowledging a complaint ------------------------------------------------------------

ACKNOWLEDGEMENT_CHANNELS = ("letter", "email", "phone", "visit")


def record_acknowledgement(actor, reference: str, *, acknowledged_on: date | None, channel: str,
                           expected_version: int) -> Case:
    """The complainant was told that the complaint arrived: when and how. Ends the
    acknowledgement deadline. The state machine's move ``acknowledge`` says when one is owed."""
    case = commands.begin(actor, reference, "acknowledge", expected_version)
    if acknowledged_on is None:
        raise CaseWorkError(_("Ange datumet som ÅÅÅÅ-MM-DD."), "acknowledged_on")
    if acknowledged_on > to_local(utcnow()).date():
        raise CaseWorkError(_("Datumet kan inte vara senare än i dag."), "acknowledged_on")
    if acknowledged_on < to_local(case.received_at).date():
        raise CaseWorkError(_("Datumet kan inte vara före den dag klagomålet kom in."), "acknowledged_on")
    if channel not in ACKNOWLEDGEMENT_CHANNELS:
        raise CaseWorkError(_("Välj hur bekräftelsen lämnades."), "channel")
    commands.target(case, "acknowledge")
    case.complaint.acknowledged_at = moment_on(acknowledged_on)
    journal.add_event(case, "acknowledged", actor, channel=channel, acknowledged_on=acknowledged_on.isoformat())
    commands.record("case.acknowledged", actor, case, channel=channel, acknowledged_on=acknowledged_on.isoformat())
    commands.commit(actor, case, "acknowledge")
    return case


# --- what the admin does ------------------------------------------------------------------

class DeadlineError(Refused):
    """`errors` maps a (kind, step) to a Swedish message."""

    def __init__(self, errors: dict[tuple[str, str], str]):
        super().__init__("; ".join(errors.values()))
        self._errors = errors

    @property
    def errors(self) -> dict:
        return self._errors


def view_deadlines(actor) -> dict[tuple[str, str], Rule]:
    ensure(actor, Action.MANAGE_SETTINGS)
    return {key: rule for key, rule in rules().items() if key in DEFAULTS}  # FIXED steps are not settings


def update_deadlines(actor, values: dict[tuple[str, str], tuple[int | None, str | None]]) -> int:
    """Save every step's rule, recompute the open cases' next deadlines; returns how many changed.

    `values` maps each (kind, step) to (amount, unit). Nothing is saved unless all are valid.
    """
    ensure(actor, Action.MANAGE_SETTINGS)
    errors: dict[tuple[str, str], str] = {}
    for key in DEFAULTS:
        amount, unit = values.get(key, (None, None))
        if amount is None:
            errors[key] = _("Ange ett antal dagar.")
        elif not 1 <= amount <= 365:
            errors[key] = _("Ange ett antal mellan 1 och 365.")
        elif unit not in DEADLINE_UNITS:
            errors[key] = _("Välj kalenderdagar eller arbetsdagar.")
    if errors:
        raise DeadlineError(errors)
    before = rules()
    rows = {(r.kind, r.step): r for r in db.session.scalars(select(DeadlineSetting))}
    changed = {}
    now = utcnow()
    for key in DEFAULTS:
        amount, unit = values[key]
        if before[key] == Rule(amount, unit) and key in rows:
            continue
        row = rows.get(key) or DeadlineSetting(kind=key[0], step=key[1])
        row.amount, row.unit, row.updated_at, row.updated_by_id = amount, unit, now, actor.id
        db.session.add(row)
        if before[key] != Rule(amount, unit):
            changed[f"{key[0]}.{key[1]}"] = {"from": [before[key].amount, before[key].unit],
                                             "to": [amount, unit]}
    db.session.flush()
    count = recompute_open_cases() if changed else 0
    audit.record("deadlines.updated", actor=actor, object_type="deadline_settings",
                 detail={"changed": changed, "cases_recomputed": count})
    db.session.commit()
    return count
