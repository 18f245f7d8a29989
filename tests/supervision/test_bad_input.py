"""The issue's bad input: a deadline before the letter's date, a reply before the request, a
decision before the case was received, a link to a case the person may not see. Each a Swedish
message next to the field (422), the typed text kept, nothing stored."""

from datetime import date

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import Case
from app.extensions import db
from app.supervision.models import SupervisionDetails, SupervisionRequest
from tests.cases.helpers import error_for, file_case, reload, unit
from tests.supervision.helpers import at, register

LETTER = {"authority": "ivo", "authority_reference": "3.5.1-07/2026", "letter_on": "2026-03-02",
          "subject": "activity", "summary": "Inspektion av HVB Solrosen", "origin": "initiative"}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _register(client, **changes):
    data = {**LETTER, "unit_ids": [unit("HVB Solrosen").id], **changes}
    with at(date(2026, 3, 2)):
        return client.post("/tillsyn/ny", data=data)


def test_a_link_to_a_case_the_person_may_not_see_is_refused_like_one_that_does_not_exist(login_as):
    hidden = file_case("complaint", unit_name="HVB Solrosen", reporter=None)  # Unga: not erik's
    erik = login_as("erik")
    response = _register(erik, origin="complaint", links=hidden.reference, unit_ids=[unit("Boendestöd").id])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Det finns inget ärende {hidden.reference} som du kan se." in error_for(page, "links")
    missing = _register(erik, origin="complaint", links="KL-2026-9999", unit_ids=[unit("Boendestöd").id])
    assert "Det finns inget ärende KL-2026-9999 som du kan se." in error_for(missing.get_data(as_text=True), "links")
    assert 'value="Inspektion av HVB Solrosen"' in page  # the typed text is kept
    assert _count(SupervisionDetails) == 0 and db.session.scalar(
        select(func.count()).select_from(Case).where(Case.kind == "supervision")) == 0


def test_a_visible_complaint_is_linked_and_shown_on_the_case_page(login_as):
    complaint = file_case("complaint", unit_name="HVB Solrosen", reporter=None)
    sara = login_as("sara")
    response = _register(sara, origin="complaint", links=complaint.reference.lower())
    assert response.status_code == 302, response.get_data(as_text=True)
    details = db.session.scalar(select(SupervisionDetails))
    assert [c.reference for c in details.links] == [complaint.reference]
    page = sara.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/arenden/{complaint.reference}"' in page


def test_a_link_of_the_wrong_kind_or_without_such_an_origin_is_refused(login_as):
    complaint = file_case("complaint", unit_name="HVB Solrosen", reporter=None)
    sara = login_as("sara")
    wrong_kind = _register(sara, origin="lex_sarah", links=complaint.reference)
    assert "inte ett ärende av det slag" in error_for(wrong_kind.get_data(as_text=True), "links")
    no_origin = _register(sara, origin="initiative", links=complaint.reference)
    assert "bara när tillsynen inleddes med" in error_for(no_origin.get_data(as_text=True), "links")
    assert _count(SupervisionDetails) == 0


def test_the_registration_form_names_every_missing_field(login_as):
    response = _register(login_as("sara"), authority="", authority_reference="", subject="", summary="",
                         origin="", unit_ids=[])
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field_id, message in [("authority", "Välj vilken myndighet"), ("authority_reference", "diarienummer"),
                              ("subject", "Välj vad tillsynen gäller"), ("summary", "Skriv kort"),
                              ("unit_ids", "minst en enhet"), ("origin", "Välj hur tillsynen inleddes")]:
        assert message in error_for(page, field_id), field_id
    assert _count(SupervisionDetails) == 0


def test_an_individual_only_when_the_supervision_concerns_their_case_and_never_in_a_list(login_as):
    sara = login_as("sara")
    refused = _register(sara, client_name="Kim Karlsson")
    assert "bara när tillsynen gäller en enskilds ärende" in error_for(refused.get_data(as_text=True), "client_name")
    bad_pin = _register(sara, subject="individual_case", client_name="Kim Karlsson", client_pin="19850312-0000")
    assert "Personnumret stämmer inte" in error_for(bad_pin.get_data(as_text=True), "client_pin")
    assert _count(SupervisionDetails) == 0
    response = _register(sara, subject="individual_case", client_name="Kim Karlsson", client_pin="19811218-9876")
    assert response.status_code == 302
    # As for every kind: in full only on the case page (cases/_client.html), in no list.
    page = sara.get(response.headers["Location"]).get_data(as_text=True)
    assert "19811218-9876" in page and "Kim Karlsson" in page
    with at(date(2026, 3, 2)):
        listing = sara.get("/tillsyn").get_data(as_text=True)
    assert "9876" not in listing and "Kim Karlsson" not in listing


def test_an_investigator_registers_only_for_their_own_units(login_as):
    erik = login_as("erik")  # Vuxna
    refused = _register(erik)  # HVB Solrosen is Unga's
    assert "dina egna enheter" in error_for(refused.get_data(as_text=True), "unit_ids")
    assert _count(SupervisionDetails) == 0
    assert _register(erik, unit_ids=[unit("Boendestöd").id]).status_code == 302


def test_a_letter_dated_in_the_future_is_refused(login_as):
    response = _register(login_as("sara"), letter_on="2026-03-09")
    assert "senare än i dag" in error_for(response.get_data(as_text=True), "letter_on")


def _post(client, url, case, data, day):
    with at(day):
        return client.post(url, data={"version": reload(case).version, **data})


def test_a_deadline_before_the_letters_date_is_refused(login_as):
    case = register(on=date(2026, 3, 2))
    sara = login_as("sara")
    response = _post(sara, f"/tillsyn/{case.reference}/begaran", case,
                     {"purpose": "statement", "requested_on": "2026-03-05", "due_on": "2026-03-04",
                      "text": "Yttrande om bemanningen."}, date(2026, 3, 6))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Sista svarsdagen kan inte vara före brevets datum (2026-03-05)." in error_for(page, "due_on")
    assert "Yttrande om bemanningen." in page
    before = _post(sara, f"/tillsyn/{case.reference}/begaran", case,
                   {"purpose": "statement", "requested_on": "2026-03-01", "due_on": "2026-03-20"}, date(2026, 3, 6))
    assert "före myndighetens första brev (2026-03-02)" in error_for(before.get_data(as_text=True), "requested_on")
    assert _count(SupervisionRequest) == 0 and reload(case).status == "received"


def test_a_reply_before_the_request_is_refused(login_as):
    case = register(on=date(2026, 3, 2))
    sara = login_as("sara")
    _post(sara, f"/tillsyn/{case.reference}/begaran", case,
          {"purpose": "documents", "requested_on": "2026-03-05", "due_on": "2026-03-20"}, date(2026, 3, 6))
    request = db.session.scalar(select(SupervisionRequest))
    response = _post(sara, f"/tillsyn/{case.reference}/begaran/{request.id}/svar", case,
                     {"replied_on": "2026-03-04", "channel": "email", "signed_by": "Sara Svensson"}, date(2026, 3, 6))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Svaret kan inte vara daterat före begäran (2026-03-05)." in error_for(page, "replied_on")
    assert 'value="Sara Svensson"' in page
    db.session.expire_all()
    assert db.session.get(SupervisionRequest, request.id).replied_on is None
    assert reload(case).status == "answering"


def test_a_decision_before_the_case_was_received_is_refused(login_as):
    case = register(on=date(2026, 3, 2))
    sara = login_as("sara")
    response = _post(sara, f"/tillsyn/{case.reference}/beslut", case,
                     {"decision": "criticism", "decided_on": "2026-02-27", "text": "Kritik."}, date(2026, 3, 6))
    assert response.status_code == 422
    assert "före den dag ärendet kom in (2026-03-02)" in error_for(response.get_data(as_text=True), "decided_on")
    demands = _post(sara, f"/tillsyn/{case.reference}/beslut", case,
                    {"decision": "demands", "decided_on": "2026-03-05", "text": "Krav."}, date(2026, 3, 6))
    assert "när åtgärderna ska redovisas" in error_for(demands.get_data(as_text=True), "report_back_on")
    assert reload(case).supervision.decision is None and reload(case).status == "received"


def test_a_decision_is_refused_while_a_request_is_open(login_as):
    case = register(on=date(2026, 3, 2))
    sara = login_as("sara")
    _post(sara, f"/tillsyn/{case.reference}/begaran", case,
          {"purpose": "documents", "requested_on": "2026-03-05", "due_on": "2026-03-20"}, date(2026, 3, 6))
    response = _post(sara, f"/tillsyn/{case.reference}/beslut", case,
                     {"decision": "criticism", "decided_on": "2026-03-05", "text": "Kritik."}, date(2026, 3, 6))
    assert response.status_code == 409


def test_malformed_ids_and_references_are_404_and_a_missing_version_400(login_as):
    case = register(on=date(2026, 3, 2))
    other = register(on=date(2026, 3, 2))
    sara = login_as("sara")
    _post(sara, f"/tillsyn/{case.reference}/begaran", case,
          {"purpose": "documents", "requested_on": "2026-03-05", "due_on": "2026-03-20"}, date(2026, 3, 6))
    request = db.session.scalar(select(SupervisionRequest))
    assert sara.get(f"/tillsyn/{other.reference}/begaran/{request.id}/svar").status_code == 404
    assert sara.get(f"/tillsyn/{case.reference}/begaran/99999999999999999999/svar").status_code == 404
    assert sara.get("/tillsyn/TS-2026-9999/beslut").status_code == 404
    deviation = file_case("deviation")
    assert sara.get(f"/tillsyn/{deviation.reference}/beslut").status_code == 404
    assert sara.post(f"/tillsyn/{case.reference}/begaran", data={"purpose": "documents"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) > 0


def test_an_investigator_is_offered_only_their_own_units(login_as):
    page = login_as("erik").get("/tillsyn/ny").get_data(as_text=True)
    assert "Boendestöd" in page and "HVB Solrosen" not in page
    assert "HVB Solrosen" in login_as("sara").get("/tillsyn/ny").get_data(as_text=True)
