"""Klagomål or synpunkt (issue 15): the public form and the staff form ask, the default is a complaint,
and the statistics count them apart (complaints.by_type)."""

from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from tests.intake.conftest import post_report, valid_form
from tests.public.test_complaint_form import _error_for, _form, _only_case


def test_the_public_form_asks_and_stores_a_suggestion(demo, client):
    page = client.get("/klagomal").get_data(as_text=True)
    assert "Vill du klaga eller lämna en synpunkt?" in page
    response = client.post("/klagomal", data=_form(complaint_type="suggestion"))
    assert response.status_code == 200
    assert _only_case().complaint.complaint_type == "suggestion"


def test_the_public_form_without_the_choice_files_a_complaint(demo, client):
    assert client.post("/klagomal", data=_form()).status_code == 200
    assert _only_case().complaint.complaint_type == "complaint"


def test_a_tampered_choice_is_refused_next_to_the_field_and_nothing_is_stored(demo, client):
    response = client.post("/klagomal", data=_form(complaint_type="klagovisa"))
    assert response.status_code == 422
    assert _error_for(response.get_data(as_text=True), "complaint_type") == \
        "Välj om du vill klaga eller lämna en synpunkt."
    assert db.session.scalar(select(Case)) is None


def test_the_staff_form_asks_and_stores_the_type(login_as):
    client = login_as("anna")
    assert "Klagomål eller synpunkt?" in client.get("/rapportera/klagomal").get_data(as_text=True)
    assert post_report(client, "complaint", valid_form("complaint", complaint_type="suggestion")).status_code == 302
    assert db.session.scalar(select(Case)).complaint.complaint_type == "suggestion"


def test_the_staff_form_refuses_an_unknown_type(login_as):
    response = post_report(login_as("anna"), "complaint", valid_form("complaint", complaint_type="klagovisa"))
    assert response.status_code == 422
    assert "Ange om det är ett klagomål eller en synpunkt." in response.get_data(as_text=True)
    assert db.session.scalar(select(Case)) is None
