"""The actions' commands follow the one command contract (app/commands.py): load by id,
permission, version, the action's own machine, one commit."""

from datetime import date

import pytest
from sqlalchemy import select

from app import clock, commands
from app.actions import services
from app.actions import workflow as action_workflow
from app.audit import AuditEvent
from app.auth.permissions import ACTION_MOVE_ACTIONS, PermissionDenied
from app.extensions import db
from tests.actions.conftest import SOON, add, user


def test_every_move_of_the_action_machine_has_its_permission():
    assert set(ACTION_MOVE_ACTIONS) == set(action_workflow.MOVES)


def test_every_form_fact_is_a_requirement_of_the_machine():
    required = {r for move in action_workflow.MOVES.values() for r in move.requires}
    assert action_workflow.FORM_FACTS <= required
    assert required - action_workflow.FORM_FACTS == {"not_followed_up"}  # app.facts.facts_for_action


def test_unknown_and_out_of_range_ids_are_not_found(case):
    for action_id in (999999, 0, -1, 2**31, 10**20):
        with pytest.raises(commands.ActionNotFound):
            services.update_action_status(user("erik"), action_id, "in_progress", expected_version=1)


def test_out_of_range_ids_in_a_url_are_404(case, login_as):
    erik = login_as("erik")
    for path in ("/atgarder/99999999999", "/atgarder/99999999999/andra"):
        assert erik.get(path).status_code == 404, path
    assert erik.post("/atgarder/99999999999/status", data={"status": "in_progress"}).status_code == 404


def test_permission_comes_before_the_version(case):
    action = add(case)
    with pytest.raises(PermissionDenied):
        services.update_action_status(user("ulla"), action.id, "in_progress", expected_version=action.version - 1)


def test_a_stale_version_is_a_conflict_carrying_the_action_as_it_is_now(case):
    action = add(case)
    old = action.version
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "in_progress", expected_version=old)
        with pytest.raises(services.ActionConflict) as conflict:
            services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                          expected_version=old)
    assert conflict.value.action.id == action.id and conflict.value.action.status == "in_progress"
    # The conflict page shows the action as it is now: a view, logged like any other.
    viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.viewed")).all()
    assert [e.detail.get("page") for e in viewed] == ["conflict"]


def test_each_command_moves_the_version_once(case):
    action = add(case)
    before = action.version
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "in_progress", expected_version=before)
    assert action.version == before + 1


def test_the_conflict_page_carries_the_current_version_so_the_change_can_be_sent_again(case, login_as):
    import re
    action = add(case)
    old = action.version
    erik = login_as("erik")
    with clock.frozen(SOON):
        erik.post(f"/atgarder/{action.id}/status", data={"status": "in_progress", "version": old})
        db.session.expire_all()
        current = db.session.get(type(action), action.id).version
        for path, data, field_id in [
                (f"/atgarder/{action.id}/status", {"status": "cancelled", "cancel_reason": "Gammal flik."},
                 "status-version"),
                (f"/atgarder/{action.id}/andra", {"type_id": action.type_id, "description": "Gammal flik",
                                                  "responsible_id": user("erik").id, "due_on": "2026-04-01"},
                 "version")]:
            html = erik.post(path, data={**data, "version": old}).get_data(as_text=True)
            sent = re.search(rf'id="{field_id}" name="version" type="hidden" value="(\d+)"', html)
            assert sent and int(sent.group(1)) == current, path
        response = erik.post(f"/atgarder/{action.id}/status", data={
            "status": "cancelled", "cancel_reason": "Gammal flik.", "version": current})
    assert response.status_code == 302
