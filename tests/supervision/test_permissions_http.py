"""Each step through HTTP: the handlers of the unit and the officers may, everyone else gets 403
and nothing changes (admins read it, the board sees only statistics, staff and other units'
investigators nothing)."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.extensions import db
from app.supervision.models import SupervisionRequest
from tests.cases.helpers import reload
from tests.supervision.helpers import at, register

DAY = date(2026, 3, 10)


@pytest.fixture
def case(demo):
    """IVO's case about Boendestöd (Vuxna: erik's), with one open request."""
    from app.supervision import services
    from tests.cases.helpers import user
    found = register(on=date(2026, 3, 2), units=("Boendestöd",))
    with at(date(2026, 3, 3)):
        services.record_request(user("sara"), found.reference, purpose="statement", requested_on=date(2026, 3, 3),
                                due_on=date(2026, 3, 20), text="", expected_version=reload(found).version)
    return reload(found)


def _steps(case):
    request_id = db.session.scalar(select(SupervisionRequest.id))
    ref = case.reference
    return {
        "request": (f"/tillsyn/{ref}/begaran", {"purpose": "documents", "requested_on": "2026-03-09",
                                                "due_on": "2026-03-30"}),
        "extend": (f"/tillsyn/{ref}/begaran/{request_id}/forlang", {"new_due_on": "2026-03-27"}),
        "reply": (f"/tillsyn/{ref}/begaran/{request_id}/svar", {"replied_on": "2026-03-09", "channel": "email",
                                                                 "signed_by": "X"}),
    }


@pytest.mark.parametrize("step", ["request", "extend", "reply"])
@pytest.mark.parametrize(("username", "allowed"), [
    ("erik", True), ("sara", True), ("admin", False), ("ulla", False), ("anna", False), ("nils", False)])
def test_each_step_for_the_allowed_roles_and_403_for_the_others(case, login_as, board_member, step, username,
                                                                allowed):
    url, data = _steps(case)[step]
    client = login_as(username)
    before = case.version
    with at(DAY):
        response = client.post(url, data={"version": before, **data})
    if allowed:
        assert response.status_code == 302, response.get_data(as_text=True)
        assert reload(case).version > before
    else:
        assert response.status_code == 403
        assert reload(case).version == before
        denied = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action.in_(("permission.denied", "case.view_denied"))))
        assert denied >= 1


def test_the_decision_and_closing_for_the_unit_and_403_for_the_admin(case, login_as):
    from app.supervision import services
    from tests.cases.helpers import user
    request_id = db.session.scalar(select(SupervisionRequest.id))
    with at(DAY):
        services.record_reply(user("sara"), case.reference, request_id=request_id, replied_on=DAY, channel="email",
                              signed_by="Sara", note="", expected_version=reload(case).version)
    admin, erik = login_as("admin"), login_as("erik")
    decision = {"decision": "no_criticism", "decided_on": "2026-03-10", "text": "IVO avslutar ärendet."}
    with at(DAY):
        assert admin.post(f"/tillsyn/{case.reference}/beslut",
                          data={"version": reload(case).version, **decision}).status_code == 403
        assert admin.get(f"/arenden/{case.reference}").status_code == 200  # admins read it
        assert erik.post(f"/tillsyn/{case.reference}/beslut",
                         data={"version": reload(case).version, **decision}).status_code == 302
        assert admin.post(f"/arenden/{case.reference}/avsluta",
                          data={"version": reload(case).version, "summary": "Klart."}).status_code == 403
        assert erik.post(f"/arenden/{case.reference}/avsluta",
                         data={"version": reload(case).version, "summary": "Klart."}).status_code == 302
    assert reload(case).status == "closed"


def test_registering_is_for_officers_admins_and_investigators(login_as, board_member):
    for username, status in (("anna", 403), ("nils", 403), ("erik", 200), ("sara", 200), ("admin", 200)):
        assert login_as(username).get("/tillsyn/ny").status_code == status, username


def test_the_case_is_seen_by_the_unit_officers_and_admins_only(case, login_as, board_member):
    for username, status in (("erik", 200), ("sara", 200), ("admin", 200), ("ulla", 403), ("anna", 403),
                             ("nils", 403)):
        assert login_as(username).get(f"/arenden/{case.reference}").status_code == status, username
    assert case.reference in login_as("erik").get("/tillsyn").get_data(as_text=True)
    assert case.reference not in login_as("ulla").get("/tillsyn").get_data(as_text=True)
