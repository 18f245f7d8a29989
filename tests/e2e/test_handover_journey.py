"""Journey 3: a deviation is handed over to lex Sarah and back, and two people saving the same
case at once: the second one is shown the conflict instead of silently overwriting the first.

Issue 13 (lex Sarah duties) changed what the lex Sarah report must go through before it can go back:
its immediate protection recorded first, each of the nine points of the investigation addressed
with the causes and the risk before it is finished, and everyone who must be told settled before the
officer hands it over. The steps it added are marked "issue 13" below."""

import re

from playwright.sync_api import expect

WHAT = "Nyckeln till brukarens lägenhet saknades i nyckelskåpet, så morgonbesöket blev två timmar sent."
WHY_LEX_SARAH = "Brukaren får insulin vid morgonbesöket; två timmars försening kunde ha skadat henne."
ERIKS_RISK = "Nycklarna kvitteras inte; det har hänt två gånger i höstas."
SARAS_RISK = "En enstaka miss, men följden kunde ha blivit allvarlig."
WHY_NONE = "Insulinet gavs av hemsjukvården som vanligt; brukaren var aldrig utan det."
PROTECTION = "Hemsjukvården ringdes direkt och gav insulinet; nyckeln hämtades hos kvällspersonalen."
CAUSES = "Nycklarna kvitteras inte ut och in, så ingen märkte att en nyckel saknades."
NOTHING_TO_RECORD = {2: "Framgår av avvikelsen: upptäcktes vid morgonbesöket.",
                     3: "Framgår av avvikelsen: morgonbesöket samma dag.",
                     7: "Åtgärderna beslutas i avvikelseärendet.",
                     8: "Inget annat har kommit fram."}
WHY_BACK = "Inget missförhållande: bristen gäller rutinen för nycklar och utreds som en avvikelse."


def test_a_deviation_to_lex_sarah_and_back_with_a_conflict_shown_to_the_second_saver(journey):
    anna = journey.staff("anna", phone=True)
    deviation = anna.staff_files_deviation(WHAT, ["Fysisk miljö, utrustning, teknik"])

    # erik sees that it is more than a deviation.
    erik = journey.investigator("erik")
    erik.investigator_finds_in_queue(deviation, WHAT)
    lex_sarah = erik.investigator_escalates_to_lex_sarah(deviation, WHY_LEX_SARAH)
    erik.expect_status("Avslutad")
    expect(erik.main.get_by_role("link", name=lex_sarah).first).to_be_visible()
    assert journey.varna.mail_to("sara@varna.example", lex_sarah)

    erik.follow(erik.main.get_by_role("link", name=lex_sarah).first, shot="lex-sarah-from-deviation")
    erik.expect_heading(lex_sarah)
    expect(erik.main).to_contain_text(WHAT)
    expect(erik.page.get_by_role("region", name="Överlämning mellan ärendetyper")).to_contain_text(deviation)
    # Issue 13: the immediate protection is the first thing to do on a lex Sarah report.
    erik.investigator_records_protection(PROTECTION, "Erik Eriksson, enhetschef")
    erik.investigator_triages()
    erik.investigator_documents("Nyckelkvittenslistan och samtal med personalen",
                                "Nyckeln hade tagits med hem av kvällspersonalen.")

    # erik at his desk and sara in her own browser open the same risk assessment.
    sara = journey.officer("sara")
    erik.opens_risk_assessment(lex_sarah)
    sara.opens_risk_assessment(lex_sarah)
    erik.assesses_risk(3, 3, ERIKS_RISK)
    erik.expect_flash("Riskbedömningen är sparad.")

    sara.assesses_risk(2, 4, SARAS_RISK, shot="conflict")
    sara.expect_heading("Ärendet har ändrats medan du arbetade")
    unsaved = sara.main.get_by_role("alert")
    expect(unsaved).to_contain_text("Det du skrev är inte sparat.")
    expect(sara.main).to_contain_text(SARAS_RISK)  # her version, kept for her
    expect(sara.main).to_contain_text(ERIKS_RISK)  # and the case as it is now
    expect(sara.field("Motivering")).to_have_value(SARAS_RISK)
    expect(sara.main.get_by_role("group", name=re.compile("Sannolikhet")).get_by_label(re.compile("^2 – "))
           ).to_be_checked()
    sara.opens_case(lex_sarah)
    expect(sara.main).to_contain_text(ERIKS_RISK)  # nothing was overwritten
    expect(sara.main).not_to_contain_text(SARAS_RISK)

    # It was not a missförhållande after all: back to being a deviation.
    # Issue 13: before finishing, each of the nine points is addressed, with the causes (the risk is
    # erik's, above); the case page's checklist shows what is missing until then.
    erik.opens_case(lex_sarah)
    expect(erik.finishing_checklist()).to_contain_text("Orsakerna (orsaksområden och beskrivning)")
    expect(erik.finishing_checklist()).not_to_contain_text("Riskbedömningen")
    for point, reason in NOTHING_TO_RECORD.items():
        erik.investigator_notes_nothing_to_record(point, reason)
    erik.investigator_documents("Nyckelkvittenslistan", CAUSES, point=4)
    erik.investigator_records_causes(lex_sarah, ["Processer, rutiner och riktlinjer"], CAUSES)
    erik.investigator_documents("Avvikelseregistret", "Nyckeln har saknats två gånger tidigare i höstas.", point=5)
    erik.investigator_documents("Bedömning", ERIKS_RISK, fact=False, point=6)
    erik.investigator_documents("Utredningens slutsats", WHY_NONE, fact=False, point=9)
    erik.opens_case(lex_sarah)
    expect(erik.finishing_checklist()).to_contain_text("Alla nio punkter, orsakerna och riskbedömningen är ifyllda.")
    erik.investigator_finishes_investigation(lex_sarah)
    sara.officer_judges(lex_sarah, serious=None, none_because=WHY_NONE, rationale=WHY_NONE)
    sara.expect_flash("Bedömningen är sparad.")
    # Issue 13: nothing closes, nor is handed over, before everyone who must be told is settled.
    sara.opens_case(lex_sarah)
    expect(sara.todo.get_by_role("link", name="Överlämna som avvikelse")).to_have_count(0)
    sara.records_informing(lex_sarah, informed=["Den enskilde har informerats",
                                                "Händelsen är antecknad i den enskildes akt",
                                                "Rapportören har fått återkoppling",
                                                "Arbetsgruppen har fått återkoppling"],
                           not_applicable={"Vårdnadshavare, god man eller förvaltare har informerats":
                                           "Brukaren är vuxen och har ingen god man eller förvaltare."})
    deviation_again = sara.officer_hands_over_as_deviation(lex_sarah, WHY_BACK)
    assert deviation_again != deviation

    erik.investigator_finds_in_queue(deviation_again, WHAT)
    erik.expect_status("Mottagen")
    expect(erik.page.get_by_role("region", name="Överlämning mellan ärendetyper")).to_contain_text(lex_sarah)
    erik.investigator_triages()
