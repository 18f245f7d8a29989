"""Staff file each kind of report: one case with its reference, journal, audit and files."""

import os
import re
from datetime import date, datetime, time

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.audit import AuditEvent
from app.auth.models import User
from app.cases.models import Case, Category
from app.clock import frozen
from app.extensions import db
from app.intake import services
from app.org.models import Unit
from tests.intake.conftest import (
    JPEG,
    KINDS,
    PDF,
    SLUG,
    TEXT,
    category_ids,
    counts,
    office_file,
    post_report,
    stored_files,
    unit_id,
    valid_form,
)

PREFIX = {"deviation": "AV", "lex_sarah": "LS", "complaint": "KL"}
NOW = datetime(2026, 3, 2, 15, 0)  # 16:00 in Stockholm


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.mark.parametrize("kind", KINDS)
def test_staff_files_each_kind_and_gets_a_receipt(login_as, kind):
    anna = login_as("anna")
    with frozen(NOW):
        response = post_report(anna, kind, valid_form(kind))

    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert re.fullmatch(rf"{PREFIX[kind]}-2026-\d{{4}}", case.reference)
    assert case.reference == f"{PREFIX[kind]}-2026-0001"
    assert response.headers["Location"].endswith(f"/rapportera/kvitto/{case.reference}")
    assert (case.kind, case.status, case.reporter.username, case.unit.name) == (kind, "received", "anna",
                                                                              "Boendestöd")
    assert case.received_at == NOW
    assert case.occurred_on == date(2026, 3, 2) and case.occurred_time == time(14, 30)
    assert case.description.startswith("Brukaren fick inte")
    assert case.summary == case.description  # short enough to be its own title
    assert [c.id for c in case.categories] == category_ids(kind)
    assert [(e.event, e.actor_name) for e in case.journal] == [("filed", "Anna Andersson")]
    filed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.filed")).all()
    assert [(e.object_id, e.user_name, e.detail["reference"]) for e in filed] == [
        (str(case.id), "Anna Andersson", case.reference)]
    if kind == "lex_sarah":
        assert (case.lex_sarah_type, case.bypass_manager) == ("misconduct", False)
    if kind == "complaint":
        details = case.complaint
        assert (details.channel, details.relation, details.complainant_name, details.complainant_phone,
                details.anonymous, details.answer_wanted) == ("phone", "relative", "Karin Anhörig",
                                                               "070-123 45 67", False, True)
    else:
        assert case.complaint is None

    receipt = anna.get(response.headers["Location"])
    assert receipt.status_code == 200
    assert case.reference in receipt.get_data(as_text=True)


def test_references_are_sequential_per_kind_and_year(login_as):
    anna = login_as("anna")
    with frozen(datetime(2026, 12, 31, 22, 0)):  # 23:00 in Stockholm: still 2026
        for kind in ("deviation", "deviation", "lex_sarah"):
            assert post_report(anna, kind, valid_form(kind, occurred_on="2026-12-31",
                                                      occurred_time="")).status_code == 302
    with frozen(datetime(2026, 12, 31, 23, 30)):  # 00:30 on New Year's Day in Stockholm
        assert post_report(anna, "deviation", valid_form("deviation", occurred_on="2026-12-31")).status_code == 302
    references = list(db.session.scalars(select(Case.reference).order_by(Case.id)))
    assert references == ["AV-2026-0001", "AV-2026-0002", "LS-2026-0001", "AV-2027-0001"]


def test_every_field_of_the_form_is_stored(login_as):
    anna = login_as("anna")
    data = valid_form("lex_sarah", unit_id=str(unit_id("HVB Solrosen")), category_ids=[
        str(i) for i in category_ids("lex_sarah", 2)], consequences="Brukaren blev rädd.",
        immediate_measures="Personalen stannade kvar.", noticed_on="2026-03-03",
        noticed_how="Brukaren berättade själv.", client_name="K.L.", client_pin="121212-1212",
        client_gender="female", client_age="child", lex_sarah_type="risk", bypass_manager="y")
    with frozen(datetime(2026, 3, 4, 9, 0)):
        assert post_report(anna, "lex_sarah", data).status_code == 302
    case = db.session.scalar(select(Case))
    assert (case.unit.name, case.consequences, case.immediate_measures, case.noticed_on, case.noticed_how) == (
        "HVB Solrosen", "Brukaren blev rädd.", "Personalen stannade kvar.", date(2026, 3, 3),
        "Brukaren berättade själv.")
    assert len(case.categories) == 2
    assert (case.client_name, case.client_pin, case.client_gender, case.client_is_child) == (
        "K.L.", "201212121212", "female", True)
    assert case.client_pin_masked == "20121212-****"
    assert (case.lex_sarah_type, case.bypass_manager) == ("risk", True)


def test_an_anonymous_complaint_keeps_no_contact_and_wants_no_answer(login_as):
    data = valid_form("complaint", relation="anonymous", complainant_name="", complainant_phone="",
                      answer_wanted="y", channel="ivo", ivo_reference="IVO 3.5.1-12345/2026")
    with frozen(NOW):
        assert post_report(login_as("anna"), "complaint", data).status_code == 302
    details = db.session.scalar(select(Case)).complaint
    assert (details.anonymous, details.answer_wanted, details.complainant_name, details.relation) == (
        True, False, "", "anonymous")
    assert (details.channel, details.ivo_reference) == ("ivo", "IVO 3.5.1-12345/2026")


def test_a_long_first_line_becomes_a_shortened_summary(login_as):
    description = "Ett " + "mycket " * 40 + "långt stycke.\nAndra raden."
    with frozen(NOW):
        post_report(login_as("anna"), "deviation", valid_form("deviation", description=description))
    case = db.session.scalar(select(Case))
    assert case.description == description
    assert len(case.summary) == services.SUMMARY_MAX and case.summary.endswith("…")
    assert "Andra raden" not in case.summary


def test_attachments_are_stored_under_server_names_outside_static(app, login_as):
    files = [("protokoll.pdf", PDF), ("bild.jpg", JPEG), ("brev.docx", office_file("docx")),
             ("lista.xlsx", office_file("xlsx")), ("anteckning.txt", TEXT)]
    with frozen(NOW):
        response = post_report(login_as("anna"), "deviation", valid_form("deviation"), files)
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert [a.original_name for a in case.attachments] == [name for name, _ in files]
    on_disk = stored_files(app)
    assert sorted(a.stored_name for a in case.attachments) == on_disk
    static = os.path.realpath(app.static_folder)
    for attachment, (_name, content) in zip(case.attachments, files, strict=True):
        assert re.fullmatch(r"[0-9a-f]{40}", attachment.stored_name)
        path = os.path.join(app.config["ATTACHMENT_DIR"], attachment.stored_name)
        assert not os.path.realpath(path).startswith(static)
        with open(path, "rb") as handle:
            assert handle.read() == content
        assert attachment.size == len(content) and attachment.uploaded_by_id == case.reporter_id
    assert case.attachments[0].content_type == "application/pdf"
    added = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attachment.added")).all()
    assert len(added) == 5


def test_a_failed_commit_leaves_no_file_behind(app, login_as):
    """If the transaction fails after the files were written, they are deleted again."""
    anna = login_as("anna")
    with frozen(NOW):
        post_report(anna, "deviation", valid_form("deviation"), [("a.pdf", PDF)])
    before = stored_files(app)
    assert len(before) == 1

    def database_refuses(session):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    # The database refusing the commit, after the files have been written.
    event.listen(Session, "before_commit", database_refuses)
    try:
        with frozen(NOW), pytest.raises(OperationalError):
            services.file_report(_user("anna"), "deviation", _service_data(), [_upload("b.pdf", PDF)])
    finally:
        event.remove(Session, "before_commit", database_refuses)
    assert stored_files(app) == before
    assert counts()["Case"] == 1 and counts()["Attachment"] == 1


def _service_data(**overrides) -> dict:
    data = {"unit_id": unit_id("Boendestöd"), "occurred_on": date(2026, 3, 2), "occurred_time": None,
            "description": "Ett besök uteblev och brukaren fick vänta länge.",
            "category_ids": category_ids("deviation")}
    data.update(overrides)
    return data


def _upload(name, content):
    import io
    from types import SimpleNamespace
    return SimpleNamespace(filename=name, stream=io.BytesIO(content))


def test_the_service_refuses_people_who_may_not_file(login_as):
    login_as("anna")
    anna = _user("anna")
    anna.active = False  # the permission function refuses inactive accounts
    with pytest.raises(services.PermissionDenied):
        services.file_report(anna, "deviation", _service_data())
    assert counts()["Case"] == 0


@pytest.mark.parametrize("kind", KINDS)
def test_the_form_starts_with_the_reporters_unit_and_today(login_as, kind):
    with frozen(NOW):
        html = login_as("anna").get(f"/rapportera/{SLUG[kind]}").get_data(as_text=True)
    assert f'<option selected value="{unit_id("Boendestöd")}">' in html
    assert 'value="2026-03-02"' in html and 'max="2026-03-02"' in html
    assert 'enctype="multipart/form-data"' in html
    for category in db.session.scalars(select(Category).where(Category.kind == kind)):
        assert category.name in html


def test_only_active_units_are_offered(login_as):
    anna = login_as("anna")
    unit = db.session.scalar(select(Unit).where(Unit.name == "Socialpsykiatri"))
    unit.active = False
    db.session.commit()
    html = anna.get("/rapportera/avvikelse").get_data(as_text=True)
    assert "Socialpsykiatri" not in html and "Boendestöd" in html


def test_the_chooser_explains_the_three_kinds(login_as):
    html = login_as("anna").get("/rapportera").get_data(as_text=True)
    for slug in SLUG.values():
        assert f'href="/rapportera/{slug}"' in html
    assert "genast" in html and "missförhållande" in html


def test_the_lex_sarah_form_explains_genast_and_offers_the_bypass(login_as):
    html = login_as("anna").get("/rapportera/lex-sarah").get_data(as_text=True)
    assert "Rapportera genast" in html
    assert 'name="bypass_manager"' in html
    assert 'value="misconduct"' in html and 'value="risk"' in html


def test_start_page_and_navigation_lead_to_the_forms(login_as):
    html = login_as("anna").get("/").get_data(as_text=True)
    for slug in SLUG.values():
        assert f'href="/rapportera/{slug}"' in html
    assert 'href="/rapportera"' in html and 'href="/mina-rapporter"' in html


def test_the_receipt_is_only_for_the_reporter(login_as):
    with frozen(NOW):
        post_report(login_as("anna"), "deviation", valid_form("deviation"))
    assert login_as("erik").get("/rapportera/kvitto/AV-2026-0001").status_code == 403
    assert login_as("anna").get("/rapportera/kvitto/AV-2026-0099").status_code == 404


def test_forms_need_a_login(demo):
    response = demo.test_client().get("/rapportera/avvikelse")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]
    assert demo.test_client().post("/rapportera/avvikelse", data=valid_form("deviation")).status_code == 302
    assert counts()["Case"] == 0
