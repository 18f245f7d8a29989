"""What people do with actions: add, change, move through the action workflow, follow up.

Every command follows the command contract (app/commands.py): it takes plain arguments, the
acting user and the id of what it changes (the case's reference for adding, the action's id
otherwise) with the version the person's form was loaded with; ``commands.begin_action`` loads
the action, asks the permission function (``can_move_action``: re-planning, cancelling and
following up are casework, starting and completing may also be done by the person responsible),
compares the version and asks the action's own machine (app/actions/workflow.py); adding asks
the case's machine (``add_action``) through ``commands.begin``. The service checks its input,
acts, writes the case journal and the audit log, and commits once (``commands.commit_action``);
mail queued meanwhile goes out after the commit.

A hook for another feature, which never commits (it runs inside the caller's
transaction): `create_actions_for_ivo_demands(case, actor, demands=)` plans actions for
IVO's demands for measures; `actions_for_ivo_demands` is connected to app.lexsarah's
`ivo_demanded_measures` signal by create_app(). (Closing a case with open actions is a
requirement of the case table, app.workflow: "open_actions_settled".)
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from app import audit, commands, mailer, workflow
from app.actions import queries
from app.actions import workflow as action_workflow
from app.actions.labels import STATUS_LABELS
from app.actions.models import ActionType, CaseAction
from app.actions.workflow import OPEN_STATUSES, ActionStatus, FollowUpResult
from app.auth.models import User, user_units
from app.auth.permissions import Action, PermissionDenied, can, can_move, can_move_action, ensure
from app.cases import journal
from app.cases.models import Case
from app.clock import to_local, today_local, utcnow
from app.commands import ActionConflict, ActionError  # the contract's errors, as the routes meet them
from app.extensions import db
from app.facts import OFFERED_ACTION_FORM_FACTS, facts_for_action
from app.urls import external_url

MAX_DESCRIPTION = 4000
MAX_TEXT = 4000


# --- reading -------------------------------------------------------------------------------

def report_date(case: Case) -> date:
    """The day the case was reported (Stockholm): no action can be due before it."""
    return to_local(case.received_at).date()


@dataclass(frozen=True)
class Candidate:
    """A person who may be made responsible for an action, as the form's choice needs them and
    the permission function reads them (role, units): plain values, no ORM object."""
    id: int
    username: str
    full_name: str
    title: str
    role: str
    unit_ids: frozenset[int]
    # Only active accounts are read (responsible_candidates); can() asks these of any person.
    is_authenticated = True
    is_active = True


# The case page's statements, built once (building one and its cache key on every view cost
# about as much as running it). The active people of some units, with all their units.
_STAFF_OF_UNITS = (select(User.id, User.username, User.full_name, User.title, User.role, user_units.c.unit_id)
                   .join(user_units).where(User.active, User.id.in_(select(user_units.c.user_id).where(
                       user_units.c.unit_id.in_(bindparam("units", expanding=True))))))
ACTIONS_OF_CASE = (select(CaseAction).where(CaseAction.case_id == bindparam("case_id"))
                    .options(joinedload(CaseAction.type), joinedload(CaseAction.responsible))
                    .order_by(CaseAction.due_on, CaseAction.id))


def responsible_candidates(case: Case) -> list[Candidate]:
    """Who may answer for an action on the case (BE_RESPONSIBLE): active users of the case's unit or a
    unit above it, as the permission function narrows them (a report that bypassed the manager),
    by name. The people with all their units in one statement of plain rows: the ORM's users and
    their units were two statements and an object per person and unit on every case view."""
    rows = db.session.execute(_STAFF_OF_UNITS, {"units": list(case.unit_path)}).all()
    units_of: dict[int, set[int]] = {}
    for row in rows:
        units_of.setdefault(row.id, set()).add(row.unit_id)
    people = {row.id: Candidate(row.id, row.username, row.full_name, row.title or "", row.role,
                                frozenset(units_of[row.id])) for row in rows}
    return [person for person in sorted(people.values(), key=lambda p: (p.full_name, p.id))
            if can(person, Action.BE_RESPONSIBLE, case)]


def actions_of_case(case: Case) -> list[CaseAction]:
    """The case's actions: open ones first (by due date), then the rest (newest first), each with
    its type and responsible person in the same statement (the cards show both). Those a page has
    read with the case already (Case.actions, app.cases.casework.services.view_case) are not read again."""
    actions = case.__dict__.get("actions")
    if actions is None:
        actions = list(db.session.scalars(ACTIONS_OF_CASE, {"case_id": case.id}))
    open_ones = sorted((a for a in actions if a.is_open), key=lambda a: (a.due_on, a.id))
    others = sorted((a for a in actions if not a.is_open), key=lambda a: a.id, reverse=True)
    return open_ones + others


def open_actions_count(case: Case) -> int:
    """How many of the case's actions are still planned or in progress (counted in SQL)."""
    return db.session.scalar(select(func.count()).select_from(CaseAction).where(
        CaseAction.case_id == case.id, CaseAction.status.in_([s.value for s in OPEN_STATUSES]))) or 0


def case_allows_actions(case: Case) -> bool:
    """Whether the case workflow allows adding (and re-planning) actions now."""
    allowed, _unmet = workflow.check(case.kind, case.status, "add_action")
    return allowed


def offered_statuses(actor, action: CaseAction) -> list[str]:
    """The statuses this person can move the action to now: the action workflow's moves
    from its status, each with its permission (app.auth.permissions.can_move_action)."""
    offered = []
    for move in action_workflow.available_moves(action.status):
        target = action_workflow.MOVES[move].target
        if target is None or action_workflow.MOVE_TO_STATUS.get(target) != move:
            continue
        if can_move_action(actor, move, action):
            offered.append(target.value)
    return offered


def may_follow_up(actor, action: CaseAction) -> bool:
    """Whether the follow-up form applies: the action workflow's `follow_up` (the result is the form's)."""
    allowed, _unmet = action_workflow.check(action.status, "follow_up",
                                            {**facts_for_action(action), **OFFERED_ACTION_FORM_FACTS})
    return allowed and can_move_action(actor, "follow_up", action)


# The status form's moves: whoever may make one of them may post the form.
STATUS_MOVES = tuple(action_workflow.MOVE_TO_STATUS.values())


def action_for_form(actor, action_id: int, *moves: str) -> CaseAction:
    """The action behind a page or a form that could not be sent (its own page: VIEW_ACTION;
    a form: also one of its moves), read without changing anything."""
    action = commands.load_action(action_id)
    ensure(actor, Action.VIEW_ACTION, action)
    if moves and not any(can_move_action(actor, move, action) for move in moves):
        raise PermissionDenied(moves[0])
    return action


def view_list(actor, scope: str, filters, *, after: str | None = None, before: str | None = None):
    """One page of an action list (app.actions.queries), logged: who saw which actions listed."""
    ensure(actor, Action.VIEW_UNIT_ACTIONS if scope == "units" else Action.VIEW_OWN_ACTIONS)
    page = queries.list_actions(actor, scope, filters, after=after, before=before)
    ids = [a.id for a in page.items]
    audit.record("action.listed", actor=actor, object_type="action", object_id="",
                 detail={"scope": scope, "action_ids": ids, "filters": asdict(filters)})
    db.session.commit()
    # The commit expired the rows; load them again in one query rather than one by one.
    loaded = {a.id: a for a in db.session.scalars(
        select(CaseAction).where(CaseAction.id.in_(ids)).options(
            joinedload(CaseAction.case), joinedload(CaseAction.type), joinedload(CaseAction.responsible)))
        .unique()} if ids else {}
    page.items = [loaded[i] for i in ids]
    return page


def view_action(actor, action_id: int) -> CaseAction:
    """Someone opened an action's page: the log shows who read what."""
    action = action_for_form(actor, action_id)
    audit.record("action.viewed", actor=actor, object_type="action", object_id=action.id,
                 detail={"case": action.case.reference})
    commands.commit_keeping_loaded()
    return action


def case_for_actions(actor, reference: str, move: str | None = None) -> Case:
    """The case whose actions a page lists (VIEW_CASE), read without changing anything; with a
    move (`add_action`), for a form that could not be sent: only to whoever may make it."""
    case = commands.load_case(reference.upper())
    ensure(actor, Action.VIEW_CASE, case)
    if move is not None and not can_move(actor, move, case):
        raise PermissionDenied(move)
    return case


def view_case_actions(actor, reference: str) -> Case:
    """Someone opened the list of a case's actions."""
    case = case_for_actions(actor, reference)
    audit.record("case.actions_viewed", actor=actor, object_type="case", object_id=case.id,
                 detail={"reference": case.reference})
    commands.commit_keeping_loaded()
    return case


# --- validation ----------------------------------------------------------------------------

def _check_case_open(case: Case) -> None:
    if not case_allows_actions(case):
        raise ActionError(_case_closed())


def _clean_text(value: str | None, field: str, *, required_message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionError(required_message, field)
    if len(value) > limit:
        raise ActionError(_("Högst %(n)d tecken.", n=limit), field)
    return value


def _action_type(type_id: int | None, *, current: ActionType | None = None) -> ActionType:
    action_type = db.session.get(ActionType, type_id) if type_id else None
    if action_type is None:
        raise ActionError(_("Välj en typ av åtgärd."), "type_id")
    if not action_type.active and action_type is not current:
        raise ActionError(_("Åtgärdstypen används inte längre; välj en annan."), "type_id")
    return action_type


def _responsible(case: Case, responsible_id: int | None) -> User:
    user = db.session.get(User, responsible_id) if responsible_id else None
    if user is None:
        raise ActionError(_("Välj vem som är ansvarig för åtgärden."), "responsible_id")
    if not can(user, Action.BE_RESPONSIBLE, case):
        if case.bypass_manager:
            raise ActionError(_("Rapporten har gått förbi närmaste chef; bara lex Sarah-ansvariga kan vara "
                                "ansvariga för dess åtgärder."), "responsible_id")
        raise ActionError(_("Den ansvariga måste vara en aktiv användare på ärendets enhet eller en enhet "
                            "ovanför den."), "responsible_id")
    return user


def _due(case: Case, due_on: date | None) -> date:
    if due_on is None:
        raise ActionError(_("Ange ett slutdatum."), "due_on")
    reported = report_date(case)
    if due_on < reported:
        raise ActionError(_("Slutdatumet kan inte vara före ärendets rapportdatum (%(date)s).",
                            date=reported.isoformat()), "due_on")
    return due_on


def _summary(action: CaseAction) -> dict:
    return {"action_id": action.id, "type": action.type.name, "responsible": action.responsible.full_name,
            "due_on": action.due_on.isoformat(), "status": action.status}


# --- adding and changing -------------------------------------------------------------------

def _tell_responsible(action: CaseAction, actor) -> None:
    """The person made responsible is told by e-mail (after the commit): the case's reference, the
    type, the due date and a link; never the description. Nobody is told of what they gave themselves."""
    person = action.responsible
    if person is None or not person.active or not person.email or person.id == getattr(actor, "id", None):
        return
    with force_locale("sv"):
        mailer.queue_email(
            [person.email], _("Värna: du är ansvarig för en åtgärd i %(ref)s", ref=action.case.reference),
            _("Hej %(name)s!\n\n%(by)s har gjort dig ansvarig för en åtgärd i %(ref)s: %(type)s, som ska vara "
              "klar senast %(date)s.\n\nÖppna åtgärden: %(link)s\nDina åtgärder i Värna: %(mine)s\n",
              name=person.full_name.split(" ")[0], by=getattr(actor, "full_name", "") or _("Värna"),
              ref=action.case.reference, type=action.type.name, date=action.due_on.isoformat(),
              link=external_url("actions.show", action_id=action.id), mine=external_url("actions.mine")))


def _new_action(actor, case: Case, *, type_id: int | None, description: str, responsible_id: int | None,
                due_on: date | None, origin: str = "case") -> CaseAction:
    """Validate and add an action to the current transaction, with journal and audit entries."""
    action_type = _action_type(type_id)
    description = _clean_text(description, "description", required_message=_("Beskriv åtgärden."),
                              limit=MAX_DESCRIPTION)
    responsible = _responsible(case, responsible_id)
    due_on = _due(case, due_on)
    now = utcnow()
    action = CaseAction(case=case, type=action_type, description=description, responsible=responsible,
                        due_on=due_on, status=ActionStatus.PLANNED.value, origin=origin,
                        created_by_id=getattr(actor, "id", None), created_at=now, updated_at=now)
    db.session.add(action)
    db.session.flush()
    detail = _summary(action) | ({"origin": origin} if origin != "case" else {})
    journal.add_event(case, "action_added", actor, text=description, **detail)
    audit.record("action.added", actor=actor, object_type="action", object_id=action.id,
                 detail=detail | {"case": case.reference})
    _tell_responsible(action, actor)
    return action


def add_action(actor, reference: str, *, type_id: int | None, description: str, responsible_id: int | None,
               due_on: date | None) -> CaseAction:
    """Add an action to the case: the case machine's move `add_action`. No version is compared:
    adding overwrites nothing, and the machine still refuses a case that takes no actions now."""
    try:
        case = commands.begin(actor, reference.upper(), "add_action", expected_version=None)
    except workflow.MoveRefused:
        raise ActionError(_case_closed()) from None
    action = _new_action(actor, case, type_id=type_id, description=description,
                         responsible_id=responsible_id, due_on=due_on)
    commands.commit_or_conflict(lambda: ActionConflict(action))
    return action


def _case_closed() -> str:
    return _("Åtgärder kan bara läggas till och planeras om i ett ärende som inte är avslutat.")


def update_action(actor, action_id: int, *, type_id: int | None, description: str,
                  responsible_id: int | None, due_on: date | None, expected_version: int | None) -> CaseAction:
    """Re-plan an open action: its type, description, responsible person or due date."""
    action = commands.begin_action(actor, action_id, "edit", expected_version)
    case = action.case
    _check_case_open(case)
    new = {
        "type": _action_type(type_id, current=action.type),
        "description": _clean_text(description, "description", required_message=_("Beskriv åtgärden."),
                                   limit=MAX_DESCRIPTION),
        "responsible": _responsible(case, responsible_id),
        "due_on": _due(case, due_on),
    }
    changes = {}
    for name, value in new.items():
        old = getattr(action, name)
        if old != value:
            show = (lambda v: v.isoformat()) if name == "due_on" else \
                (lambda v: getattr(v, "full_name", None) or getattr(v, "name", None) or v)
            changes[name] = {"from": show(old), "to": show(value)}
            setattr(action, name, value)
    if not changes:
        return action
    journal.add_event(case, "action_updated", actor, action_id=action.id, changes=changes)
    audit.record("action.updated", actor=actor, object_type="action", object_id=action.id,
                 detail={"case": case.reference, "changes": changes})
    if "responsible" in changes:
        _tell_responsible(action, actor)
    commands.commit_action(actor, action, "edit")
    return action


def update_action_status(actor, action_id: int, status: str, *, completed_on: date | None = None,
                         cancel_reason: str = "", expected_version: int | None) -> CaseAction:
    """Move the action to `status` along the action workflow.

    Starting and completing: whoever works the case, or the person responsible.
    Cancelling (with a reason): whoever works the case. The moves are allowed on a
    closed case too, because an action often outlives the case it came from.
    """
    try:
        target = ActionStatus(status)
    except ValueError:
        raise ActionError(_("Välj en status."), "status") from None
    move = action_workflow.MOVE_TO_STATUS.get(target)
    if move is None:  # no move leads to it ("planned"): casework asked for the impossible
        action = commands.load_action(action_id)
        ensure(actor, Action.WORK_CASE, action.case)
        raise ActionError(_("Åtgärden kan inte gå från ”%(current)s” till ”%(target)s”.",
                            current=STATUS_LABELS[ActionStatus(action.status)], target=STATUS_LABELS[target]),
                          "status")
    action = commands.begin_action(actor, action_id, move, expected_version)
    today = today_local()
    reason = ""
    if move == "complete":
        if completed_on is None:
            raise ActionError(_("Ange när åtgärden genomfördes."), "completed_on")
        if completed_on > today:
            raise ActionError(_("Datumet kan inte ligga i framtiden."), "completed_on")
        if completed_on < report_date(action.case):
            raise ActionError(_("Datumet kan inte vara före ärendets rapportdatum (%(date)s).",
                                date=report_date(action.case).isoformat()), "completed_on")
    if move == "cancel":
        reason = _clean_text(cancel_reason, "cancel_reason",
                             required_message=_("Ange varför åtgärden avbryts."), limit=MAX_TEXT)
    new_status = commands.target_action(action, move, completed_on=completed_on is not None,
                                        cancel_reason=bool(reason))
    previous = action.status
    action.status = new_status.value
    if move == "complete":
        action.completed_on = completed_on
    if move == "cancel":
        action.cancel_reason = reason
    detail = {"action_id": action.id, "from": previous, "to": new_status.value}
    if completed_on is not None and move == "complete":
        detail["completed_on"] = completed_on.isoformat()
    event = {"start": "action_started", "complete": "action_completed", "cancel": "action_cancelled"}[move]
    journal.add_event(action.case, event, actor, text=reason, **detail)
    audit.record(f"action.{move}", actor=actor, object_type="action", object_id=action.id,
                 detail=detail | {"case": action.case.reference})
    commands.commit_action(actor, action, move)
    return action


def record_follow_up(actor, action_id: int, *, result: str, text: str, followed_up_on: date | None,
                     expected_version: int | None) -> CaseAction:
    """Did the done action work (yes, partly, no)? Recorded once, with a text and a date."""
    action = commands.begin_action(actor, action_id, "follow_up", expected_version)
    try:
        result = FollowUpResult(result).value
    except ValueError:
        raise ActionError(_("Ange om åtgärden fick avsedd effekt."), "result") from None
    text = _clean_text(text, "text", required_message=_("Beskriv vad uppföljningen visade."), limit=MAX_TEXT)
    if followed_up_on is None:
        raise ActionError(_("Ange datum för uppföljningen."), "followed_up_on")
    if followed_up_on > today_local():
        raise ActionError(_("Datumet kan inte ligga i framtiden."), "followed_up_on")
    if action.completed_on and followed_up_on < action.completed_on:
        raise ActionError(_("Uppföljningen kan inte vara före den dag åtgärden genomfördes (%(date)s).",
                            date=action.completed_on.isoformat()), "followed_up_on")
    commands.target_action(action, "follow_up", follow_up_result=True)
    action.follow_up_result = result
    action.follow_up_text = text
    action.followed_up_on = followed_up_on
    action.followed_up_by_id = getattr(actor, "id", None)
    detail = {"action_id": action.id, "result": result, "followed_up_on": followed_up_on.isoformat()}
    journal.add_event(action.case, "action_followed_up", actor, text=text, **detail)
    audit.record("action.followed_up", actor=actor, object_type="action", object_id=action.id,
                 detail=detail | {"case": action.case.reference})
    commands.commit_action(actor, action, "follow_up")
    return action


# --- hooks for other features (no commit: they run in the caller's transaction) -------------

def _fallback_type_id() -> int | None:
    """"Övrigt" when it is in use, else the last active type in the list."""
    types = list(db.session.scalars(select(ActionType).where(ActionType.active)
                                    .order_by(ActionType.position, ActionType.name)))
    for action_type in types:
        if action_type.name.lower() in {"övrigt", "other"}:
            return action_type.id
    return types[-1].id if types else None


@dataclass(frozen=True)
class IvoDemand:
    """One measure IVO demands: what, by when, and optionally who and which type."""

    description: str
    due_on: date
    responsible_id: int | None = None
    type_id: int | None = None


def create_actions_for_ivo_demands(case: Case, actor, *, demands: list[IvoDemand]) -> list[CaseAction]:
    """IVO decided that measures are demanded: one action per demand, linked to the decision
    (origin "ivo_decision"; the decision is the case's IVO record). Runs in the caller's
    transaction; the caller commits.

    The caller (recording IVO's decision) has checked the workflow move `record_ivo_decision`,
    which is allowed on a closed case too: IVO's decision may come after closing, and the
    actions are then followed on the action lists. The responsible person defaults to the
    case's handler, else the person recording the decision; the type to "Övrigt".
    """
    ensure(actor, Action.NOTIFY_IVO, case)
    created = []
    for demand in demands:
        responsible_id = demand.responsible_id
        if responsible_id is None:
            handler = case.assigned_to
            usable = handler is not None and can(handler, Action.BE_RESPONSIBLE, case)
            responsible_id = handler.id if usable else getattr(actor, "id", None)
        created.append(_new_action(actor, case, type_id=demand.type_id or _fallback_type_id(),
                                   description=demand.description, responsible_id=responsible_id,
                                   due_on=demand.due_on, origin="ivo_decision"))
    return created


# IVO usually asks to hear about the measures within weeks; the responsible person re-plans
# the action (and splits it into several) once the decision has been read.
IVO_DEMAND_DUE_DAYS = 30


def actions_for_ivo_demands(case: Case, *, actor, text: str, decided_on: date, **_ignored) -> None:
    """app.lexsarah records IVO's decision and, when IVO demands measures, sends its signal inside
    its transaction: one action is planned for the demand, committed with the decision or not at all.
    Connected to `ivo_demanded_measures` by create_app() (app/__init__.py: _connect_signals)."""
    description = _("Åtgärder som IVO kräver i sitt beslut %(date)s: %(text)s",
                    date=decided_on.isoformat(), text=(text or "").strip())
    if len(description) > MAX_DESCRIPTION:
        description = description[:MAX_DESCRIPTION - 1] + "…"
    due_on = max(decided_on + timedelta(days=IVO_DEMAND_DUE_DAYS), report_date(case))
    create_actions_for_ivo_demands(case, actor, demands=[IvoDemand(description=description, due_on=due_on)])
