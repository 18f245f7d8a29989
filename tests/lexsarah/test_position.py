"""Every lex Sarah report is investigated: the short investigation closed with the officer's
ställningstagande (app/lexsarah/position.py), through HTTP where the person would use it.

It needs entries in section 1 and section 9, a reason, and the duties every closing needs
(informing settled); only the officer decides it; it counts as "not investigated".
"""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.cases.casework import services as cases
from app.cases.investigation import services as investigation
from app.extensions import db
from app.stats.report import statistics
from tests.cases.helpers import error_for
from tests.lexsarah.helpers import inform_all, make_case, reload, user

NOW = datetime(2026, 3, 20, 9, 0)
TEXT = "Brukaren hade själv tackat nej till kvällsbesöket; inget missförhållande och ingen risk."


@pytest.fixture
def case(demo):
    return make_case("investigating")


def _entry(case, section, who="sara"):
    with clock.frozen(NOW):
        investigation.add_entry(user(who), case.reference, section=section, entry_date=date(2026, 3, 10),
                                source="Samtal med personalen", nature="fact", text=f"Om {section}.",
                                expected_version=reload(case).version)


def _documented(case):
    _entry(case, "what_happened")
    _entry(case, "decision")
    inform_all(case, at=NOW)


def _post(client, case, **data):
    with clock.frozen(NOW):
        return client.post(f"/lex-sarah/{case.reference}/stallningstagande",
                           data={"version": reload(case).version, **data})


def test_the_officer_closes_a_short_investigation_with_a_position(case, login_as):
    _documented(case)
    sara = login_as("sara")
    with clock.frozen(NOW):
        page = sara.get(f"/lex-sarah/{case.reference}/stallningstagande").get_data(as_text=True)
    assert "Det här saknas" not in page
    response = _post(sara, case, reason="no_misconduct", text=TEXT)
    assert response.status_code == 302
    case = reload(case)
    # Stored so that the statistics count it under "beslutades att inte inleda utredning".
    assert (case.status, case.triage_decision, case.triage_reason, case.triage_text) == (
        "closed", "not_investigate", "no_misconduct", TEXT)
    assert (case.closed_by_id, case.triaged_by_id) == (user("sara").id, user("sara").id)
    assert case.journal[-1].event == "position_recorded"
    assert "lexsarah.position_recorded" in set(db.session.scalars(select(AuditEvent.action)))
    assert statistics(2026)["lex_sarah"]["not_investigated"] == 1
    with clock.frozen(NOW):
        assert "Kort utredning avslutad med ställningstagande" in sara.get(
            f"/arenden/{case.reference}").get_data(as_text=True)


def test_a_position_may_close_a_report_straight_from_received(demo, login_as):
    case = make_case("received")
    _documented(case)
    assert _post(login_as("sara"), case, reason="no_misconduct", text=TEXT).status_code == 302
    assert reload(case).status == "closed" and reload(case).triaged_at is not None


def test_the_page_lists_what_is_missing_and_the_move_is_refused_listing_it(case, login_as):
    sara = login_as("sara")
    _entry(case, "what_happened")
    with clock.frozen(NOW):
        page = sara.get(f"/lex-sarah/{case.reference}/stallningstagande").get_data(as_text=True)
    assert "Det här saknas innan rapporten kan avslutas" in page
    assert "avsnitt 9 (beslutet)" in page and "arbetsgruppen har fått återkoppling" in page
    response = _post(sara, case, reason="no_misconduct", text=TEXT)
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "avsnitt 9 (beslutet)" in body and "den enskilde har informerats" in body
    assert reload(case).status == "investigating" and reload(case).triage_decision is None
    _entry(case, "decision")
    inform_all(case, at=NOW)
    assert _post(sara, case, reason="no_misconduct", text=TEXT).status_code == 302


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reason": "", "text": TEXT}, "reason", "Välj skälet till ställningstagandet."),
    ({"reason": "not_covered_by_duty", "text": TEXT}, "reason", "Välj skälet till ställningstagandet."),
    ({"reason": "no_misconduct", "text": " "}, "text", "Skriv ställningstagandet och vad det grundar sig på."),
    ({"reason": "not_own_service", "text": TEXT}, "passed_to", "Ange vem ärendet har lämnats över till."),
    ({"reason": "health_care", "text": TEXT}, "passed_on",
     "Ange när ärendet lämnades över till den medicinskt ansvariga sjuksköterskan (MAS)."),
    ({"reason": "health_care", "text": TEXT, "passed_on": "igår"}, "passed_on", "Ange datumet som ÅÅÅÅ-MM-DD."),
    ({"reason": "health_care", "text": TEXT, "passed_on": "2026-03-25"}, "passed_on",
     "Datumet kan inte ligga i framtiden."),
    ({"reason": "already_investigated", "text": TEXT}, "linked_reference",
     "Ange diarienumret för ärendet där händelsen redan är utredd."),
    ({"reason": "already_investigated", "text": TEXT, "linked_reference": "LS-2026-9999"}, "linked_reference",
     "Det finns inget ärende LS-2026-9999 som du har tillgång till."),
])
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(case, login_as, data, field, message):
    _documented(case)
    response = _post(login_as("sara"), case, **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_for(html, field) == message
    if data.get("text", "").strip():
        assert TEXT in html  # what the person typed is kept
    assert (reload(case).status, reload(case).triage_decision) == ("investigating", None)


def test_each_reason_keeps_its_details(case, login_as):
    _documented(case)
    other = make_case("closed")
    sara = login_as("sara")
    assert _post(sara, case, reason="health_care", text=TEXT, passed_on="2026-03-18").status_code == 302
    assert reload(case).position_passed_on == date(2026, 3, 18)
    second = make_case("investigating")
    _documented(second)
    assert _post(sara, second, reason="already_investigated", text=TEXT,
                 linked_reference=other.reference.lower()).status_code == 302
    assert reload(second).triage_linked_case_id == other.id
    third = make_case("investigating")
    _documented(third)
    assert _post(sara, third, reason="not_own_service", text=TEXT,
                 passed_to="Hemtjänst AB (privat utförare)").status_code == 302
    assert reload(third).position_passed_to == "Hemtjänst AB (privat utförare)"


@pytest.mark.parametrize("who", ["erik", "anna", "ulla", "admin"])
def test_only_the_officer_decides_a_position(case, login_as, who):
    _documented(case)
    response = _post(login_as(who), case, reason="no_misconduct", text=TEXT)
    assert response.status_code == 403
    assert reload(case).status == "investigating"
    denial = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "permission.denied"))
    assert denial is not None and denial.user_id == user(who).id


def test_feedback_to_the_reporter_fills_the_reporter_item(case):
    assert reload(case).lex_sarah_informing is None
    with clock.frozen(NOW):
        cases.give_feedback(user("sara"), case.reference, text="Tack för rapporten, den utreds nu.",
                            expected_version=reload(case).version)
    informing = reload(case).lex_sarah_informing
    assert informing.item("reporter") == (date(2026, 3, 20), "")
    assert not informing.settled("client")


def _open_action(case):
    from app.actions import services as actions
    from app.actions.models import ActionType
    type_id = db.session.scalar(select(ActionType.id).order_by(ActionType.id))
    with clock.frozen(NOW):
        return actions.add_action(user("erik"), case.reference, type_id=type_id, description="Ny rutin för kvällen.",
                                  responsible_id=user("erik").id, due_on=date(2026, 4, 30))


def test_open_actions_are_asked_about_as_closing_does(case, login_as):
    # close_with_position requires open_actions_settled like close: no action planned or in
    # progress, or the officer confirms with a reason, which the journal keeps.
    _documented(case)
    _open_action(case)
    sara = login_as("sara")
    with clock.frozen(NOW):
        page = sara.get(f"/lex-sarah/{case.reference}/stallningstagande").get_data(as_text=True)
    assert 'name="confirm_open_actions"' in page
    refused = _post(sara, case, reason="no_misconduct", text=TEXT)
    assert refused.status_code == 422
    assert "1 åtgärd som är planerad eller pågår" in error_for(refused.get_data(as_text=True), "open_actions_reason")
    assert TEXT in refused.get_data(as_text=True)
    assert reload(case).status == "investigating"
    without_reason = _post(sara, case, reason="no_misconduct", text=TEXT, confirm_open_actions="y")
    assert without_reason.status_code == 422 and reload(case).status == "investigating"
    assert _post(sara, case, reason="no_misconduct", text=TEXT, confirm_open_actions="y",
                 open_actions_reason="Åtgärden följs upp på åtgärdslistan.").status_code == 302
    case = reload(case)
    assert case.status == "closed"
    events = [e.event for e in case.journal]
    assert "closed_with_open_actions" in events and events[-1] == "position_recorded"


def test_without_open_actions_nothing_is_asked(case, login_as):
    _documented(case)
    with clock.frozen(NOW):
        page = login_as("sara").get(f"/lex-sarah/{case.reference}/stallningstagande").get_data(as_text=True)
    assert 'name="confirm_open_actions"' not in page


def test_a_stale_form_is_the_conflict_and_keeps_the_text(case, login_as):
    _documented(case)
    loaded_version = reload(case).version
    case = reload(case)
    case.summary = "Ändrad av en kollega"  # someone saves the case after the page was loaded
    db.session.commit()
    with clock.frozen(NOW):
        response = login_as("sara").post(f"/lex-sarah/{case.reference}/stallningstagande", data={
            "version": loaded_version, "reason": "no_misconduct", "text": TEXT})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet under tiden" in page and TEXT in page
    assert f'value="{reload(case).version}"' in page
    assert reload(case).status == "investigating"
