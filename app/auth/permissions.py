"""The one place that answers "may user U do action A (on case C / unit X)?".

Pure: it reads attributes of the objects it is given and touches neither Flask
nor the database, so it is tested as a table of role × action × answer, and
both routes (`require`) and services (`ensure`) ask it.

A case is anything with `kind`, `unit_path` (the ids from the root down to the
case's unit), `reporter_id`, `bypass_manager` (the reporter asked that the
report not go to their nearest manager), `disqualified_user_ids` (those who
declared themselves disqualified, jäv; absent means nobody) and `concerned_user_ids` (the
staff the report concerns, who never see or handle it; absent means nobody). A case with
`imported` true is history brought from earlier years: it is read, never worked. Who
registered a report on someone else's behalf (`registered_by_id`) is not its reporter and is
not excluded: only the actual reporter (`reporter_id`) is.
"""

from enum import StrEnum

from app.workflow import Kind


class Action(StrEnum):
    # no case needed
    FILE_REPORT = "file_report"
    VIEW_OWN_REPORTS = "view_own_reports"
    VIEW_QUEUE = "view_queue"
    MANAGE_USERS = "manage_users"
    MANAGE_UNITS = "manage_units"
    MANAGE_CATEGORIES = "manage_categories"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_PROVIDER_SETTINGS = "manage_provider_settings"  # the nämnd's details every IVO notification carries
    CONFIRM_LEGAL_REFERENCES = "confirm_legal_references"  # the paragraphs of a new act printed on notifications
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_OUTBOX = "view_outbox"
    VIEW_STATISTICS = "view_statistics"
    VIEW_LEX_SARAH_DESK = "view_lex_sarah_desk"  # the lex Sarah officer's desk
    IMPORT_CASES = "import_cases"           # bring earlier years' cases in from CSV
    # Register a supervising authority's letter as a supervision case. An investigator only for
    # their own units: the service checks the unit chosen with REGISTER_SUPERVISION_FOR.
    REGISTER_SUPERVISION = "register_supervision"
    WRITE_STATISTICS_TEXTS = "write_statistics_texts"  # the yearly chapter's analysis and improvement work
    # on a case
    VIEW_CASE = "view_case"                 # the full case page
    VIEW_CASE_AS_REPORTER = "view_case_as_reporter"  # status and feedback only
    ADD_TO_OWN_REPORT = "add_to_own_report"  # the reporter adds information to what they filed
    VIEW_RECEIPT = "view_receipt"           # the receipt after filing: the reporter, or who registered it
    WORK_CASE = "work_case"                 # assign, triage, investigate, answer, close
    BE_ASSIGNED = "be_assigned"             # may be made the case's handler
    DECLARE_DISQUALIFIED = "declare_disqualified"  # jäv: step away from a case one could handle
    EDIT_CONCERNED_STAFF = "edit_concerned_staff"  # jäv: name or remove the staff the report concerns
    PROPOSE_JUDGMENT = "propose_judgment"
    JUDGE = "judge"                         # lex Sarah judgment
    NOTIFY_IVO = "notify_ivo"
    REOPEN_CASE = "reopen_case"
    BE_RESPONSIBLE = "be_responsible"       # be made the person responsible for an action on the case
    KNOW_OF_CASE = "know_of_case"           # see the case's reference where another case links to it
    # actions (åtgärder); adding, editing, cancelling and following up one is WORK_CASE on its case
    VIEW_OWN_ACTIONS = "view_own_actions"    # "Mina åtgärder"; overdue and follow-up lists of what one sees
    VIEW_UNIT_ACTIONS = "view_unit_actions"  # "Min enhets åtgärder"
    # on one action: pass the action (it has `case` and `responsible_id`) instead of a case
    VIEW_ACTION = "view_action"
    PROGRESS_ACTION = "progress_action"      # start it, mark it done


STAFF, INVESTIGATOR, OFFICER, ADMIN = "staff", "investigator", "officer", "admin"
BOARD = "board"  # the nämnd's secretary: reads the yearly statistics and nothing else

# Actions that need no case, by role.
_GENERAL = {
    Action.FILE_REPORT: {STAFF, INVESTIGATOR, OFFICER, ADMIN},
    Action.VIEW_OWN_REPORTS: {STAFF, INVESTIGATOR, OFFICER, ADMIN},
    Action.VIEW_QUEUE: {INVESTIGATOR, OFFICER, ADMIN},
    Action.MANAGE_USERS: {ADMIN},
    Action.MANAGE_UNITS: {ADMIN},
    Action.MANAGE_CATEGORIES: {ADMIN},
    Action.MANAGE_SETTINGS: {ADMIN},
    # The lex Sarah officer signs the notifications: when the nämnd's details are missing, they fill them in.
    Action.MANAGE_PROVIDER_SETTINGS: {OFFICER, ADMIN},
    Action.CONFIRM_LEGAL_REFERENCES: {ADMIN},
    Action.VIEW_AUDIT_LOG: {ADMIN},
    Action.VIEW_OUTBOX: {ADMIN},
    Action.VIEW_STATISTICS: {OFFICER, ADMIN, BOARD},
    Action.VIEW_LEX_SARAH_DESK: {OFFICER},
    Action.IMPORT_CASES: {ADMIN},
    Action.REGISTER_SUPERVISION: {INVESTIGATOR, OFFICER, ADMIN},
    Action.WRITE_STATISTICS_TEXTS: {OFFICER, ADMIN},
    Action.VIEW_OWN_ACTIONS: {STAFF, INVESTIGATOR, OFFICER, ADMIN},
    Action.VIEW_UNIT_ACTIONS: {INVESTIGATOR, OFFICER, ADMIN},
}

ON_AN_ACTION = frozenset({Action.VIEW_ACTION, Action.PROGRESS_ACTION})

CASE_ACTIONS = frozenset({
    Action.VIEW_CASE, Action.VIEW_CASE_AS_REPORTER, Action.ADD_TO_OWN_REPORT, Action.VIEW_RECEIPT, Action.WORK_CASE,
    Action.BE_ASSIGNED, Action.DECLARE_DISQUALIFIED, Action.EDIT_CONCERNED_STAFF, Action.PROPOSE_JUDGMENT,
    Action.JUDGE, Action.NOTIFY_IVO, Action.REOPEN_CASE, Action.BE_RESPONSIBLE, Action.KNOW_OF_CASE,
})

# Which permission each workflow move (app.workflow.MOVES) needs. The state machine
# says whether a move fits the case now; this says whether this person may make it.
MOVE_ACTIONS: dict[str, Action] = {
    "record_protection": Action.WORK_CASE,
    "triage_investigate": Action.WORK_CASE,
    "triage_not_investigate": Action.WORK_CASE,
    "close_with_position": Action.JUDGE,  # the officer's ställningstagande, never a unit manager's
    "propose_position": Action.PROPOSE_JUDGMENT,  # an investigator handling it proposes, the officer decides
    "decline_position_proposal": Action.JUDGE,
    "assign": Action.WORK_CASE,
    "declare_disqualified": Action.DECLARE_DISQUALIFIED,
    "set_concerned_staff": Action.EDIT_CONCERNED_STAFF,
    "add_entry": Action.WORK_CASE,
    "link_case": Action.WORK_CASE,
    "record_causes_and_risk": Action.WORK_CASE,
    "give_feedback": Action.WORK_CASE,
    "add_reporter_information": Action.ADD_TO_OWN_REPORT,
    "add_action": Action.WORK_CASE,
    "acknowledge": Action.WORK_CASE,
    "propose_judgment": Action.PROPOSE_JUDGMENT,
    "finish_investigation": Action.WORK_CASE,
    "record_judgment": Action.JUDGE,
    "save_ivo_draft": Action.NOTIFY_IVO,
    "finalise_notification": Action.NOTIFY_IVO,
    "notify_ivo": Action.NOTIFY_IVO,
    "record_ivo_decision_not_to_notify": Action.NOTIFY_IVO,
    "record_investigation_sent": Action.NOTIFY_IVO,
    "record_ivo_decision": Action.NOTIFY_IVO,
    "record_ivo_reference": Action.NOTIFY_IVO,
    "record_supplement_request": Action.NOTIFY_IVO,
    "record_supplement_reply": Action.NOTIFY_IVO,
    "record_informing": Action.WORK_CASE,
    "hand_over_to_deviation": Action.WORK_CASE,
    "escalate_to_lex_sarah": Action.WORK_CASE,
    "record_answer": Action.WORK_CASE,
    "close": Action.WORK_CASE,
    "reopen": Action.REOPEN_CASE,
    "record_supervision_request": Action.WORK_CASE,
    "extend_supervision_deadline": Action.WORK_CASE,
    "record_supervision_reply": Action.WORK_CASE,
    "await_supervision_decision": Action.WORK_CASE,
    "record_supervision_decision": Action.WORK_CASE,
    "record_report_back": Action.WORK_CASE,
}


def _investigates(user, case) -> bool:
    """An investigator of the case's unit or of a unit above it.

    When the reporter asked to bypass the nearest manager, only the officers
    handle the report, so unit investigators do not see it at all.
    """
    if user.role != INVESTIGATOR or _for_officers_only(case):
        return False
    return bool(set(user.unit_ids) & set(case.unit_path))


def _for_officers_only(case) -> bool:
    """The reporter bypassed the nearest manager: the report is for the lex Sarah officers' eyes only."""
    return bool(getattr(case, "bypass_manager", False))


def _disqualified(user, case) -> bool:
    """Jäv: nobody handles a case they filed, or one they declared themselves disqualified on."""
    if case.reporter_id is not None and case.reporter_id == user.id:
        return True
    return user.id in getattr(case, "disqualified_user_ids", ())


def _concerned(user, case) -> bool:
    """Jäv: the staff a report concerns never see it, nor handle it, whatever their role."""
    return user.id in getattr(case, "concerned_user_ids", ())


def can(user, action: Action, case=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    action = Action(action)
    if action not in CASE_ACTIONS and action not in ON_AN_ACTION:
        return user.role in _GENERAL[action]
    if case is None or user.role == BOARD:
        return False  # the board reads the yearly statistics and nothing else
    if action in ON_AN_ACTION:
        if _concerned(user, case.case):
            return False  # not even the action they were once made responsible for
        # `case` is an action here. Its responsible person sees it and reports progress even
        # without access to the case (staff are often responsible); all else follows the case.
        responsible = case.responsible_id is not None and case.responsible_id == user.id
        return responsible or can(user, Action.VIEW_CASE if action is Action.VIEW_ACTION
                                  else Action.WORK_CASE, case.case)
    if getattr(case, "imported", False) and action not in (Action.VIEW_CASE, Action.VIEW_CASE_AS_REPORTER,
                                                          Action.KNOW_OF_CASE, Action.VIEW_RECEIPT):
        return False  # imported history is read-only for everyone
    if _concerned(user, case):
        return False
    is_reporter = case.reporter_id is not None and case.reporter_id == user.id
    if action in (Action.VIEW_CASE_AS_REPORTER, Action.ADD_TO_OWN_REPORT):
        return is_reporter  # (imported history, read-only, was refused the second above)
    if action is Action.VIEW_RECEIPT:
        registrar = getattr(case, "registered_by_id", None)
        return is_reporter or (registrar is not None and registrar == user.id)
    if action is Action.VIEW_CASE:
        # Officers answer for every case towards the nämnd; admins answer for the data (read-only),
        # except the reports that bypassed the nearest manager, which only the officers read.
        if _for_officers_only(case):
            return user.role == OFFICER
        return user.role in {OFFICER, ADMIN} or _investigates(user, case)
    if action is Action.KNOW_OF_CASE:
        # Another case's page names a linked case by its reference even to those who cannot open it,
        # but not a report that bypassed the manager: that it exists is already for the officers only.
        return not _for_officers_only(case) or can(user, Action.VIEW_CASE, case)
    if action is Action.BE_RESPONSIBLE:
        # Someone of the case's unit or a unit above it (staff too: they often carry out the action).
        # On a report that bypassed the manager, only those who see it, and never its reporter: the
        # responsible person sees the action, and through it the report.
        if not set(user.unit_ids) & set(case.unit_path):
            return False
        return not _for_officers_only(case) or (can(user, Action.VIEW_CASE, case) and not is_reporter)
    handles = (user.role == OFFICER or _investigates(user, case)) and not _disqualified(user, case)
    if action in (Action.WORK_CASE, Action.DECLARE_DISQUALIFIED, Action.EDIT_CONCERNED_STAFF):
        return handles
    if action is Action.BE_ASSIGNED:
        # Investigators of the unit (or above); officers only take lex Sarah and supervision cases.
        return handles and (user.role == INVESTIGATOR or case.kind in (Kind.LEX_SARAH, Kind.SUPERVISION))
    if action is Action.PROPOSE_JUDGMENT:
        return case.kind == Kind.LEX_SARAH and handles
    if action in (Action.JUDGE, Action.NOTIFY_IVO):
        return case.kind == Kind.LEX_SARAH and user.role == OFFICER and not _disqualified(user, case)
    if action is Action.REOPEN_CASE:
        # The lex Sarah officer answers for every case towards the nämnd and reopens one when new facts
        # come in. Admins read cases for the data but never work them, and reopening is working one,
        # so jäv applies as to any handling.
        return user.role == OFFICER and not _disqualified(user, case)
    return False  # pragma: no cover - every case action is handled above


class PermissionDenied(Exception):
    """A service refused an action; routes turn it into 403."""


# A lex Sarah report is closed, or handed over as a deviation, only by the lex Sarah officer:
# the unit's manager may be the one the report is about.
LEX_SARAH_MOVE_ACTIONS: dict[str, Action] = {
    "close": Action.JUDGE,
    "hand_over_to_deviation": Action.JUDGE,
}


def move_action(move: str, case) -> Action | None:
    """The permission a move needs on this case."""
    if getattr(case, "kind", None) == Kind.LEX_SARAH and move in LEX_SARAH_MOVE_ACTIONS:
        return LEX_SARAH_MOVE_ACTIONS[move]
    return MOVE_ACTIONS.get(move)


def can_move(user, move: str, case) -> bool:
    """May the user make this workflow move on the case (whether it fits now is app.workflow's answer)?"""
    action = move_action(move, case)
    return action is not None and can(user, action, case)


# Which permission each move of an action's own machine (app/actions/workflow.py) needs.
# Starting and completing may be done by the person responsible (PROGRESS_ACTION, asked of the
# action); cancelling, re-planning and following up are casework (WORK_CASE, asked of its case).
ACTION_MOVE_ACTIONS: dict[str, Action] = {
    "start": Action.PROGRESS_ACTION,
    "complete": Action.PROGRESS_ACTION,
    "cancel": Action.WORK_CASE,
    "edit": Action.WORK_CASE,
    "follow_up": Action.WORK_CASE,
}


def action_move_action(move: str) -> Action | None:
    """The permission a move of the action machine needs (None: no such move)."""
    return ACTION_MOVE_ACTIONS.get(move)


def can_move_action(user, move: str, action) -> bool:
    """May the user make this move on the action (whether it fits now is app.actions.workflow's answer)?"""
    needed = ACTION_MOVE_ACTIONS.get(move)
    if needed is None:
        return False
    return can(user, needed, action if needed in ON_AN_ACTION else action.case)


def may_register_supervision_for(user, unit_path) -> bool:
    """A supervision case about the unit with these ancestor ids: officers and admins for any
    unit, an investigator only for a unit of theirs (or below one)."""
    if not can(user, Action.REGISTER_SUPERVISION):
        return False
    return user.role != INVESTIGATOR or bool(set(user.unit_ids) & set(unit_path))


def ensure(user, action: Action, case=None) -> None:
    if not can(user, action, case):
        raise PermissionDenied(action)
