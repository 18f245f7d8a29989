"""The investigation document "Utredning enligt lex Sarah" (issue 13 point 8) and the judgment page
with the investigation beside the three questions (point 5)."""

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import clock
from app.actions import services as actions
from app.actions.models import ActionType
from app.cases.investigation import services as investigation
from app.cases.models import CaseCauses, InvestigationEntry
from app.extensions import db
from app.lexsarah import investigation_document, notification
from app.lexsarah.models import LexSarahInvestigationDocument
from tests.lexsarah.helpers import (
    JUDGED,
    audit_actions,
    complete_record,
    denials,
    draft,
    judge,
    loaded,
    make_case,
    notify,
    reload,
    set_provider,
    user,
)

WRITTEN = datetime(2026, 3, 10, 9, 0)
LATER = datetime(2026, 4, 2, 9, 0)
ENTRY_TEXT = "Kvällspersonalen missade att signera läkemedelslistan två dagar i rad."
SECTION_HEADINGS = ("1. Vad som har hänt", "2. När och hur det uppmärksammades", "3. När det inträffade",
                    "4. Vilka orsaker som har identifierats", "5. Om något liknande har hänt tidigare",
                    "6. Om det kan hända igen", "7. Vilka åtgärder som har vidtagits eller planeras",
                    "8. Annat som har kommit fram", "9. Det beslut som utredningen avslutades med")
OLD_LINE = "Socialtjänstlagen (2001:453) 14 kap. 3–7 §§"
NEW_ACT = "Socialtjänstlagen (2025:400)"


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _investigated(occurred_on: date = date(2026, 2, 27), entry_text: str = ENTRY_TEXT, **fields):
    """A lex Sarah case with an entry under section 1, every other section addressed, causes and risk,
    and an action; judged serious by the officer."""
    set_provider()
    case = make_case("investigating", occurred_on=occurred_on, **fields)
    with clock.frozen(WRITTEN):
        investigation.add_entry(user("erik"), case.reference, section="what_happened", entry_date=date(2026, 3, 1),
                                source="Samtal med kvällspersonalen", nature="fact", text=entry_text,
                                expected_version=reload(case).version)
    complete_record(case, at=WRITTEN)
    with clock.frozen(WRITTEN):
        type_id = db.session.scalar(select(ActionType.id).order_by(ActionType.id))
        actions.add_action(user("erik"), case.reference, type_id=type_id,
                           description="Ny rutin för dubbelsignering av läkemedel.",
                           responsible_id=user("erik").id, due_on=date(2026, 4, 15))
    case = reload(case)
    case.status = "awaiting_judgment"
    db.session.commit()
    judge(case)
    return reload(case)


@pytest.fixture
def case(demo):
    return _investigated()


# --- the document -------------------------------------------------------------------------

def test_the_pdf_holds_every_section_an_entry_with_its_provenance_causes_risk_actions_and_decision(case, login_as):
    response = login_as("sara").get(f"/lex-sarah/{case.reference}/utredning.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Utredning enligt lex Sarah" in text and case.reference in text
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    assert ENTRY_TEXT in text
    # provenance: the source, fact or assessment, who wrote it with title, when
    assert "Källa: Samtal med kvällspersonalen" in text and "Fakta" in text and "Erik" in text
    assert "Inget att anteckna: Inget har framkommit under punkten." in text
    assert "Processer, rutiner och riktlinjer" in text and "Rutinen följdes inte." in text  # causes
    assert "Sannolikhet 2 × konsekvens 2 = 4" in text and "Kan hända igen." in text  # risk
    assert "Ny rutin för dubbelsignering av läkemedel." in text and "senast 2026-04-15" in text  # actions
    assert "Bedömning: Missförhållande, allvarligt" in text  # the decision
    assert "FÖRHANDSVISNING" in text  # not sent yet


@pytest.mark.parametrize(("occurred_on", "present", "absent"), [
    (date(2025, 6, 30), OLD_LINE, NEW_ACT),
    (date(2025, 7, 1), NEW_ACT, "14 kap."),
])
def test_the_legal_line_is_chosen_by_the_date_of_the_event(demo, login_as, occurred_on, present, absent):
    case = _investigated(occurred_on=occurred_on)
    client = login_as("sara")
    pdf = _pdf_text(client.get(f"/lex-sarah/{case.reference}/utredning.pdf").data)
    html = client.get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    for document in (pdf, html):
        assert "Lagrum:" in document and present in document and absent not in document
    # The investigation on the case page cites the same line, not a fixed one.
    page = client.get(f"/arenden/{case.reference}").get_data(as_text=True)
    hint = page.split('id="record-heading"')[1].split("</p>")[0]
    assert "Lagrum:" in hint and present in hint and absent not in hint and "SOSFS 2011:5, 5 kap." not in hint


def test_the_html_document_has_the_same_parts(case, login_as):
    page = login_as("sara").get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    assert "@media print" in page
    for text in (*SECTION_HEADINGS, ENTRY_TEXT, "Källa: Samtal med kvällspersonalen", "Rutinen följdes inte.",
                 "Kan hända igen.", "Ny rutin för dubbelsignering", "Socialnämnden i Exempelby", NEW_ACT):
        assert text in page, text


def test_the_head_names_the_naemnds_diarienummer_and_vaernas_reference_apart(case, login_as):
    """The nämnd's diarienummer is the one its registry gave (the notification's field), not Värna's reference."""
    client = login_as("sara")
    before = client.get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    assert "Ärendenummer i Värna" in before and case.reference in before
    draft(case)
    page = client.get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    assert "SN 2026/0142" in page
    assert "SN 2026/0142" in _pdf_text(client.get(f"/lex-sarah/{case.reference}/utredning.pdf").data)


# --- frozen when sent ---------------------------------------------------------------------

def test_recording_the_investigation_as_sent_freezes_it_and_later_changes_do_not_touch_it(case, login_as):
    draft(case)
    notify(case)
    client = login_as("sara")
    with clock.frozen(LATER):
        notification.record_investigation_sent(user("sara"), **loaded(reload(case)), sent_on=LATER.date())
    copy = db.session.get(LexSarahInvestigationDocument, case.id)
    assert copy is not None and investigation_document.verify(copy)
    html_before = client.get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    pdf_before = client.get(f"/lex-sarah/{case.reference}/utredning.pdf").data
    assert pdf_before == copy.document_pdf and html_before == copy.document_html
    assert "FÖRHANDSVISNING" not in _pdf_text(pdf_before) and ENTRY_TEXT in html_before

    # The record changes afterwards (the case is still open): a new entry, other causes.
    with clock.frozen(LATER):
        investigation.add_entry(user("erik"), case.reference, section="other", entry_date=LATER.date(),
                                source="Enhetschefen", nature="assessment",
                                text="Tillagt efter att utredningen skickats.",
                                expected_version=reload(case).version)
    db.session.get(CaseCauses, case.id).text = "Helt andra orsaker i efterhand."
    db.session.commit()

    html_after = client.get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    pdf_after = client.get(f"/lex-sarah/{case.reference}/utredning.pdf").data
    assert html_after == html_before and pdf_after == pdf_before
    assert "Tillagt efter" not in html_after and "Helt andra orsaker" not in _pdf_text(pdf_after)
    # The notification page shows the frozen copy with its checksum.
    page = client.get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
    assert copy.pdf_sha256 in page and "Kontrollsumman stämmer." in page
    journal_and_audit = audit_actions(object_type="case")
    assert "lexsarah.ivo_investigation_sent" in journal_and_audit


def test_an_investigation_attached_to_the_notification_is_frozen_with_it(case):
    draft(case, investigation_attached=True, investigation_expected_on=None)
    notify(case)
    copy = db.session.get(LexSarahInvestigationDocument, case.id)
    assert copy is not None and ENTRY_TEXT in copy.document_html
    text = _pdf_text(reload(case).lex_sarah_ivo.document_pdf)
    assert "Utredningen bifogas anmälan (Utredning enligt lex Sarah" in text


def test_the_notification_says_when_the_investigation_follows(case):
    draft(case)
    notify(case)
    text = _pdf_text(reload(case).lex_sarah_ivo.document_pdf)
    assert "skickas till IVO senast 2026-05-01, inom två månader från anmälan" in text


def test_a_changed_stored_copy_fails_its_checksum(case, login_as):
    draft(case)
    notify(case)
    with clock.frozen(LATER):
        notification.record_investigation_sent(user("sara"), **loaded(reload(case)), sent_on=LATER.date())
    copy = db.session.get(LexSarahInvestigationDocument, case.id)
    copy.document_html = copy.document_html.replace(ENTRY_TEXT, "Något annat")
    db.session.commit()
    response = login_as("sara").get(f"/lex-sarah/{case.reference}/utredning-dokument")
    assert response.status_code == 302  # refused with a message instead of showing a changed document
    assert "lexsarah.investigation_checksum_failed" in audit_actions(object_type="case")


# --- who may read it ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["sara", "erik", "admin"])
def test_whoever_may_read_the_case_may_read_the_document_and_the_read_is_audited(case, login_as, who):
    for path in ("utredning-dokument", "utredning.pdf"):
        assert login_as(who).get(f"/lex-sarah/{case.reference}/{path}").status_code == 200
    assert audit_actions(action="lexsarah.investigation_document_viewed")[-2:] == [
        "lexsarah.investigation_document_viewed"] * 2


@pytest.mark.parametrize("who", ["anna", "ulla", "nils"])
def test_others_are_refused_and_the_refusal_is_audited(case, login_as, who, request):
    if who == "nils":
        request.getfixturevalue("board_member")
    before = len(denials())
    for path in ("utredning-dokument", "utredning.pdf"):
        response = login_as(who).get(f"/lex-sarah/{case.reference}/{path}")
        assert response.status_code == 403
        assert ENTRY_TEXT not in response.get_data(as_text=True)
    assert len(denials()) == before + 2
    assert "lexsarah.investigation_document_viewed" not in audit_actions()


def test_an_unknown_or_other_kind_of_case_is_not_found(case, login_as):
    client = login_as("sara")
    assert client.get("/lex-sarah/LS-2026-9999/utredning.pdf").status_code == 404
    assert client.get("/lex-sarah/AV-2026-0001/utredning-dokument").status_code == 404


# --- escaping -------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script> & <b>fet</b>"


def test_typed_text_stays_text_in_the_html_and_the_pdf(demo, login_as):
    case = _investigated(entry_text=f"Före {SCRIPT}\nAndra raden.")
    client = login_as("sara")
    html = client.get(f"/lex-sarah/{case.reference}/utredning-dokument").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fet" in html
    pdf = _pdf_text(client.get(f"/lex-sarah/{case.reference}/utredning.pdf").data)
    assert SCRIPT in pdf and "Andra raden." in pdf and "&lt;" not in pdf
    judgment_page = client.get(f"/lex-sarah/{case.reference}/bedomning").get_data(as_text=True)
    assert "<script>alert" not in judgment_page and "&lt;script&gt;alert(1)" in judgment_page


# --- the judgment page ----------------------------------------------------------------------

def test_the_judgment_page_shows_the_investigation_beside_the_questions(demo, login_as):
    set_provider()
    case = make_case("investigating")
    similar = make_case("investigating", summary="Liknande händelse förra månaden")
    with clock.frozen(WRITTEN):
        investigation.add_entry(user("erik"), case.reference, section="what_happened", entry_date=date(2026, 3, 1),
                                source="Samtal med kvällspersonalen", nature="assessment", text=ENTRY_TEXT,
                                expected_version=reload(case).version)
    complete_record(case, at=WRITTEN)
    case = reload(case)
    case.status = "awaiting_judgment"
    db.session.commit()
    page = login_as("sara").get(f"/lex-sarah/{case.reference}/bedomning").get_data(as_text=True)
    record, questions = page.split('id="bedomningen"')
    assert 'class="lexsarah-judging"' in record and "1. Har utredningen visat" in questions
    for heading in SECTION_HEADINGS:
        assert heading in record, heading
    assert ENTRY_TEXT in record and "Samtal med kvällspersonalen" in record and "Bedömning" in record
    assert "Rutinen följdes inte." in record and "Kan hända igen." in record  # causes and risk
    assert similar.reference in record  # similar cases: same unit and category
    assert "Inget har framkommit under punkten." in record
    # Ja before Nej, in every question.
    for name in ("established", "serious_harm", "serious_risk"):
        block = questions.split(f'name="{name}"', 1)[1]
        assert block.index("Ja") < block.index("Nej")
    assert 'style="' not in record


def test_an_investigators_proposal_page_shows_it_too(demo, login_as):
    set_provider()
    case = make_case("investigating")
    with clock.frozen(WRITTEN):
        investigation.add_entry(user("erik"), case.reference, section="what_happened", entry_date=date(2026, 3, 1),
                                source="Samtal", nature="fact", text=ENTRY_TEXT, expected_version=reload(case).version)
    page = login_as("erik").get(f"/lex-sarah/{case.reference}/forslag").get_data(as_text=True)
    assert ENTRY_TEXT in page and "Utredning enligt lex Sarah:" in page
    assert db.session.scalar(select(InvestigationEntry.id)) is not None


def test_the_case_page_links_the_document(case, login_as):
    page = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert f"/lex-sarah/{case.reference}/utredning.pdf" in page
    assert JUDGED  # the judgment was made with the helpers' clock


def test_the_pdfs_are_named_for_what_they_are_and_never_cached(case, login_as):
    """A preview or a draft says so in its file name; the copy sent to IVO does not."""
    client = login_as("sara")
    draft(case)
    for path, name in ((f"/lex-sarah/{case.reference}/utredning.pdf",
                        f"utredning-lex-sarah-{case.reference}-forhandsvisning.pdf"),
                       (f"/lex-sarah/{case.reference}/anmalan.pdf", f"anmalan-lex-sarah-{case.reference}-utkast.pdf")):
        response = client.get(path)
        assert response.headers["Content-Disposition"] == f'inline; filename="{name}"'
        assert response.headers["Cache-Control"] == "no-store"
    notify(case)
    with clock.frozen(LATER):
        notification.record_investigation_sent(user("sara"), **loaded(reload(case)), sent_on=LATER.date())
    response = client.get(f"/lex-sarah/{case.reference}/utredning.pdf")
    assert response.headers["Content-Disposition"] == f'inline; filename="utredning-lex-sarah-{case.reference}.pdf"'
    assert client.get(f"/lex-sarah/{case.reference}/utredning-dokument").headers["Cache-Control"] == "no-store"
