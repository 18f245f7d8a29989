"""The issue's journey through HTTP: an officer registers IVO's letter about an HVB, the unit's
manager answers the request in time, records IVO's decision (demands), plans the actions,
reports the measures back and closes the case."""

import re
from datetime import date

from sqlalchemy import select

from app.audit import AuditEvent
from app.cases.models import Case
from app.extensions import db
from app.workflow import Status
from tests.cases.helpers import reload, unit, version_on
from tests.supervision.helpers import at


def _version(client, reference):
    return version_on(client.get(f"/arenden/{reference}").get_data(as_text=True))


def test_the_whole_journey(login_as):
    sara, ulla = login_as("sara"), login_as("ulla")
    with at(date(2026, 3, 2)):
        page = sara.get("/tillsyn/ny")
        assert page.status_code == 200
        response = sara.post("/tillsyn/ny", data={
            "authority": "ivo", "authority_reference": "3.5.1-01234/2026", "letter_on": "2026-03-02",
            "subject": "activity", "summary": "Inspektion av HVB Solrosen", "unit_ids": [unit("HVB Solrosen").id],
            "origin": "initiative", "board_reference": "SN 2026/17"})
        assert response.status_code == 302, response.get_data(as_text=True)
    case = db.session.scalar(select(Case).order_by(Case.id.desc()))
    assert re.fullmatch(r"TS-2026-\d{4}", case.reference)
    ref = case.reference
    assert case.unit.name == "HVB Solrosen" and case.status == Status.RECEIVED

    with at(date(2026, 3, 5)):
        response = ulla.post(f"/tillsyn/{ref}/begaran", data={
            "version": _version(ulla, ref), "purpose": "statement", "requested_on": "2026-03-05",
            "due_on": "2026-03-28", "text": "Yttrande om bemanningen nattetid."})
        assert response.status_code == 302, response.get_data(as_text=True)
        start = ulla.get("/").get_data(as_text=True)
        # 2026-03-28 is a Saturday: the reply is on time on Monday 30 March.
        assert ref in start and "2026-03-30" in start
    case = reload(case)
    assert case.status == Status.ANSWERING
    request_id = case.supervision.requests[0].id

    with at(date(2026, 3, 20)):
        response = ulla.post(f"/tillsyn/{ref}/begaran/{request_id}/svar", data={
            "version": _version(ulla, ref), "replied_on": "2026-03-20", "channel": "e_service",
            "signed_by": "Ulla Ullsson, enhetschef"})
        assert response.status_code == 302, response.get_data(as_text=True)
    assert reload(case).status == Status.AWAITING_DECISION

    with at(date(2026, 5, 4)):
        response = ulla.post(f"/tillsyn/{ref}/beslut", data={
            "version": _version(ulla, ref), "decision": "demands", "decided_on": "2026-04-30",
            "text": "IVO kräver att nämnden säkerställer bemanningen nattetid.", "report_back_on": "2026-06-30"})
        assert response.status_code == 302, response.get_data(as_text=True)
        case = reload(case)
        assert case.status == Status.DECIDED
        page = ulla.get(f"/arenden/{ref}").get_data(as_text=True)
        assert "Krav på åtgärder" in page and "Registrera redovisningen av åtgärderna" in page
        # Closing before the report-back is refused.
        response = ulla.post(f"/arenden/{ref}/avsluta", data={"version": case.version, "summary": "Klart."})
        assert response.status_code == 409
    report_back = next(r for r in case.supervision.requests if r.purpose == "report_back")

    with at(date(2026, 6, 25)):
        response = ulla.post(f"/tillsyn/{ref}/begaran/{report_back.id}/svar", data={
            "version": _version(ulla, ref), "replied_on": "2026-06-25", "channel": "letter",
            "signed_by": "Ulla Ullsson"})
        assert response.status_code == 302, response.get_data(as_text=True)
        response = ulla.post(f"/arenden/{ref}/avsluta", data={"version": _version(ulla, ref),
                                                               "summary": "Åtgärderna redovisade till IVO."})
        assert response.status_code == 302, response.get_data(as_text=True)
    assert reload(case).status == Status.CLOSED
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"supervision.registered", "supervision.request_recorded", "supervision.reply_recorded",
            "supervision.decision_recorded", "supervision.report_back_recorded", "case.closed"} <= actions


def test_the_queue_filters_and_counts_supervision_cases_and_shows_the_overdue(login_as):
    from tests.supervision.helpers import register
    case = register(on=date(2026, 3, 2), units=("Boendestöd",))
    other = register(on=date(2026, 3, 2), units=("HVB Solrosen",))
    with at(date(2026, 3, 3)):
        from app.supervision import services
        from tests.cases.helpers import user
        services.record_request(user("sara"), case.reference, purpose="statement", requested_on=date(2026, 3, 3),
                                due_on=date(2026, 3, 6), text="", expected_version=reload(case).version)
    erik = login_as("erik")
    with at(date(2026, 3, 10)):
        page = erik.get("/arenden?kind=supervision").get_data(as_text=True)
        assert case.reference in page and other.reference not in page  # HVB Solrosen is Unga's
        overdue = erik.get("/arenden?overdue=y").get_data(as_text=True)
        assert case.reference in overdue
        assert "Tillsynsärende" in erik.get("/arenden").get_data(as_text=True)
        start = erik.get("/").get_data(as_text=True)
        assert case.reference in start and "Försenad" in start
        desk = login_as("sara").get("/lex-sarah").get_data(as_text=True)
        assert case.reference in desk
