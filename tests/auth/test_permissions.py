"""The permission function as a table: role × action × expected answer."""

from dataclasses import dataclass, field

import pytest

from app.auth.permissions import CASE_ACTIONS, Action, can, can_move


@dataclass
class FakeUser:
    # The permission function is pure: it reads attributes, so plain objects will do.
    role: str
    id: int = 1
    unit_ids: frozenset = field(default_factory=frozenset)
    is_authenticated: bool = True
    is_active: bool = True


@dataclass
class FakeCase:
    kind: str = "deviation"
    unit_path: tuple = (1, 2, 5)  # administration 1 → department 2 → unit 5
    reporter_id: int | None = 99
    bypass_manager: bool = False
    disqualified_user_ids: frozenset = field(default_factory=frozenset)
    concerned_user_ids: frozenset = field(default_factory=frozenset)
    registered_by_id: int | None = None
    imported: bool = False


STAFF = FakeUser("staff", id=10, unit_ids=frozenset({5}))
INVESTIGATOR_UNIT = FakeUser("investigator", id=11, unit_ids=frozenset({5}))
INVESTIGATOR_DEPT = FakeUser("investigator", id=12, unit_ids=frozenset({2}))
INVESTIGATOR_OTHER = FakeUser("investigator", id=13, unit_ids=frozenset({3}))
OFFICER = FakeUser("officer", id=14, unit_ids=frozenset({1}))
ADMIN = FakeUser("admin", id=15, unit_ids=frozenset({1}))

GENERAL = [
    # action, staff, investigator, officer, admin
    (Action.FILE_REPORT, True, True, True, True),
    (Action.VIEW_OWN_REPORTS, True, True, True, True),
    (Action.VIEW_QUEUE, False, True, True, True),
    (Action.MANAGE_USERS, False, False, False, True),
    (Action.MANAGE_UNITS, False, False, False, True),
    (Action.MANAGE_CATEGORIES, False, False, False, True),
    (Action.MANAGE_SETTINGS, False, False, False, True),
    (Action.MANAGE_PROVIDER_SETTINGS, False, False, True, True),  # the officer signs the notifications
    (Action.CONFIRM_LEGAL_REFERENCES, False, False, False, True),
    (Action.VIEW_AUDIT_LOG, False, False, False, True),
    (Action.VIEW_OUTBOX, False, False, False, True),
    (Action.VIEW_STATISTICS, False, False, True, True),
    (Action.VIEW_LEX_SARAH_DESK, False, False, True, False),
    (Action.IMPORT_CASES, False, False, False, True),
    (Action.WRITE_STATISTICS_TEXTS, False, False, True, True),  # the chapter's analysis and improvement work
    (Action.VIEW_OWN_ACTIONS, True, True, True, True),
    (Action.VIEW_UNIT_ACTIONS, False, True, True, True),
    # An investigator only for their own units (may_register_supervision_for, below).
    (Action.REGISTER_SUPERVISION, False, True, True, True),
]


@pytest.mark.parametrize(("action", "staff", "investigator", "officer", "admin"), GENERAL)
def test_general_actions_by_role(action, staff, investigator, officer, admin):
    assert [can(u, action) for u in (STAFF, INVESTIGATOR_UNIT, OFFICER, ADMIN)] == [staff, investigator, officer,
                                                                                    admin]


def test_every_action_is_in_a_table_here():
    case_actions = {row[0] for row in CASE_TABLE} | {row[0] for row in ON_AN_ACTION_TABLE}
    assert {row[0] for row in GENERAL} | case_actions == set(Action)


CASE_TABLE = [
    # action, kind, bypass, staff, inv-unit, inv-dept, inv-other, officer, admin
    (Action.VIEW_CASE, "deviation", False, False, True, True, False, True, True),
    # A report that bypassed the nearest manager is for the officers' eyes: not the admins' either.
    (Action.VIEW_CASE, "lex_sarah", True, False, False, False, False, True, False),
    (Action.VIEW_CASE, "lex_sarah", False, False, True, True, False, True, True),
    (Action.WORK_CASE, "deviation", False, False, True, True, False, True, False),
    (Action.EDIT_CONCERNED_STAFF, "complaint", False, False, True, True, False, True, False),
    (Action.VIEW_RECEIPT, "deviation", False, False, False, False, False, False, False),  # the reporter's
    (Action.WORK_CASE, "complaint", False, False, True, True, False, True, False),
    (Action.WORK_CASE, "lex_sarah", True, False, False, False, False, True, False),
    (Action.BE_ASSIGNED, "deviation", False, False, True, True, False, False, False),
    (Action.BE_ASSIGNED, "lex_sarah", False, False, True, True, False, True, False),
    (Action.BE_ASSIGNED, "lex_sarah", True, False, False, False, False, True, False),
    (Action.DECLARE_DISQUALIFIED, "complaint", False, False, True, True, False, True, False),
    (Action.PROPOSE_JUDGMENT, "lex_sarah", False, False, True, True, False, True, False),
    (Action.PROPOSE_JUDGMENT, "deviation", False, False, False, False, False, False, False),
    (Action.JUDGE, "lex_sarah", False, False, False, False, False, True, False),
    (Action.JUDGE, "deviation", False, False, False, False, False, False, False),
    (Action.NOTIFY_IVO, "lex_sarah", False, False, False, False, False, True, False),
    (Action.REOPEN_CASE, "deviation", False, False, False, False, False, True, False),  # admins only read cases
    (Action.VIEW_CASE_AS_REPORTER, "deviation", False, False, False, False, False, False, False),
    (Action.ADD_TO_OWN_REPORT, "deviation", False, False, False, False, False, False, False),
    # Responsible for an action: anyone of the case's unit or above; on a bypass report only the officers.
    (Action.BE_RESPONSIBLE, "deviation", False, True, True, True, False, True, True),
    (Action.BE_RESPONSIBLE, "lex_sarah", True, False, False, False, False, True, False),
    # A linked case's reference: shown to all, except a bypass report's to those who may not open it.
    (Action.KNOW_OF_CASE, "deviation", False, True, True, True, True, True, True),
    (Action.KNOW_OF_CASE, "lex_sarah", True, False, False, False, False, True, False),
    # Supervision: the unit's handlers and the officers work it (and may be its handler),
    # admins read it, staff never see it.
    (Action.VIEW_CASE, "supervision", False, False, True, True, False, True, True),
    (Action.WORK_CASE, "supervision", False, False, True, True, False, True, False),
    (Action.BE_ASSIGNED, "supervision", False, False, True, True, False, True, False),
    (Action.JUDGE, "supervision", False, False, False, False, False, False, False),
]


@pytest.mark.parametrize(("action", "kind", "bypass", "staff", "inv_unit", "inv_dept", "inv_other", "officer",
                          "admin"), CASE_TABLE)
def test_case_actions_by_role_and_place_in_the_tree(action, kind, bypass, staff, inv_unit, inv_dept, inv_other,
                                                     officer, admin):
    case = FakeCase(kind=kind, bypass_manager=bypass)
    users = (STAFF, INVESTIGATOR_UNIT, INVESTIGATOR_DEPT, INVESTIGATOR_OTHER, OFFICER, ADMIN)
    assert [can(u, action, case) for u in users] == [staff, inv_unit, inv_dept, inv_other, officer, admin]


def test_the_reporter_sees_their_own_report_in_the_limited_view_only():
    case = FakeCase(reporter_id=STAFF.id)
    assert can(STAFF, Action.VIEW_CASE_AS_REPORTER, case)
    assert not can(STAFF, Action.VIEW_CASE, case)
    assert not can(STAFF, Action.WORK_CASE, case)


def test_the_receipt_is_for_the_reporter_and_the_registrar():
    case = FakeCase(reporter_id=STAFF.id, registered_by_id=INVESTIGATOR_UNIT.id)
    users = (STAFF, INVESTIGATOR_UNIT, INVESTIGATOR_DEPT, OFFICER, ADMIN)
    assert [can(u, Action.VIEW_RECEIPT, case) for u in users] == [True, True, False, False, False]
    case.concerned_user_ids = frozenset({INVESTIGATOR_UNIT.id})
    assert not can(INVESTIGATOR_UNIT, Action.VIEW_RECEIPT, case)


def test_only_the_reporter_adds_to_their_report_and_never_to_imported_history():
    case = FakeCase(reporter_id=STAFF.id)
    assert can(STAFF, Action.ADD_TO_OWN_REPORT, case)
    assert can_move(STAFF, "add_reporter_information", case)
    for other in (INVESTIGATOR_UNIT, OFFICER, ADMIN):
        assert not can(other, Action.ADD_TO_OWN_REPORT, case)
    case.imported = True
    assert not can(STAFF, Action.ADD_TO_OWN_REPORT, case)


@pytest.mark.parametrize("user", [INVESTIGATOR_UNIT, OFFICER])
def test_jav_the_reporter_and_the_disqualified_never_handle_the_case(user):
    for case in (FakeCase(kind="lex_sarah", reporter_id=user.id),
                 FakeCase(kind="lex_sarah", disqualified_user_ids=frozenset({user.id}))):
        assert can(user, Action.VIEW_CASE, case)
        for action in (Action.WORK_CASE, Action.BE_ASSIGNED, Action.DECLARE_DISQUALIFIED,
                       Action.PROPOSE_JUDGMENT, Action.JUDGE, Action.NOTIFY_IVO):
            assert not can(user, action, case), action
    # Someone else's disqualification changes nothing for this person.
    assert can(user, Action.WORK_CASE, FakeCase(kind="lex_sarah", disqualified_user_ids=frozenset({999})))


def test_jav_an_officer_does_not_reopen_a_case_they_filed_or_are_disqualified_on():
    """Reopening is working the case: the officer who filed it, or declared themselves disqualified
    on it, leaves it to another officer, as for every other handling."""
    assert can(OFFICER, Action.REOPEN_CASE, FakeCase())
    for case in (FakeCase(reporter_id=OFFICER.id), FakeCase(disqualified_user_ids=frozenset({OFFICER.id}))):
        assert not can(OFFICER, Action.REOPEN_CASE, case)


@pytest.mark.parametrize("user", [INVESTIGATOR_UNIT, OFFICER])
def test_jav_the_registrar_is_not_the_reporter(user):
    """Who wrote down a report made to them (a complaint by phone) handles it like anyone of their
    role and units; the actual reporter, a person in Värna, is the one excluded."""
    registered = FakeCase(kind="complaint", reporter_id=None, registered_by_id=user.id)
    for action in (Action.VIEW_CASE, Action.WORK_CASE, Action.DECLARE_DISQUALIFIED, Action.EDIT_CONCERNED_STAFF):
        assert can(user, action, registered), action
    # Made its handler as anyone of their role may be (officers take lex Sarah reports only).
    assert can(user, Action.BE_ASSIGNED, registered) == (user is INVESTIGATOR_UNIT)
    assert not can(user, Action.VIEW_CASE_AS_REPORTER, registered)
    for_colleague = FakeCase(kind="lex_sarah", reporter_id=STAFF.id, registered_by_id=user.id)
    assert can(user, Action.WORK_CASE, for_colleague)
    assert can(STAFF, Action.VIEW_CASE_AS_REPORTER, for_colleague)
    reporter = FakeCase(kind="lex_sarah", reporter_id=user.id, registered_by_id=OFFICER.id + 100)
    for action in (Action.WORK_CASE, Action.BE_ASSIGNED, Action.EDIT_CONCERNED_STAFF, Action.JUDGE):
        assert not can(user, action, reporter), action


@pytest.mark.parametrize("user", [STAFF, INVESTIGATOR_UNIT, INVESTIGATOR_DEPT, OFFICER, ADMIN])
def test_jav_the_staff_a_report_concerns_never_see_or_handle_it(user):
    for kind in ("deviation", "lex_sarah", "complaint"):
        case = FakeCase(kind=kind, concerned_user_ids=frozenset({user.id}))
        for action in CASE_ACTIONS:
            assert not can(user, action, case), (kind, action)
        # Not through an action they are responsible for either.
        for action in (Action.VIEW_ACTION, Action.PROGRESS_ACTION):
            assert not can(user, action, FakeCaseAction(case, responsible_id=user.id)), (kind, action)
    # Someone else being concerned changes nothing for this person.
    other = FakeCase(concerned_user_ids=frozenset({999}))
    assert can(user, Action.VIEW_CASE, other) == can(user, Action.VIEW_CASE, FakeCase())


def test_the_handlers_edit_the_concerned_staff():
    case = FakeCase(kind="lex_sarah")
    users = (STAFF, INVESTIGATOR_UNIT, INVESTIGATOR_DEPT, INVESTIGATOR_OTHER, OFFICER, ADMIN)
    assert [can(u, Action.EDIT_CONCERNED_STAFF, case) for u in users] == [False, True, True, False, True, False]
    assert not can(OFFICER, Action.EDIT_CONCERNED_STAFF, FakeCase(disqualified_user_ids=frozenset({OFFICER.id})))
    assert not can(OFFICER, Action.EDIT_CONCERNED_STAFF, FakeCase(imported=True))


def test_the_reporter_of_a_bypass_report_never_answers_for_its_actions():
    case = FakeCase(kind="lex_sarah", bypass_manager=True, reporter_id=OFFICER.id)
    assert can(OFFICER, Action.VIEW_CASE, case)
    assert not can(OFFICER, Action.BE_RESPONSIBLE, case)
    assert can(OFFICER, Action.BE_RESPONSIBLE, FakeCase(kind="lex_sarah", reporter_id=OFFICER.id))


def test_the_board_role_reads_the_statistics_and_nothing_else():
    board = FakeUser("board", id=16, unit_ids=frozenset({1}))
    assert [action for action, *_roles in GENERAL if can(board, action)] == [Action.VIEW_STATISTICS]
    for action in CASE_ACTIONS:
        for kind in ("deviation", "complaint", "lex_sarah"):
            assert not can(board, action, FakeCase(kind=kind)), (action, kind)


@pytest.mark.parametrize("user", [INVESTIGATOR_UNIT, OFFICER, ADMIN])
def test_an_imported_case_is_read_but_never_worked(user):
    case = FakeCase(kind="lex_sarah")
    case.imported = True
    assert can(user, Action.VIEW_CASE, case)
    assert can(user, Action.KNOW_OF_CASE, case)
    reading = {Action.VIEW_CASE, Action.VIEW_CASE_AS_REPORTER, Action.KNOW_OF_CASE}
    for action in CASE_ACTIONS - reading:
        assert not can(user, action, case), action
    case.imported = False
    assert any(can(user, action, case) for action in CASE_ACTIONS - reading)


def test_every_workflow_move_names_the_permission_it_needs():
    from app.auth.permissions import MOVE_ACTIONS, can_move
    from app.workflow import MOVES
    assert set(MOVE_ACTIONS) == set(MOVES)
    assert can_move(OFFICER, "reopen", FakeCase()) and not can_move(INVESTIGATOR_UNIT, "reopen", FakeCase())
    assert not can_move(OFFICER, "no_such_move", FakeCase())


@pytest.mark.parametrize("move", ["close", "hand_over_to_deviation", "close_with_position"])
def test_only_the_officer_closes_a_lex_sarah_report(move):
    # The unit's manager (an investigator of the unit) may be the one the report is about.
    from app.auth.permissions import can_move
    report = FakeCase(kind="lex_sarah")
    assert can(INVESTIGATOR_UNIT, Action.WORK_CASE, report)
    assert not can_move(INVESTIGATOR_UNIT, move, report)
    assert can_move(OFFICER, move, report)
    assert not can_move(OFFICER, move, FakeCase(kind="lex_sarah", reporter_id=OFFICER.id))
    if move == "close":
        assert can_move(INVESTIGATOR_UNIT, "close", FakeCase(kind="deviation"))



@dataclass
class FakeCaseAction:
    case: FakeCase
    responsible_id: int


ON_AN_ACTION_TABLE = [
    # action, responsible, staff, inv-unit, inv-dept, inv-other, officer, admin
    (Action.VIEW_ACTION, 99, False, True, True, False, True, True),
    (Action.VIEW_ACTION, STAFF.id, True, True, True, False, True, True),
    (Action.VIEW_ACTION, INVESTIGATOR_OTHER.id, False, True, True, True, True, True),
    (Action.PROGRESS_ACTION, 99, False, True, True, False, True, False),
    (Action.PROGRESS_ACTION, STAFF.id, True, True, True, False, True, False),
    (Action.PROGRESS_ACTION, ADMIN.id, False, True, True, False, True, True),
]


@pytest.mark.parametrize(("action", "responsible", "staff", "inv_unit", "inv_dept", "inv_other", "officer",
                          "admin"), ON_AN_ACTION_TABLE)
def test_an_action_follows_its_case_and_its_responsible_person(action, responsible, staff, inv_unit, inv_dept,
                                                                inv_other, officer, admin):
    case_action = FakeCaseAction(FakeCase(), responsible_id=responsible)
    users = (STAFF, INVESTIGATOR_UNIT, INVESTIGATOR_DEPT, INVESTIGATOR_OTHER, OFFICER, ADMIN)
    assert [can(u, action, case_action) for u in users] == [staff, inv_unit, inv_dept, inv_other, officer, admin]


def test_case_actions_need_a_case():
    assert not can(OFFICER, Action.VIEW_CASE)


def test_nobody_anonymous_or_deactivated_may_do_anything():
    anonymous = FakeUser("admin", is_authenticated=False)
    deactivated = FakeUser("admin", is_active=False)
    for action in Action:
        assert not can(anonymous, action, FakeCase())
        assert not can(deactivated, action, FakeCase())
    assert not can(None, Action.FILE_REPORT)


def test_an_investigator_registers_supervision_only_for_their_own_units():
    from app.auth.permissions import may_register_supervision_for
    board = FakeUser("board", id=16)
    path = (1, 2, 5)
    assert [may_register_supervision_for(u, path) for u in
            (STAFF, INVESTIGATOR_UNIT, INVESTIGATOR_DEPT, INVESTIGATOR_OTHER, OFFICER, ADMIN, board)] == [
        False, True, True, False, True, True, False]
