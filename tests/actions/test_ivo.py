"""IVO decisions with demands for measures create actions linked to the decision, in the same
transaction that records the decision (app.lexsarah sends `ivo_demanded_measures`)."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app import clock
from app.actions import services
from app.actions.models import CaseAction
from app.auth.permissions import PermissionDenied
from app.extensions import db
from app.lexsarah import notification
from tests.actions.conftest import action_type
from tests.lexsarah.helpers import draft, judge, loaded, make_case, notify, reload, set_provider, user

DECIDED = datetime(2026, 6, 10, 9, 0)


@pytest.fixture
def notified(demo):
    set_provider()
    case = make_case()
    judge(case)
    draft(case)
    notify(case)
    return reload(case)


def _actions() -> list[CaseAction]:
    return list(db.session.scalars(select(CaseAction).order_by(CaseAction.id)))


def _decide(case, outcome: str, text: str = "IVO kräver att rutinen för läkemedel ses över.", who: str = "sara"):
    with clock.frozen(DECIDED):
        notification.record_ivo_decision(user(who), **loaded(case), outcome=outcome, decided_on=date(2026, 6, 9),
                                         text=text)


def test_demands_for_measures_plan_an_action_linked_to_the_decision(notified):
    case = notified
    case.assigned_to = user("erik")
    db.session.commit()
    _decide(case, "demands")
    [action] = _actions()
    assert action.case_id == case.id and action.origin == "ivo_decision"
    assert action.description == ("Åtgärder som IVO kräver i sitt beslut 2026-06-09: "
                                  "IVO kräver att rutinen för läkemedel ses över.")
    assert (action.status, action.due_on, action.type.name) == ("planned", date(2026, 7, 9), "Övrigt")
    assert action.responsible.username == "erik"  # the case's handler
    assert action.created_by.username == "sara"
    events = [e.event for e in reload(case).journal]
    assert events[-3:] == ["ivo_decision", "ivo_demands_measures", "action_added"]
    assert reload(case).lex_sarah_ivo.ivo_outcome == "demands"


@pytest.mark.parametrize("outcome", ["no_criticism", "criticism"])
def test_other_decisions_plan_nothing(notified, outcome):
    _decide(notified, outcome)
    assert _actions() == []


def test_without_a_handler_the_officer_recording_the_decision_answers_for_it(notified):
    _decide(notified, "demands")
    assert _actions()[0].responsible.username == "sara"


def test_a_decision_after_closing_still_plans_the_action(notified):
    case = notified
    case.status = "closed"
    db.session.commit()
    _decide(case, "demands")
    assert len(_actions()) == 1


def test_the_decision_and_the_action_are_saved_together_or_not_at_all(notified):
    # With no action type to use, the action cannot be planned: the decision is not saved either.
    for action_type_row in db.session.scalars(select(type(action_type("Övrigt")))):
        action_type_row.active = False
    db.session.commit()
    with pytest.raises(services.ActionError):
        _decide(notified, "demands")
    db.session.rollback()
    assert reload(notified).lex_sarah_ivo.ivo_outcome is None
    assert db.session.scalar(select(func.count()).select_from(CaseAction)) == 0


def test_the_hook_checks_the_permission_and_the_values(notified):
    demand = services.IvoDemand(description="Ny rutin för läkemedel.", due_on=date(2026, 7, 1))
    with pytest.raises(PermissionDenied):
        services.create_actions_for_ivo_demands(notified, user("erik"), demands=[demand])
    with pytest.raises(services.ActionError):
        services.create_actions_for_ivo_demands(notified, user("sara"), demands=[
            services.IvoDemand(description="För tidigt.", due_on=date(2026, 3, 1))])
    db.session.rollback()
    created = services.create_actions_for_ivo_demands(notified, user("sara"), demands=[
        demand, services.IvoDemand(description="Utbildning.", due_on=date(2026, 8, 1),
                                   type_id=action_type("Utbildning").id, responsible_id=user("anna").id)])
    db.session.commit()
    assert [(a.type.name, a.responsible.username, a.origin) for a in created] == [
        ("Övrigt", "sara", "ivo_decision"), ("Utbildning", "anna", "ivo_decision")]
