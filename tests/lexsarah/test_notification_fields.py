"""The notification's fields from IVO's form "Anmälan – lex Sarah" (issue 13 point 6): each one
validated with a Swedish message next to it, finalising refused (409) with what is missing, and
the HTML, the PDF and the frozen copy carrying them."""

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from app import clock, workflow
from app.extensions import db
from app.facts import facts_for
from app.lexsarah import common, notification
from app.lexsarah.models import LexSarahIvo
from tests.lexsarah.helpers import (
    CLIENT_PIN,
    DRAFT,
    JUDGED,
    draft,
    finalise,
    judge,
    loaded,
    make_case,
    refused_move,
    reload,
    set_provider,
    user,
)

VALID_ORG = "556036-0793"  # Luhn check digit right
NINE = ("draft_saved", "provider_complete", "seriousness_motivated", "activity_described", "other_reports_stated",
        "client_informing_stated", "client_identity_settled", "board_reference_recorded", "signature_place_recorded")


@pytest.fixture
def case(demo):
    set_provider()
    case = make_case()
    judge(case)
    return reload(case)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _refused(case, **changes) -> dict:
    with clock.frozen(JUDGED), pytest.raises(common.LexSarahError) as refused:
        notification.save_notification_draft(user("sara"), **loaded(case), **{**DRAFT, **changes})
    db.session.rollback()
    return refused.value.errors


# --- each field's validation -------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"activity_kind": "casino"}, "activity_kind", "Välj vilken sorts verksamhet"),
    ({"activity_regi": "council"}, "activity_regi", "nämndens egen eller en enskild"),
    ({"activity_regi": "private"}, "private_provider_name", "Ange namnet på den enskilda verksamheten."),
    ({"activity_regi": "private", "private_provider_name": "Omsorg AB"}, "private_provider_org_number",
     "Ange den enskilda verksamhetens organisationsnummer."),
    ({"activity_regi": "private", "private_provider_name": "Omsorg AB", "private_provider_org_number": "556036-0794"},
     "private_provider_org_number", "Kontrollsiffran stämmer inte"),
    ({"activity_regi": "private", "private_provider_name": "Omsorg AB", "private_provider_org_number": "55603-60793"},
     "private_provider_org_number", "NNNNNN-NNNN"),
    ({"activity_municipality": "x" * 101}, "activity_municipality", "Högst 100 tecken."),
    ({"activity_place": "x" * 301}, "activity_place", "Högst 300 tecken."),
    ({"police_reported": True}, "police_reported_on", "när polisanmälan gjordes"),
    ({"police_reported": "yes", "police_reported_on": "5 mars"}, "police_reported_on", "ÅÅÅÅ-MM-DD"),
    ({"police_reported": True, "police_reported_on": date(2026, 3, 21)}, "police_reported_on", "i framtiden"),
    ({"other_authority_reported": True, "other_authority_reported_on": date(2026, 3, 5)}, "other_authority_name",
     "Ange vilken myndighet"),
    ({"other_authority_reported": True, "other_authority_name": "Arbetsmiljöverket"},
     "other_authority_reported_on", "den andra myndigheten"),
    ({"client_informed": True, "client_informed_on": None}, "client_informed_on",
     "när den enskilde eller företrädaren informerades"),
    ({"include_client_identity": False, "client_identity_omitted_reason": " "}, "client_identity_omitted_reason",
     "varför den enskildes namn och personnummer inte tas med"),
    ({"board_reference": "x" * 61}, "board_reference", "Högst 60 tecken."),
    ({"signature_place": "x" * 101}, "signature_place", "Högst 100 tecken."),
    ({"seriousness_motivation": "x" * 20_001}, "seriousness_motivation", "Högst 20000 tecken."),
])
def test_each_field_is_checked_and_nothing_is_stored(case, changes, field, words):
    errors = _refused(case, **changes)
    assert field in errors and words in errors[field], errors
    assert reload(case).lex_sarah_ivo is None


def test_a_private_provider_is_kept_with_its_organisation_number_normalised(case):
    ivo = draft(case, activity_regi="private", private_provider_name="Omsorg AB",
                private_provider_org_number="5560360793")
    assert (ivo.activity_regi, ivo.private_provider_name, ivo.private_provider_org_number) == (
        "private", "Omsorg AB", VALID_ORG)
    # The nämnd's own activity has no other provider: the name typed for one is not kept.
    ivo = draft(reload(case), activity_regi="own", private_provider_name="Omsorg AB",
                private_provider_org_number=VALID_ORG)
    assert (ivo.private_provider_name, ivo.private_provider_org_number) == ("", "")


def test_a_no_needs_no_date_and_an_unknown_identity_needs_no_reason(demo):
    set_provider()
    case = make_case(client_name="", client_pin="")
    judge(case)
    ivo = draft(reload(case), police_reported="no", police_reported_on="2026-03-05", other_authority_reported=False,
                other_authority_name="Arbetsmiljöverket", client_informed=False, client_informed_on=date(2026, 3, 5),
                include_client_identity=False, client_identity_omitted_reason="")
    assert (ivo.police_reported, ivo.police_reported_on, ivo.other_authority_name, ivo.client_informed_on) == (
        False, None, "", None)
    assert facts_for(reload(case))["client_identity_settled"]


def test_the_page_shows_each_message_next_to_its_field_and_keeps_the_text(case, login_as):
    sara = login_as("sara")
    form = {"draft-version": reload(case).version,
            "draft-service_description": "Boendestöd", "draft-contact_name": "Sara", "draft-contact_phone": "010-1",
            "draft-planned_measures": "Ny rutin.", "draft-investigation_expected_on": "2026-05-01",
            "draft-signatory_name": "Sara Svensson", "draft-activity_kind": "disability_sol",
            "draft-activity_regi": "private", "draft-private_provider_name": "Omsorg & Co AB",
            "draft-private_provider_org_number": "556036-0794", "draft-police_reported": "yes",
            "draft-police_reported_on": "i går", "draft-board_reference": "SN 2026/77",
            "draft-seriousness_motivation": "Brukaren kunde ha skadats allvarligt."}
    with clock.frozen(JUDGED):
        response = sara.post(f"/lex-sarah/{case.reference}/anmalan", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field, message in (("private_provider_org_number", "Kontrollsiffran stämmer inte"),
                           ("police_reported_on", "Ange datumet som ÅÅÅÅ-MM-DD."),
                           ("client_identity_omitted_reason", "inte tas med i anmälan")):
        error_at = page.index(f'id="draft-{field}-error"')
        assert message in page[error_at:error_at + 300], field
    # What was typed is shown again.
    for typed in ("Omsorg &amp; Co AB", 'value="556036-0794"', 'value="i går"', 'value="SN 2026/77"',
                  "Brukaren kunde ha skadats allvarligt."):
        assert typed in page, typed
    assert reload(case).lex_sarah_ivo is None


# --- the defaults --------------------------------------------------------------------------------

def test_a_new_draft_starts_from_the_settings_the_unit_the_judgment_and_the_informing(case):
    from app.lexsarah import informing
    with clock.frozen(JUDGED):
        informing.record_informing(user("sara"), **loaded(case), items={"guardian": informing.InformingItem(
            on=date(2026, 3, 12))})
    defaults = notification.draft_defaults(reload(case), user("sara"))
    assert defaults["activity_municipality"] == defaults["signature_place"] == "Exempelby"
    assert defaults["activity_place"] == "Boendestöd, Storgatan 1, 123 45 Exempelby"
    assert defaults["activity_regi"] == "own" and defaults["activity_kind"] is None
    assert defaults["seriousness_motivation"] == reload(case).lex_sarah_judgment.rationale
    assert (defaults["client_informed"], defaults["client_informed_on"]) == (True, date(2026, 3, 12))
    assert defaults["include_client_identity"] is True  # the report names the individual
    assert defaults["police_reported"] is None and defaults["board_reference"] == ""


def test_the_form_masks_the_personnummer_and_offers_the_activity_kinds(case, login_as):
    with clock.frozen(JUDGED):
        page = login_as("sara").get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
    assert CLIENT_PIN not in page and "Bostad med särskild service för vuxna (LSS)" in page
    assert "Äldreomsorg, särskilt boende" in page and 'value="Exempelby"' in page


# --- finalising: requirements of the move, refused with what is missing ---------------------------

def test_finalising_without_a_saved_draft_says_to_save_it_first(case):
    with clock.frozen(JUDGED), refused_move("spara anmälans uppgifter först"):
        notification.finalise_notification(user("sara"), **loaded(case))


def test_finalising_lists_every_unanswered_question_and_the_page_answers_409(case, login_as):
    draft(case, seriousness_motivation="", activity_kind="", police_reported=None, client_informed=None,
          board_reference="", signature_place="")
    assert reload(case).lex_sarah_ivo.draft_saved_at is not None  # a draft may be saved unfinished
    sara = login_as("sara")
    page = sara.get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
    assert "Innan anmälan kan slutföras och signeras behövs" in page
    with clock.frozen(JUDGED):
        response = sara.post(f"/lex-sarah/{case.reference}/anmalan/signera",
                             data={"fin-version": reload(case).version})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    for words in ("en motivering till varför missförhållandet eller risken är allvarlig",
                  "verksamhetens art, regi, kommun och plats", "uppgift om polisanmälan",
                  "uppgift om den enskilde eller en företrädare har informerats", "nämndens diarienummer",
                  "orten vid underskriften"):
        assert words in page, words
    assert reload(case).lex_sarah_ivo.finalised_at is None
    draft(reload(case))
    assert sara.get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True).count(
        "Innan anmälan kan slutföras") == 0
    with clock.frozen(JUDGED):
        assert sara.post(f"/lex-sarah/{case.reference}/anmalan/signera",
                         data={"fin-version": reload(case).version}).status_code == 302
    assert reload(case).lex_sarah_ivo.finalised_at is not None


# Each fact of a complete notification: false with its field missing (the move refused, naming it),
# true once it is given. A notification drafted before these fields existed is such a draft.
MISSING = {
    "seriousness_motivated": {"seriousness_motivation": ""},
    "activity_described": {"activity_place": ""},
    "other_reports_stated": {"other_authority_reported": None},
    "client_informing_stated": {"client_informed": None},
    "client_identity_settled": {"client_identity_omitted_reason": ""},
    "board_reference_recorded": {"board_reference": ""},
    "signature_place_recorded": {"signature_place": ""},
}


@pytest.mark.parametrize("fact", MISSING)
def test_each_fact_of_a_complete_notification_refuses_then_allows(case, fact):
    draft(case)
    ivo = reload(case).lex_sarah_ivo
    for name, value in MISSING[fact].items():
        setattr(ivo, name, value)  # as a row from before the fields existed
    db.session.commit()
    facts = facts_for(reload(case))
    assert [f for f in NINE if not facts[f]] == [fact]
    with clock.frozen(JUDGED), refused_move() as refused:
        notification.finalise_notification(user("sara"), **loaded(reload(case)))
    assert refused.value.unmet == (fact,)
    draft(reload(case))
    assert all(facts_for(reload(case))[f] for f in NINE)
    assert finalise(reload(case)).finalised_at is not None


def test_draft_saved_and_provider_complete_are_facts_not_checks(demo):
    case = make_case()
    judge(case)
    facts = facts_for(reload(case))
    assert not facts["draft_saved"] and not facts["provider_complete"]
    draft(reload(case))
    facts = facts_for(reload(case))
    assert facts["draft_saved"] and not facts["provider_complete"]
    allowed, unmet = workflow.check("lex_sarah", "judged", "finalise_notification", facts)
    assert (allowed, unmet) == (False, ("provider_complete",))
    set_provider()
    assert workflow.check("lex_sarah", "judged", "finalise_notification", facts_for(reload(case))) == (True, ())


# --- the document: HTML, PDF and the frozen copy ----------------------------------------------

FULL = {"activity_kind": "lss_housing_adults", "activity_regi": "private", "private_provider_name": "Omsorg AB",
        "private_provider_org_number": VALID_ORG, "activity_municipality": "Exempelby",
        "activity_place": "Gruppbostaden Linden, Lindvägen 3", "police_reported": True,
        "police_reported_on": date(2026, 3, 3), "other_authority_reported": True,
        "other_authority_name": "Arbetsmiljöverket", "other_authority_reported_on": date(2026, 3, 4),
        "client_informed": True, "client_informed_on": date(2026, 3, 6), "include_client_identity": True,
        "seriousness_motivation": "Brukaren var utan tillsyn en hel natt.", "board_reference": "SN 2026/0142",
        "signature_place": "Exempelby"}
EXPECTED = ("Bostad med särskild service för vuxna (LSS)", "Enskild verksamhet", "Omsorg AB", VALID_ORG,
            "Gruppbostaden Linden, Lindvägen 3", "Ja, 2026-03-03", "Ja: Arbetsmiljöverket, 2026-03-04",
            "Ja, 2026-03-06", "Brukaren var utan tillsyn en hel natt.", "SN 2026/0142", "19121212-1212",
            "Exempelby", "2026-03-20")


def test_the_html_the_pdf_and_the_frozen_copy_carry_the_new_fields(case):
    draft(case, **FULL)
    with clock.frozen(JUDGED):  # the date at the signature: the day it is finalised (in a preview, today)
        html, frozen = notification.notification_document(reload(case), user("sara"), "html")
        pdf, _ = notification.notification_document(reload(case), user("sara"), "pdf")
    assert not frozen
    text = _pdf_text(pdf)
    for value in EXPECTED:
        assert value in html, value
        assert value in " ".join(text.split()), value
    # The nämnd's diarienummer and Värna's reference are two fields.
    assert "Nämndens diarienummer" in html and "Ärendenummer i Värna" in html
    ivo = finalise(reload(case))
    for value in EXPECTED:
        assert value in ivo.document_html, value
        assert value in " ".join(_pdf_text(ivo.document_pdf).split()), value


def test_left_out_identity_gives_its_reason_in_the_document(case):
    draft(case, include_client_identity=False, client_identity_omitted_reason="Den enskilde har bett om det.",
          client_informed=False)
    html, _ = notification.notification_document(reload(case), user("sara"), "html")
    assert "lämnas inte i anmälan: Den enskilde har bett om det." in html
    assert CLIENT_PIN[:8] not in html and "Nej" in html


def test_an_old_notification_row_without_the_fields_still_renders(case):
    # A draft saved before the migration: the new columns at their server defaults.
    db.session.add(LexSarahIvo(case=case, draft_saved_at=datetime(2026, 3, 1), service_description="x"))
    db.session.commit()
    html, _ = notification.notification_document(reload(case), user("sara"), "html")
    assert "Uppgift saknas" in html


def test_every_kind_of_activity_and_regi_has_its_swedish_words_in_one_place():
    from app.lexsarah.labels import ACTIVITY_LABELS, ACTIVITY_REGI_LABELS
    from app.lexsarah.models import ACTIVITY_KINDS, ACTIVITY_KINDS_LSS, ACTIVITY_REGIES
    assert tuple(ACTIVITY_LABELS) == ACTIVITY_KINDS and tuple(ACTIVITY_REGI_LABELS) == ACTIVITY_REGIES
    assert all("LSS" in str(ACTIVITY_LABELS[kind]) for kind in ACTIVITY_KINDS_LSS)


def test_the_nämnds_municipality_is_kept_in_the_provider_settings(demo):
    from app.lexsarah import provider
    settings = provider.save_provider_settings(user("admin"), board_name="Socialnämnden", org_number="212000-0142",
                                               address="Box 1", municipality="  Exempelby ")
    assert settings.municipality == "Exempelby"
    with pytest.raises(common.LexSarahError) as refused:
        provider.save_provider_settings(user("admin"), board_name="Socialnämnden", org_number="212000-0142",
                                        address="Box 1", municipality="x" * 101)
    assert "municipality" in refused.value.errors
    db.session.rollback()


def test_a_report_without_the_individuals_identity_says_so(demo):
    set_provider()
    case = make_case(client_name="", client_pin="")
    judge(case)
    draft(reload(case), include_client_identity=False, client_identity_omitted_reason="")
    with clock.frozen(JUDGED):
        html, _ = notification.notification_document(reload(case), user("sara"), "html")
    assert "Rapporten anger inte vem den enskilde är." in html and "lämnas inte i anmälan" not in html
