"""Speed of a filing, in statements rather than seconds (a timed test fails on a busy machine):
one INSERT per table the filing writes, no ORM flush round trips, nothing read back that the
filing already knows, and what is stored exactly what the slower way stored."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.cases.deadlines.services import next_deadline_for, recompute_open_cases, rules
from app.cases.models import Case, ConcernedStaff, JournalEvent, case_categories
from app.extensions import db
from app.mailer import OutgoingMail
from tests.intake.conftest import assert_nothing_stored, counts, post_report, valid_form
from tests.statements import statements as counted


@pytest.fixture
def app_config(tmp_path):
    # A folder per test, so "no file was written" is a plain look at the folder.
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments")}


def _file(client, kind="deviation", **overrides):
    response = post_report(client, kind, valid_form(kind, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Case).where(Case.reference == response.headers["Location"].rsplit("/", 1)[1]))


def test_a_filing_writes_each_table_once_and_reads_nothing_it_knows(app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DELIVERY", "worker")
    anna = login_as("anna")
    _file(anna)  # the year's counter exists
    data = valid_form("deviation")
    with counted(fresh_session=True) as seen:
        response = post_report(anna, "deviation", data)
    assert response.status_code == 302
    case = db.session.scalar(select(Case).where(Case.reference == response.headers["Location"].rsplit("/", 1)[1]))
    text = "\n".join(seen)
    # One INSERT per table: the case, its category, its journal, both notices together.
    for table in ("cases", "case_categories", "journal_events", "outgoing_mail"):
        assert sum(s.startswith(f"INSERT INTO {table} ") for s in seen) == 1, text
    # Nothing the filing already knows is read back: not the case's empty collections (the
    # concerned staff, the attachments), not the case, not the people offered by name (only
    # a form shown again needs them), not the unit's parents one by one.
    assert not any(s.startswith(("SELECT case_concerned_staff", "SELECT attachments", "SELECT cases.",
                                 "SELECT users.id, users.full_name")) for s in seen), text
    assert sum(s.startswith("SELECT units.") for s in seen) <= 1, text
    # The person (the user loader), the unit's parents, the categories, the counter, the
    # deadline rules, the case and what comes with it, the handlers, the draft, the audit chain.
    assert len(seen) <= 14, text
    assert case.status == "received" and [c.id for c in case.categories]
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail)
                             .where(OutgoingMail.subject.contains(case.reference))) == 2


@pytest.mark.parametrize("kind,overrides", [
    ("deviation", {}),
    ("lex_sarah", {}),
    ("complaint", {}),                                    # by phone: its acknowledgement is owed
    ("complaint", {"relation": "anonymous", "complainant_name": None, "complainant_phone": None,
                   "answer_wanted": None}),               # anonymous: none is owed
])
def test_the_next_deadline_written_at_filing_is_the_one_the_rules_give(login_as, kind, overrides):
    case = _file(login_as("anna"), kind, **overrides)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.next_deadline_at == next_deadline_for(case, rules(), case.received_at)
    assert recompute_open_cases() == 0  # the recomputation of every open case changes nothing
    db.session.rollback()


def test_the_case_returned_is_the_case_stored(app, login_as):
    from app.auth.models import User
    from app.intake import services
    from tests.intake.conftest import category_ids, unit_id
    anna = db.session.scalar(select(User).where(User.username == "anna"))
    erik = db.session.scalar(select(User).where(User.username == "erik"))
    sara = db.session.scalar(select(User).where(User.username == "sara"))
    with app.test_request_context("/"):
        returned = services.file_report(anna, "deviation", {
            "unit_id": str(unit_id("Boendestöd")), "occurred_on": date(2026, 3, 2),
            "description": "Dörren till förrådet stod olåst hela natten.",
            "category_ids": [str(i) for i in category_ids("deviation", 2)],
            "on_behalf": True, "reporter_user_id": str(erik.id), "concerned_user_ids": [str(sara.id)]})
    kept = {column.key: getattr(returned, column.key) for column in Case.__table__.columns}
    categories = [c.id for c in returned.categories]
    assert returned.registered_by is anna and returned.reporter is erik
    assert returned.concerned_user_ids == {sara.id}
    db.session.expire_all()
    stored = db.session.get(Case, kept["id"])
    assert {column.key: getattr(stored, column.key) for column in Case.__table__.columns} == kept
    assert [c.id for c in stored.categories] == categories and len(categories) == 2
    assert [(e.event, e.detail) for e in stored.journal] == [
        ("filed", {"registered_for": erik.full_name, "reporter_id": erik.id})]
    assert db.session.scalar(select(func.count()).select_from(case_categories)
                             .where(case_categories.c.case_id == stored.id)) == 2
    assert [(c.user_id, c.added_by_id) for c in db.session.scalars(
        select(ConcernedStaff).where(ConcernedStaff.case_id == stored.id))] == [(sara.id, anna.id)]


def test_nothing_is_half_stored_when_the_notices_cannot_be_queued(app, login_as, monkeypatch):
    from app import mailer
    anna = login_as("anna")

    def broken(messages):
        raise RuntimeError("the mail table is gone")

    monkeypatch.setattr(mailer, "queue_emails", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        assert post_report(anna, "deviation", valid_form("deviation")).status_code == 500
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    db.session.rollback()
    assert_nothing_stored(app)
    assert counts()["JournalEvent"] == 0
    assert db.session.scalar(select(func.count()).select_from(JournalEvent)) == 0
    # The case written and rolled back leaves nothing in the session either: the next filing
    # (which may get the same id again) is stored.
    monkeypatch.undo()
    case = _file(anna)
    assert case.journal[0].event == "filed" and counts()["Case"] == 1


def test_a_form_shown_again_still_offers_the_people_by_name(login_as):
    anna = login_as("anna")
    response = post_report(anna, "deviation", valid_form("deviation", description="Kort"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Erik" in page.split('name="reporter_user_id"', 1)[1].split("</select>", 1)[0]
    assert "Erik" in page.split('name="concerned_user_ids"', 1)[1].split("</select>", 1)[0]


def test_the_receipt_after_the_redirect_reads_the_case_once_and_keeps_what_it_read(login_as):
    anna = login_as("anna")
    receipt = post_report(anna, "deviation", valid_form("deviation")).headers["Location"]
    with counted(fresh_session=True) as seen:
        response = anna.get(receipt)
    assert response.status_code == 200
    text = "\n".join(seen)
    # The case with the staff it concerns (jäv) in one statement; after the audit entry's
    # commit neither the case nor the person is read again.
    assert sum(s.startswith("SELECT cases.") for s in seen) == 1, text
    assert not any(s.startswith("SELECT case_concerned_staff") for s in seen), text
    assert sum(s.startswith("SELECT users.") for s in seen) == 1, text  # the user loader
    assert len(seen) <= 5, text
    assert receipt.rsplit("/", 1)[1] in response.get_data(as_text=True)


def test_every_default_of_a_case_column_is_written_by_the_staff_filing(app):
    from app.cases.filing import _CASE_DEFAULTS
    from app.cases.models import Case
    for column in Case.__table__.columns:
        if (column.default is not None and column.default.is_scalar) or column.server_default is not None:
            assert column.key in _CASE_DEFAULTS, column.key
