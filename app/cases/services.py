"""What people do with a case once it is filed: look at the queue and the case, assign
it, declare jäv, triage, answer a complaint, give feedback, close and reopen.

One function per thing a person does. Each one asks the permission function, compares
the version the person's form was loaded with, asks the state machine for the move,
writes the journal and the audit log, and commits once. Nothing here reads `request`.
"""

from dataclasses import asdict, dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit, commands, mailer, workflow
from app.actions.services import OpenActionsNotConfirmed, ensure_open_actions_confirmed
from app.auth.models import User, user_units
from app.auth.permissions import Action, PermissionDenied, can, can_move, ensure
from app.cases import journal, queue
from app.cases.models import (
    CASE_KINDS,
    DECISION_REASONS,
    TRIAGE_DECISIONS,
    Case,
    Category,
    Disqualification,
    Feedback,
)
from app.clock import moment_on, to_local, today_local, utcnow
from app.commands import CaseConflict, CaseNotFound, CaseWorkError  # noqa: F401 - the routes catch them here
from app.extensions import db
from app.facts import OFFERED_FORM_FACTS, facts_for
from app.lexsarah.signals import reporter_given_feedback
from app.org.models import Unit
from app.public import notices as public_notices
from app.urls import external_url
from app.workflow import Kind, Status

ANSWER_CHANNELS = ("letter", "email", "phone", "visit", "web")


def not_investigate_reasons(kind: str) -> tuple[str, ...]:
    """The reasons a deviation or complaint is not investigated; a lex Sarah report always is
    (the officer's ställningstagande, app/lexsarah/position.py, has reasons of its own)."""
    return () if kind == Kind.LEX_SARAH else DECISION_REASONS


# --- shared steps ---------------------------------------------------------------------------

def _commit_keeping_loaded() -> None:
    """Commit a transaction that only added rows (an audit entry), without expiring what was
    read: the page shows the case as it was read, and reloading the case, its unit and jäv
    and the person and their units one by one after every view's commit was a fifth of the
    case page's statements."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def _case_link(case: Case) -> str:
    return external_url("cases.case", reference=case.reference)


# --- reading ------------------------------------------------------------------------------

@dataclass
class QueueView:
    page: queue.QueuePage
    units: list  # rows: id, name, depth, parent_id
    categories: list  # rows: id, name, kind
    years: list[int]


def view_queue(actor, filters: queue.QueueFilters, *, after: str | None = None,
               before: str | None = None) -> QueueView:
    ensure(actor, Action.VIEW_QUEUE)
    scope = queue.scope_for(actor)
    page = queue.queue_page(actor, filters, after=after, before=before,
                            per_page=int(current_app.config["PAGE_SIZE"]), scope=scope)
    # One entry per page shown: who saw which cases listed, and with what search. The
    # cases are loaded after the commit, which would otherwise expire them one by one.
    audit.record("case.listed", actor=actor, object_type="case", object_id="",
                 detail={"case_ids": page.ids, "filters": asdict(filters)})
    db.session.commit()
    queue.load_cases(page)
    # Plain rows for the filter's choices (id, name, depth, parent_id; id, name, kind), no entities.
    units_query = select(Unit.id, Unit.name, Unit.depth, Unit.parent_id)
    # An officer's queue holds lex Sarah reports from every unit, so every unit is a filter.
    if scope.unit_ids is not None and not scope.every_lex_sarah:
        units_query = units_query.where(Unit.id.in_(scope.unit_ids))
    units = db.session.execute(units_query).all()
    # Every kind's categories in one query, in the order categories_for() gives each kind.
    rows = db.session.execute(select(Category.id, Category.name, Category.kind)
                              .order_by(Category.position, Category.name)).all()
    categories = [c for kind in CASE_KINDS for c in rows if c.kind == kind]
    return QueueView(page=page, units=_tree_order(units), categories=categories, years=queue.years_received())


def _tree_order(units: list) -> list:
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    for unit in units:
        by_parent.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    ordered: list[Unit] = []

    def walk(parent_id):
        for unit in sorted(by_parent.get(parent_id, []), key=lambda u: u.name):
            ordered.append(unit)
            walk(unit.id)
    walk(None)
    return ordered


@dataclass
class CaseView:
    case: Case
    full: bool               # False: the reporter's limited view (status and feedback)
    moves: list[str]         # the workflow moves this person can make now
    can_take: bool           # "assign to me" applies


def view_case(actor, reference: str) -> CaseView:
    """The case page. Every view is written to the audit log, and so is every refusal."""
    case = commands.load_case(reference)
    if can(actor, Action.VIEW_CASE, case):
        full = True
    elif can(actor, Action.VIEW_CASE_AS_REPORTER, case):
        full = False
    else:
        commands.record("case.view_denied", actor, case)
        db.session.commit()
        raise PermissionDenied(Action.VIEW_CASE)
    commands.record("case.viewed", actor, case, view="full" if full else "reporter")
    _commit_keeping_loaded()
    moves = commands.moves_for(actor, case) if full else []
    can_take = ("assign" in moves and case.assigned_to_id != actor.id
                and can(actor, Action.BE_ASSIGNED, case))
    return CaseView(case=case, full=full, moves=moves, can_take=can_take)


@dataclass
class ActionView:
    case: Case
    assignees: list[User]
    reasons: tuple[str, ...]


def open_action(actor, reference: str, move: str) -> ActionView:
    """A form for one move: only for those who may make it, and only when it fits the case now."""
    case = commands.load_case(reference)
    if not can_move(actor, move, case):
        commands.record("case.view_denied", actor, case, page=move)
        db.session.commit()
        raise PermissionDenied(move)
    workflow.next_status(case.kind, case.status, move, {**facts_for(case), **OFFERED_FORM_FACTS})
    commands.record("case.viewed", actor, case, page=move)
    db.session.commit()
    return ActionView(case=case, assignees=assignable_people(case) if move == "assign" else [],
                      reasons=not_investigate_reasons(case.kind))


def assignable_people(case: Case) -> list[User]:
    """Everyone the permission function allows to be made the case's handler."""
    candidates = select(User).where(User.active, User.role.in_(("investigator", "officer"))).options(
        selectinload(User.units))
    if case.kind != Kind.LEX_SARAH:
        candidates = candidates.where(User.role == "investigator", User.id.in_(
            select(user_units.c.user_id).where(user_units.c.unit_id.in_(case.unit_path))))
    people = [u for u in db.session.scalars(candidates) if can(u, Action.BE_ASSIGNED, case)]
    return sorted(people, key=lambda u: u.full_name)


# --- assignment and jäv ---------------------------------------------------------------------

def assign_case(actor, reference: str, *, assignee_id: int | None, expected_version: int) -> Case:
    """Make someone the case's handler (None: nobody). The person must be allowed to handle it."""
    case = commands.begin(actor, reference, "assign", expected_version)
    assignee = None
    if assignee_id is not None:
        assignee = db.session.get(User, assignee_id)
        if assignee is None or not can(assignee, Action.BE_ASSIGNED, case):
            if assignee is not None and assignee.id == actor.id:
                raise CaseWorkError(_("Du kan inte vara handläggare för det här ärendet."), "assignee")
            raise CaseWorkError(_("Personen kan inte handlägga ärendet. Välj någon i listan."), "assignee")
        if case.assigned_to_id == assignee.id:
            raise CaseWorkError(_("%(name)s är redan handläggare.", name=assignee.full_name), "assignee")
    elif case.assigned_to_id is None:
        raise CaseWorkError(_("Ärendet har ingen handläggare att ta bort."), "assignee")
    previous = case.assigned_to
    case.assigned_to = assignee
    if assignee is None:
        journal.add_event(case, "unassigned", actor, previous_id=previous.id, previous_name=previous.full_name)
    else:
        journal.add_event(case, "assigned", actor, text=assignee.full_name, assignee_id=assignee.id,
                          assignee_name=assignee.full_name,
                          previous_id=previous.id if previous else None)
    commands.record("case.assigned", actor, case, assignee_id=assignee.id if assignee else None,
            previous_id=previous.id if previous else None)
    if assignee is not None and assignee.id != actor.id and assignee.email:
        with force_locale("sv"):
            mailer.queue_email(
                [assignee.email], _("Du är handläggare för %(ref)s", ref=case.reference),
                _("%(name)s har gjort dig till handläggare för %(ref)s.\n\nÖppna ärendet: %(link)s\n",
                  name=actor.full_name, ref=case.reference, link=_case_link(case)))
    commands.commit(actor, case, "assign")
    return case


def declare_disqualified(actor, reference: str, *, reason: str, expected_version: int) -> Case:
    """Jäv: the person steps away from the case, with a reason; they are unassigned and can
    never again be assigned to it."""
    case = commands.begin(actor, reference, "declare_disqualified", expected_version)
    reason = commands.required(reason, _("Skriv varför du inte kan handlägga ärendet."), "reason", 2000)
    was_assigned = case.assigned_to_id == actor.id
    case.disqualifications.append(Disqualification(user_id=actor.id, reason=reason, declared_at=utcnow()))
    if was_assigned:
        case.assigned_to = None
    journal.add_event(case, "disqualified", actor, text=reason, unassigned=was_assigned)
    commands.record("case.disqualification_declared", actor, case, unassigned=was_assigned)
    commands.commit(actor, case, "declare_disqualified")
    return case


# --- triage -------------------------------------------------------------------------------

def decide_triage(actor, reference: str, *, decision: str, reason: str | None = None, text: str = "",
                  linked_reference: str = "", expected_version: int) -> Case:
    """Investigate, or a documented decision not to, which closes the case."""
    if decision not in TRIAGE_DECISIONS:
        raise CaseWorkError(_("Välj om en utredning ska inledas."), "decision")
    investigate = decision == "investigate"
    move = "triage_investigate" if investigate else "triage_not_investigate"
    text = commands.clean(text)
    reason = reason or None
    case = commands.begin(actor, reference, move, expected_version)
    linked = None
    if not investigate:
        if not reason:
            raise CaseWorkError(_("Välj ett skäl till att ingen utredning inleds."), "reason")
        if reason not in not_investigate_reasons(case.kind):
            raise CaseWorkError(_("Välj ett av skälen i listan."), "reason")
        text = commands.required(text, _("Skriv en motivering till beslutet."), "text", 5000)
        if reason == "already_investigated":
            linked = _linked_case(actor, case, linked_reference)
    else:
        reason, text = None, ""
    status = commands.target(case, move, not_investigate_reason=bool(reason and text))
    now = utcnow()
    case.triage_decision, case.triage_reason, case.triage_text = decision, reason, text
    case.triage_linked_case = linked
    case.triaged_by, case.triaged_at = actor, now
    case.status = status
    if status == Status.CLOSED:
        case.closed_at, case.closed_by = now, actor
    journal.add_event(case, "triaged", actor, text=text, decision=decision, reason=reason,
                      linked_reference=linked.reference if linked else None)
    commands.record("case.triaged", actor, case, decision=decision, reason=reason,
            linked_case_id=linked.id if linked else None)
    commands.commit(actor, case, move)
    return case


def _linked_case(actor, case: Case, reference: str) -> Case:
    reference = commands.clean(reference).upper()
    if not reference:
        raise CaseWorkError(_("Ange diarienumret för ärendet där händelsen redan är utredd."), "linked_reference")
    other = db.session.scalar(select(Case).where(Case.reference == reference))
    # An unknown reference and one the person may not see get the same answer.
    if other is None or not can(actor, Action.VIEW_CASE, other):
        raise CaseWorkError(_("Det finns inget ärende %(ref)s som du har tillgång till.", ref=reference),
                            "linked_reference")
    if other.id == case.id:
        raise CaseWorkError(_("Ange ett annat ärende än det här."), "linked_reference")
    return other


# --- complaints ---------------------------------------------------------------------------

def record_answer(actor, reference: str, *, text: str, answered_on: date, channel: str,
                  expected_version: int) -> Case:
    """The answer to the complainant: its text, when it was given and how. The public
    follow-up page shows answer_text and answered_at."""
    case = commands.begin(actor, reference, "record_answer", expected_version)
    details = case.complaint
    if details is None:
        raise CaseWorkError(_("Klagomålet saknar uppgifter om klaganden."))
    text = commands.required(text, _("Skriv svaret."), "text", 10000)
    if channel not in ANSWER_CHANNELS:
        raise CaseWorkError(_("Välj hur svaret lämnades."), "channel")
    if answered_on is None:
        raise CaseWorkError(_("Ange datumet som ÅÅÅÅ-MM-DD."), "answered_on")
    if answered_on > today_local():
        raise CaseWorkError(_("Datumet kan inte vara senare än i dag."), "answered_on")
    if answered_on < to_local(case.received_at).date():
        raise CaseWorkError(_("Datumet kan inte vara före den dag klagomålet kom in."), "answered_on")
    status = commands.target(case, "record_answer")
    details.answer_text = text
    details.answer_channel = channel
    details.answered_by = actor
    details.answered_at = moment_on(answered_on)
    case.status = status
    journal.add_event(case, "answered", actor, text=text, channel=channel, answered_on=answered_on.isoformat())
    commands.record("case.answered", actor, case, channel=channel, answered_on=answered_on.isoformat())
    # A complainant who used the web form and gave an e-mail address is told that the answer
    # can be read on the follow-up page: a link only, never the answer (app/public/notices.py).
    public_notices.queue_answer_published(case)
    commands.commit(actor, case, "record_answer")
    return case


# --- feedback, closing, reopening -------------------------------------------------------------

def give_feedback(actor, reference: str, *, text: str, expected_version: int) -> Case:
    """A short message to the person who filed the report, shown under their "Mina rapporter"."""
    case = commands.begin(actor, reference, "give_feedback", expected_version)
    text = commands.required(text, _("Skriv återkopplingen."), "text", 2000)
    case.feedback.append(Feedback(at=utcnow(), author_id=actor.id, author_name=actor.full_name, text=text))
    journal.add_event(case, "feedback_given", actor, text=text)
    commands.record("case.feedback_given", actor, case)
    reporter_given_feedback.send(case, actor=actor, on=today_local())
    if case.reporter is not None and case.reporter.email:
        # Only that there is feedback, never the feedback itself: e-mail is not for case content.
        with force_locale("sv"):
            mailer.queue_email(
                [case.reporter.email], _("Återkoppling på %(ref)s", ref=case.reference),
                _("Du har fått återkoppling på din rapport %(ref)s.\n\nLäs den under Mina rapporter: %(link)s\n",
                  ref=case.reference, link=external_url("intake.my_reports")))
    commands.commit(actor, case, "give_feedback")
    return case


def close_case(actor, reference: str, *, summary: str, expected_version: int,
               confirm_open_actions: bool = False, open_actions_reason: str = "") -> Case:
    case = commands.begin(actor, reference, "close", expected_version)
    summary = commands.required(summary, _("Skriv en sammanfattning av hur ärendet avslutas."), "summary", 5000)
    status = commands.target(case, "close")
    # Actions still planned or in progress: closing needs an explicit confirmation and a
    # reason, which the actions feature journals (app.actions.services).
    try:
        ensure_open_actions_confirmed(case, actor, confirmed=confirm_open_actions, reason=open_actions_reason)
    except OpenActionsNotConfirmed as unconfirmed:
        raise CaseWorkError(unconfirmed.message, "open_actions_reason") from None
    case.status = status
    case.closed_at, case.closed_by, case.closing_summary = utcnow(), actor, summary
    journal.add_event(case, "closed", actor, text=summary)
    commands.record("case.closed", actor, case)
    commands.commit(actor, case, "close")
    return case


def reopen_case(actor, reference: str, *, reason: str, expected_version: int) -> Case:
    """Officers and admins open a closed case again; it goes back to investigation.

    A case closed by a decision not to investigate is, once reopened, being
    investigated: the decision is replaced (the journal keeps the old one), so the
    statistics do not count it as "not investigated".
    """
    case = commands.begin(actor, reference, "reopen", expected_version)
    reason = commands.required(reason, _("Skriv varför ärendet öppnas igen."), "reason", 2000)
    status = commands.target(case, "reopen", reopen_reason=bool(reason))
    previous = {"closed_at": case.closed_at.isoformat() if case.closed_at else None,
                "closing_summary": case.closing_summary, "triage_decision": case.triage_decision,
                "triage_reason": case.triage_reason, "triage_text": case.triage_text}
    now = utcnow()
    if case.triage_decision == "not_investigate":
        case.triage_decision, case.triage_reason, case.triage_text = "investigate", None, ""
        case.triage_linked_case = None
        case.triaged_by, case.triaged_at = actor, now
    case.status = status
    case.closed_at, case.closed_by, case.closing_summary = None, None, ""
    journal.add_event(case, "reopened", actor, text=reason, previous=previous)
    commands.record("case.reopened", actor, case)
    commands.commit(actor, case, "reopen")
    return case
