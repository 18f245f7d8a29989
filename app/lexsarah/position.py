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

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import commands, mailer, workflow
from app.auth.models import User
from app.auth.permissions import Action, can, ensure
from app.cases import journal
from app.cases.casework.services import linked_case, open_actions_refusal
from app.cases.models import POSITION_REASONS, Case
from app.clock import to_local, today_local, utcnow
from app.commands import CaseWorkError
from app.extensions import db
from app.facts import OFFERED_FORM_FACTS, facts_for, open_action_ids
from app.lexsarah.common import read_day
from app.lexsarah.models import LexSarahPositionProposal
from app.urls import external_url
from app.workflow import Status

MOVE = "close_with_position"
PROPOSE = "propose_position"
DECLINE = "decline_position_proposal"


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


@dataclass(frozen=True)
class Details:
    """A ställningstagande's reason, text and the details its reason needs, checked."""

    reason: str
    text: str
    linked: Case | None = None
    passed_to: str | None = None
    passed_on: date | None = None


def _details(actor, case: Case, *, reason: str | None, text: str, linked_reference: str, passed_to: str,
             passed_on: date | str | None) -> Details:
    """Check what the officer (or the investigator proposing it) typed; CaseWorkError at the field."""
    if reason not in POSITION_REASONS:
        raise CaseWorkError(_("Välj skälet till ställningstagandet."), "reason")
    text = commands.required(text, _("Skriv ställningstagandet och vad det grundar sig på."), "text", 5000)
    linked, passed_to_text, passed_on_day = None, None, None
    if reason == "already_investigated":
        linked = linked_case(actor, case, linked_reference)
    elif reason == "not_own_service":
        passed_to_text = commands.required(passed_to, _("Ange vem ärendet har lämnats över till."), "passed_to", 300)
    elif reason == "health_care":
        passed_on_day = read_day("passed_on", passed_on)
        if passed_on_day is None:
            raise CaseWorkError(_("Ange när ärendet lämnades över till den medicinskt ansvariga sjuksköterskan "
                                  "(MAS)."), "passed_on")
        if passed_on_day > today_local():
            raise CaseWorkError(_("Datumet kan inte ligga i framtiden."), "passed_on")
        if passed_on_day < to_local(case.received_at).date():
            raise CaseWorkError(_("Datumet kan inte ligga före rapportens datum."), "passed_on")
    return Details(reason, text, linked, passed_to_text, passed_on_day)


def close_with_position(actor, reference: str, *, reason: str | None, text: str, linked_reference: str = "",
                        passed_to: str = "", passed_on: date | str | None = None,
                        confirm_open_actions: bool = False, open_actions_reason: str = "",
                        expected_version: int) -> Case:
    """Close the short investigation with the officer's ställningstagande (adopting an open proposal).

    Actions still planned or in progress are asked about as every closing does: the officer
    confirms with a reason (workflow.EITHER "open_actions_settled"), which the journal keeps."""
    case = commands.begin(actor, reference, MOVE, expected_version)
    details = _details(actor, case, reason=reason, text=text, linked_reference=linked_reference,
                       passed_to=passed_to, passed_on=passed_on)
    reason, text = details.reason, details.text
    linked, passed_to_text, passed_on_day = details.linked, details.passed_to, details.passed_on
    open_ids = open_action_ids(case)
    open_reason = (open_actions_reason or "").strip()
    if len(open_reason) > 2000:
        raise CaseWorkError(_("Texten får ha högst %(max)d tecken.", max=2000), "open_actions_reason")
    try:
        status = commands.target(case, MOVE, position_reason=True,
                                 open_actions_confirmed=bool(confirm_open_actions and open_reason))
    except workflow.MoveRefused as refusal:
        if refusal.unmet != ("open_actions_settled",):
            raise
        raise open_actions_refusal(len(open_ids)) from None
    now = utcnow()
    if case.triage_decision is None:  # closed straight from "received": the investigation began and ended now
        case.triaged_at = now
    case.triage_decision, case.triage_reason, case.triage_text = "not_investigate", reason, text
    case.triage_linked_case = linked
    case.position_passed_to, case.position_passed_on = passed_to_text, passed_on_day
    case.triaged_by = actor
    case.status = status
    proposal = open_proposal(case)
    if proposal is not None:  # the officer decided: the proposal is no longer waiting on the desk
        proposal.outcome, proposal.settled_at, proposal.settled_by_id = "adopted", now, actor.id
    if status == Status.CLOSED:
        case.closed_at, case.closed_by, case.closing_summary = now, actor, text
    if open_ids:
        journal.add_event(case, "closed_with_open_actions", actor, text=open_reason,
                          open_actions=len(open_ids), action_ids=open_ids)
        commands.record("case.closed_with_open_actions", actor, case, action_ids=open_ids)
    journal.add_event(case, "position_recorded", actor, text=text, reason=reason,
                      linked_reference=linked.reference if linked else None,
                      passed_to=passed_to_text,
                      passed_on=passed_on_day.isoformat() if passed_on_day else None)
    commands.record("lexsarah.position_recorded", actor, case, reason=reason,
                    linked_case_id=linked.id if linked else None)
    commands.commit(actor, case, MOVE)
    return case


# --- an investigator's proposal, and the officer declining it ---------------------------------

def open_proposal(case: Case) -> LexSarahPositionProposal | None:
    """The proposal waiting for the officer's decision, if any."""
    if case.id is None:
        return None
    return db.session.scalar(select(LexSarahPositionProposal).where(
        LexSarahPositionProposal.case_id == case.id, LexSarahPositionProposal.outcome.is_(None))
        .order_by(LexSarahPositionProposal.id.desc()).limit(1))


def open_proposal_page(actor, reference: str) -> Case:
    """An investigator opens the page to propose: a logged read, refused when it cannot be proposed now."""
    case = commands.load_case(reference)
    commands.begin(actor, reference, PROPOSE, case.version)
    commands.record("case.viewed", actor, case, page=PROPOSE)
    db.session.commit()
    return case


def _deciders(case: Case, actor) -> list[User]:
    """The officers who may decide the ställningstagande (not disqualified), the proposer left out."""
    officers = db.session.scalars(select(User).where(User.role == "officer", User.active).order_by(User.id))
    return [u for u in officers if u.id != actor.id and can(u, Action.JUDGE, case)]


def propose_position(actor, reference: str, *, reason: str | None, text: str, linked_reference: str = "",
                     passed_to: str = "", passed_on: date | str | None = None,
                     expected_version: int) -> LexSarahPositionProposal:
    """An investigator handling the report proposes closing it with a ställningstagande; the officers
    are told (reference and link only) and find the page prefilled. Only the officer decides."""
    case = commands.begin(actor, reference, PROPOSE, expected_version)
    details = _details(actor, case, reason=reason, text=text, linked_reference=linked_reference,
                       passed_to=passed_to, passed_on=passed_on)
    commands.target(case, PROPOSE)
    proposal = LexSarahPositionProposal(
        case_id=case.id, reason=details.reason, text=details.text,
        linked_reference=details.linked.reference if details.linked else "", passed_to=details.passed_to or "",
        passed_on=details.passed_on, proposed_by_id=actor.id, proposed_at=utcnow())
    db.session.add(proposal)
    journal.add_event(case, "position_proposed", actor, text=details.text, reason=details.reason,
                      linked_reference=details.linked.reference if details.linked else None,
                      passed_to=details.passed_to,
                      passed_on=details.passed_on.isoformat() if details.passed_on else None)
    commands.record("lexsarah.position_proposed", actor, case, reason=details.reason)
    with force_locale("sv"):
        mailer.queue_email([u.email for u in _deciders(case, actor) if u.email],
                           _("Förslag till ställningstagande: %(ref)s", ref=case.reference),
                           _("%(ref)s har fått ett förslag om att avsluta den korta utredningen med ett "
                             "ställningstagande. Du beslutar om det eller avböjer det här:\n%(link)s\n",
                             ref=case.reference, link=external_url("lexsarah.position", reference=case.reference)))
    commands.commit(actor, case, PROPOSE)
    return proposal


def decline_proposal(actor, reference: str, *, reason: str, expected_version: int) -> Case:
    """The officer declines the open proposal with a reason; the investigator who proposed it is told."""
    case = commands.begin(actor, reference, DECLINE, expected_version)
    reason = commands.required(reason, _("Skriv varför förslaget avböjs."), "decline_reason", 5000)
    commands.target(case, DECLINE)
    proposal = open_proposal(case)
    proposal.outcome, proposal.settled_at, proposal.settled_by_id = "declined", utcnow(), actor.id
    proposal.decline_reason = reason
    journal.add_event(case, "position_proposal_declined", actor, text=reason)
    commands.record("lexsarah.position_proposal_declined", actor, case, proposal_id=proposal.id)
    proposer = proposal.proposed_by
    if proposer is not None and proposer.active and proposer.email:
        with force_locale("sv"):
            mailer.queue_email([proposer.email], _("Förslaget till ställningstagande avböjdes: %(ref)s",
                                                   ref=case.reference),
                               _("Lex Sarah-ansvarig har avböjt förslaget om att avsluta %(ref)s med ett "
                                 "ställningstagande. Skälet står i ärendets händelselogg:\n%(link)s\n",
                                 ref=case.reference, link=external_url("cases.case", reference=case.reference)))
    commands.commit(actor, case, DECLINE)
    return case
