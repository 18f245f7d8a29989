"""A lex Sarah report whose reporter bypassed the nearest manager is for the officers' eyes only:
not offered or accepted as the owner of its actions, its reference not shown on another case's
page to someone who may not see it, not opened by admins. All through the permission function."""

import re
from datetime import datetime

import pytest

from app.actions import services as action_services
from app.actions.services import ActionError
from app.clock import frozen
from app.extensions import db
from tests.actions.conftest import action_type
from tests.cases.helpers import file_case, reload, user

NOW = datetime(2026, 3, 12, 9, 0)


@pytest.fixture
def bypass(demo):
    """anna's report past erik (investigator of Vuxna, her nearest manager), being investigated by sara."""
    report = file_case("lex_sarah", at=datetime(2026, 3, 2, 9), bypass_manager=True, summary="Förbi chefen",
                       categories=("Dokumentation",))
    report.status = "investigating"
    db.session.commit()
    return report


def _owner_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="action-responsible_id"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the page has no owner select"
    return re.findall(r'<option[^>]*value="(\d+)"', select.group(1))


def test_the_owner_select_offers_only_the_officers(bypass, login_as):
    with frozen(NOW):
        html = login_as("sara").get(f"/arenden/{bypass.reference}").get_data(as_text=True)
    offered = _owner_options(html)
    assert str(user("sara").id) in offered
    for username in ("erik", "anna", "admin"):
        assert str(user(username).id) not in offered, username


def test_an_ordinary_report_still_offers_the_unit(demo, login_as):
    report = file_case("lex_sarah", at=datetime(2026, 3, 2, 9), summary="Till chefen")
    report.status = "investigating"
    db.session.commit()
    with frozen(NOW):
        offered = _owner_options(login_as("sara").get(f"/arenden/{report.reference}").get_data(as_text=True))
    assert {str(user(name).id) for name in ("sara", "erik", "anna")} <= set(offered)


@pytest.mark.parametrize("owner", ["erik", "anna"])
def test_the_service_refuses_the_bypassed_manager_and_the_reporter(bypass, owner):
    with frozen(NOW), pytest.raises(ActionError) as refused:
        action_services.add_action(user("sara"), reload(bypass).reference, type_id=action_type("Utbildning").id,
                                   description="Utbildning.", responsible_id=user(owner).id,
                                   due_on=datetime(2026, 4, 1).date())
    assert refused.value.field == "responsible_id"
    with frozen(NOW):
        action = action_services.add_action(user("sara"), reload(bypass).reference,
                                            type_id=action_type("Utbildning").id,
                                            description="Utbildning.", responsible_id=user("sara").id,
                                            due_on=datetime(2026, 4, 1).date())
    assert action.responsible.username == "sara"


def test_the_form_refuses_the_bypassed_manager_with_a_message(bypass, login_as):
    with frozen(NOW):
        response = login_as("sara").post(f"/arenden/{bypass.reference}/atgarder", data={
            "action-type_id": action_type("Utbildning").id, "action-description": "Utbildning.",
            "action-responsible_id": user("erik").id, "action-due_on": "2026-04-01"})
    assert response.status_code == 422
    assert 'id="action-responsible_id-error"' in response.get_data(as_text=True)


def test_the_link_does_not_show_the_bypass_reference_to_the_manager(bypass, login_as):
    deviation = file_case("deviation", at=datetime(2026, 3, 3, 9), categories=("Dokumentation",),
                          summary="Journalanteckning saknas")
    deviation.status = "investigating"
    db.session.commit()
    sara = login_as("sara")
    with frozen(NOW):
        linked = sara.post(f"/arenden/{deviation.reference}/utredning/liknande",
                           data={"version": reload(deviation).version, "reference": bypass.reference})
    assert linked.status_code == 302, linked.get_data(as_text=True)
    with frozen(NOW):
        page = login_as("erik").get(f"/arenden/{deviation.reference}")
        officers = sara.get(f"/arenden/{deviation.reference}").get_data(as_text=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert bypass.reference not in html  # neither in the links nor in the case's events
    assert "Förbi chefen" not in html
    assert bypass.reference in officers
    # Linked from the bypass report's side, the same.
    with frozen(NOW):
        sara.post(f"/arenden/{deviation.reference}/utredning/liknande/ta-bort",
                  data={"version": reload(deviation).version, "reference": bypass.reference})
        sara.post(f"/arenden/{bypass.reference}/utredning/liknande",
                  data={"version": reload(bypass).version, "reference": deviation.reference})
        html = login_as("erik").get(f"/arenden/{deviation.reference}").get_data(as_text=True)
    assert bypass.reference not in html


def test_an_admin_cannot_open_a_bypass_report(bypass, login_as):
    admin = login_as("admin")
    assert admin.get(f"/arenden/{bypass.reference}").status_code == 403
    ordinary = file_case("lex_sarah", summary="Till chefen")
    assert admin.get(f"/arenden/{ordinary.reference}").status_code == 200
    assert login_as("sara").get(f"/arenden/{bypass.reference}").status_code == 200
