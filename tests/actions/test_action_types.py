"""The admin-edited list of action types, and the defaults the demo loader creates."""

import re

from sqlalchemy import select

from app.actions.models import DEFAULT_ACTION_TYPES, ActionType
from app.actions.types import action_types, ensure_default_types
from app.audit import AuditEvent
from app.demo import load_demo_data
from app.extensions import db
from tests.actions.conftest import action_type


def _error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def test_the_demo_loader_creates_the_defaults_once(demo):
    assert [t.name for t in action_types()] == DEFAULT_ACTION_TYPES
    assert DEFAULT_ACTION_TYPES == ["Ny rutin", "Reviderad rutin", "Samtal med berörd personal", "Utbildning",
                                    "Information och kommunikation", "Teknik och utrustning", "Organisation",
                                    "Övrigt"]
    assert not any(line.startswith("action type") for line in load_demo_data("test"))
    assert ensure_default_types() == []
    assert len(action_types(include_inactive=True)) == 8


def test_an_admin_adds_renames_and_deactivates_a_type(demo, login_as):
    admin = login_as("admin")
    assert admin.post("/admin/atgardstyper", data={"name": "  Handledning  "}).status_code == 302
    assert action_type("Handledning").position == 9
    page = admin.get("/admin/atgardstyper").get_data(as_text=True)
    assert "Handledning" in page
    handledning = action_type("Handledning")
    response = admin.post(f"/admin/atgardstyper/{handledning.id}", data={"name": "Extern handledning"})
    assert response.status_code == 302
    db.session.refresh(handledning)
    assert (handledning.name, handledning.active) == ("Extern handledning", False)  # unticked: not in use
    assert "Extern handledning" not in [t.name for t in action_types()]
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "action_type", AuditEvent.object_id == str(handledning.id))
        .order_by(AuditEvent.id))] == [
        "action_type.created", "action_type.updated"]


def test_names_are_required_and_unique_whatever_the_case(demo, login_as):
    admin = login_as("admin")
    response = admin.post("/admin/atgardstyper", data={"name": "utbildning"})
    assert response.status_code == 422
    assert _error_for(response.get_data(as_text=True), "name") == "Åtgärdstypen finns redan i listan."
    response = admin.post("/admin/atgardstyper", data={"name": "   "})
    assert response.status_code == 422 and _error_for(response.get_data(as_text=True), "name") == "Ange ett namn."
    assert len(db.session.scalars(select(ActionType)).all()) == 8


def test_only_admins_edit_the_list(demo, login_as):
    for username in ("anna", "erik", "sara"):
        client = login_as(username)
        assert client.post("/admin/atgardstyper", data={"name": "Smygtyp"}).status_code == 403
        assert client.post(f"/admin/atgardstyper/{action_type('Övrigt').id}",
                           data={"name": "Annat", "active": "y"}).status_code == 403
    assert action_type("Smygtyp") is None and action_type("Övrigt") is not None
