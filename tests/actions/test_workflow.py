"""The action workflow as a table: every status × every move, with and without its requirements."""

import pytest

from app.actions import workflow
from app.actions.workflow import ActionMoveRefused, ActionStatus

P, IP, D, C = ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED
ALL_FACTS = {"completed_on": True, "cancel_reason": True, "not_followed_up": True, "follow_up_result": True}

# status, move, the status after it (None: refused)
TABLE = [
    (P, "start", IP), (IP, "start", None), (D, "start", None), (C, "start", None),
    (P, "complete", D), (IP, "complete", D), (D, "complete", None), (C, "complete", None),
    (P, "cancel", C), (IP, "cancel", C), (D, "cancel", None), (C, "cancel", None),
    (P, "edit", P), (IP, "edit", IP), (D, "edit", None), (C, "edit", None),
    (P, "follow_up", None), (IP, "follow_up", None), (D, "follow_up", D), (C, "follow_up", None),
]


def test_the_table_covers_every_status_and_every_move():
    assert {(s, m) for s, m, _ in TABLE} == {(s, m) for s in ActionStatus for m in workflow.MOVES}


@pytest.mark.parametrize(("status", "move", "after"), TABLE)
def test_every_status_and_move(status, move, after):
    allowed, unmet = workflow.check(status, move, ALL_FACTS)
    assert allowed is (after is not None)
    assert unmet == ()
    assert (move in workflow.available_moves(status)) is (after is not None)
    if after is None:
        with pytest.raises(ActionMoveRefused) as refused:
            workflow.next_status(status, move, ALL_FACTS)
        assert refused.value.code == "wrong_status"
    else:
        assert workflow.next_status(status, move, ALL_FACTS) is after


@pytest.mark.parametrize(("status", "move", "requirement"), [
    (P, "complete", "completed_on"), (IP, "complete", "completed_on"),
    (P, "cancel", "cancel_reason"), (IP, "cancel", "cancel_reason"),
    (D, "follow_up", "not_followed_up"), (D, "follow_up", "follow_up_result"),
])
def test_a_missing_fact_refuses_the_move(status, move, requirement):
    facts = dict(ALL_FACTS, **{requirement: False})
    assert workflow.check(status, move, facts) == (False, (requirement,))
    with pytest.raises(ActionMoveRefused) as refused:
        workflow.next_status(status, move, facts)
    assert refused.value.code == "unmet_requirements"
    assert refused.value.unmet == (requirement,)
    # Forgetting to pass the facts at all refuses too.
    assert workflow.check(status, move)[0] is False


@pytest.mark.parametrize("current", list(ActionStatus))
@pytest.mark.parametrize("target", list(ActionStatus))
def test_the_move_to_a_chosen_status(current, target):
    expected = {(P, IP): "start", (P, D): "complete", (IP, D): "complete", (P, C): "cancel", (IP, C): "cancel"}
    assert workflow.move_for_target(current, target) == expected.get((current, target))


def test_cancelled_never_becomes_done_and_unknown_input_is_refused_without_raising():
    assert workflow.move_for_target("cancelled", "done") is None
    assert workflow.move_for_target("nonsense", "done") is None
    assert workflow.check("nonsense", "start") == (False, ())
    with pytest.raises(ActionMoveRefused) as refused:
        workflow.next_status(P, "teleport")
    assert refused.value.code == "unknown_move"


def test_every_status_and_result_has_swedish_words():
    from app.actions.labels import RESULT_LABELS, STATUS_LABELS
    assert set(STATUS_LABELS) == set(ActionStatus)
    assert set(RESULT_LABELS) == set(workflow.FollowUpResult)
