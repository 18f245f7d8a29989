"""The forms over HTTP: a clear Swedish message next to the field, the person's text kept,
nothing half-written stored, conflicts instead of lost edits, CSRF on every form."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.actions import services
from app.actions.models import CaseAction
from app.extensions import db
from tests.actions.conftest import SOON, action_type, add, make_case, user


def _error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CaseAction))


def _form(**overrides) -> dict:
    data = {"action-type_id": action_type("Utbildning").id, "action-description": "Utbildning <b>i</b> sekretess.",
            "action-responsible_id": user("anna").id, "action-due_on": "2026-04-01"}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"action-due_on": "2026-03-01"}, "action-due_on",
     "Slutdatumet kan inte vara före ärendets rapportdatum (2026-03-02)."),
    ({"action-due_on": "1 april"}, "action-due_on", "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-14."),
    ({"action-due_on": ""}, "action-due_on", "Ange ett slutdatum."),
    ({"action-responsible_id": "ulla"}, "action-responsible_id", "Välj vem som är ansvarig för åtgärden."),
    ({"action-type_id": ""}, "action-type_id", "Välj en typ av åtgärd."),
    ({"action-description": "  "}, "action-description", "Beskriv åtgärden."),
])
def test_bad_input_is_refused_next_to_the_field_and_the_text_is_kept(case, login_as, overrides, field, message):
    erik = login_as("erik")
    with clock.frozen(SOON):
        response = erik.post(f"/arenden/{case.reference}/atgarder", data=_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_for(html, field) == message
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    if field != "action-description":
        assert "Utbildning &lt;b&gt;i&lt;/b&gt; sekretess." in html  # kept, and shown as text
    assert _count() == 0


def test_a_person_outside_the_units_is_refused_with_a_message(case, login_as):
    erik = login_as("erik")
    with clock.frozen(SOON):
        response = erik.post(f"/arenden/{case.reference}/atgarder",
                             data=_form(**{"action-responsible_id": user("ulla").id}))
    assert response.status_code == 422
    assert _error_for(response.get_data(as_text=True), "action-responsible_id") == (
        "Den ansvariga måste vara en aktiv användare på ärendets enhet eller en enhet ovanför den.")
    assert _count() == 0


def test_adding_from_the_case_page_returns_there(case, login_as):
    erik = login_as("erik")
    with clock.frozen(SOON):
        response = erik.post(f"/arenden/{case.reference}/atgarder",
                             data=_form(next=f"/arenden/{case.reference}"))
        assert response.headers["Location"] == f"/arenden/{case.reference}"
        response = erik.post(f"/arenden/{case.reference}/atgarder", data=_form(next="//evil.example/"))
        assert response.headers["Location"] == f"/arenden/{case.reference}/atgarder"


def test_the_panel_shows_open_actions_first_and_the_rest_folded(case, login_as):
    done = add(case, type_name="Ny rutin")
    open_one = add(case, type_name="Utbildning", due_on=date(2026, 3, 5))
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), done.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=done.version)
        html = login_as("erik").get(f"/arenden/{case.reference}/atgarder").get_data(as_text=True)
    assert "1 åtgärd är planerad eller pågår" in html
    assert html.index(f"/atgarder/{open_one.id}") < html.index("1 genomförd eller avbruten åtgärd") \
        < html.index(f"/atgarder/{done.id}")
    assert "⚠ Försenad" in html


def test_a_closed_case_shows_no_add_form(demo, login_as):
    case = make_case(status="closed")
    html = login_as("erik").get(f"/arenden/{case.reference}/atgarder").get_data(as_text=True)
    assert "Lägg till en åtgärd" not in html and "Ärendet är avslutat" in html
    response = login_as("erik").post(f"/arenden/{case.reference}/atgarder", data=_form())
    assert response.status_code == 422 and _count() == 0


def test_cancelled_to_done_is_refused_with_a_message(case, login_as):
    action = add(case)
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "cancelled", cancel_reason="Ersatt.",
                                      expected_version=action.version)
        response = login_as("erik").post(f"/atgarder/{action.id}/status", data={
            "status": "done", "completed_on": "2026-03-09", "version": action.version})
    assert response.status_code == 422
    assert "Åtgärden kan inte gå från ”Avbruten” till ”Genomförd”." in response.get_data(as_text=True)
    db.session.refresh(action)
    assert action.status == "cancelled"


def test_cancelling_without_a_reason_keeps_the_choice_and_says_why(case, login_as):
    action = add(case)
    with clock.frozen(SOON):
        response = login_as("erik").post(f"/atgarder/{action.id}/status", data={
            "status": "cancelled", "cancel_reason": "", "version": action.version})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_for(html, "cancel_reason") == "Ange varför åtgärden avbryts."
    assert re.search(r'<input checked id="status-\d" name="status" required type="radio" value="cancelled">', html)


def test_a_stale_form_is_a_conflict_and_saves_nothing(case, login_as):
    action = add(case)
    old = action.version
    erik = login_as("erik")
    with clock.frozen(SOON):
        assert erik.post(f"/atgarder/{action.id}/status", data={"status": "in_progress", "version": old}) \
            .status_code == 302
        response = erik.post(f"/atgarder/{action.id}/status", data={
            "status": "cancelled", "cancel_reason": "Gammal flik.", "version": old})
        assert response.status_code == 409
        assert "Någon annan har ändrat åtgärden" in response.get_data(as_text=True)
        response = erik.post(f"/atgarder/{action.id}/andra", data={
            "type_id": action.type_id, "description": "Från en gammal flik", "responsible_id": user("erik").id,
            "due_on": "2026-04-01", "version": old})
        assert response.status_code == 409
        assert "Från en gammal flik" in response.get_data(as_text=True)  # the text is kept
    db.session.refresh(action)
    assert action.status == "in_progress" and action.description != "Från en gammal flik"


def test_edit_page_replans_and_validates(case, login_as):
    action = add(case)
    erik = login_as("erik")
    with clock.frozen(SOON):
        page = erik.get(f"/atgarder/{action.id}/andra").get_data(as_text=True)
        assert "Utbildning i dokumentation för personalgruppen." in page
        bad = erik.post(f"/atgarder/{action.id}/andra", data={
            "type_id": action.type_id, "description": "Ny text", "responsible_id": user("ulla").id,
            "due_on": "2026-04-01", "version": action.version})
        assert bad.status_code == 422 and "Ny text" in bad.get_data(as_text=True)
        good = erik.post(f"/atgarder/{action.id}/andra", data={
            "type_id": action.type_id, "description": "Ny text", "responsible_id": user("anna").id,
            "due_on": "2026-04-10", "version": action.version})
        assert good.status_code == 302
    db.session.refresh(action)
    assert (action.description, action.responsible.username, action.due_on) == ("Ny text", "anna",
                                                                                 date(2026, 4, 10))


def test_the_follow_up_form_validates(case, login_as):
    action = add(case)
    erik = login_as("erik")
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)
        response = erik.post(f"/atgarder/{action.id}/uppfoljning", data={
            "result": "", "text": "Fungerar bra.", "followed_up_on": "2026-03-10", "version": action.version})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_for(html, "result") == "Ange om åtgärden fick avsedd effekt."
    assert "Fungerar bra." in html
    db.session.refresh(action)
    assert action.follow_up_result is None


def _token(html: str, name: str = "csrf_token") -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_every_form_needs_the_csrf_token(case, demo):
    action = add(case)
    erik = demo.test_client()
    login_page = erik.get("/logga-in").get_data(as_text=True)
    assert erik.post("/logga-in", data={"username": "erik", "password": "demo",
                                        "csrf_token": _token(login_page)}).status_code == 302
    for url, data in [(f"/arenden/{case.reference}/atgarder", _form()),
                      (f"/atgarder/{action.id}/status", {"status": "in_progress"}),
                      (f"/atgarder/{action.id}/uppfoljning", {"result": "yes"}),
                      (f"/atgarder/{action.id}/andra", {"description": "x"})]:
        assert erik.post(url, data=data).status_code == 400, url
    assert _count() == 1
    # With the token each form renders, it goes through.
    with clock.frozen(SOON):
        page = erik.get(f"/arenden/{case.reference}/atgarder").get_data(as_text=True)
        response = erik.post(f"/arenden/{case.reference}/atgarder",
                             data=_form(**{"action-csrf_token": _token(page, "action-csrf_token")}))
        assert response.status_code == 302
        page = erik.get(f"/atgarder/{action.id}").get_data(as_text=True)
        assert erik.post(f"/atgarder/{action.id}/status", data={
            "status": "in_progress", "version": action.version, "csrf_token": _token(page)}).status_code == 302
    assert _count() == 2
