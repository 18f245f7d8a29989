"""Adding, re-planning, moving and following up actions through the services, on a real database."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from app import clock
from app.actions import services
from app.actions.models import CaseAction
from app.audit import AuditEvent
from app.auth.permissions import PermissionDenied
from app.cases.models import JournalEvent
from app.extensions import db
from tests.actions.conftest import REPORT_DAY, SOON, action_type, add, make_case, user


def _journal(case, event: str) -> list[JournalEvent]:
    return list(db.session.scalars(select(JournalEvent).where(JournalEvent.case_id == case.id,
                                                              JournalEvent.event == event)))


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CaseAction))


def _refused(case, field: str, **overrides) -> str:
    """Try to add an action with one bad value; return the message, and check nothing was stored."""
    before = _count()
    values = {"type_id": action_type("Ny rutin").id, "description": "Ny rutin för överlämning.",
              "responsible_id": user("erik").id, "due_on": date(2026, 4, 1)}
    values.update(overrides)
    with clock.frozen(SOON), pytest.raises(services.ActionError) as refused:
        services.add_action(user("erik"), case.reference, **values)
    assert refused.value.field == field
    db.session.rollback()
    assert _count() == before
    return refused.value.message


def test_adding_an_action_journals_and_audits_it(case):
    action = add(case, responsible="anna", due_on=date(2026, 4, 15))
    assert (action.status, action.responsible.username, action.due_on) == ("planned", "anna", date(2026, 4, 15))
    assert action.created_by.username == "erik" and action.created_at == SOON
    [event] = _journal(case, "action_added")
    assert event.actor_name == "Erik Eriksson"
    assert event.text == action.description
    assert event.detail["action_id"] == action.id and event.detail["type"] == "Utbildning"
    [audited] = _audit("action.added")
    assert audited.object_id == str(action.id) and audited.detail["case"] == case.reference


@pytest.mark.parametrize("status", ["received", "investigating"])
def test_a_deviation_being_handled_takes_actions(demo, status):
    add(make_case(status=status))


@pytest.mark.parametrize("status", ["awaiting_judgment", "judged"])
def test_a_lex_sarah_report_being_judged_takes_actions(demo, status):
    add(make_case("lex_sarah", status=status))


def test_a_closed_case_takes_no_new_actions(demo):
    case = make_case(status="closed")
    message = _refused(case, None)
    assert "avslutat" in message


def test_due_date_before_the_report_date_is_refused(case):
    message = _refused(case, "due_on", due_on=date(2026, 3, 1))
    assert message == "Slutdatumet kan inte vara före ärendets rapportdatum (2026-03-02)."
    # The report date itself is fine.
    add(case, due_on=REPORT_DAY)


def test_the_report_date_is_the_swedish_day(demo):
    # Reported 23:30 UTC on 1 March is 00:30 on 2 March in Stockholm.
    case = make_case(reported=datetime(2026, 3, 1, 23, 30))
    assert services.report_date(case) == date(2026, 3, 2)
    _refused(case, "due_on", due_on=date(2026, 3, 1))


def test_the_responsible_person_must_belong_to_the_case_unit_or_above(case):
    # ulla works for Unga; the case is in Vuxna › Boendestöd.
    message = _refused(case, "responsible_id", responsible_id=user("ulla").id)
    assert "enhet" in message
    # anna (Boendestöd), erik (Vuxna) and sara (the administration) may all answer for it.
    for username in ("anna", "erik", "sara"):
        add(case, responsible=username)
    assert {p.username for p in services.responsible_candidates(case)} == {"anna", "erik", "sara", "admin"}


def test_a_deactivated_person_cannot_be_made_responsible(case):
    user("anna").active = False
    db.session.commit()
    _refused(case, "responsible_id", responsible_id=user("anna").id)
    assert "anna" not in {p.username for p in services.responsible_candidates(case)}


@pytest.mark.parametrize(("field", "override"), [
    ("description", {"description": "   "}),
    ("description", {"description": "x" * (services.MAX_DESCRIPTION + 1)}),
    ("type_id", {"type_id": None}),
    ("type_id", {"type_id": 999999}),
    ("responsible_id", {"responsible_id": None}),
    ("responsible_id", {"responsible_id": 999999}),
    ("due_on", {"due_on": None}),
])
def test_missing_or_unknown_values_are_refused(case, field, override):
    _refused(case, field, **override)


def test_an_inactive_type_is_refused_for_new_actions_but_kept_on_old_ones(case):
    action = add(case, type_name="Organisation")
    action_type("Organisation").active = False
    db.session.commit()
    _refused(case, "type_id", type_id=action_type("Organisation").id)
    with clock.frozen(SOON):
        services.update_action(user("erik"), action.id, type_id=action.type_id, description="Ny beskrivning.",
                               responsible_id=action.responsible_id, due_on=action.due_on,
                               expected_version=action.version)
    assert action.description == "Ny beskrivning."


def test_someone_who_does_not_work_the_case_may_not_add(case):
    for username in ("anna", "ulla", "admin"):
        with pytest.raises(PermissionDenied):
            services.add_action(user(username), case.reference, type_id=action_type("Övrigt").id, description="x",
                                responsible_id=user("erik").id, due_on=date(2026, 4, 1))
    assert _count() == 0


def test_replanning_journals_what_changed(case):
    action = add(case)
    with clock.frozen(SOON):
        services.update_action(user("erik"), action.id, type_id=action_type("Ny rutin").id,
                               description=action.description, responsible_id=user("anna").id,
                               due_on=date(2026, 5, 1), expected_version=action.version)
    [event] = _journal(case, "action_updated")
    assert event.detail["changes"] == {"type": {"from": "Utbildning", "to": "Ny rutin"},
                                       "responsible": {"from": "Erik Eriksson", "to": "Anna Andersson"},
                                       "due_on": {"from": "2026-04-01", "to": "2026-05-01"}}
    assert _audit("action.updated")[0].detail["changes"] == event.detail["changes"]


def test_replanning_an_older_version_is_a_conflict(case):
    action = add(case)
    old_version = action.version
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "in_progress", expected_version=action.version)
        with pytest.raises(services.ActionConflict):
            services.update_action(user("erik"), action.id, type_id=action.type_id, description="Skrivs över?",
                                   responsible_id=action.responsible_id, due_on=action.due_on,
                                   expected_version=old_version)
    db.session.refresh(action)
    assert action.description != "Skrivs över?"


def test_the_status_moves_are_journaled_and_audited(case):
    action = add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "in_progress", expected_version=action.version)
        services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)
    assert (action.status, action.completed_on) == ("done", date(2026, 3, 9))
    assert [e.event for e in case.journal if e.event.startswith("action_")] == [
        "action_added", "action_started", "action_completed"]
    assert _journal(case, "action_completed")[0].detail["completed_on"] == "2026-03-09"
    assert len(_audit("action.start")) == len(_audit("action.complete")) == 1


def test_cancelling_needs_a_reason_which_is_journaled(case):
    action = add(case)
    with clock.frozen(SOON):
        with pytest.raises(services.ActionError) as refused:
            services.update_action_status(user("erik"), action.id, "cancelled", cancel_reason="  ",
                                          expected_version=action.version)
        assert refused.value.field == "cancel_reason"
        db.session.rollback()
        assert action.status == "planned"
        services.update_action_status(user("erik"), action.id, "cancelled", cancel_reason="Ersätts av ny rutin.",
                                      expected_version=action.version)
    assert (action.status, action.cancel_reason) == ("cancelled", "Ersätts av ny rutin.")
    assert _journal(case, "action_cancelled")[0].text == "Ersätts av ny rutin."


def test_cancelled_never_becomes_done(case):
    action = add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "cancelled", cancel_reason="Behövs inte.",
                                      expected_version=action.version)
        with pytest.raises(services.ActionError) as refused:
            services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                          expected_version=action.version)
    assert refused.value.message == "Åtgärden kan inte gå från ”Avbruten” till ”Genomförd”."
    assert refused.value.field == "status"
    db.session.rollback()
    assert action.status == "cancelled" and action.completed_on is None


@pytest.mark.parametrize(("completed_on", "message"), [
    (None, "Ange när åtgärden genomfördes."),
    (date(2026, 3, 11), "Datumet kan inte ligga i framtiden."),
    (date(2026, 3, 1), "Datumet kan inte vara före ärendets rapportdatum (2026-03-02)."),
])
def test_completion_needs_a_sensible_date(case, completed_on, message):
    action = add(case)
    with clock.frozen(SOON), pytest.raises(services.ActionError) as refused:
        services.update_action_status(user("erik"), action.id, "done", completed_on=completed_on,
                                      expected_version=action.version)
    assert (refused.value.field, refused.value.message) == ("completed_on", message)


def test_unknown_status_is_refused(case):
    action = add(case)
    with pytest.raises(services.ActionError):
        services.update_action_status(user("erik"), action.id, "teleported", expected_version=action.version)
    with pytest.raises(services.ActionError):
        services.update_action_status(user("erik"), action.id, "planned", expected_version=action.version)


def test_the_responsible_person_reports_progress_but_does_not_cancel(case):
    action = add(case, responsible="anna")
    with clock.frozen(SOON):
        services.update_action_status(user("anna"), action.id, "in_progress", expected_version=action.version)
        with pytest.raises(PermissionDenied):
            services.update_action_status(user("anna"), action.id, "cancelled", cancel_reason="Orkar inte.",
                                          expected_version=action.version)
        services.update_action_status(user("anna"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)
        with pytest.raises(PermissionDenied):
            services.record_follow_up(user("anna"), action.id, result="yes", text="Bra.",
                                      followed_up_on=date(2026, 3, 10), expected_version=action.version)
    assert action.status == "done"


def test_follow_up_after_done_only_once(case):
    action = add(case)
    with clock.frozen(SOON):
        with pytest.raises(services.ActionError) as refused:
            services.record_follow_up(user("erik"), action.id, result="yes", text="Bra.",
                                      followed_up_on=date(2026, 3, 10), expected_version=action.version)
        assert "genomförd" in refused.value.message
        services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)
        services.record_follow_up(user("erik"), action.id, result="partly", text="Delvis bättre.",
                                  followed_up_on=date(2026, 3, 10), expected_version=action.version)
        with pytest.raises(services.ActionError) as again:
            services.record_follow_up(user("erik"), action.id, result="no", text="Ändrat mig.",
                                      followed_up_on=date(2026, 3, 10), expected_version=action.version)
    assert "redan" in again.value.message
    db.session.rollback()
    assert (action.follow_up_result, action.follow_up_text, action.followed_up_on) == (
        "partly", "Delvis bättre.", date(2026, 3, 10))
    assert action.followed_up_by.username == "erik"
    [event] = _journal(case, "action_followed_up")
    assert (event.text, event.detail["result"]) == ("Delvis bättre.", "partly")


@pytest.mark.parametrize(("values", "field"), [
    ({"result": "maybe"}, "result"),
    ({"text": ""}, "text"),
    ({"followed_up_on": None}, "followed_up_on"),
    ({"followed_up_on": date(2026, 3, 11)}, "followed_up_on"),   # the future
    ({"followed_up_on": date(2026, 3, 8)}, "followed_up_on"),    # before it was done
])
def test_a_follow_up_needs_a_result_a_text_and_a_sensible_date(case, values, field):
    action = add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)
        arguments = {"result": "yes", "text": "Det fungerar.", "followed_up_on": date(2026, 3, 10)} | values
        with pytest.raises(services.ActionError) as refused:
            services.record_follow_up(user("erik"), action.id, **arguments, expected_version=action.version)
    assert refused.value.field == field
    db.session.rollback()
    assert action.follow_up_result is None


def test_moves_and_follow_up_still_work_after_the_case_is_closed(case):
    action = add(case)
    case.status = "closed"
    db.session.commit()
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)
        services.record_follow_up(user("erik"), action.id, result="yes", text="Fungerar.",
                                  followed_up_on=date(2026, 3, 10), expected_version=action.version)
    assert (action.status, action.follow_up_result) == ("done", "yes")
    # Re-planning belongs to an open case (the case workflow's add_action).
    other = add(make_case(), description="Planeras om?")
    other.case.status = "closed"
    db.session.commit()
    with clock.frozen(SOON), pytest.raises(services.ActionError):
        services.update_action(user("erik"), other.id, type_id=other.type_id, description="Ändrad",
                               responsible_id=other.responsible_id, due_on=other.due_on, expected_version=other.version)


def test_open_actions_count_is_planned_and_in_progress(case):
    first, second, third = add(case), add(case), add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), second.id, "in_progress", expected_version=second.version)
        services.update_action_status(user("erik"), third.id, "cancelled", cancel_reason="Behövs inte.",
                                      expected_version=third.version)
    assert services.open_actions_count(case) == 2
    assert [a.id for a in services.actions_of_case(case)][:2] == [first.id, second.id]
