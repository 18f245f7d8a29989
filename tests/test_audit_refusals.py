"""Refused requests and the admin's reads are in the audit log (finding 11).

A 403 anywhere is one `permission.denied` entry naming who, which endpoint and which target;
a refusal a service already recorded (case.view_denied, lex Sarah's permission.denied) is
not recorded twice.
"""

from sqlalchemy import func, select

from app.actions.models import CaseAction
from app.audit import AuditEvent
from app.extensions import db
from tests.actions.conftest import add, make_case, user
from tests.intake.test_download import _file_with_attachment


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_refused_attachment_download_is_recorded(login_as):
    attachment_id = _file_with_attachment(login_as("anna"))
    ulla = login_as("ulla")
    assert ulla.get(f"/bilagor/{attachment_id}").status_code == 403
    [denied] = _events("permission.denied")
    assert denied.user_id == user("ulla").id and denied.user_name == "Ulla Ullsson"
    assert (denied.object_type, denied.object_id) == ("attachment", str(attachment_id))
    assert denied.detail["endpoint"] == "intake.download"
    assert denied.detail["method"] == "GET" and denied.detail["path"] == f"/bilagor/{attachment_id}"
    assert _events("attachment.downloaded") == []


def test_a_refused_action_page_is_recorded(demo, login_as):
    action = add(make_case())
    assert login_as("ulla").get(f"/atgarder/{action.id}").status_code == 403
    [denied] = _events("permission.denied")
    assert (denied.user_id, denied.object_type, denied.object_id) == (user("ulla").id, "action", str(action.id))
    assert denied.detail["endpoint"] == "actions.show"
    assert _events("action.viewed") == []


def test_a_refusal_by_an_action_service_is_recorded_and_stores_nothing(demo, login_as):
    action = add(make_case(), responsible="anna")
    # Anna may start her own action but not cancel it: the service says no.
    response = login_as("anna").post(f"/atgarder/{action.id}/status",
                                     data={"status": "cancelled", "cancel_reason": "Behövs ej.",
                                           "version": action.version})
    assert response.status_code == 403
    [denied] = _events("permission.denied")
    assert denied.user_id == user("anna").id and denied.detail["endpoint"].startswith("actions.")
    assert (denied.object_type, denied.object_id) == ("action", str(action.id))
    assert db.session.get(CaseAction, action.id).status == "planned"


def test_a_refused_case_page_is_recorded_once(demo, login_as):
    case = make_case()
    assert login_as("ulla").get(f"/arenden/{case.reference}").status_code == 403
    # The case service records its own refusal; the 403 handler adds nothing.
    assert [e.user_id for e in _events("case.view_denied")] == [user("ulla").id]
    assert _events("permission.denied") == []


def test_a_refused_admin_page_is_recorded(login_as):
    assert login_as("erik").get("/admin/logg").status_code == 403
    [denied] = _events("permission.denied")
    assert denied.user_id == user("erik").id and denied.detail["endpoint"] == "admin.audit_log"
    assert _events("audit.viewed") == []


def test_a_refused_user_page_names_the_account(login_as):
    anna = user("anna")
    assert login_as("sara").get(f"/admin/anvandare/{anna.id}").status_code == 403
    [denied] = _events("permission.denied")
    assert (denied.object_type, denied.object_id) == ("user", str(anna.id))


def test_a_refused_api_request_is_recorded(login_as):
    assert login_as("anna").get("/api/v1/statistics/2026").status_code == 403
    [denied] = _events("permission.denied")
    assert denied.user_id == user("anna").id and denied.detail["endpoint"] == "api.statistics"


def test_allowed_requests_record_no_refusal(login_as):
    admin = login_as("admin")
    for path in ("/admin/logg", "/admin/anvandare", "/admin/utkorg", "/arenden"):
        assert admin.get(path).status_code == 200, path
    assert _events("permission.denied") == []


# --- the admin's reads ----------------------------------------------------------------------

def test_reading_the_audit_log_is_recorded(login_as):
    admin = login_as("admin")
    admin.get("/admin/logg?action=login.&date_from=2026-03-01")
    [read] = _events("audit.viewed")
    assert read.user_id == user("admin").id
    assert read.detail["filters"] == {"action": "login.", "date_from": "2026-03-01"}


def test_reading_the_user_list_is_recorded(login_as):
    login_as("admin").get("/admin/anvandare?q=erik")
    [read] = _events("user.listed")
    assert read.user_id == user("admin").id and read.detail == {"text": "erik"}


def test_reading_a_user_page_is_recorded(login_as):
    erik = user("erik")
    login_as("admin").get(f"/admin/anvandare/{erik.id}")
    [read] = _events("user.viewed")
    assert (read.user_id, read.object_type, read.object_id) == (user("admin").id, "user", str(erik.id))
    assert read.detail == {"username": "erik"}


def test_saving_a_user_page_is_not_also_a_read(login_as):
    erik = user("erik")
    login_as("admin").post(f"/admin/anvandare/{erik.id}",
                           data={"full_name": "Erik Eriksson", "role": "investigator", "email": "",
                                 "title": "", "units": [u.id for u in erik.units], "active": "y"})
    assert _events("user.viewed") == []


def test_reading_the_outbox_is_recorded(login_as, app):
    from app import mailer
    mailer.send_email(["someone@example.org"], "Påminnelse", "Text")
    admin = login_as("admin")
    before = _count()
    admin.get("/admin/utkorg")
    [read] = _events("outbox.viewed")
    assert read.user_id == user("admin").id and read.detail["count"] == len(mailer.outbox()) >= 1
    assert _count() == before + 1


def test_the_outbox_read_is_refused_to_others(login_as):
    assert login_as("sara").get("/admin/utkorg").status_code == 403
    assert _events("outbox.viewed") == []
    assert [d.detail["endpoint"] for d in _events("permission.denied")] == ["admin.outbox"]
