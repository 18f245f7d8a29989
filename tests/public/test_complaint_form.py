"""The public complaint form at /klagomal: filing, validation, abuse protection, receipt."""

import io
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.audit import AuditEvent
from app.cases.models import Case, Category, ComplaintDetails, JournalEvent
from app.extensions import db
from app.mailer import OutgoingMail
from app.org.models import Unit
from app.public.models import PublicRateHit
from app.public.services import CODE_ALPHABET, hash_code, normalise_code

NOW = datetime(2026, 3, 10, 9, 0)
DESCRIPTION = "Min mamma fick inget besök i tisdags fast det var inplanerat sedan länge."


def _unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _form(**overrides) -> dict:
    data = {"anonymous": "no", "name": "Karin Karlsson", "email": "karin@example.se", "phone": "",
            "address": "", "answer_wanted": "y", "relation": "relative",
            "department_id": str(_unit("Unga").id), "category_id": "", "description": DESCRIPTION,
            "wishes": "Att någon ringer och förklarar.", "website": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _receipt(response) -> tuple[str, str, str]:
    """The receipt: the answer to the POST itself (the code is kept nowhere to show it later)."""
    html = response.get_data(as_text=True)
    reference = re.search(r'id="reference">([^<]+)<', html).group(1)
    code = re.search(r'id="code">([^<]+)<', html).group(1)
    return reference, code, html


def _error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def _only_case() -> Case:
    db.session.expire_all()
    cases = list(db.session.scalars(select(Case)))
    assert len(cases) == 1
    return cases[0]


def test_the_form_is_public_and_offers_the_active_departments_not_the_inner_units(demo, client):
    vuxna = _unit("Vuxna")
    vuxna.active = False  # a deactivated department is not offered (its units are left alone here)
    db.session.commit()
    html = client.get("/klagomal").get_data(as_text=True)
    offered = set(re.findall(r'name="department_id"[^>]*value="(\d+)"', html))
    assert offered == {str(_unit("Unga").id), str(_unit("Stab").id)}
    assert "Boendestöd" not in html
    assert "Bemötande" in html  # the complaint topics
    assert "vill vara anonym. Då kan vi inte skicka något svar till dig." in html
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'aria-hidden="true"' in html


def test_a_named_complaint_files_a_web_case_with_details_journal_audit_and_mail(demo, client):
    topic = db.session.scalar(select(Category).where(Category.kind == "complaint", Category.name == "Bemötande"))
    with clock.frozen(NOW):
        response = client.post("/klagomal", data=_form(category_id=str(topic.id), phone="070-123 45 67"))
    assert response.status_code == 200 and "Location" not in response.headers

    case = _only_case()
    assert (case.kind, case.status, case.unit_id, case.reporter_id) == ("complaint", "received",
                                                                        _unit("Unga").id, None)
    assert re.fullmatch(r"KL-2026-\d{4}", case.reference)
    assert case.description == DESCRIPTION
    assert case.summary == DESCRIPTION  # short enough to be its own summary
    assert [c.name for c in case.categories] == ["Bemötande"]
    details = db.session.get(ComplaintDetails, case.id)
    assert (details.channel, details.anonymous, details.complainant_name, details.complainant_email,
            details.complainant_phone, details.relation, details.answer_wanted) == (
        "web", False, "Karin Karlsson", "karin@example.se", "070-123 45 67", "relative", True)
    assert details.wishes == "Att någon ringer och förklarar."
    assert [e.event for e in db.session.scalars(select(JournalEvent).where(JournalEvent.case_id == case.id))] \
        == ["filed"]
    filed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.filed")).all()
    assert [(e.object_type, e.object_id, e.user_id) for e in filed] == [("case", str(case.id), None)]

    mails = db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()
    # The handlers' notice, then the complainant's own receipt (tests/public/test_citizen_mail.py).
    assert [m.recipients for m in mails] == ["ulla@varna.example", "karin@example.se"]
    assert case.reference in mails[0].subject + mails[0].body
    assert mails[0].sent_at is not None  # delivered after the commit
    for secret in ("besök", "Karin", "karin@example.se", "070", "ringer"):
        assert secret not in mails[0].subject and secret not in mails[0].body

    reference, code, html = _receipt(response)
    assert reference == case.reference
    assert re.fullmatch(rf"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    assert details.followup_code_hash == hash_code(reference, code)
    assert code not in details.followup_code_hash
    assert "Skriv ner" in html


def test_an_anonymous_complaint_keeps_no_contact_details_and_says_no_answer_can_be_sent(demo, client):
    response = client.post("/klagomal", data=_form(
        anonymous="yes", name="Ska inte sparas", email="inte-en-adress", phone="x", address="Gatan 1",
        relation="client", department_id=str(_unit("Vuxna").id), wishes=""))
    assert response.status_code == 200, _error_for(response.get_data(as_text=True), "email")

    case = _only_case()
    assert (case.unit_id, case.reporter_id) == (_unit("Vuxna").id, None)
    details = db.session.get(ComplaintDetails, case.id)
    assert details.anonymous is True and details.answer_wanted is False
    assert (details.complainant_name, details.complainant_email, details.complainant_phone,
            details.complainant_address) == ("", "", "", "")
    mails = db.session.scalars(select(OutgoingMail)).all()
    assert [m.recipients for m in mails] == ["erik@varna.example"]
    assert DESCRIPTION[:20] not in mails[0].body

    _, code, html = _receipt(response)
    assert "anonym" in html and "kan vi inte skicka något svar" in html
    assert details.followup_code_hash == hash_code(case.reference, code)


def test_the_receipt_is_shown_once_and_never_cached(demo, client):
    first = client.post("/klagomal", data=_form())
    assert first.headers["Cache-Control"] == "no-store"
    _, code, _html = _receipt(first)
    # There is no page that could show it again.
    assert client.get("/klagomal/kvitto").status_code == 404
    assert code not in client.get("/klagomal").get_data(as_text=True)


def test_a_long_text_is_summarised_from_its_first_words(demo, client):
    text = "Jag vill berätta om " + "en lång händelse " * 40
    client.post("/klagomal", data=_form(description=text))
    case = _only_case()
    assert len(case.summary) <= 200
    assert case.summary.startswith("Jag vill berätta om en lång händelse") and case.summary.endswith("…")
    assert case.description == text.strip()


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"description": ""}, "description", "Berätta vad som hänt"),
    ({"description": "För kort text"}, "description", "minst 20"),
    ({"description": "x" * 10_001}, "description", "högst 10 000"),
    ({"wishes": "y" * 5_001}, "wishes", "högst 5 000"),
    ({"name": ""}, "name", "Skriv ditt namn"),
    ({"email": "", "phone": "", "address": ""}, "email", "minst ett sätt"),
    ({"email": "karin@"}, "email", "namn@exempel.se"),
    ({"email": "", "phone": "ring mig"}, "phone", "siffror"),
    ({"relation": None}, "relation", "Välj"),
    ({"relation": "boss"}, "relation", "Välj"),
    ({"department_id": None}, "department_id", "Välj vilken del"),
    ({"department_id": "abc"}, "department_id", "Välj vilken del"),
])
def test_invalid_input_is_refused_next_to_the_field_keeps_the_text_and_stores_nothing(
        demo, client, overrides, field, message):
    response = client.post("/klagomal", data=_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in _error_for(html, field)
    assert "error-summary" in html
    if overrides.get("description") != "":
        kept = overrides.get("description", DESCRIPTION)
        assert kept[:50] in html
    assert "Karin Karlsson" in html or overrides.get("name") == ""
    assert _count(Case) == 0 and _count(ComplaintDetails) == 0 and _count(OutgoingMail) == 0
    assert _count(PublicRateHit) == 0  # a mistake does not use up the hour's quota


@pytest.mark.parametrize("which", ["inner_unit", "inactive_department", "root", "unknown"])
def test_a_tampered_department_id_is_refused(demo, client, which):
    if which == "inactive_department":
        stab = _unit("Stab")
        stab.active = False
        db.session.commit()
    department_id = {"inner_unit": _unit("Boendestöd").id, "inactive_department": _unit("Stab").id,
                     "root": _unit("Socialförvaltningen").id, "unknown": 999_999}[which]
    response = client.post("/klagomal", data=_form(department_id=str(department_id)))
    assert response.status_code == 422
    assert "Välj en av de delar" in _error_for(response.get_data(as_text=True), "department_id")
    assert DESCRIPTION in response.get_data(as_text=True)
    assert _count(Case) == 0


@pytest.mark.parametrize("which", ["deviation_category", "inactive", "unknown"])
def test_a_tampered_topic_id_is_refused(demo, client, which):
    if which == "deviation_category":
        category_id = db.session.scalar(select(Category.id).where(Category.kind == "deviation"))
    elif which == "inactive":
        topic = db.session.scalar(select(Category).where(Category.kind == "complaint"))
        topic.active = False
        db.session.commit()
        category_id = topic.id
    else:
        category_id = 999_999
    response = client.post("/klagomal", data=_form(category_id=str(category_id)))
    assert response.status_code == 422
    assert "Välj ett ämne" in _error_for(response.get_data(as_text=True), "category_id")
    assert _count(Case) == 0


def test_a_filled_honeypot_gets_a_normal_looking_receipt_and_nothing_is_stored(demo, client):
    response = client.post("/klagomal", data=_form(website="http://spam.example"))
    assert response.status_code == 200 and "Location" not in response.headers
    reference, code, html = _receipt(response)
    assert re.fullmatch(r"KL-\d{4}-\d{4}", reference) and len(code) == 14
    assert "Tack!" in html
    assert _count(Case) == 0 and _count(ComplaintDetails) == 0 and _count(OutgoingMail) == 0
    assert _count(JournalEvent) == 0
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.filed")).all()


def test_html_and_script_are_stored_as_text_and_shown_escaped(demo, client):
    nasty = '<script>alert("x")</script><b>fet</b>'
    response = client.post("/klagomal", data=_form(
        name=nasty, description="Det här hände: " + nasty, wishes=nasty, address=nasty, email="",
        phone=""))
    assert response.status_code == 200
    case = _only_case()
    details = db.session.get(ComplaintDetails, case.id)
    assert case.description == "Det här hände: " + nasty
    assert details.complainant_name == nasty and details.wishes == nasty and details.complainant_address == nasty

    # Shown back on a form with an error, the same text is escaped, never live markup.
    again = client.post("/klagomal", data=_form(description=nasty + " " + nasty, name=nasty,
                                                relation="boss")).get_data(as_text=True)
    assert "<script>" not in again and "<b>fet</b>" not in again
    assert "&lt;script&gt;" in again


class TestRateLimit:
    def test_the_eleventh_submission_in_an_hour_is_refused_with_the_text_kept(self, demo, client):
        with clock.frozen(NOW):
            for _ in range(10):
                assert client.post("/klagomal", data=_form()).status_code == 200
        with clock.frozen(NOW + timedelta(minutes=59)):
            response = client.post("/klagomal", data=_form(description=DESCRIPTION + " Elfte gången."))
        html = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Vi kan inte ta emot fler klagomål" in html
        assert DESCRIPTION + " Elfte gången." in html and "Karin Karlsson" in html
        assert _count(Case) == 10

        with clock.frozen(NOW + timedelta(hours=1)):
            assert client.post("/klagomal", data=_form()).status_code == 200
        assert _count(Case) == 11

    def test_the_limit_is_per_address_and_configurable(self, demo, client, app):
        app.config["PUBLIC_RATE_LIMIT_PER_HOUR"] = 2
        with clock.frozen(NOW):
            for _ in range(2):
                assert client.post("/klagomal", data=_form()).status_code == 200
            assert client.post("/klagomal", data=_form()).status_code == 429
            other = client.post("/klagomal", data=_form(), environ_base={"REMOTE_ADDR": "10.1.2.3"})
            assert other.status_code == 200
        assert _count(Case) == 3

    def test_the_address_is_kept_only_as_a_keyed_hash(self, demo, client):
        client.post("/klagomal", data=_form(), environ_base={"REMOTE_ADDR": "192.0.2.44"})
        hashes = db.session.scalars(select(PublicRateHit.ip_hash)).all()
        assert len(hashes) == 1 and "192.0.2.44" not in hashes[0] and len(hashes[0]) == 64

    def test_honeypot_submissions_count_towards_the_limit(self, demo, client, app):
        app.config["PUBLIC_RATE_LIMIT_PER_HOUR"] = 1
        with clock.frozen(NOW):
            assert client.post("/klagomal", data=_form(website="x")).status_code == 200
            assert client.post("/klagomal", data=_form()).status_code == 429
        assert _count(Case) == 0


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_post_without_the_csrf_token_is_refused(demo, client):
    response = client.post("/klagomal", data=_form())
    assert response.status_code == 400
    assert _count(Case) == 0

    # With the token from the page, the same submission goes through.
    page = client.get("/klagomal").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/klagomal", data={**_form(), "csrf_token": token}).status_code == 200
    assert _count(Case) == 1


def test_an_oversized_request_is_refused_before_it_is_read(demo, client):
    # Under Flask's form memory limit (500 kB) but over what these pages ever need.
    response = client.post("/klagomal", data=_form(description="x" * 300_000))
    assert response.status_code == 413
    assert _count(Case) == 0


def test_the_longest_honest_submission_fits(demo, client):
    emoji = "\U0001F600"  # four bytes in UTF-8, twelve when URL-encoded
    response = client.post("/klagomal", data=_form(description=emoji * 10_000, wishes=emoji * 5_000,
                                                   name=emoji * 200, address=emoji * 300))
    assert response.status_code == 200 and "Tack!" in response.get_data(as_text=True)
    assert _count(Case) == 1


def test_the_audit_log_keeps_no_address_of_a_citizen_who_files_or_follows_up(demo, client):
    # An anonymous complaint stays anonymous only if nothing in the log points back at the sender.
    environ = {"REMOTE_ADDR": "198.51.100.23"}
    response = client.post("/klagomal", data=_form(anonymous="yes", name="", email=""), environ_base=environ)
    assert response.status_code == 200
    reference, code, _html = _receipt(response)
    client.post("/klagomal/status", data={"reference": reference, "code": code}, environ_base=environ)
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.in_(["case.filed", "complaint.followup_viewed"]))))
    assert {e.action for e in events} == {"case.filed", "complaint.followup_viewed"}
    assert all(e.ip == "" for e in events)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}, {"WTF_CSRF_ENABLED": False}])
def test_an_oversized_multipart_body_is_refused_before_anything_parses_it(demo, client, app_config):
    # CSRF protection reads the form in an app-wide hook that runs before the blueprint's
    # own: the page's limit must already hold there, or a 5 MB body is parsed and filed.
    page = client.get("/klagomal").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {**_form(), "attachment": (io.BytesIO(b"x" * 5 * 1024 * 1024), "stor.bin")}
    if token:
        data["csrf_token"] = token.group(1)
    response = client.post("/klagomal", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Klagomålet har inte skickats" in html
    assert 'href="/klagomal"' in html
    assert _count(Case) == 0 and _count(ComplaintDetails) == 0 and _count(PublicRateHit) == 0


def test_a_honeypot_receipt_does_not_take_the_next_real_reference(demo, client, app):
    with clock.frozen(NOW):
        assert client.post("/klagomal", data=_form()).status_code == 200
        first = _only_case().reference
        assert client.post("/klagomal", data=_form(website="http://spam.example")).status_code == 200
        assert client.post("/klagomal", data=_form()).status_code == 200
    db.session.expire_all()
    references = sorted(db.session.scalars(select(Case.reference)))
    number = int(first.rsplit("-", 1)[1])
    assert references == [first, f"KL-2026-{number + 1:04d}"]


def _session_cookie(app, client) -> tuple[str, dict]:
    """The session cookie as the browser keeps it, and what it says once decoded."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return "", {}
    return cookie.value, app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_the_follow_up_code_never_travels_in_the_session_cookie(demo, client, app):
    # A signed cookie is readable by whoever holds it (and a client-side session cannot be
    # ended on the server), so the code must not be in it, not even until the receipt is shown.
    response = client.post("/klagomal", data=_form())
    raw, decoded = _session_cookie(app, client)  # as it is between the POST and the receipt
    receipt = response
    assert receipt.headers["Cache-Control"] == "no-store"
    code = re.search(r'id="code">([^<]+)<', receipt.get_data(as_text=True))
    for form in (code.group(1), normalise_code(code.group(1))):
        assert form not in raw and form not in repr(decoded)
