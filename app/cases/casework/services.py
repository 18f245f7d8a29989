"""What people do with a case once it is filed: look at the queue and the case, assign
it, declare jäv, triage, answer a complaint, give feedback, close and reopen.

One function per thing a person does. Each one asks the permission function, compares
the version the person's form was loaded with, asks the state machine for the move,
writes the journal and the audit log, and commits once. Nothing here reads `request`.
"""

from dataclasses import asdict, dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import audit, commands, mailer, workflow
from app.auth.models import User, user_units
from app.auth.permissions import Action, PermissionDenied, can, can_move, ensure
from app.cases import complainant_notices, journal, panels
from app.cases.models import (
    CASE_KINDS,
    DECISION_REASONS,
    TRIAGE_DECISIONS,
    Attachment,
    Case,
    Category,
    ConcernedStaff,
    Disqualification,
    Feedback,
    JournalEvent,
    case_categories,
)
from app.cases.queue import services as queue
from app.cases.signals import reporter_given_feedback
from app.clock import moment_on, to_local, today_local, utcnow
from app.commands import CaseConflict, CaseNotFound, CaseWorkError  # noqa: F401 - the routes catch them here
from app.extensions import db
from app.facts import OFFERED_FORM_FACTS, facts_for, open_action_ids, presentation_facts
from app.org.models import Unit
from app.process_cache import ProcessCache
from app.urls import external_url
from app.workflow import Kind, Status

ANSWER_CHANNELS = ("letter", "email", "phone", "visit", "web")


def not_investigate_reasons(kind: str) -> tuple[str, ...]:
    """The reasons a deviation or complaint is not investigated; a lex Sarah report always is
    (the officer's ställningstagande, app/lexsarah/position.py, has reasons of its own)."""
    return () if kind == Kind.LEX_SARAH else DECISION_REASONS


# --- shared steps ---------------------------------------------------------------------------

def _commit_keeping_loaded() -> None:
    """The view's audit entry, committed without expiring what was read: the page shows the
    case as it was read (see commands.commit_keeping_loaded)."""
    commands.commit_keeping_loaded()


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
    every_unit = queue.all_units()  # the scope, the unit filter and its choices, from one read
    scope = queue.scope_for(actor, every_unit)
    page = queue.queue_page(actor, filters, after=after, before=before,
                            per_page=int(current_app.config["PAGE_SIZE"]), scope=scope, units=every_unit)
    queue.load_cases(page)
    # One entry per page shown: who saw which cases listed, and with what search. The commit
    # keeps what was read (the person, their units): the page shows them as they were read.
    # It is the request's last statement: a read after it would leave a transaction open for the
    # pool to roll back, and psycopg forgets every prepared statement of the connection on a
    # rollback, so PostgreSQL planned the page's statements anew on every request.
    audit.record("case.listed", actor=actor, object_type="case", object_id="",
                 detail={"case_ids": page.ids, "filters": asdict(filters)})
    _commit_keeping_loaded()
    # The filter's choices (id, name, depth, parent_id). An officer's queue holds lex Sarah
    # reports from every unit, so every unit is a filter.
    units = every_unit
    if scope.unit_ids is not None and not scope.every_lex_sarah:
        in_scope = set(scope.unit_ids)
        units = [u for u in every_unit if u.id in in_scope]
    return QueueView(page=page, units=_tree_order(units), categories=_QUEUE_CATEGORIES.get(),
                     years=queue.years_received())


def _read_queue_categories() -> list:
    # Every kind's categories in one query, in the order categories_for() gives each kind.
    rows = db.session.execute(select(Category.id, Category.name, Category.kind)
                              .order_by(Category.position, Category.name)).all()
    return [c for kind in CASE_KINDS for c in rows if c.kind == kind]


# The category filter's choices, kept in the process (app/process_cache.py): a filter the
# query applies as given, so a category another server added a moment ago can wait.
_QUEUE_CATEGORIES = ProcessCache(("categories",), _read_queue_categories)


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
    proposed: str | None = None  # the move proposed first, and explained (workflow.PROPOSED_FIRST)


# The people the case page names, read with the case in its one statement (the handler, the
# reporter, who decided the triage). Not the categories: SQLite builds the join through
# case_categories for every case before it looks for this one (half a second at a million cases).
_PAGE_LOADS = (joinedload(Case.unit), joinedload(Case.assigned_to), joinedload(Case.reporter),
               joinedload(Case.triaged_by))

# The case's own rows the page shows, one statement each, built once and run before the audit entry
# of the read is committed (on PostgreSQL a read after the commit opens a transaction of its own). A
# lazy load or a selectin load built its statement and cache key again on every view: about half
# the cost of each read. The jäv with the people who declared it and whom the report concerns (the
# permission function reads them); joined into the case's statement they made nine tables, which
# cost PostgreSQL more to plan (1.5 ms) than they saved. Each statement orders its rows as the
# relationship does (app/cases/models.py).
_case_id = bindparam("case_id")
_PAGE_COLLECTIONS = (
    ("disqualifications", select(Disqualification).where(Disqualification.case_id == _case_id)
     .options(joinedload(Disqualification.user)).order_by(Disqualification.id)),
    ("concerned", select(ConcernedStaff).where(ConcernedStaff.case_id == _case_id)
     .options(joinedload(ConcernedStaff.user)).order_by(ConcernedStaff.id)),
)
# What only the whole page shows (not the reporter's): its attachments, feedback and journal, and
# what the panels read with the case (app.cases.panels.read_with_case: the actions).
_FULL_PAGE_COLLECTIONS = (
    ("attachments", select(Attachment).where(Attachment.case_id == _case_id).order_by(Attachment.id)),
    ("feedback", select(Feedback).where(Feedback.case_id == _case_id).order_by(Feedback.id)),
    ("journal", select(JournalEvent).where(JournalEvent.case_id == _case_id).order_by(JournalEvent.id)),
)
# A report's categories: its panel lists them (cases/_filed.html), and the page proposes lex Sarah
# first when one of a deviation's describes abuse (app.facts.possible_misconduct). The same
# statement as the relationship's lazy load (Category.position, then the database's order).
_CATEGORIES = (select(Category).where(case_categories.c.case_id == _case_id,
                                      Category.id == case_categories.c.category_id)
               .order_by(Category.position))


def _read_collections(case: Case, statements) -> None:
    """Each collection read by its statement and kept on the case as if it had been loaded with it."""
    for name, statement in statements:
        set_committed_value(case, name, list(db.session.scalars(statement, {"case_id": case.id})))


def view_case(actor, reference: str) -> CaseView:
    """The case page. Every view is written to the audit log, and so is every refusal."""
    case = commands.load_case(reference, _PAGE_LOADS)
    _read_collections(case, _PAGE_COLLECTIONS)
    if can(actor, Action.VIEW_CASE, case):
        full = True
    elif can(actor, Action.VIEW_CASE_AS_REPORTER, case):
        full = False
    else:
        commands.record("case.view_denied", actor, case)
        db.session.commit()
        raise PermissionDenied(Action.VIEW_CASE)
    if full:
        # What the page shows of the case is read now, in the transaction of the read and before its
        # audit entry is committed, not lazily while the page is built. The reporter's page shows none of it.
        _read_collections(case, _FULL_PAGE_COLLECTIONS + panels.reads_with_case())
        if case.kind != Kind.SUPERVISION:  # IVO's case about the nämnd has no categories
            _read_collections(case, (("categories", _CATEGORIES),))
    commands.record("case.viewed", actor, case, view="full" if full else "reporter")
    _commit_keeping_loaded()
    moves = commands.moves_for(actor, case) if full else []
    can_take = ("assign" in moves and case.assigned_to_id != actor.id
                and can(actor, Action.BE_ASSIGNED, case))
    proposed = workflow.proposed_first(moves, presentation_facts(case)) if moves else None
    return CaseView(case=case, full=full, moves=moves, can_take=can_take, proposed=proposed)


@dataclass
class ActionView:
    case: Case
    assignees: list[User]
    reasons: tuple[str, ...]
    proposed: str | None = None  # the move proposed before this one (workflow.PROPOSED_FIRST)


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
    # Deciding about the investigation of a deviation that may be a missförhållande: lex Sarah first.
    proposed = workflow.proposed_first(commands.moves_for(actor, case), presentation_facts(case)) \
        if move.startswith("triage") and presentation_facts(case)["possible_misconduct"] else None
    return ActionView(case=case, assignees=assignable_people(case) if move == "assign" else [],
                      reasons=not_investigate_reasons(case.kind), proposed=proposed)


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


CONCERNED_MAX = 20


def set_concerned_staff(actor, reference: str, *, user_ids: list, expected_version: int) -> Case:
    """Jäv: the staff the report concerns, named or removed by its handler or the officer. They never
    see or handle the case (app.auth.permissions); one added while handling it is unassigned. The
    journal names who was added and removed for those who handle it (the concerned cannot read it)."""
    case = commands.begin(actor, reference, "set_concerned_staff", expected_version)
    wanted = set()
    for raw in user_ids or []:
        if raw in (None, "", "None"):
            continue
        if not isinstance(raw, int):
            raise CaseWorkError(_("Välj personer ur listan."), "concerned_user_ids")
        wanted.add(raw)
    people = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_(wanted), User.active, User.role != "board"))} if wanted else {}
    if len(wanted) > CONCERNED_MAX or set(people) != wanted:
        raise CaseWorkError(_("Välj personer ur listan."), "concerned_user_ids")
    if case.reporter_id in wanted:
        raise CaseWorkError(_("Den som rapporterade kan inte vara berörd personal."), "concerned_user_ids")
    if actor.id in wanted:
        raise CaseWorkError(_("Du kan inte ange dig själv som berörd personal. Anmäl jäv i stället."),
                            "concerned_user_ids")
    before = case.concerned_user_ids
    added, removed = wanted - before, before - wanted
    if not added and not removed:
        raise CaseWorkError(_("Du har inte ändrat något."), "concerned_user_ids")
    for entry in [c for c in case.concerned if c.user_id in removed]:
        case.concerned.remove(entry)
    for user_id in sorted(added):
        case.concerned.append(ConcernedStaff(user_id=user_id, added_by_id=actor.id, added_at=utcnow()))
    unassigned = case.assigned_to_id in added
    if unassigned:
        case.assigned_to = None
    names = {u.id: u.full_name for u in db.session.scalars(select(User).where(User.id.in_(added | removed)))}
    journal.add_event(case, "concerned_staff_changed", actor,
                      added=sorted(names[i] for i in added), removed=sorted(names[i] for i in removed),
                      unassigned=unassigned)
    commands.record("case.concerned_staff_changed", actor, case, added=sorted(added), removed=sorted(removed),
                    unassigned=unassigned)
    commands.commit(actor, case, "set_concerned_staff")
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
            linked = linked_case(actor, case, linked_reference)
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


def linked_case(actor, case: Case, reference: str) -> Case:
    """The case that already investigated this event (triage, the lex Sarah ställningstagande)."""
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
    # can be read on the follow-up page: a link only, never the answer (app/cases/complainant_notices.py).
    complainant_notices.queue_answer_published(case)
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


def open_actions_refusal(count: int) -> CaseWorkError:
    """Closing (also with a lex Sarah ställningstagande) while actions are planned or in progress."""
    return CaseWorkError(ngettext(
        "Ärendet har %(num)d åtgärd som är planerad eller pågår. Markera den som genomförd eller avbryt "
        "den först, eller bekräfta att ärendet ska avslutas ändå och skriv varför.",
        "Ärendet har %(num)d åtgärder som är planerade eller pågår. Markera dem som genomförda eller avbryt "
        "dem först, eller bekräfta att ärendet ska avslutas ändå och skriv varför.", count),
        "open_actions_reason")


def close_case(actor, reference: str, *, summary: str, expected_version: int,
               confirm_open_actions: bool = False, open_actions_reason: str = "") -> Case:
    case = commands.begin(actor, reference, "close", expected_version)
    summary = commands.required(summary, _("Skriv en sammanfattning av hur ärendet avslutas."), "summary", 5000)
    # Actions still planned or in progress: the table requires the person's confirmation
    # with a reason (workflow.EITHER "open_actions_settled"); the journal keeps it.
    open_ids = open_action_ids(case)
    reason = (open_actions_reason or "").strip()
    try:
        status = commands.target(case, "close", open_actions_confirmed=bool(confirm_open_actions and reason))
    except workflow.MoveRefused as refusal:
        if refusal.unmet != ("open_actions_settled",):
            raise
        raise open_actions_refusal(len(open_ids)) from None
    if open_ids:
        journal.add_event(case, "closed_with_open_actions", actor, text=reason[:2000],
                          open_actions=len(open_ids), action_ids=open_ids)
        commands.record("case.closed_with_open_actions", actor, case, action_ids=open_ids)
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
