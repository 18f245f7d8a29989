"""Triage: investigate, or a documented decision not to (reason code + text), which closes the case."""

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import Case
from app.extensions import db
from tests.cases.helpers import error_for, file_case, reload, user, version_on

NOT_INVESTIGATE = {"decision": "not_investigate", "reason": "not_caused_by_service",
                   "text": "Brukaren hade själv avbokat besöket."}


def _triage(client, case, **data):
    return client.post(f"/arenden/{case.reference}/beslut-om-utredning",
                       data={"version": reload(case).version, **data})


@pytest.mark.parametrize(("username", "allowed"), [("erik", True), ("sara", True), ("anna", False),
                                                   ("ulla", False), ("admin", False)])
def test_who_triages(login_as, username, allowed):
    case = file_case("deviation")
    client = login_as(username)
    assert client.get(f"/arenden/{case.reference}/beslut-om-utredning").status_code == (200 if allowed else 403)
    assert _triage(client, case, decision="investigate").status_code == (302 if allowed else 403)
    assert reload(case).status == ("investigating" if allowed else "received")


def test_investigate(login_as):
    case = file_case("deviation")
    erik = login_as("erik")
    assert _triage(erik, case, decision="investigate").status_code == 302
    case = reload(case)
    assert (case.status, case.triage_decision, case.triage_reason, case.triaged_by_id) == (
        "investigating", "investigate", None, user("erik").id)
    assert case.triaged_at is not None and case.closed_at is None
    assert (case.journal[-1].event, case.journal[-1].detail["decision"]) == ("triaged", "investigate")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.triaged")).user_id == user("erik").id


@pytest.mark.parametrize("reason", ["not_caused_by_service", "not_own_service"])
def test_not_investigating_closes_the_case_with_its_reason(login_as, reason):
    case = file_case("deviation")
    erik = login_as("erik")
    form = erik.get(f"/arenden/{case.reference}/beslut-om-utredning").get_data(as_text=True)
    response = erik.post(f"/arenden/{case.reference}/beslut-om-utredning", data={
        **NOT_INVESTIGATE, "reason": reason, "version": version_on(form)})
    assert response.status_code == 302
    case = reload(case)
    assert (case.status, case.triage_decision, case.triage_reason, case.triage_text) == (
        "closed", "not_investigate", reason, NOT_INVESTIGATE["text"])
    assert case.closed_at is not None and case.closed_by_id == user("erik").id
    assert case.journal[-1].detail["reason"] == reason
    # What the statistics count.
    assert db.session.scalar(select(func.count()).select_from(Case).where(
        Case.triage_decision == "not_investigate")) == 1
    page = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Beslut att inte inleda utredning" in page and NOT_INVESTIGATE["text"] in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reason": ""}, "reason", "Välj ett skäl till att ingen utredning inleds."),
    ({"text": "   "}, "text", "Skriv en motivering till beslutet."),
    ({"reason": "already_investigated"}, "linked_reference",
     "Ange diarienumret för ärendet där händelsen redan är utredd."),
    ({"reason": "already_investigated", "linked_reference": "AV-2020-0001"}, "linked_reference",
     "Det finns inget ärende AV-2020-0001 som du har tillgång till."),
    ({"reason": "not_covered_by_duty"}, "reason", "Välj ett av skälen i listan."),  # lex Sarah only
    ({"decision": ""}, "decision", "Välj om en utredning ska inledas."),
])
def test_a_decision_not_to_investigate_needs_its_reason_and_stores_nothing_without(login_as, data, field, message):
    case = file_case("deviation")
    response = _triage(login_as("erik"), case, **{**NOT_INVESTIGATE, **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_for(page, field) == message
    if field != "text":
        assert NOT_INVESTIGATE["text"] in page, "the person's text is kept"
    case = reload(case)
    assert (case.status, case.triage_decision) == ("received", None)
    assert [e.event for e in case.journal] == ["filed"]


def test_already_investigated_links_the_other_case(login_as):
    earlier = file_case("deviation", summary="Samma händelse, anmäld först")
    case = file_case("deviation")
    erik = login_as("erik")
    assert _triage(erik, case, **{**NOT_INVESTIGATE, "reason": "already_investigated",
                                  "linked_reference": earlier.reference.lower()}).status_code == 302
    case = reload(case)
    assert case.triage_linked_case_id == earlier.id
    assert case.journal[-1].detail["linked_reference"] == earlier.reference
    page = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert f'href="/arenden/{earlier.reference}"' in page


def test_the_linked_case_must_be_another_one_the_person_may_see(login_as):
    case = file_case("deviation")
    elsewhere = file_case("deviation", unit_name="HVB Solrosen", reporter=None)
    erik = login_as("erik")
    for reference in (case.reference, elsewhere.reference):
        response = _triage(erik, case, **{**NOT_INVESTIGATE, "reason": "already_investigated",
                                          "linked_reference": reference})
        assert response.status_code == 422
        assert error_for(response.get_data(as_text=True), "linked_reference")
    assert reload(case).status == "received"


def test_every_lex_sarah_report_is_investigated(login_as):
    # IVO: "alla rapporter måste utredas". No "not investigate" for lex Sarah (it used to let a unit
    # manager close a report straight from "Mottagen"); the officer's ställningstagande replaces it.
    deviation, report = file_case("deviation"), file_case("lex_sarah")
    erik = login_as("erik")
    assert "Omfattas inte av rapporteringsskyldigheten" not in erik.get(
        f"/arenden/{deviation.reference}/beslut-om-utredning").get_data(as_text=True)
    assert "beslut-om-utredning" not in erik.get(f"/arenden/{report.reference}").get_data(as_text=True).split(
        "Att göra")[1].replace('action="/arenden/' + report.reference + '/beslut-om-utredning"', "")
    assert erik.get(f"/arenden/{report.reference}/beslut-om-utredning").status_code == 409
    for reason in ("not_covered_by_duty", "not_caused_by_service", "no_misconduct"):
        assert _triage(erik, report, **{**NOT_INVESTIGATE, "reason": reason}).status_code == 409
    assert (reload(report).status, reload(report).triage_decision) == ("received", None)
    assert _triage(erik, report, decision="investigate").status_code == 302
    assert reload(report).status == "investigating"


def test_triage_happens_once(login_as):
    case = file_case("deviation")
    erik = login_as("erik")
    _triage(erik, case, decision="investigate")
    response = _triage(erik, case, **NOT_INVESTIGATE)
    assert response.status_code == 409
    assert "går inte när ärendet har status ”Under utredning”" in response.get_data(as_text=True)
    assert erik.get(f"/arenden/{case.reference}/beslut-om-utredning").status_code == 409
    assert reload(case).status == "investigating"
