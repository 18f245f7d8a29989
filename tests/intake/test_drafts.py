"""Server-side drafts of a staff report being written: kept for the writer only, filled back into
the form, removed when the report is sent, by the writer, or by `flask drafts clean` after
REPORT_DRAFT_DAYS days; nothing of it in the browser's storage."""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
from app.cases.models import Case
from app.clock import frozen
from app.extensions import db
from app.intake.drafts import ReportDraft
from tests.intake.conftest import PDF, post_report, valid_form

NOW = datetime(2026, 3, 2, 15, 0)
TEXT = "Brukaren föll i duschen och låg kvar en stund innan någon kom. Jag skriver mer sedan."


def _drafts() -> int:
    return db.session.scalar(select(func.count()).select_from(ReportDraft))


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_the_script_saves_a_draft_that_fills_the_form_for_its_writer_only(login_as):
    anna = login_as("anna")
    with frozen(NOW):
        response = anna.post("/rapportera/avvikelse/utkast", data={"description": TEXT, "client_name": "B. B.",
                                                                   "csrf_token": "x"})
    assert response.status_code == 204
    draft = db.session.scalar(select(ReportDraft))
    assert draft.user_id == _user("anna").id and draft.kind == "deviation"
    assert draft.fields == {"description": [TEXT], "client_name": ["B. B."]}  # no token kept

    page = anna.get("/rapportera/avvikelse").get_data(as_text=True)
    assert 'id="draft-notice"' in page and TEXT in page and 'value="B. B."' in page
    # Another kind's form, and another person, see nothing of it.
    assert TEXT not in anna.get("/rapportera/lex-sarah").get_data(as_text=True)
    for username in ("erik", "sara"):
        other = login_as(username).get("/rapportera/avvikelse").get_data(as_text=True)
        assert TEXT not in other and 'id="draft-notice"' not in other


def test_the_button_saves_without_javascript_and_keeps_no_files(login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", {**valid_form("deviation", description=TEXT), "save_draft": "1"},
                           files=(("protokoll.pdf", PDF),))
    assert response.status_code == 302 and response.headers["Location"] == "/rapportera/avvikelse"
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0  # saved, not sent
    draft = db.session.scalar(select(ReportDraft))
    assert draft.fields["description"] == [TEXT] and "attachments" not in draft.fields
    assert "save_draft" not in draft.fields


def test_a_second_save_replaces_the_first(login_as):
    anna = login_as("anna")
    anna.post("/rapportera/avvikelse/utkast", data={"description": "först"})
    anna.post("/rapportera/avvikelse/utkast", data={"description": TEXT})
    assert _drafts() == 1
    assert db.session.scalar(select(ReportDraft)).fields == {"description": [TEXT]}


def test_sending_the_report_removes_its_draft(login_as):
    anna = login_as("anna")
    anna.post("/rapportera/avvikelse/utkast", data={"description": TEXT})
    anna.post("/rapportera/lex-sarah/utkast", data={"description": "ett annat utkast"})
    with frozen(NOW):
        assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302
    db.session.expire_all()
    assert [d.kind for d in db.session.scalars(select(ReportDraft))] == ["lex_sarah"]


def test_a_refused_report_keeps_its_draft(login_as):
    anna = login_as("anna")
    anna.post("/rapportera/avvikelse/utkast", data={"description": TEXT})
    assert post_report(anna, "deviation", valid_form("deviation", description="kort")).status_code == 422
    assert _drafts() == 1


def test_the_writer_removes_the_draft_and_starts_over(login_as):
    anna = login_as("anna")
    anna.post("/rapportera/avvikelse/utkast", data={"description": TEXT})
    assert anna.post("/rapportera/avvikelse/utkast/ta-bort").status_code == 302
    assert _drafts() == 0
    assert TEXT not in anna.get("/rapportera/avvikelse").get_data(as_text=True)


def test_the_board_role_and_strangers_keep_no_drafts(demo, login_as, board_member):
    assert demo.test_client().post("/rapportera/avvikelse/utkast", data={"description": TEXT}).status_code == 302
    assert login_as("nils").post("/rapportera/avvikelse/utkast", data={"description": TEXT}).status_code == 403
    assert _drafts() == 0


def test_old_drafts_are_cleaned_by_the_command(app, login_as):
    anna, erik = login_as("anna"), login_as("erik")
    with frozen(NOW - timedelta(days=15)):
        anna.post("/rapportera/avvikelse/utkast", data={"description": TEXT})
    with frozen(NOW - timedelta(days=13)):
        erik.post("/rapportera/avvikelse/utkast", data={"description": TEXT})
    with frozen(NOW):
        result = app.test_cli_runner().invoke(args=["drafts", "clean"])
    assert result.exit_code == 0 and "1 removed" in result.output
    assert [d.user_id for d in db.session.scalars(select(ReportDraft))] == [_user("erik").id]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_draft.cleaned")).detail == {
        "count": 1, "days": 14}


def test_the_form_loads_its_draft_script_and_no_browser_storage(login_as):
    page = login_as("anna").get("/rapportera/avvikelse").get_data(as_text=True)
    assert 'data-draft-url="/rapportera/avvikelse/utkast"' in page and "js/draft.js" in page
    from pathlib import Path
    script = (Path(__file__).resolve().parents[2] / "app/static/js/draft.js").read_text(encoding="utf-8")
    assert "localStorage" not in script.replace("browser's storage", "") and "sessionStorage" not in script
    assert "indexedDB" not in script
