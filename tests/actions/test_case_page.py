"""The case page shows the case's actions, open ones first and prominently, with the form to
add one (actions/_case_panel.html, included in cases/case.html)."""

from datetime import date

from app import clock
from app.actions import services
from tests.actions.conftest import SOON, action_type, add, user


def test_the_case_page_shows_open_actions_and_adds_one(case, login_as):
    done = add(case, type_name="Ny rutin", description="Ny rutin för nyckelhantering.")
    add(case, type_name="Utbildning", description="Utbildning i bemötande.", due_on=date(2026, 3, 5))
    with clock.frozen(SOON):
        services.update_action_status(user("erik"), done.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=done.version)
    erik = login_as("erik")
    with clock.frozen(SOON):
        html = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    panel = html[html.index('id="atgarder"'):]
    assert "1 åtgärd är planerad eller pågår" in panel
    assert panel.index("Utbildning i bemötande.") < panel.index("Ny rutin för nyckelhantering.")
    assert "⚠ Försenad" in panel
    assert f'action="/arenden/{case.reference}/atgarder"' in panel
    assert f'name="next" value="/arenden/{case.reference}"' in panel
    assert html.count('id="case-actions-heading"') == 1 and html.count('id="action-description"') == 1
    with clock.frozen(SOON):
        response = erik.post(f"/arenden/{case.reference}/atgarder", data={
            "next": f"/arenden/{case.reference}", "action-type_id": action_type("Övrigt").id,
            "action-description": "Se över schemat.", "action-responsible_id": user("erik").id,
            "action-due_on": "2026-04-30"})
    assert response.status_code == 302 and response.headers["Location"] == f"/arenden/{case.reference}"
    assert services.open_actions_count(case) == 2


def test_an_admin_sees_the_actions_without_the_form(case, login_as):
    add(case)
    html = login_as("admin").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "1 åtgärd är planerad eller pågår" in html
    assert "Lägg till en åtgärd" not in html


def test_the_reporter_view_shows_no_actions(case, login_as):
    add(case, description="Internt arbete med rutinen.")
    html = login_as("anna").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Internt arbete med rutinen." not in html
