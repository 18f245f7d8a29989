"""Journey: issue 13's lex Sarah journey, from a phone report of abuse to a closed case with every
duty done, and the short investigation closed with the officer's ställningstagande.

The first test: anna, on her phone (390×844), reports a deviation whose category is abuse; it becomes a
lex Sarah report: sending it asks whether it may be a missförhållande, and anna takes the offer to
report it as lex Sarah (the nudge at intake); erik records the immediate protection, investigates each of the nine
points (an entry or "inget att anteckna"), the causes and the risk, and finishes it when the checklist
is empty; sara, at her desk, answers the three questions herself (serious: a påtaglig risk of something
serious), fills in the notification, signs it, records it as sent by post, adds IVO's number when IVO
confirms, records the investigation as sent to IVO, IVO's request for a supplement and the reply, IVO's
decision, and the five informing items; then she closes it, and only then is it offered.

The second test: a report that is quickly clear is closed by sara with her ställningstagande (the
short investigation: section 1 and section 9 documented, informing settled, a reason).

The steps the other parts of issue 13 brought are page helpers in pages.py: the nudge at intake
(answer_misconduct_nudge), the judgment page with the investigation beside the questions
(expect_investigation_beside_questions), the notification's fields (fill_notification_fields) and the
investigation document, previewed, then frozen with its checksum (officer_records_investigation_sent).
"""

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.pages import today
from tests.e2e.test_lex_sarah_journey import _count

WHAT = ("En i personalen tog brukaren hårt i armen och drog honom från matsalen när han inte ville gå. "
        "Brukaren fick blåmärken på överarmen och var rädd resten av kvällen.")
ABUSE = "Fysiska övergrepp"
RISK = "En i personalen ensam i matsalen varje kväll; ett övergrepp kan skada allvarligt."
PROTECTION = "Den anställda fick lämna passet direkt och arbetar inte med brukaren under utredningen."
CAUSES = "Personalen saknade stöd i hur man bemöter en brukare som vägrar; ingen annan fanns på plats."
MEASURES = "Utbildning i lågaffektivt bemötande för all personal; två i personal vid måltider på kvällen."
NOT_SERIOUS_HARM = "Blåmärkena läkte på en vecka och brukaren behövde ingen vård."
RATIONALE = ("Ett övergrepp från personal mot en brukare som är beroende av dem: även om skadan blev lindrig "
             "fanns en påtaglig risk för allvarlig skada, och det kan hända igen.")
SUPPLEMENT = "IVO vill ha personalens egen redogörelse och schemat för kvällen."
DECISION = "IVO riktar kritik mot nämnden för bristande stöd till personalen vid måltiderna."
SECTIONS = {
    2: ("Samtal med kvällspersonalen", "En kollega såg det i matsalen och berättade det för enhetschefen samma kväll."),
    3: ("Genomgång av schemat", "Kvällspasset kl. 18, vid middagen."),
    4: ("Samtal med personalen", CAUSES),
    6: ("Bedömning", "Det kan hända igen när bara en i personalen är i matsalen."),
    7: ("Planerade åtgärder", MEASURES),
    9: ("Utredningens slutsats", "Missförhållande: allvarligt, en påtaglig risk för allvarlig skada."),
}
NOTHING_TO_RECORD = {5: "Inget liknande har rapporterats om brukaren eller personalen tidigare.",
                     8: "Inget annat har kommit fram."}
REPORTER_ITEM = "Rapportören har fått återkoppling"
INFORMED = ["Den enskilde har informerats", "Händelsen är antecknad i den enskildes akt",
            REPORTER_ITEM, "Arbetsgruppen har fått återkoppling"]
FEEDBACK = "Tack för din rapport. Den är utredd och anmäld till IVO, och kvällarna bemannas nu med två."
NO_GUARDIAN = {"Vårdnadshavare, god man eller förvaltare har informerats":
               "Brukaren är vuxen och har ingen god man eller förvaltare."}


def test_an_abuse_report_from_a_phone_to_a_closed_lex_sarah_case_with_every_duty_done(journey):
    admin = journey.admin()
    admin.admin_fills_in_board_details()

    # anna, on her phone: a deviation with the category physical abuse.
    anna = journey.staff("anna", phone=True)
    filed = anna.staff_reports_abuse(WHAT, [ABUSE])

    # Sending it asks "Kan detta vara ett missförhållande?" (the nudge at intake, issue 13 point 12): anna
    # takes the offer, so what she filed is a lex Sarah report from the start, and erik takes it from the
    # queue. (Until the nudge landed, erik escalated the deviation from the triage page; that path is
    # test_handover_journey's.)
    reference = filed
    assert reference.startswith("LS-"), reference
    erik = journey.investigator("erik")
    erik.investigator_finds_in_queue(reference, WHAT)
    assert journey.varna.mail_to("sara@varna.example", reference)

    # erik: the immediate protection first, then the investigation, point by point.
    erik.investigator_records_protection(PROTECTION, "Erik Eriksson, enhetschef")
    erik.investigator_triages()
    erik.investigator_documents("Samtal med brukaren och kollegan", WHAT)
    for point, reason in NOTHING_TO_RECORD.items():
        erik.investigator_notes_nothing_to_record(point, reason)
    for point, (source, text) in SECTIONS.items():
        erik.investigator_documents(source, text, fact=point not in (6, 7, 9), point=point)
    checklist = erik.finishing_checklist()
    expect(checklist).to_contain_text("Orsakerna (orsaksområden och beskrivning)")
    expect(checklist).to_contain_text("Riskbedömningen (sannolikhet och konsekvens)")
    expect(erik.todo.get_by_role("link", name="Slutför utredningen")).to_have_count(0)
    erik.investigator_records_causes(reference, ["Människor, kunskap och kompetens"], CAUSES)
    erik.opens_risk_assessment(reference)
    erik.assesses_risk(3, 4, RISK)
    erik.expect_flash("Riskbedömningen är sparad.")
    erik.opens_case(reference)
    expect(erik.finishing_checklist()).to_contain_text("Alla nio punkter, orsakerna och riskbedömningen är ifyllda.")
    erik.investigator_finishes_investigation(reference)

    # sara, at her desk: the judgment, three questions answered by herself.
    sara = journey.officer("sara")
    sara.officer_answers_the_three_questions(reference, NOT_SERIOUS_HARM, RATIONALE,
                                             investigation=(WHAT, CAUSES, MEASURES, RISK))

    # The notification: its fields, signed, sent by post; IVO's number when IVO confirms.
    sara.fill_notification_fields(MEASURES, attached=False, expected_on=today() + timedelta(days=30))
    sara.officer_signs_notification()
    sara.officer_records_notification_sent(via="Post")
    expect(sara.main.get_by_role("region", name="Anmäld till IVO")).to_contain_text(
        f"{today().isoformat()}, Post")
    sara.officer_adds_ivo_reference(reference, "8.5.1-23456/2026")

    # IVO's side: the investigation sent, IVO's request for a supplement answered, IVO's decision.
    sara.officer_records_investigation_sent(reference)
    sara.officer_records_supplement_request(reference, today() + timedelta(days=14), SUPPLEMENT)
    sara.officer_records_supplement_reply(reference)
    sara.officer_records_ivo_decision(reference, "Kritik", DECISION)

    # Nothing closes before everyone who must be told is.
    sara.opens_case(reference, shot="before-informing")
    expect(sara.todo.get_by_role("link", name="Avsluta ärendet")).to_have_count(0)
    panel = sara.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
    expect(panel).to_contain_text(f"Utredningen skickad {today().isoformat()}")
    expect(panel).to_contain_text("IVO:s beslut: Kritik")
    sara.investigator_gives_feedback(reference, FEEDBACK)  # fills in the reporter's item
    sara.records_informing(reference, informed=[item for item in INFORMED if item != REPORTER_ITEM],
                           not_applicable=NO_GUARDIAN, already=(REPORTER_ITEM,))

    # Only the officer closes it; erik is not offered it.
    erik.opens_case(reference)
    expect(erik.todo.get_by_role("link", name="Avsluta ärendet")).to_have_count(0)
    sara.officer_closes_case(reference, "Utrett, anmält till IVO (8.5.1-23456/2026), kompletterat; IVO: kritik.")

    row = anna.staff_reads_my_reports(reference)
    expect(row).to_contain_text("Avslutad")
    expect(row).to_contain_text(FEEDBACK)


SHORT_WHAT = ("Brukaren sa att personalen inte kom på kvällsbesöket. Det visade sig att brukaren själv "
              "hade ringt och avbokat besöket.")
POSITION = ("Inget missförhållande och ingen påtaglig risk: brukaren hade själv avbokat kvällsbesöket, "
            "vilket avbokningslistan och samtalet med brukaren visar.")


def test_a_short_investigation_closed_with_the_officers_position(journey):
    year = today().year
    admin = journey.admin()
    before = admin.admin_reads_statistics(year)
    anna = journey.staff("anna", phone=True)
    reference = anna.staff_files_lex_sarah(SHORT_WHAT, ["Brister i utförande av insats"], misconduct=False)

    # sara finds it among the new reports on her desk and opens the ställningstagande: what is missing.
    sara = journey.officer("sara")
    sara.officer_follows_desk("Nya rapporter, utredningen inte inledd", reference, reference, shot="new-report")
    sara.expect_heading(reference)
    sara.follow(sara.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
                .get_by_role("link", name="Avsluta med ställningstagande"), shot="position-missing")
    missing = sara.main.get_by_role("region", name="Det här saknas innan rapporten kan avslutas")
    for item in ("avsnitt 9 (beslutet)", "den enskilde har informerats", "arbetsgruppen har fått återkoppling"):
        expect(missing).to_contain_text(item)
    sara.follow(missing.get_by_role("link", name="Till utredningen"))
    sara.expect_heading(reference)

    # The short investigation: what happened (point 1) and the position (point 9); who was told.
    sara.investigator_documents("Samtal med brukaren och avbokningslistan", SHORT_WHAT)
    sara.investigator_documents("Lex Sarah-ansvarigs ställningstagande", POSITION, fact=False, point=9)
    sara.records_informing(reference, informed=INFORMED, not_applicable=NO_GUARDIAN)

    sara.officer_closes_with_position(reference, "Inget missförhållande och ingen påtaglig risk för missförhållande",
                                      POSITION)
    expect(sara.todo.get_by_role("link", name="Avsluta med ställningstagande")).to_have_count(0)
    expect(anna.staff_reads_my_reports(reference)).to_contain_text("Avslutad")

    # It counts as "not investigated" (the short investigation), as the seeds say.
    after = admin.admin_reads_statistics(year, shot="statistics")
    table = f"Lex Sarah-rapporter {year}"
    for row in ("Inkomna lex Sarah-rapporter", "Beslut att inte inleda utredning"):
        assert _count(after, table, row) == _count(before, table, row) + 1, row
