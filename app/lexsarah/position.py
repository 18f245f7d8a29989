"""The short investigation closed with the officer's ställningstagande.

Every lex Sarah report is investigated (IVO: "alla rapporter måste utredas"); when it is
quickly clear that there is no missförhållande, that it was investigated in another report,
that it is not the nämnd's own activity, or that it is a health-care matter for the MAS
(lex Maria), the officer closes the short investigation with a documented position. Only
the officer decides it (the unit's manager may be the one the report is about). It needs
entries in section 1 (what happened) and section 9 (the position) of the investigation
record, and the duties every closing needs (app/workflow.py: close_with_position).

It is stored as triage_decision 'not_investigate' with the reason in triage_reason, so the
statistics count it under "beslutades att inte inleda utredning" (docs/statistics.md).
"""

from datetime import date, datetime

from flask_babel import gettext as _

from app import commands, workflow
from app.auth.permissions import Action, ensure
from app.cases import journal
from app.cases.casework.services import linked_case
from app.cases.models import POSITION_REASONS, Case
from app.clock import to_local, today_local, utcnow
from app.commands import CaseWorkError
from app.extensions import db
from app.facts import OFFERED_FORM_FACTS, facts_for
from app.workflow import Status

MOVE = "close_with_position"


def missing(case: Case) -> tuple[str, ...]:
    """What the case still lacks before it can be closed with a position (the requirement names)."""
    return workflow.check(case.kind, case.status, MOVE, {**facts_for(case), **OFFERED_FORM_FACTS})[1]


def in_reach(case: Case) -> bool:
    """Whether the case is at a stage where a ställningstagande can close it (to show the way
    to the page, which lists what is still missing)."""
    return case.kind in workflow.MOVES[MOVE].kinds and case.status in workflow.MOVES[MOVE].sources_for(case.kind)


def open_position(actor, reference: str) -> Case:
    """The officer opens the page: a logged read; the page lists what is still missing."""
    case = commands.load_case(reference)
    ensure(actor, Action.JUDGE, case)
    if not in_reach(case):
        raise workflow.MoveRefused("wrong_status", MOVE, case.kind, case.status)
    commands.record("case.viewed", actor, case, page=MOVE)
    db.session.commit()
    return case


def _day(value: date | str | None) -> date | str | None:
    """A date, None when empty, or "" when it could not be read."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            return ""
    return value


def close_with_position(actor, reference: str, *, reason: str | None, text: str, linked_reference: str = "",
                        passed_to: str = "", passed_on: date | str | None = None,
                        expected_version: int) -> Case:
    """Close the short investigation with the officer's ställningstagande."""
    case = commands.begin(actor, reference, MOVE, expected_version)
    if reason not in POSITION_REASONS:
        raise CaseWorkError(_("Välj skälet till ställningstagandet."), "reason")
    text = commands.required(text, _("Skriv ställningstagandet och vad det grundar sig på."), "text", 5000)
    linked, passed_to_text, passed_on_day = None, None, None
    if reason == "already_investigated":
        linked = linked_case(actor, case, linked_reference)
    elif reason == "not_own_service":
        passed_to_text = commands.required(passed_to, _("Ange vem ärendet har lämnats över till."), "passed_to", 300)
    elif reason == "health_care":
        passed_on_day = _day(passed_on)
        if passed_on_day == "":
            raise CaseWorkError(_("Ange datumet som ÅÅÅÅ-MM-DD."), "passed_on")
        if passed_on_day is None:
            raise CaseWorkError(_("Ange när ärendet lämnades över till den medicinskt ansvariga sjuksköterskan "
                                  "(MAS)."), "passed_on")
        if passed_on_day > today_local():
            raise CaseWorkError(_("Datumet kan inte ligga i framtiden."), "passed_on")
        if passed_on_day < to_local(case.received_at).date():
            raise CaseWorkError(_("Datumet kan inte ligga före rapportens datum."), "passed_on")
    status = commands.target(case, MOVE, position_reason=True)
    now = utcnow()
    if case.triage_decision is None:  # closed straight from "received": the investigation began and ended now
        case.triaged_at = now
    case.triage_decision, case.triage_reason, case.triage_text = "not_investigate", reason, text
    case.triage_linked_case = linked
    case.position_passed_to, case.position_passed_on = passed_to_text, passed_on_day
    case.triaged_by = actor
    case.status = status
    if status == Status.CLOSED:
        case.closed_at, case.closed_by, case.closing_summary = now, actor, text
    journal.add_event(case, "position_recorded", actor, text=text, reason=reason,
                      linked_reference=linked.reference if linked else None,
                      passed_to=passed_to_text,
                      passed_on=passed_on_day.isoformat() if passed_on_day else None)
    commands.record("lexsarah.position_recorded", actor, case, reason=reason,
                    linked_case_id=linked.id if linked else None)
    commands.commit(actor, case, MOVE)
    return case
