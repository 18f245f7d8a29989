"""The investigation record through HTTP: entries (author and title from the account, never
edited, corrected by a later entry), the nine sections of a lex Sarah record, causes,
risk, finishing a lex Sarah investigation, who may do each step, and lost updates."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import CaseCauses, CaseRisk, InvestigationEntry, case_cause_areas
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import error_for, file_case, reload, user, version_on
from tests.lexsarah.helpers import complete_record

NOW = datetime(2026, 3, 12, 9, 0)  # 10:00 in Stockholm
ENTRY = {"entry_date": "2026-03-10", "source": "Samtal med personalen på kvällspasset", "nature": "fact",
         "text": "Besöket kl. 19 blev inte av eftersom schemat inte var uppdaterat."}


def _investigating(kind="deviation", **fields):
    with frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case(kind, **fields)
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    return reload(case)


def _post(client, case, path, **data):
    with frozen(NOW):
        return client.post(f"/arenden/{case.reference}/{path}", data={"version": reload(case).version, **data})


def _page(client, case) -> str:
    with frozen(NOW):
        response = client.get(f"/arenden/{case.reference}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _entries(case) -> list[InvestigationEntry]:
    return list(db.session.scalars(select(InvestigationEntry).where(InvestigationEntry.case_id == case.id)
                                   .order_by(InvestigationEntry.id)))


# --- who may --------------------------------------------------------------------------------

STEPS = [
    ("utredning/anteckning", ENTRY),
    ("utredning/orsaker", {"areas": ["processes"], "text": "Rutinen för schemaändringar följdes inte."}),
    ("utredning/risk", {"probability": "3", "consequence": "2", "text": "Det har hänt förut."}),
]


@pytest.mark.parametrize(("path", "data"), STEPS)
@pytest.mark.parametrize(("username", "allowed"), [("erik", True), ("sara", True), ("anna", False),
                                                   ("ulla", False), ("admin", False)])
def test_who_documents_the_investigation(login_as, path, data, username, allowed):
    case = _investigating()
    client = login_as(username)
    with frozen(NOW):
        assert client.get(f"/arenden/{case.reference}/{path}").status_code == (200 if allowed else 403)
    assert _post(client, case, path, **data).status_code == (302 if allowed else 403)
    saved = (len(_entries(case)) + db.session.scalar(select(func.count()).select_from(CaseCauses))
             + db.session.scalar(select(func.count()).select_from(CaseRisk)))
    assert saved == (1 if allowed else 0)


def test_the_reporter_cannot_investigate_their_own_report(login_as):
    case = _investigating(reporter="erik")
    erik = login_as("erik")
    assert _post(erik, case, "utredning/anteckning", **ENTRY).status_code == 403
    assert "utredning/anteckning" not in _page(login_as("sara"), case).split("Att göra")[0]
    assert _entries(case) == []


def test_a_closed_case_takes_no_entries(login_as):
    case = _investigating()
    case.status = "closed"
    db.session.commit()
    response = _post(login_as("erik"), case, "utredning/anteckning", **ENTRY)
    assert response.status_code == 409
    assert "går inte när ärendet har status ”Avslutad”" in response.get_data(as_text=True)
    assert _entries(case) == []


# --- entries --------------------------------------------------------------------------------

def test_an_entry_records_date_source_nature_and_its_author_with_title(login_as):
    case = _investigating()
    erik = login_as("erik")
    with frozen(NOW):
        form = erik.get(f"/arenden/{case.reference}/utredning/anteckning").get_data(as_text=True)
    assert 'value="2026-03-12"' in form, "today is the default date"
    assert 'name="section"' not in form, "only lex Sarah records have sections"
    assert _post(erik, case, "utredning/anteckning", **ENTRY).status_code == 302
    [entry] = _entries(case)
    assert (entry.entry_date.isoformat(), entry.source, entry.nature, entry.text, entry.section) == (
        ENTRY["entry_date"], ENTRY["source"], "fact", ENTRY["text"], None)
    assert (entry.author_id, entry.author_name, entry.author_title, entry.created_at) == (
        user("erik").id, "Erik Eriksson", "Enhetschef", NOW)
    assert reload(case).journal[-1].event == "entry_added"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.entry_added")).user_id == \
        user("erik").id
    page = _page(erik, case)
    record = page.split('id="record-heading"')[1]
    assert ENTRY["text"] in record and ENTRY["source"] in record and "Fakta" in record
    assert "Erik Eriksson, Enhetschef" in record and "Anteckning 1" in record


def test_the_author_cannot_be_typed_in(login_as):
    case = _investigating()
    _post(login_as("erik"), case, "utredning/anteckning", **ENTRY, author_name="Någon annan",
          author_title="Chef", author_id=str(user("sara").id))
    [entry] = _entries(case)
    assert (entry.author_name, entry.author_title, entry.author_id) == ("Erik Eriksson", "Enhetschef",
                                                                        user("erik").id)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"source": ""}, "source", "Skriv vem eller vad uppgiften kommer från."),
    ({"nature": ""}, "nature", "Välj om anteckningen är fakta eller en bedömning."),
    ({"nature": "rumour"}, "nature", "Välj om anteckningen är fakta eller en bedömning."),
    ({"text": "  "}, "text", "Skriv anteckningen."),
    ({"entry_date": ""}, "entry_date", "Ange datumet som ÅÅÅÅ-MM-DD."),
    ({"entry_date": "12 mars"}, "entry_date", "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-14."),
    ({"entry_date": "2026-03-13"}, "entry_date", "Datumet kan inte vara senare än i dag."),
    ({"source": "x" * 301}, "source", "Texten får ha högst 300 tecken."),
])
def test_a_bad_entry_is_not_saved_and_says_why_next_to_the_field(login_as, data, field, message):
    case = _investigating()
    response = _post(login_as("erik"), case, "utredning/anteckning", **{**ENTRY, **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_for(page, field) == message
    assert ENTRY["text"] in page or field == "text", "what was written is kept"
    assert _entries(case) == []
    assert reload(case).version == case.version


def test_an_entry_is_corrected_by_a_later_one_never_edited(login_as, app):
    case = _investigating()
    erik = login_as("erik")
    _post(erik, case, "utredning/anteckning", **ENTRY)
    [wrong] = _entries(case)
    with frozen(NOW):
        form = erik.get(f"/arenden/{case.reference}/utredning/anteckning?rattar={wrong.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{wrong.id}">Anteckning 1', form), "the form knows what it corrects"
    correction = {**ENTRY, "text": "Rättelse: besöket var kl. 20, inte kl. 19.", "corrects": str(wrong.id)}
    assert _post(erik, case, "utredning/anteckning", **correction).status_code == 302
    first, second = _entries(case)
    assert (first.id, first.text, first.corrects_id) == (wrong.id, ENTRY["text"], None), "the original is kept as is"
    assert second.corrects_id == first.id
    page = _page(erik, case)
    entry_1 = page.split(f'id="anteckning-{first.id}"')[1].split("</li>")[0]
    assert "Rättad" in entry_1 and f'href="#anteckning-{second.id}"' in entry_1
    entry_2 = page.split(f'id="anteckning-{second.id}"')[1].split("</li>")[0]
    assert "Rättar" in entry_2 and f'href="#anteckning-{first.id}"' in entry_2
    # There is no way to change or remove an entry: no route takes an entry to edit.
    rules = [r.rule for r in app.url_map.iter_rules() if "anteckning" in r.rule]
    assert rules == ["/arenden/<reference>/utredning/anteckning"]


def test_an_entry_of_another_case_cannot_be_corrected(login_as):
    case, other = _investigating(), _investigating()
    erik = login_as("erik")
    _post(erik, other, "utredning/anteckning", **ENTRY)
    [foreign] = _entries(other)
    response = _post(erik, case, "utredning/anteckning", **ENTRY, corrects=str(foreign.id))
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "corrects") == "Välj en anteckning i det här ärendet."
    assert _entries(case) == []


# --- the lex Sarah record: nine sections ------------------------------------------------------

SECTION_HEADINGS = ["1. Vad som har hänt", "2. När och hur det uppmärksammades", "3. När det inträffade",
                    "4. Vilka orsaker", "5. Om något liknande har hänt tidigare", "6. Om det kan hända igen",
                    "7. Vilka åtgärder", "8. Annat som har kommit fram", "9. Det beslut som utredningen"]


def test_a_lex_sarah_record_has_the_nine_sections_in_order(login_as):
    case = _investigating("lex_sarah")
    page = _page(login_as("erik"), case)
    headings = re.findall(r'<h3 id="avsnitt-[a-z_]+">([^<]+)</h3>', page)
    assert len(headings) == 9
    assert all(h.startswith(expected) for h, expected in zip(headings, SECTION_HEADINGS, strict=True))


def test_a_lex_sarah_entry_belongs_to_a_section(login_as):
    case = _investigating("lex_sarah")
    erik = login_as("erik")
    response = _post(erik, case, "utredning/anteckning", **ENTRY)
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "section") == "Välj vilket avsnitt anteckningen hör till."
    assert _post(erik, case, "utredning/anteckning", **ENTRY, section="nonsense").status_code == 422
    assert _entries(case) == []
    with frozen(NOW):
        form = erik.get(f"/arenden/{case.reference}/utredning/anteckning?avsnitt=causes").get_data(as_text=True)
    assert '<option selected value="causes">' in form
    assert _post(erik, case, "utredning/anteckning", **{**ENTRY, "nature": "assessment"},
                 section="causes").status_code == 302
    [entry] = _entries(case)
    assert (entry.section, entry.nature) == ("causes", "assessment")
    page = _page(erik, case)
    causes = page.split('id="avsnitt-causes"')[1].split('id="avsnitt-happened_before"')[0]
    assert ENTRY["text"] in causes and "Bedömning" in causes
    assert ENTRY["text"] not in page.split('id="avsnitt-causes"')[0]


def test_a_correction_stays_in_the_section_of_what_it_corrects(login_as):
    case = _investigating("lex_sarah")
    erik = login_as("erik")
    _post(erik, case, "utredning/anteckning", **ENTRY, section="when_happened")
    [first] = _entries(case)
    _post(erik, case, "utredning/anteckning", **ENTRY, section="other", corrects=str(first.id))
    assert [e.section for e in _entries(case)] == ["when_happened", "when_happened"]


# --- causes and risk --------------------------------------------------------------------------

def test_causes_are_areas_and_a_text(login_as):
    case = _investigating()
    erik = login_as("erik")
    with frozen(NOW):
        form = erik.get(f"/arenden/{case.reference}/utredning/orsaker").get_data(as_text=True)
    for label in ("Kommunikation och information", "Miljö och organisation", "Processer, rutiner och riktlinjer",
                  "Teknik och utrustning", "Människor, kunskap och kompetens"):
        assert label in form
    assert _post(erik, case, "utredning/orsaker", areas=["communication", "people"],
                 text="Informationen nådde inte kvällspersonalen.").status_code == 302
    areas = set(db.session.scalars(select(case_cause_areas.c.area).where(case_cause_areas.c.case_id == case.id)))
    assert areas == {"communication", "people"}
    assert db.session.get(CaseCauses, case.id).recorded_by_name == "Erik Eriksson"
    # Recorded again, it replaces the areas; the journal keeps what they were.
    assert _post(erik, case, "utredning/orsaker", areas=["processes"], text="Rutinen saknades.").status_code == 302
    assert list(db.session.scalars(select(case_cause_areas.c.area).where(
        case_cause_areas.c.case_id == case.id))) == ["processes"]
    last = reload(case).journal[-1]
    assert last.event == "causes_and_risk_recorded"
    assert sorted(last.detail["previous"]["areas"]) == ["communication", "people"]
    page = _page(erik, case)
    assert "Processer, rutiner och riktlinjer" in page and "Rutinen saknades." in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"areas": []}, "areas", "Välj minst ett orsaksområde i listan."),
    ({"areas": ["weather"]}, "areas", "Välj minst ett orsaksområde i listan."),
    ({"text": ""}, "text", "Beskriv orsakerna."),
])
def test_bad_causes_are_not_saved(login_as, data, field, message):
    case = _investigating()
    response = _post(login_as("erik"), case, "utredning/orsaker", **{"areas": ["people"], "text": "T", **data})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), field) == message
    assert db.session.get(CaseCauses, case.id) is None


@pytest.mark.parametrize(("probability", "consequence", "score", "band"), [
    (1, 1, 1, "Låg risk"), (1, 2, 2, "Låg risk"), (1, 3, 3, "Måttlig risk"), (2, 3, 6, "Måttlig risk"),
    (2, 4, 8, "Hög risk"), (3, 3, 9, "Hög risk"), (3, 4, 12, "Mycket hög risk"), (4, 4, 16, "Mycket hög risk"),
])
def test_the_risk_is_probability_times_consequence_with_its_band(login_as, probability, consequence, score, band):
    case = _investigating()
    erik = login_as("erik")
    assert _post(erik, case, "utredning/risk", probability=str(probability), consequence=str(consequence),
                 text="Kan hända igen vid nästa schemaändring.").status_code == 302
    risk = db.session.get(CaseRisk, case.id)
    assert (risk.probability, risk.consequence, risk.score) == (probability, consequence, score)
    page = _page(erik, case)
    assert re.search(rf"Sannolikhet {probability} × konsekvens {consequence} =\s*<strong>{score}</strong>:"
                     rf'\s*<span class="badge[^"]*">{band}</span>', page)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"probability": "5"}, "probability", "Välj sannolikheten."),
    ({"probability": ""}, "probability", "Välj sannolikheten."),
    ({"consequence": "0"}, "consequence", "Välj konsekvensen."),
    ({"text": ""}, "text", "Motivera riskbedömningen."),
])
def test_a_bad_risk_is_not_saved(login_as, data, field, message):
    case = _investigating()
    response = _post(login_as("erik"), case, "utredning/risk",
                     **{"probability": "2", "consequence": "2", "text": "T", **data})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), field) == message
    assert db.session.get(CaseRisk, case.id) is None


# --- finishing a lex Sarah investigation ------------------------------------------------------

def test_finishing_a_lex_sarah_investigation_hands_it_to_the_officer(login_as):
    case = _investigating("lex_sarah")
    erik = login_as("erik")
    empty = _post(erik, case, "utredning/slutfor")
    assert empty.status_code == 409
    assert "Utredningen har inga anteckningar än" in empty.get_data(as_text=True)
    _post(erik, case, "utredning/anteckning", **ENTRY, section="what_happened")
    # Not yet: the page lists what is missing (the other eight sections, causes, risk) before the button.
    page = _page(erik, case)
    assert "utredning/slutfor" not in page and "Innan utredningen kan slutföras" in page
    assert "5. " in page.split("Innan utredningen kan slutföras")[1].split("</ul>")[0]
    refused = _post(erik, case, "utredning/slutfor")
    assert refused.status_code == 409
    assert "de nio punkterna" in refused.get_data(as_text=True) and "orsakerna" in refused.get_data(as_text=True)
    for section in ("came_to_attention", "when_happened", "causes", "could_recur", "measures", "decision"):
        _post(erik, case, "utredning/anteckning", **ENTRY, section=section)
    for section in ("happened_before", "other"):  # "has it happened before?" answered "no", with why
        with frozen(NOW):
            assert erik.post(f"/lex-sarah/{case.reference}/utredning/{section}/inget-att-anteckna",
                             data={"version": reload(case).version,
                                   "reason": "Inget liknande i enhetens rapporter sedan 2023."}).status_code == 302
    assert "Inget liknande i enhetens rapporter sedan 2023." in _page(erik, case)
    assert "utredning/slutfor" not in _page(erik, case)
    _post(erik, case, "utredning/orsaker", areas=["processes"], text="Rutinen följdes inte.")
    _post(erik, case, "utredning/risk", probability="2", consequence="3", text="Kan hända igen.")
    assert "utredning/slutfor" in _page(erik, case)
    assert _post(erik, case, "utredning/slutfor").status_code == 302
    case = reload(case)
    assert case.status == "awaiting_judgment"
    assert case.journal[-1].event == "investigation_finished"
    # Entries can still be added while it waits for the judgment.
    assert _post(erik, case, "utredning/anteckning", **ENTRY, section="other").status_code == 302


@pytest.mark.parametrize(("username", "status"), [("anna", 403), ("admin", 403), ("ulla", 403), ("sara", 302)])
def test_who_finishes_the_investigation(login_as, username, status):
    case = _investigating("lex_sarah")
    _post(login_as("erik"), case, "utredning/anteckning", **ENTRY, section="what_happened")
    complete_record(case, at=NOW)
    assert _post(login_as(username), case, "utredning/slutfor").status_code == status


def test_a_deviation_has_no_investigation_to_finish(login_as):
    case = _investigating()
    response = _post(login_as("erik"), case, "utredning/slutfor")
    assert response.status_code == 409
    assert "finns inte för den här typen av ärende" in response.get_data(as_text=True)
    assert reload(case).status == "investigating"


# --- lost updates -----------------------------------------------------------------------------

def test_two_write_entries_on_the_same_version_and_the_second_sees_a_conflict(login_as):
    case = _investigating()
    erik, sara = login_as("erik"), login_as("sara")
    with frozen(NOW):
        erik_form = erik.get(f"/arenden/{case.reference}/utredning/anteckning").get_data(as_text=True)
        sara_form = sara.get(f"/arenden/{case.reference}/utredning/anteckning").get_data(as_text=True)
        first = erik.post(f"/arenden/{case.reference}/utredning/anteckning",
                          data={**ENTRY, "version": version_on(erik_form)})
        second = sara.post(f"/arenden/{case.reference}/utredning/anteckning",
                           data={**ENTRY, "text": "Saras anteckning, som inte får försvinna.",
                                 "version": version_on(sara_form)})
    assert (first.status_code, second.status_code) == (302, 409)
    page = second.get_data(as_text=True)
    assert "Ärendet har ändrats medan du arbetade" in page
    assert "Saras anteckning, som inte får försvinna." in page
    assert [e.author_name for e in _entries(case)] == ["Erik Eriksson"]
    # Sent again from the conflict page (it carries the new version), it is saved.
    with frozen(NOW):
        again = sara.post(f"/arenden/{case.reference}/utredning/anteckning",
                          data={**ENTRY, "text": "Saras anteckning, som inte får försvinna.",
                                "version": version_on(page)})
    assert again.status_code == 302
    assert [e.author_name for e in _entries(case)] == ["Erik Eriksson", "Sara Svensson"]
