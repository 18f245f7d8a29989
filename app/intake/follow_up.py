""""Mina rapporter", followed through: what the reporter reads on their own report and the one
thing they may do there, add information afterwards.

The reporter reads what they wrote and attached, the feedback, what they added, and, after a
hand-over, which case their report goes on as (not "Avslutad": the report lives on under another
reference). Adding information is the workflow move `add_reporter_information` (app.workflow:
open cases only; app.auth.permissions: the reporter only); it is a journal entry, audited, and
the handler (or, without one, those told of new cases) gets an e-mail with the reference and a
link, never the text.
"""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import commands, mailer, workflow
from app.auth.permissions import Action, PermissionDenied, can, can_move
from app.cases import journal
from app.cases.filing import case_handlers, case_link
from app.cases.models import Case, JournalEvent
from app.commands import CaseWorkError
from app.extensions import db
from app.facts import facts_for
from app.workflow import Kind

MOVE = "add_reporter_information"
TEXT_MAX = 5000
EVENT = "reporter_added_information"


@dataclass(frozen=True)
class HandedOver:
    """Where a report went on after a hand-over: the new case's reference and kind."""

    reference: str
    kind: str

    @property
    def sentence(self) -> str:
        if self.kind == Kind.LEX_SARAH:
            return _("Din rapport hanteras nu som lex Sarah-rapport %(ref)s.", ref=self.reference)
        return _("Din rapport hanteras nu som avvikelse %(ref)s.", ref=self.reference)


def handed_over_to(case_ids: list[int]) -> dict[int, HandedOver]:
    """Per original case id: the case it was handed over to (the first, should there be several)."""
    if not case_ids:
        return {}
    rows = db.session.execute(select(Case.origin_case_id, Case.reference, Case.kind)
                              .where(Case.origin_case_id.in_(case_ids)).order_by(Case.id))
    found: dict[int, HandedOver] = {}
    for origin_id, reference, kind in rows:
        found.setdefault(origin_id, HandedOver(reference=reference, kind=kind))
    return found


def may_add(actor, case: Case) -> bool:
    """The move fits the case now and this person may make it (the form is shown only then)."""
    allowed, _unmet = workflow.check(case.kind, case.status, MOVE, facts_for(case))
    return allowed and can_move(actor, MOVE, case)


@dataclass
class ReporterPage:
    case: Case
    handed_over: HandedOver | None
    additions: list[JournalEvent]
    can_add: bool


def reporter_page(actor, case: Case) -> ReporterPage:
    """What the reporter's page shows; the caller has checked VIEW_CASE_AS_REPORTER (and audited the view)."""
    if not can(actor, Action.VIEW_CASE_AS_REPORTER, case):
        raise PermissionDenied(Action.VIEW_CASE_AS_REPORTER)
    additions = list(db.session.scalars(select(JournalEvent).where(
        JournalEvent.case_id == case.id, JournalEvent.event == EVENT).order_by(JournalEvent.at, JournalEvent.id)))
    return ReporterPage(case=case, handed_over=handed_over_to([case.id]).get(case.id) if case.handover else None,
                        additions=additions, can_add=may_add(actor, case))


def add_information(actor, reference: str, *, text: str) -> Case:
    """The reporter adds information to their own open report: a journal entry, audited, the handler told."""
    case = commands.load_case(reference)
    if not can_move(actor, MOVE, case):
        raise PermissionDenied(MOVE)
    commands.target(case, MOVE)  # MoveRefused (409) on a closed case
    text = commands.clean(text)
    if not text:
        raise CaseWorkError(_("Skriv det du vill lägga till."), "text")
    if len(text) > TEXT_MAX:
        raise CaseWorkError(_("Skriv högst 5 000 tecken."), "text")
    journal.add_event(case, EVENT, actor, text=text)
    commands.record("case.reporter_added_information", actor, case)
    _tell_handler(case, actor)
    commands.commit(actor, case, MOVE)
    return case


def _tell_handler(case: Case, reporter) -> None:
    """The handler, or, while nobody handles it, those told of a new case. Reference and link only."""
    handler = case.assigned_to
    people = [handler] if handler is not None and handler.active else case_handlers(case)
    recipients = [p.email for p in people if p.email and p.id != reporter.id]
    if not recipients:
        return
    with force_locale("sv"):
        mailer.queue_email(recipients, _("Ny information i %(ref)s", ref=case.reference),
                           _("Den som rapporterade %(ref)s har lagt till information i ärendet.\n\n"
                             "Läs den i ärendets händelselogg: %(link)s\n", ref=case.reference, link=case_link(case)))
