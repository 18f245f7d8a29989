"""Everything a person typed is shown as text, never as markup (OWASP ASVS 5.3.3)."""

from datetime import date, datetime
from urllib.parse import urlencode

from app.cases.investigation import services as investigation
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import file_case, reload, user
from tests.conftest import login

SCRIPT = "<script>alert(1)</script>"
BREAKER = "\"'><img src=x onerror=alert(1)>"


def test_an_entry_offered_for_correction_is_escaped(login_as):
    # The "corrects entry" option labels carry the start of each entry's text.
    with frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("deviation")
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    with frozen(datetime(2026, 3, 12, 9, 0)):
        investigation.add_entry(user("erik"), case.reference, section=None, entry_date=date(2026, 3, 10),
                                source=BREAKER, nature="fact", text=SCRIPT,
                                expected_version=reload(case).version)
        page = login_as("sara").get(f"/arenden/{case.reference}/utredning/anteckning").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- every page, every role, every free-text field poisoned ------------------------------------

# Columns that hold codes, hashes or generated values, never what a person typed; every other
# text column of every table is filled with the payload (so a new free-text column is covered
# without anyone remembering to add it here).
NOT_TYPED = {
    "kind", "status", "role", "password_hash", "session_token", "reference", "path", "token_hash", "prefix",
    "ip_hash", "action", "object_type", "triage_decision", "triage_reason", "lex_sarah_type", "client_gender",
    "client_pin", "handover", "section", "nature", "area", "event", "channel", "relation", "followup_code_hash",
    "answer_channel", "decision", "sent_via", "outcome", "ivo_outcome", "proposed_outcome", "origin",
    "follow_up_result", "complaint_type", "stored_name", "content_type", "sha256", "html_sha256", "pdf_sha256",
    "step", "unit",
    # supervision cases: codes from a list
    "authority", "subject", "purpose", "reply_channel",
    # The frozen IVO document is generated from the (already poisoned) case when it is sent.
    "document_html", "org_number",
    # Written by Värna itself: the name of a scheduled job, an encrypted TOTP secret, a hashed recovery code.
    "job_runs.name", "secret_encrypted", "code_hash",
    # Which public page a text belongs to ("personal_data").
    "public_texts.key",
    # The notification's kind of activity and regi: codes from a list; a private provider's organisation
    # number: digits checked by their Luhn digit.
    "activity_kind", "activity_regi", "private_provider_org_number",
    # The reason of a proposed ställningstagande is a code from a list.
    "lex_sarah_position_proposals.reason",
}


def _typed(table, column) -> bool:
    """A text column a person types into (NOT_TYPED names a column, or one table's column)."""
    import sqlalchemy as sa
    return (isinstance(column.type, sa.String) and not column.foreign_keys
            and column.name not in NOT_TYPED and f"{table.name}.{column.name}" not in NOT_TYPED)
PAYLOAD = SCRIPT + BREAKER
RAW = ("<script>alert", "<img src=x")
NOW = datetime(2026, 3, 25, 9, 0)
YEAR = 2026


def _typed_columns() -> set[str]:
    return {f"{table.name}.{column.name}" for table in db.metadata.sorted_tables for column in table.columns
            if _typed(table, column)}


def _poison_every_text_column() -> list[str]:
    """Every typed text in every row becomes the payload (with a number, for unique columns)."""
    import sqlalchemy as sa
    poisoned, counter = [], 0
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if _typed(table, c)]
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        for row in db.session.execute(sa.select(*keys, *columns)).all():
            values = {}
            for column, old in zip(columns, row[len(keys):], strict=True):
                if not old:  # an empty text stays empty: "no reason given" must stay consistent
                    continue
                counter += 1
                text = f"{PAYLOAD}{counter}"
                if column.type.length and len(text) > column.type.length:
                    text = BREAKER[:column.type.length]
                values[column.name] = text
            if values:
                db.session.execute(table.update().where(*(k == v for k, v in zip(keys, row, strict=False)))
                                   .values(values))
            poisoned += [f"{table.name}.{name}" for name in values]
    db.session.commit()
    return sorted(set(poisoned))


def _poisoned_data() -> dict:
    """Cases of every kind in the states their pages show most, created through the services
    with the payload wherever a person types; then every text column is poisoned too."""
    from app.actions import services as actions
    from app.actions.models import ActionType
    from app.api.models import ApiToken
    from app.cases.casework import services as cases
    from app.cases.models import Attachment
    from app.lexsarah import informing, judgment, notification, position, protection, provider, record, supplement
    from app.lexsarah.informing import InformingItem
    from app.mailer import OutgoingMail
    from app.org.models import Unit
    from tests.lexsarah import helpers as lex

    lex.set_provider()
    erik, sara = user("erik"), user("sara")
    with frozen(datetime(2026, 3, 2, 9, 0)):
        deviation = file_case("deviation", summary=PAYLOAD, description=PAYLOAD)
        closed = file_case("deviation", summary=PAYLOAD, description=PAYLOAD)
        complaint = file_case("complaint", summary=PAYLOAD, description=PAYLOAD,
                              complaint={"complainant_name": PAYLOAD, "wishes": PAYLOAD, "complainant_email": "x",
                                         "complainant_phone": "x", "complainant_address": PAYLOAD,
                                         "ivo_reference": "x"})
    deviation.status, deviation.triage_decision, deviation.assignee_id = "investigating", "investigate", erik.id
    closed.status, closed.closing_summary = "closed", PAYLOAD
    closed.triage_decision, closed.triage_text = "investigate", PAYLOAD
    # Registered by erik for someone outside Värna, by a typed name (the case page shows both).
    closed.reporter_id, closed.registered_by_id, closed.reporter_name = None, erik.id, PAYLOAD
    complaint.status, complaint.assignee_id = "investigating", erik.id
    db.session.add(Attachment(case_id=deviation.id, original_name=PAYLOAD + ".pdf", stored_name="x" * 40,
                              content_type="application/pdf", size=1, sha256="0" * 64))
    db.session.commit()
    with frozen(NOW):
        investigation.add_entry(erik, deviation.reference, section=None, entry_date=date(2026, 3, 10),
                                source=PAYLOAD, nature="fact", text=PAYLOAD, expected_version=reload(deviation).version)
        investigation.record_causes(erik, deviation.reference, areas=["processes"], text=PAYLOAD,
                                    expected_version=reload(deviation).version)
        investigation.record_risk(erik, deviation.reference, probability=3, consequence=2, text=PAYLOAD,
                                  expected_version=reload(deviation).version)
        cases.give_feedback(erik, deviation.reference, text=PAYLOAD, expected_version=reload(deviation).version)
        type_id = db.session.scalar(db.select(ActionType.id).order_by(ActionType.id))
        action = actions.add_action(erik, reload(deviation).reference, type_id=type_id, description=PAYLOAD,
                                    responsible_id=erik.id, due_on=date(2026, 3, 20))
        cases.declare_disqualified(sara, deviation.reference, reason=PAYLOAD,
                                   expected_version=reload(deviation).version)
        cases.record_answer(erik, complaint.reference, text=PAYLOAD, answered_on=date(2026, 3, 24),
                            channel="letter", expected_version=reload(complaint).version)
        cancelled = actions.add_action(erik, reload(deviation).reference, type_id=type_id, description=PAYLOAD,
                                       responsible_id=erik.id, due_on=date(2026, 3, 30))
        actions.update_action_status(erik, cancelled.id, "cancelled", cancel_reason=PAYLOAD,
                                     expected_version=cancelled.version)
        followed = actions.add_action(erik, reload(deviation).reference, type_id=type_id, description=PAYLOAD,
                                      responsible_id=erik.id, due_on=date(2026, 3, 30))
        actions.update_action_status(erik, followed.id, "done", completed_on=date(2026, 3, 24),
                                     expected_version=followed.version)
        actions.record_follow_up(erik, followed.id, result="partly", text=PAYLOAD, followed_up_on=date(2026, 3, 25),
                                 expected_version=followed.version)

    proposed = lex.make_case(summary=PAYLOAD, description=PAYLOAD, noticed_how=PAYLOAD, consequences=PAYLOAD,
                             immediate_measures=PAYLOAD, client_name=PAYLOAD)
    with frozen(NOW):
        judgment.propose_judgment(erik, **lex.loaded(proposed),
                                  **{**lex.NONE, "established_motivation": PAYLOAD,
                                     "rationale": PAYLOAD})
    notified = lex.make_case(summary=PAYLOAD, description=PAYLOAD, noticed_how=PAYLOAD, consequences=PAYLOAD,
                             immediate_measures=PAYLOAD, client_name=PAYLOAD)
    lex.judge(notified, {**lex.SERIOUS, "rationale": PAYLOAD})
    lex.draft(notified, service_description=PAYLOAD, contact_name=PAYLOAD, contact_title=PAYLOAD,
              planned_measures=PAYLOAD, signatory_name=PAYLOAD, signatory_title=PAYLOAD,
              contact_email="sara@varna.example", include_client_identity=True, seriousness_motivation=PAYLOAD,
              activity_municipality=PAYLOAD, activity_place=PAYLOAD, board_reference=PAYLOAD,
              signature_place=PAYLOAD)
    lex.notify(notified, reference=PAYLOAD[:40])
    with frozen(NOW):
        informing.record_informing(erik, **lex.loaded(lex.reload(notified)), items={
            item: InformingItem(not_applicable=True, reason=PAYLOAD)
            for item in ("client", "guardian", "case_file", "reporter", "work_group")})
        supplement.record_supplement_request(sara, **lex.loaded(lex.reload(notified)), requested_on=date(2026, 3, 24),
                                               due_on=date(2026, 4, 24), text=PAYLOAD)
        notification.record_ivo_decision(sara, **lex.loaded(lex.reload(notified)), outcome="criticism",
                                         decided_on=date(2026, 3, 24),
                                     text=PAYLOAD)
    not_serious = lex.make_case(summary=PAYLOAD, description=PAYLOAD)
    lex.judge(not_serious, {**lex.NOT_SERIOUS, "serious_harm_motivation": PAYLOAD,
                            "serious_risk_motivation": PAYLOAD, "rationale": PAYLOAD})
    not_notified = lex.make_case(summary=PAYLOAD, description=PAYLOAD)
    lex.judge(not_notified, {**lex.SERIOUS, "rationale": PAYLOAD})
    # A draft with the other answers of IVO's form typed: a private provider, another authority, the
    # individual's identity left out with a reason.
    lex.draft(not_notified, activity_regi="private", private_provider_name=PAYLOAD,
              private_provider_org_number="556036-0793", other_authority_reported=True,
              other_authority_name=PAYLOAD, other_authority_reported_on=date(2026, 3, 10),
              include_client_identity=False, client_identity_omitted_reason=PAYLOAD)
    with frozen(NOW):
        notification.record_not_notifying(sara, **lex.loaded(lex.reload(not_notified)), reason=PAYLOAD)
    positioned = lex.make_case("investigating", summary=PAYLOAD, description=PAYLOAD)
    with frozen(NOW):
        for section in ("what_happened", "decision"):
            investigation.add_entry(sara, positioned.reference, section=section, entry_date=date(2026, 3, 10),
                                    source=PAYLOAD, nature="fact", text=PAYLOAD,
                                    expected_version=lex.reload(positioned).version)
        record.mark_nothing_to_record(sara, positioned.reference, section="happened_before", reason=PAYLOAD,
                                      expected_version=lex.reload(positioned).version)
        protection.record_protection(sara, positioned.reference, what=PAYLOAD, done_on=date(2026, 3, 10),
                                     done_by=PAYLOAD[:200], expected_version=lex.reload(positioned).version)
        informing.record_informing(sara, **lex.loaded(lex.reload(positioned)), items={
            item: InformingItem(not_applicable=True, reason=PAYLOAD)
            for item in ("client", "guardian", "case_file", "reporter", "work_group")})
        position.close_with_position(sara, positioned.reference, reason="not_own_service", text=PAYLOAD,
                                     passed_to=PAYLOAD, expected_version=lex.reload(positioned).version)
    # An investigator's proposal of a ställningstagande, declined, and a second one left open.
    proposed_position = lex.make_case("investigating", summary=PAYLOAD, description=PAYLOAD)
    with frozen(NOW):
        position.propose_position(erik, proposed_position.reference, reason="already_investigated", text=PAYLOAD,
                                  linked_reference=positioned.reference,
                                  expected_version=lex.reload(proposed_position).version)
        position.decline_proposal(sara, proposed_position.reference, reason=PAYLOAD,
                                  expected_version=lex.reload(proposed_position).version)
        position.propose_position(erik, proposed_position.reference, reason="not_own_service", text=PAYLOAD,
                                  passed_to=PAYLOAD, expected_version=lex.reload(proposed_position).version)
    none = lex.make_case(summary=PAYLOAD, description=PAYLOAD)
    lex.judge(none, {**lex.NONE, "established_motivation": PAYLOAD, "rationale": PAYLOAD})
    from app.supervision import services as supervision
    with frozen(NOW):
        boende = db.session.scalar(db.select(Unit).where(Unit.name == "Boendestöd"))
        sv = supervision.register(sara, supervision.Registration(
            authority="other", authority_name=PAYLOAD, authority_reference=PAYLOAD, letter_on=date(2026, 3, 2),
            subject="individual_case", summary=PAYLOAD, description=PAYLOAD, unit_ids=[boende.id],
            origin="initiative", board_reference=PAYLOAD, client_name=PAYLOAD))
        request = supervision.record_request(sara, sv.reference, purpose="statement", requested_on=date(2026, 3, 3),
                                             due_on=date(2026, 3, 20), text=PAYLOAD,
                                             expected_version=reload(sv).version)
        supervision.extend_deadline(sara, sv.reference, request_id=request.id, new_due_on=date(2026, 3, 27),
                                    note=PAYLOAD, expected_version=reload(sv).version)
        supervision.record_reply(sara, sv.reference, request_id=request.id, replied_on=date(2026, 3, 24),
                                 channel="letter", signed_by=PAYLOAD, note=PAYLOAD, expected_version=reload(sv).version)
        supervision.record_decision(sara, sv.reference, decision="criticism", decided_on=date(2026, 3, 25),
                                    text=PAYLOAD, report_back_on=None, expected_version=reload(sv).version)
    db.session.add(ApiToken(user_id=sara.id, name="x", token_hash="0" * 64, prefix="varna_xxxx"))
    for mail in db.session.scalars(db.select(OutgoingMail)):
        mail.last_error = "x"
    provider = provider.provider_settings()
    provider.contact_email, provider.contact_title, provider.sol_2025_paragraphs = "x", "x", "x §"
    # The words citizens read on /klagomal and /personuppgifter, set by the admin.
    from app.public.models import PublicText
    for department in db.session.scalars(db.select(Unit).where(Unit.depth == 1)):
        department.public_name, department.public_description = "x", "x"
    db.session.add(PublicText(key="personal_data", body="x\n\nx"))
    from app.stats.models import ChapterAdoption, ChapterText
    db.session.add(ChapterAdoption(year=YEAR, adopted_by="x", diary_number="x"))
    db.session.add(ChapterText(year=YEAR, section="lex_sarah", analysis="x", improvement="x"))
    db.session.commit()
    poisoned = _poison_every_text_column()
    unfilled = sorted(_typed_columns() - set(poisoned))
    assert not unfilled, (f"nothing in the test data fills {unfilled}: create such data above, or add the "
                          "column to NOT_TYPED if no person ever types it")
    unit = db.session.scalar(db.select(Unit).where(Unit.name.is_not(None)).order_by(Unit.id.desc()))
    from app.auth.models import User
    from app.cases.models import Category
    return {
        "references": [c.reference for c in (deviation, closed, complaint, proposed, notified, not_serious,
                                             not_notified, none, sv)],
        "lex_sarah": [c.reference for c in (proposed, notified, not_serious, not_notified, none, proposed_position)],
        "ids": {"user_id": db.session.scalar(db.select(User.id).where(User.id == erik.id)),
                "unit_id": unit.id,
                "category_id": db.session.scalar(db.select(Category.id).order_by(Category.id)),
                "type_id": type_id, "action_id": action.id, "request_id": request.id,
                "attachment_id": db.session.scalar(db.select(Attachment.id)),
                "year": YEAR, "key": "lex_sarah",
                "section": "happened_before", "token_id": 1, "slug": "avvikelse", "filename": "css/varna.css",
                # the unlock link of the locked-account e-mail; a forged one shows its own page
                "token": "forged"},
    }


def _urls(app, data: dict) -> list[str]:
    from flask import url_for
    urls = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            references = [None]
            if "reference" in rule.arguments:
                references = data["lex_sarah"] if rule.endpoint.startswith("lexsarah.") else data["references"]
            for reference in references:
                values = {name: data["ids"][name] for name in rule.arguments if name != "reference"}
                if reference:
                    values["reference"] = reference
                urls.append(url_for(rule.endpoint, **values))
    return urls


# Query parameters the pages read, each set to the payload: what a page echoes back of its URL
# must be escaped too.
REFLECTED = urlencode(dict.fromkeys(("q", "next", "person", "object_id", "object_type", "action", "status", "sort",
                                     "assigned", "text", "code", "reference"), PAYLOAD))


def test_no_page_shows_typed_text_as_markup(demo, board_member):
    app = demo
    clients = {"anonymous": app.test_client()}
    for role in ("anna", "erik", "ulla", "sara", "admin", "nils"):
        clients[role] = app.test_client()
        assert login(clients[role], role).status_code == 302
    # A failed login keeps the name typed into the form.
    clients["anonymous"].post("/logga-in", data={"username": "x", "password": "wrong"})
    data = _poisoned_data()
    urls = _urls(app, data)
    assert len(urls) > 50
    unescaped, seen_payload, errors = [], 0, []
    for role, client in clients.items():
        for url in urls:
            for full in (url, url + ("&" if "?" in url else "?") + REFLECTED):
                with frozen(NOW):
                    response = client.get(full)
                if response.status_code >= 500:
                    errors.append(f"GET {full} as {role}: {response.status_code}")
                if response.mimetype != "text/html":
                    continue
                body = response.get_data(as_text=True)
                seen_payload += "&lt;script&gt;alert(1)&lt;/script&gt;" in body
                for raw in RAW:
                    if raw in body:
                        at = body.index(raw)
                        unescaped.append(f"GET {full} as {role}: …{body[max(at - 120, 0):at + 60]}…")
    assert not errors, "\n".join(errors)
    assert not unescaped, "\n".join(unescaped)
    assert seen_payload > 100  # the payload did reach the pages, escaped
