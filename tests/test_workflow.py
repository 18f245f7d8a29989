"""Tests of app/workflow.py, the one state machine.

The expected answers below are written out by hand from docs/domain.md ("The
road a case takes"); they are deliberately NOT derived from workflow.MOVES, so a wrong
row in the table fails a test instead of agreeing with itself.
"""

import ast
import importlib.util
import sys
from collections import deque
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

# Load the module from its file rather than through the ``app`` package: it
# must work without Flask or the database, and ``app/__init__.py`` imports
# both. Registered as app.workflow so a later ``import app.workflow`` in the
# same process gets this very module (one Kind class, not two).
_PATH = Path(__file__).resolve().parents[1] / "app" / "workflow.py"
if "app.workflow" in sys.modules:
    wf = sys.modules["app.workflow"]
else:
    _spec = importlib.util.spec_from_file_location("app.workflow", _PATH)
    wf = importlib.util.module_from_spec(_spec)
    sys.modules["app.workflow"] = wf
    _spec.loader.exec_module(wf)

Kind, Status, MoveRefused = wf.Kind, wf.Status, wf.MoveRefused

# --------------------------------------------------------------------------
# The expected answers, by hand.
# --------------------------------------------------------------------------

SAME = "same"  # the move leaves the status unchanged

ALL_MOVE_NAMES = [
    "record_protection", "triage_investigate", "triage_not_investigate", "close_with_position",
    "propose_position", "decline_position_proposal", "assign", "declare_disqualified", "set_concerned_staff",
    "add_entry", "link_case", "record_causes_and_risk", "give_feedback", "add_reporter_information", "add_action",
    "acknowledge", "propose_judgment", "finish_investigation", "record_judgment",
    "save_ivo_draft", "finalise_notification", "notify_ivo", "record_ivo_decision_not_to_notify",
    "record_investigation_sent", "record_ivo_decision", "record_ivo_reference", "record_supplement_request",
    "record_supplement_reply", "record_informing",
    "hand_over_to_deviation", "escalate_to_lex_sarah", "record_answer",
    "record_supervision_request", "extend_supervision_deadline", "record_supervision_reply",
    "await_supervision_decision", "record_supervision_decision", "record_report_back",
    "close", "reopen",
]
ALL_KIND_VALUES = ["deviation", "complaint", "lex_sarah", "supervision"]
ALL_STATUS_VALUES = ["received", "investigating", "awaiting_judgment", "judged", "answered",
                     "answering", "awaiting_decision", "decided", "closed"]

EXPECTED_STATUSES = {
    "deviation": ("received", "investigating", "closed"),
    "complaint": ("received", "investigating", "answered", "closed"),
    "lex_sarah": ("received", "investigating", "awaiting_judgment", "judged", "closed"),
    "supervision": ("received", "answering", "awaiting_decision", "decided", "closed"),
}

# Casework allowed in every open status of every kind, leaving the status alone.
OPEN_WORK = {
    "assign": SAME, "declare_disqualified": SAME, "add_entry": SAME, "link_case": SAME,
    "record_causes_and_risk": SAME, "give_feedback": SAME, "add_action": SAME,
    "add_reporter_information": SAME,  # the reporter adds to their own report
    "set_concerned_staff": SAME,  # jäv: the staff the report concerns
}
# A complaint's acknowledgement: while its deadline step runs (received, investigating).
ACK = {"acknowledge": SAME}
# IVO's follow-up, from investigating on and also once closed; informing at any time.
IVO_FOLLOW_UP = {"record_investigation_sent": SAME, "record_ivo_decision": SAME, "record_ivo_reference": SAME,
                 "record_supplement_request": SAME, "record_supplement_reply": SAME}
INFORMING = {"record_informing": SAME}
# Lex Sarah: the immediate protection of the individual, recorded once while the report is open.
PROTECTION = {"record_protection": SAME}
# The draft, then the officer finalises (signs) it, then records how and when it was sent.
IVO_NOTICE = {"save_ivo_draft": SAME, "finalise_notification": SAME, "notify_ivo": SAME}
TRIAGE = {"triage_investigate": "investigating", "triage_not_investigate": "closed"}
# Every lex Sarah report is investigated: no "not investigate"; the officer may instead close a
# short investigation with a documented ställningstagande, before or during the investigation.
# An investigator may propose it (one open proposal at a time); the officer decides or declines it.
POSITION = {"close_with_position": "closed", "propose_position": SAME, "decline_position_proposal": SAME}
CLOSED_WORK = {"give_feedback": SAME, "reopen": "investigating"}
# A supervision case is neither triaged nor investigated by the nämnd: of the casework it has
# the handler, jäv, feedback (never offered: no reporter) and actions.
SUPERVISION_WORK = {"assign": SAME, "declare_disqualified": SAME, "give_feedback": SAME, "add_action": SAME}
NEW_REQUEST = {"record_supervision_request": "answering"}

# kind -> status -> {move allowed with every fact True: resulting status}.
# A status missing for a kind allows nothing.
EXPECTED = {
    "deviation": {
        "received": {**TRIAGE, **OPEN_WORK, "escalate_to_lex_sarah": "closed"},
        "investigating": {**OPEN_WORK, "escalate_to_lex_sarah": "closed", "close": "closed"},
        "closed": {**CLOSED_WORK},
    },
    "complaint": {
        "received": {**TRIAGE, **OPEN_WORK, **ACK, "escalate_to_lex_sarah": SAME},
        "investigating": {**OPEN_WORK, **ACK, "escalate_to_lex_sarah": SAME,
                          "record_answer": "answered", "close": "closed"},
        "answered": {**OPEN_WORK, "escalate_to_lex_sarah": SAME, "close": "closed"},
        "closed": {**CLOSED_WORK},
    },
    "lex_sarah": {
        "received": {**PROTECTION, "triage_investigate": "investigating", **POSITION, **OPEN_WORK, **INFORMING},
        "investigating": {**PROTECTION, **POSITION, **OPEN_WORK, "propose_judgment": SAME,
                          "finish_investigation": "awaiting_judgment",
                          **IVO_NOTICE, **IVO_FOLLOW_UP, **INFORMING},
        "awaiting_judgment": {**PROTECTION, **OPEN_WORK, "propose_judgment": SAME, "record_judgment": "judged",
                              **IVO_NOTICE, **IVO_FOLLOW_UP, **INFORMING},
        "judged": {**PROTECTION, **OPEN_WORK, **IVO_NOTICE, "record_ivo_decision_not_to_notify": SAME,
                   **IVO_FOLLOW_UP, **INFORMING, "hand_over_to_deviation": "closed",
                   "close": "closed"},
        "closed": {**CLOSED_WORK, **IVO_FOLLOW_UP, **INFORMING},
    },
    "supervision": {
        "received": {**SUPERVISION_WORK, **NEW_REQUEST, "record_supervision_decision": "decided"},
        "answering": {**SUPERVISION_WORK, **NEW_REQUEST, "extend_supervision_deadline": SAME,
                      "record_supervision_reply": SAME, "await_supervision_decision": "awaiting_decision"},
        "awaiting_decision": {**SUPERVISION_WORK, **NEW_REQUEST, "record_supervision_decision": "decided"},
        "decided": {**SUPERVISION_WORK, "extend_supervision_deadline": SAME, "record_report_back": SAME,
                    "close": "closed"},
        "closed": {"give_feedback": SAME, "reopen": "decided"},
    },
}

INFORMED = ("informed_client", "informed_guardian", "informed_case_file", "informed_reporter",
            "informed_work_group")
# (kind, move) -> the facts it requires; anything not listed requires none.
EXPECTED_REQUIRES = {
    **{(k, "triage_not_investigate"): ("not_investigate_reason",) for k in ("deviation", "complaint")},
    **{(k, "reopen"): ("reopen_reason",) for k in ALL_KIND_VALUES},
    **{(k, "give_feedback"): ("has_reporter",) for k in ALL_KIND_VALUES},
    ("deviation", "escalate_to_lex_sarah"): ("not_yet_escalated",),
    ("complaint", "escalate_to_lex_sarah"): ("not_yet_escalated",),
    ("complaint", "acknowledge"): ("acknowledgement_owed",),
    # Each of the nine sections addressed (an entry or "nothing to record"), causes, risk.
    ("lex_sarah", "finish_investigation"): ("has_entries", "record_sections_addressed", "causes_recorded",
                                            "risk_assessed"),
    ("lex_sarah", "save_ivo_draft"): ("not_yet_notified", "not_yet_finalised"),
    ("lex_sarah", "record_protection"): ("protection_not_recorded",),
    # Finalising (signing) needs the saved draft, the nämnd's details and every question of IVO's
    # form answered (issue 13 point 6; the first two were checks in the service, issue 12).
    ("lex_sarah", "finalise_notification"): ("not_yet_notified", "not_yet_finalised", "draft_saved",
                                             "provider_complete", "seriousness_motivated", "activity_described",
                                             "other_reports_stated", "client_informing_stated",
                                             "client_identity_settled", "board_reference_recorded",
                                             "signature_place_recorded"),
    ("lex_sarah", "notify_ivo"): ("not_yet_notified", "notification_finalised"),
    # IVO's reference is added when IVO confirms, not demanded at sending.
    ("lex_sarah", "record_ivo_reference"): ("notified", "ivo_reference_missing"),
    # IVO's requests for a supplement (komplettering), any number, each then its reply.
    ("lex_sarah", "record_supplement_request"): ("notified",),
    ("lex_sarah", "record_supplement_reply"): ("supplement_awaiting_reply",),
    ("lex_sarah", "record_ivo_decision_not_to_notify"): ("judged_serious", "ivo_undecided"),
    ("lex_sarah", "record_investigation_sent"): ("notified", "investigation_not_sent"),
    ("lex_sarah", "record_ivo_decision"): ("notified", "ivo_decision_pending"),
    # Nothing closes a lex Sarah report before each item of informing is settled and, once
    # notified, the investigation is sent to IVO (one fact per item: the refusal names them).
    ("lex_sarah", "hand_over_to_deviation"): ("judged_none", *INFORMED),
    ("lex_sarah", "close"): ("ivo_question_settled", *INFORMED, "investigation_sent_if_notified",
                             "open_actions_settled"),
    # Open actions are asked about as closing does (issue 13: the short investigation is a closing too).
    ("lex_sarah", "close_with_position"): ("position_reason", "short_investigation_documented", *INFORMED,
                                          "investigation_sent_if_notified", "open_actions_settled"),
    ("lex_sarah", "propose_position"): ("no_position_proposed",),
    ("lex_sarah", "decline_position_proposal"): ("position_proposed",),
    ("complaint", "close"): ("answer_recorded_or_not_wanted", "open_actions_settled"),
    ("deviation", "close"): ("open_actions_settled",),
    ("supervision", "extend_supervision_deadline"): ("request_open",),
    ("supervision", "record_supervision_reply"): ("request_open",),
    ("supervision", "await_supervision_decision"): ("requests_answered",),
    ("supervision", "record_supervision_decision"): ("requests_answered",),
    ("supervision", "record_report_back"): ("report_back_owed",),
    ("supervision", "close"): ("report_back_settled", "open_actions_settled"),
}
ALL_FACTS = {fact for facts in EXPECTED_REQUIRES.values() for fact in facts}
ALL_TRUE = dict.fromkeys(ALL_FACTS, True)

# The kinds a move exists for at all (else "wrong_kind"), from EXPECTED above.
KINDS_OF_MOVE = {
    name: {k for k, by_status in EXPECTED.items() if any(name in m for m in by_status.values())}
    for name in ALL_MOVE_NAMES
}

MATRIX = [(k, s, m) for k in ALL_KIND_VALUES for s in ALL_STATUS_VALUES for m in ALL_MOVE_NAMES]


def allowed_moves(kind, status):
    return EXPECTED[kind].get(status, {})


# --------------------------------------------------------------------------
# The table as a whole
# --------------------------------------------------------------------------

def test_table_has_exactly_the_expected_moves():
    assert list(wf.MOVES) == ALL_MOVE_NAMES
    assert all(move.name == name for name, move in wf.MOVES.items())


def test_enum_values():
    assert [k.value for k in Kind] == ALL_KIND_VALUES
    assert [s.value for s in Status] == ALL_STATUS_VALUES


def test_open_statuses_are_all_but_closed():
    assert wf.OPEN_STATUSES == frozenset(Status(s) for s in ALL_STATUS_VALUES if s != "closed")


def test_move_is_frozen():
    with pytest.raises(FrozenInstanceError):
        wf.MOVES["close"].target = Status.RECEIVED
    with pytest.raises(TypeError):
        wf.MOVES["close"].sources_by_kind[Kind.DEVIATION] = frozenset()


# --------------------------------------------------------------------------
# Every kind x status x move, all facts True
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kind,status,move", MATRIX)
def test_every_cell_with_all_facts_true(kind, status, move):
    expected = allowed_moves(kind, status)
    allowed, unmet = wf.check(kind, status, move, ALL_TRUE)
    assert (allowed, unmet) == (move in expected, ())
    if move in expected:
        want = status if expected[move] == SAME else expected[move]
        result = wf.next_status(kind, status, move, ALL_TRUE)
        assert result == want and isinstance(result, Status)
    else:
        want_code = "wrong_kind" if kind not in KINDS_OF_MOVE[move] else "wrong_status"
        with pytest.raises(MoveRefused) as refused:
            wf.next_status(kind, status, move, ALL_TRUE)
        assert refused.value.code == want_code
        assert refused.value.unmet == ()


@pytest.mark.parametrize("kind,status,move",
                         [c for c in MATRIX if c[2] in allowed_moves(c[0], c[1])])
def test_every_allowed_cell_with_no_facts_lists_exactly_its_requirements(kind, status, move):
    requires = EXPECTED_REQUIRES.get((kind, move), ())
    assert wf.check(kind, status, move, {}) == (not requires, requires)
    assert wf.check(kind, status, move) == (not requires, requires)  # default facts


@pytest.mark.parametrize("kind", ALL_KIND_VALUES)
@pytest.mark.parametrize("status", ALL_STATUS_VALUES)
def test_available_moves_in_table_order(kind, status):
    names = [m.name for m in wf.available_moves(kind, status, ALL_TRUE)]
    assert names == [n for n in ALL_MOVE_NAMES if n in allowed_moves(kind, status)]
    assert all(isinstance(m, wf.Move) for m in wf.available_moves(kind, status, ALL_TRUE))


@pytest.mark.parametrize("kind", ALL_KIND_VALUES)
@pytest.mark.parametrize("status", ALL_STATUS_VALUES)
def test_available_moves_without_facts_leaves_out_moves_with_requirements(kind, status):
    names = {m.name for m in wf.available_moves(kind, status)}
    assert names == {n for n in allowed_moves(kind, status) if (kind, n) not in EXPECTED_REQUIRES}


# --------------------------------------------------------------------------
# Requirements: each one, when False (or missing), refuses and is named
# --------------------------------------------------------------------------

REQUIREMENT_CASES = [
    (kind, status, move, fact)
    for (kind, move), facts in EXPECTED_REQUIRES.items()
    for status, moves in EXPECTED[kind].items() if move in moves
    for fact in facts
]


def test_requirement_cases_cover_every_requirement():
    # Guards the parametrization below against silently becoming empty.
    assert {c[3] for c in REQUIREMENT_CASES} == ALL_FACTS
    assert len(REQUIREMENT_CASES) == (2 + 3                # triage_not_investigate (D, C), reopen
                                      + 4 + 3 + 5           # give_feedback in D, C, L
                                      + 2 + 3               # escalate: D, C
                                      + 2 + 4               # acknowledge, finish_investigation
                                      + 3 * 2 + 3 * 11 + 3 * 2  # save_ivo_draft, finalise_notification
                                      # (two facts and the nine of a complete notification), notify_ivo
                                      + 2 * 1               # not_to_notify: two facts, one status
                                      + 2 * 4 + 2 * 4 + 2 * 4  # investigation sent, IVO decision, IVO reference
                                      + 1 * 4 + 1 * 4       # supplement request and reply
                                      + 1 * 6               # hand over: judged_none, five informing items
                                      + 2 * 2 + 1 * 8 + 1   # close (C: 2 facts in 2; L: IVO, informing,
                                      # investigation, open actions; D: open actions)
                                      + 2 * 9               # close_with_position: 9 facts, two statuses
                                      + 2 + 2               # propose_position, decline_position_proposal
                                      + 4                   # record_protection: four open statuses
                                      # supervision: reopen, give_feedback, extension, reply,
                                      # awaiting the decision, decision, report-back, close (two facts)
                                      + 1 + 5 + 2 + 1 + 1 + 2 + 1 + 2)


def test_requirements_lists_every_fact_of_the_table():
    assert wf.REQUIREMENTS == ALL_FACTS
    assert wf.FORM_FACTS == {"not_investigate_reason", "reopen_reason", "open_actions_confirmed", "position_reason"}


@pytest.mark.parametrize("kind,status", [("deviation", "investigating"), ("complaint", "answered"),
                                         ("lex_sarah", "judged")])
def test_open_actions_are_settled_by_none_open_or_by_the_persons_confirmation(kind, status):
    # Moved into the table from app.actions.services (the rule itself is unchanged).
    facts = {f: True for f in ALL_FACTS if f != "open_actions_settled"}
    assert wf.check(kind, status, "close", facts) == (False, ("open_actions_settled",))
    assert wf.check(kind, status, "close", {**facts, "no_open_actions": True}) == (True, ())
    assert wf.check(kind, status, "close", {**facts, "open_actions_confirmed": True}) == (True, ())
    assert wf.check(kind, status, "close", {**facts, "no_open_actions": False,
                                            "open_actions_confirmed": False}) == (False, ("open_actions_settled",))


@pytest.mark.parametrize("kind,status,move,fact", REQUIREMENT_CASES)
@pytest.mark.parametrize("absent", ["false", "missing"])
def test_unmet_requirement_refuses_and_is_named(kind, status, move, fact, absent):
    facts = dict(ALL_TRUE)
    if absent == "false":
        facts[fact] = False
    else:
        del facts[fact]
    assert wf.check(kind, status, move, facts) == (False, (fact,))
    assert move not in {m.name for m in wf.available_moves(kind, status, facts)}
    with pytest.raises(MoveRefused) as refused:
        wf.next_status(kind, status, move, facts)
    assert refused.value.code == "unmet_requirements"
    assert refused.value.unmet == (fact,)
    assert (refused.value.move, refused.value.kind, refused.value.status) == (move, kind, status)


def test_nothing_closes_a_lex_sarah_report_before_its_duties_are_done():
    # Judged and the IVO question settled is not enough: the refusal names each missing duty.
    allowed, unmet = wf.check("lex_sarah", "judged", "close", {"ivo_question_settled": True, "informed_client": True,
                                                               "no_open_actions": True})
    assert not allowed
    assert unmet == ("informed_guardian", "informed_case_file", "informed_reporter", "informed_work_group",
                     "investigation_sent_if_notified")
    assert wf.check("lex_sarah", "received", "triage_not_investigate", ALL_TRUE) == (False, ())


def test_truthy_fact_values_count_as_true():
    assert wf.check("complaint", "investigating", "close", {"answer_recorded_or_not_wanted": 1,
                                                            "no_open_actions": 1}) == (True, ())
    unmet = wf.check("complaint", "investigating", "close", {"answer_recorded_or_not_wanted": 0, "no_open_actions": 1})
    assert unmet == (False, ("answer_recorded_or_not_wanted",))


# --------------------------------------------------------------------------
# Refusal codes
# --------------------------------------------------------------------------

def refusal(kind, status, move, facts=ALL_TRUE):
    with pytest.raises(MoveRefused) as refused:
        wf.next_status(kind, status, move, facts)
    return refused.value


def test_unknown_move():
    err = refusal("complaint", "investigating", "approve_everything")
    assert (err.code, err.move, err.kind, err.status, err.unmet) == (
        "unknown_move", "approve_everything", Kind.COMPLAINT, Status.INVESTIGATING, ())
    assert wf.check("complaint", "investigating", "approve_everything", ALL_TRUE) == (False, ())


def test_wrong_kind():
    err = refusal("deviation", "investigating", "record_answer")
    assert (err.code, err.kind, err.status) == ("wrong_kind", Kind.DEVIATION, Status.INVESTIGATING)
    assert refusal("complaint", "awaiting_judgment", "record_judgment").code == "wrong_kind"
    assert refusal("lex_sarah", "investigating", "escalate_to_lex_sarah").code == "wrong_kind"


def test_wrong_status():
    assert refusal("complaint", "received", "record_answer").code == "wrong_status"
    assert refusal("lex_sarah", "investigating", "close").code == "wrong_status"
    assert refusal("deviation", "closed", "assign").code == "wrong_status"
    assert refusal("lex_sarah", "received", "notify_ivo").code == "wrong_status"


def test_a_status_outside_the_kinds_flow_allows_nothing():
    # A deviation is never "judged", so even "any open status" moves are refused.
    assert wf.available_moves("deviation", "judged", ALL_TRUE) == []
    assert refusal("deviation", "judged", "assign").code == "wrong_status"
    assert refusal("deviation", "answered", "escalate_to_lex_sarah").code == "wrong_status"


def test_wrong_status_wins_over_unmet_requirements():
    # Each refusal has one code: the status is checked before the facts.
    assert refusal("lex_sarah", "received", "notify_ivo", {}).code == "wrong_status"


def test_a_move_with_two_requirements_names_both_when_both_are_unmet():
    assert wf.check("lex_sarah", "judged", "record_ivo_decision_not_to_notify", {}) == (
        False, ("judged_serious", "ivo_undecided"))
    assert wf.check("lex_sarah", "closed", "record_investigation_sent", {"notified": True}) == (
        False, ("investigation_not_sent",))


# --------------------------------------------------------------------------
# Deadline steps: which statuses each one runs in
# --------------------------------------------------------------------------

EXPECTED_STEPS = {
    # The immediate protection: while open (and until recorded: STEP_DONE_UNLESS), first.
    "lex_sarah": {"protection": {"received", "investigating", "awaiting_judgment", "judged"},
                  "triage": {"received"}, "investigation": {"received", "investigating"}},
    "deviation": {"handling": {"received", "investigating"}},
    "complaint": {"acknowledgement": {"received", "investigating"}, "answer": {"received", "investigating"}},
    "supervision": {},  # the authority's dates, per request (app/supervision/deadlines.py)
}


@pytest.mark.parametrize("kind", ALL_KIND_VALUES)
def test_deadline_steps_and_the_statuses_they_run_in(kind):
    assert wf.deadline_steps(kind) == tuple(EXPECTED_STEPS[kind])
    for step, running in EXPECTED_STEPS[kind].items():
        for status in ALL_STATUS_VALUES:
            assert wf.step_runs(kind, step, status) is (status in running), (kind, step, status)


def test_the_protection_step_ends_with_the_fact_its_move_requires():
    # Recorded once (record_protection requires the fact); its deadline step is done from then on.
    assert dict(wf.STEP_DONE_UNLESS) == {("lex_sarah", "protection"): "protection_not_recorded"}
    assert wf.MOVES["record_protection"].requires == ("protection_not_recorded",)


def test_acknowledge_runs_exactly_while_the_acknowledgement_step_runs():
    assert wf.MOVES["acknowledge"].sources_for("complaint") == {
        Status(s) for s in EXPECTED_STEPS["complaint"]["acknowledgement"]}


def test_check_never_raises_on_unknown_values():
    assert wf.check("inspection", "received", "assign") == (False, ())
    assert wf.check("deviation", "lost", "assign") == (False, ())


def test_next_status_rejects_unknown_kind_or_status_values():
    with pytest.raises(ValueError):
        wf.next_status("inspection", "received", "assign")
    with pytest.raises(ValueError):
        wf.next_status("deviation", "lost", "assign")


def test_move_refused_is_an_exception_with_a_readable_message():
    err = refusal("lex_sarah", "judged", "close", {})
    assert isinstance(err, Exception)
    assert "ivo_question_settled" in str(err) and "close" in str(err)


# --------------------------------------------------------------------------
# next_status: the notable results, spelled out
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kind,status,move,want", [
    ("deviation", "received", "triage_investigate", "investigating"),
    ("deviation", "received", "triage_not_investigate", "closed"),
    ("lex_sarah", "received", "close_with_position", "closed"),
    ("lex_sarah", "investigating", "close_with_position", "closed"),
    ("deviation", "investigating", "escalate_to_lex_sarah", "closed"),
    ("complaint", "investigating", "escalate_to_lex_sarah", "investigating"),
    ("complaint", "answered", "escalate_to_lex_sarah", "answered"),
    ("complaint", "investigating", "record_answer", "answered"),
    ("complaint", "investigating", "close", "closed"),
    ("complaint", "answered", "close", "closed"),
    ("deviation", "investigating", "close", "closed"),
    ("lex_sarah", "investigating", "finish_investigation", "awaiting_judgment"),
    ("lex_sarah", "awaiting_judgment", "record_judgment", "judged"),
    ("lex_sarah", "judged", "notify_ivo", "judged"),
    ("lex_sarah", "judged", "hand_over_to_deviation", "closed"),
    ("lex_sarah", "judged", "close", "closed"),
    ("lex_sarah", "closed", "record_ivo_decision", "closed"),
    ("lex_sarah", "closed", "record_investigation_sent", "closed"),
    ("lex_sarah", "closed", "record_informing", "closed"),
    ("complaint", "closed", "reopen", "investigating"),
    ("deviation", "closed", "give_feedback", "closed"),
    ("supervision", "received", "record_supervision_request", "answering"),
    ("supervision", "answering", "record_supervision_reply", "answering"),
    ("supervision", "answering", "await_supervision_decision", "awaiting_decision"),
    ("supervision", "awaiting_decision", "record_supervision_request", "answering"),
    ("supervision", "received", "record_supervision_decision", "decided"),
    ("supervision", "awaiting_decision", "record_supervision_decision", "decided"),
    ("supervision", "decided", "record_report_back", "decided"),
    ("supervision", "decided", "close", "closed"),
    ("supervision", "closed", "reopen", "decided"),
])
def test_next_status(kind, status, move, want):
    assert wf.next_status(kind, status, move, ALL_TRUE) == Status(want)


def test_enums_and_strings_are_interchangeable():
    assert wf.next_status(Kind.LEX_SARAH, Status.JUDGED, "close", ALL_TRUE) is Status.CLOSED
    assert wf.next_status("lex_sarah", "judged", "close", ALL_TRUE) is Status.CLOSED
    assert wf.check(Kind.COMPLAINT, "answered", "close", ALL_TRUE) == (True, ())
    assert wf.statuses_for(Kind.COMPLAINT) == wf.statuses_for("complaint")
    assert ([m.name for m in wf.available_moves(Kind.DEVIATION, Status.RECEIVED)]
            == [m.name for m in wf.available_moves("deviation", "received")])


def test_per_kind_targets_are_readable_from_the_move():
    move = wf.MOVES["escalate_to_lex_sarah"]
    assert move.target_for("deviation") is Status.CLOSED
    assert move.target_for(Kind.COMPLAINT) is None
    close = wf.MOVES["close"]
    assert close.sources_for("lex_sarah") == {Status.JUDGED}
    assert close.requires_for("deviation") == ("open_actions_settled",)


# --------------------------------------------------------------------------
# Statuses per kind, and that the table can reach all of them
# --------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ALL_KIND_VALUES)
def test_statuses_for(kind):
    statuses = wf.statuses_for(kind)
    assert statuses == tuple(Status(s) for s in EXPECTED_STATUSES[kind])
    assert all(isinstance(s, Status) for s in statuses)


def test_only_lex_sarah_awaits_judgment():
    assert Status.AWAITING_JUDGMENT in wf.statuses_for("lex_sarah")
    assert Status.AWAITING_JUDGMENT not in wf.statuses_for("deviation")
    assert Status.ANSWERED in wf.statuses_for("complaint")
    assert Status.ANSWERED not in wf.statuses_for("lex_sarah")


@pytest.mark.parametrize("kind", ALL_KIND_VALUES)
def test_every_status_is_reachable_from_received(kind):
    reached, todo = {Status.RECEIVED}, deque([Status.RECEIVED])
    while todo:
        status = todo.popleft()
        for move in wf.available_moves(kind, status, ALL_TRUE):
            after = wf.next_status(kind, status, move.name, ALL_TRUE)
            if after not in reached:
                reached.add(after)
                todo.append(after)
    assert reached == {Status(s) for s in EXPECTED_STATUSES[kind]}
    assert reached == set(wf.statuses_for(kind))


# --------------------------------------------------------------------------
# Labels and purity
# --------------------------------------------------------------------------

def test_the_machine_has_no_words():
    # Its Swedish labels are in app/labels.py (tests/test_vocabulary.py); the machine stays pure.
    assert not hasattr(wf, "STATUS_LABELS") and not hasattr(wf, "MOVE_LABELS")


def test_module_imports_only_the_standard_library():
    tree = ast.parse(_PATH.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports (nothing from the app)"
            imported.add(node.module.split(".")[0])
    assert imported, "parsed no imports at all?"
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
