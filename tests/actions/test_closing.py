"""Closing a case with actions still planned or in progress needs an explicit confirmation
with a reason, which is journaled (the requirement "open_actions_settled" of the case table,
app/workflow.py, met by no open action or by the person's confirmation with a reason)."""

from datetime import date

import pytest
from sqlalchemy import select

from app import clock
from app.actions import services
from app.audit import AuditEvent
from app.cases.casework import services as case_services
from app.cases.models import Case, JournalEvent
from app.extensions import db
from tests.actions.conftest import SOON, add, user


def _close(case, **confirmation):
    with clock.frozen(SOON):
        return case_services.close_case(user("erik"), case.reference, summary="Utrett och åtgärdat.",
                                        expected_version=case.version, **confirmation)


def _events(case) -> list[str]:
    return [e.event for e in db.session.scalars(select(JournalEvent).where(JournalEvent.case_id == case.id)
                                                .order_by(JournalEvent.id))]


def _reloaded(case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def test_a_case_without_open_actions_closes_as_usual(case):
    done, cancelled = add(case), add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), done.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=done.version)
        services.update_action_status(user("erik"), cancelled.id, "cancelled", cancel_reason="Behövs inte.",
                                      expected_version=cancelled.version)
    assert services.open_actions_count(case) == 0
    _close(case)
    assert _reloaded(case).status == "closed"
    assert "closed_with_open_actions" not in _events(case)


@pytest.mark.parametrize("confirmation", [
    {},
    {"confirm_open_actions": True},
    {"confirm_open_actions": True, "open_actions_reason": "   "},
    {"confirm_open_actions": False, "open_actions_reason": "Följs upp i verksamhetsplanen."},
])
def test_open_actions_refuse_closing_without_confirmation_and_reason(case, confirmation):
    add(case)
    in_progress = add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), in_progress.id, "in_progress", expected_version=in_progress.version)
    with pytest.raises(case_services.CaseWorkError) as refused:
        _close(case, **confirmation)
    assert refused.value.field == "open_actions_reason"
    assert refused.value.message.startswith("Ärendet har 2 åtgärder som är planerade eller pågår.")
    db.session.rollback()
    assert _reloaded(case).status == "investigating"
    assert "closed" not in _events(case)


def test_confirmed_with_a_reason_closes_and_journals_the_confirmation(case):
    first, second = add(case), add(case)
    _close(case, confirm_open_actions=True, open_actions_reason="Åtgärderna följs i enhetens handlingsplan.")
    case = _reloaded(case)
    assert case.status == "closed"
    assert _events(case)[-2:] == ["closed_with_open_actions", "closed"]
    confirmation = db.session.scalar(select(JournalEvent).where(JournalEvent.event == "closed_with_open_actions"))
    assert confirmation.text == "Åtgärderna följs i enhetens handlingsplan."
    assert confirmation.detail == {"open_actions": 2, "action_ids": [first.id, second.id]}
    assert confirmation.actor_name == "Erik Eriksson"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.closed_with_open_actions"))
    # The actions stay open and can still be completed after the case is closed.
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), first.id, "done", completed_on=date(2026, 3, 10),
                                      expected_version=first.version)


def test_the_close_page_refuses_with_the_message(case, login_as):
    add(case)
    erik = login_as("erik")
    with clock.frozen(SOON):
        response = erik.post(f"/arenden/{case.reference}/avsluta",
                             data={"summary": "Utrett.", "version": case.version})
    html = response.get_data(as_text=True)
    assert response.status_code in (409, 422)
    assert "Ärendet har 1 åtgärd som är planerad eller pågår." in html
    assert _reloaded(case).status == "investigating"


def test_the_close_page_asks_for_the_confirmation_only_when_actions_are_open(case, login_as):
    erik = login_as("erik")
    with clock.frozen(SOON):
        assert "confirm_open_actions" not in erik.get(f"/arenden/{case.reference}/avsluta").get_data(as_text=True)
        add(case)
        page = erik.get(f"/arenden/{case.reference}/avsluta").get_data(as_text=True)
        assert 'name="confirm_open_actions"' in page and 'name="open_actions_reason"' in page
        response = erik.post(f"/arenden/{case.reference}/avsluta", data={
            "summary": "Utrett.", "version": _reloaded(case).version, "confirm_open_actions": "y",
            "open_actions_reason": "Följs i handlingsplanen."})
    assert response.status_code == 302
    assert _reloaded(case).status == "closed"
    assert _events(case)[-2:] == ["closed_with_open_actions", "closed"]
