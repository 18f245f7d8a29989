"""Speed of a filing under concurrency: what it builds before the reference number is taken.

The counter row of the reference numbers stays locked from the number's UPDATE until the commit,
and every filing of the kind waits for it; so does the audit chain's head, from its lock to the
commit. With two workers on PostgreSQL the filings ran one after the other through that lock, so
what is done while it is held decides how many filings a second get through. These tests hold
that the rows, the notices' texts and the audit entry are built before the number is taken, and
that what is stored is still exactly what it was (the references, the notices, the chain)."""

import pytest
from sqlalchemy import event, select

from app import audit
from app.audit_chain import verify_all
from app.cases import filing
from app.cases.models import Case
from app.extensions import db
from app.mailer import OutgoingMail
from tests.intake.conftest import post_report, valid_form


@pytest.fixture
def app_config(tmp_path):
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "MAIL_DELIVERY": "worker"}


def _reference(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


@pytest.mark.parametrize("overrides", [{}, {"on_behalf": "y", "reporter_name": "Karin Kollega"}])
def test_nothing_is_built_while_the_counter_is_held(app, login_as, monkeypatch, overrides):
    """Between the reference number's UPDATE and the commit only the filing's statements run:
    the links and texts of the notices, the journal's times and the audit entry come before."""
    anna = login_as("anna")
    _reference(post_report(anna, "deviation", valid_form("deviation")))  # the year's counter exists
    seen: list[str] = []

    def watched(name, function):
        def call(*args, **kwargs):
            seen.append(name)
            return function(*args, **kwargs)
        return call

    monkeypatch.setattr(filing, "external_url", watched("external_url", filing.external_url))
    monkeypatch.setattr(filing, "utcnow", watched("utcnow", filing.utcnow))
    monkeypatch.setattr(audit, "record", watched("audit.record", audit.record))

    def statement(_conn, _cursor, text, *_args):
        seen.append(" ".join(text.split())[:40])

    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        reference = _reference(post_report(anna, "deviation", valid_form("deviation", **overrides)))
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    counter = next(i for i, s in enumerate(seen) if s.startswith("UPDATE reference_counters"))
    built = [i for i, s in enumerate(seen) if s in ("external_url", "utcnow", "audit.record")]
    assert "external_url" in seen and "audit.record" in seen and "utcnow" in seen, seen
    assert max(built) < counter, seen[counter:]
    assert all(s.startswith(("INSERT INTO", "SELECT audit_chain_head", "WITH moved_head", "UPDATE audit_chain_head"))
               for s in seen[counter + 1:]), seen[counter:]
    assert reference.startswith("AV-")


def test_the_notices_carry_the_reference_taken_after_their_texts(app, login_as):
    anna = login_as("anna")
    for overrides in ({}, {"on_behalf": "y", "reporter_user_id": None, "reporter_name": "Karin Kollega"}):
        reference = _reference(post_report(anna, "deviation", valid_form("deviation", **overrides)))
        mails = list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.subject.contains(reference))))
        texts = "\n".join(m.subject + "\n" + m.body for m in mails)
        assert len(mails) >= 1 and "VARNAREF" not in texts, texts
        assert any(m.subject == f"Ny avvikelse: {reference}" and f"/arenden/{reference}" in m.body for m in mails)
    all_texts = "".join(m.subject + m.body for m in db.session.scalars(select(OutgoingMail)))
    assert "VARNAREF" not in all_texts


def test_the_filing_entry_is_completed_with_the_case_and_the_chain_holds(app, login_as):
    anna = login_as("anna")
    references = [_reference(post_report(anna, "deviation", valid_form("deviation"))) for _ in range(3)]
    for reference in references:
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        entry = db.session.scalar(select(audit.AuditEvent).where(audit.AuditEvent.action == "case.filed",
                                                                 audit.AuditEvent.object_id == str(case.id)))
        assert entry is not None and entry.object_type == "case"
        assert entry.detail == {"reference": reference, "kind": "deviation"}
    assert [int(r.rsplit("-", 1)[1]) for r in references] == list(
        range(int(references[0].rsplit("-", 1)[1]), int(references[0].rsplit("-", 1)[1]) + 3))
    assert verify_all().ok


def test_the_worker_reads_a_batch_once_and_writes_each_result_once(app, login_as):
    """Each filing queues two messages for `flask mail worker`: per message one UPDATE and its
    commit, the batch read in one statement (the ORM read each message again and flushed it)."""
    from app import mailer
    from tests.statements import statements as counted
    anna = login_as("anna")
    for _ in range(3):
        _reference(post_report(anna, "deviation", valid_form("deviation")))
    queued = db.session.scalar(select(db.func.count()).select_from(OutgoingMail).where(OutgoingMail.sent_at.is_(None)))
    assert queued >= 6
    db.session.commit()
    with counted() as seen:
        assert mailer.deliver_queued() == (queued, 0)
    text = "\n".join(seen)
    # The claim's, the batch's, and the claim that finds the queue empty.
    assert sum(s.startswith("SELECT outgoing_mail.") for s in seen) == 3, text
    assert sum(s.startswith("UPDATE outgoing_mail ") for s in seen) == 1 + queued, text  # the claim, each result
    assert len(seen) == 4 + queued, text
    sent = list(db.session.scalars(select(OutgoingMail)))
    assert all(m.sent_at is not None and m.attempts == 1 and m.claimed_until is None and m.last_error == ""
               for m in sent)


def test_the_units_above_and_the_categories_are_checked_in_one_statement(app, login_as):
    from tests.statements import statements as counted
    anna = login_as("anna")
    _reference(post_report(anna, "deviation", valid_form("deviation")))  # the year's counter exists
    data = valid_form("deviation")  # Boendestöd, which has units above it
    with counted(fresh_session=True) as seen:
        _reference(post_report(anna, "deviation", data))
    text = "\n".join(seen)
    assert not any(s.startswith("SELECT units.") for s in seen), text
    assert sum(s.startswith("SELECT categories.") for s in seen) == 1, text
    assert len(seen) <= 13, text  # 12 on PostgreSQL, whose audit entry and head move are one statement


@pytest.mark.parametrize("categories", ["chosen", "none", "unknown"])
def test_a_unit_under_an_inactive_unit_is_still_refused(app, login_as, categories):
    from app.cases.models import Case
    from app.org.models import Unit
    from tests.intake.conftest import unit_id
    anna = login_as("anna")
    unit = db.session.get(Unit, unit_id("Boendestöd"))
    parent = db.session.get(Unit, unit.ancestor_ids[-2])
    parent.active = False
    db.session.commit()
    overrides = {"chosen": {}, "none": {"category_ids": None}, "unknown": {"category_ids": ["999999"]}}[categories]
    response = post_report(anna, "deviation", valid_form("deviation", **overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Välj en enhet i listan." in page
    assert ("Välj minst en kategori." in page) == (categories == "none")
    assert ("Välj kategorier ur listan." in page) == (categories == "unknown")
    assert db.session.scalar(select(db.func.count()).select_from(Case)) == 0


def test_a_filing_request_takes_one_connection_and_commits_once(login_as, _session_dir):
    """After the commit the case joins the session as read; that began the session's next
    transaction, which the end of the request (app/transactions.py, PostgreSQL) then committed
    on a connection of its own taken for nothing."""
    from app import create_app
    from tests.conftest import login, make_config
    login_as("anna")  # the demo data
    served = create_app(make_config(_session_dir, MAIL_DELIVERY="worker"))
    seen: list[str] = []
    try:
        client = served.test_client()
        assert login(client, "anna").status_code == 302
        with served.app_context():
            data = valid_form("deviation")
            engine = db.engine
        _reference(post_report(client, "deviation", data))  # the year's counter exists
        listeners = [(engine.pool, "checkout", lambda *a: seen.append("checkout")),
                     (engine, "commit", lambda *a: seen.append("commit")),
                     (engine, "rollback", lambda *a: seen.append("rollback"))]
        for target, name, listener in listeners:
            event.listen(target, name, listener)
        try:
            _reference(post_report(client, "deviation", data))
        finally:
            for target, name, listener in listeners:
                event.remove(target, name, listener)
    finally:
        with served.app_context():
            db.engine.dispose()
    assert seen == ["checkout", "commit"], seen
