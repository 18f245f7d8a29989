"""Journey 1: a lex Sarah report from a phone in a corridor to the year's statistics.

anna files it on her phone (390×844); erik takes it, records the immediate protection, starts the
investigation, documents each of its nine points (an entry, or "inget att anteckna" with a reason),
the causes and the risk, and proposes a judgment; sara confirms it as serious misconduct, produces
the IVO notification, signs it and records it as sent; erik adds two actions, completes and follows
them up and gives anna feedback; sara adds IVO's number when IVO confirms; erik records who else was
told; sara closes the case; anna reads the feedback on her phone; the statistics page for the year
counts it.

Issue 13 (lex Sarah duties) changed the lawful path: protection first, the nine points before
finishing, sign then send, IVO's number later, every informing item settled before closing, and
only the officer closes. The steps it added are marked "issue 13" below.
"""

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.pages import today

WHAT = ("Brukaren fick sin kvällsmedicin två gånger eftersom signeringslistan inte var ifylld "
        "när passet byttes. Brukaren blev yr och föll, men skadade sig inte.")
CATEGORY = "Brister i utförande av insats"
MEASURES = "Signeringslistan kontrolleras vid varje passbyte; all personal går läkemedelsutbildningen igen."
PROTECTION = "Sjuksköterskan kontrollerade brukaren direkt och i två timmar; kvällens lista signeras av två."
FEEDBACK = "Tack för din rapport. Den är utredd, anmäld till IVO och rutinen för signering är ändrad."


def _count(statistics: dict, table: str, row: str, column: int = 0) -> int:
    """A number from a statistics table; a row that is not there (yet), or a dash (no data yet for the
    kind: issue 15, "no data is not zero"), counts as 0 before the first case."""
    cells = statistics.get(table, {}).get(row)
    return int(cells[column]) if cells and cells[column] != "–" else 0


def test_a_lex_sarah_report_from_a_phone_to_the_year_statistics(journey):
    year = today().year
    admin = journey.admin()
    before = admin.admin_reads_statistics(year)
    admin.admin_fills_in_board_details()

    # anna, on her phone.
    anna = journey.staff("anna", phone=True)
    reference = anna.staff_files_lex_sarah(WHAT, [CATEGORY], misconduct=True)
    assert journey.varna.mail_to("anna@varna.example", f"Kvitto: {reference}")
    [alert] = journey.varna.mail_to("erik@varna.example", f"Ny lex Sarah-rapport: {reference}")
    assert "sara@varna.example" in str(alert["To"])
    expect(anna.staff_reads_my_reports(reference)).to_contain_text("Mottagen")

    # erik, at his desk: triage and investigation.
    erik = journey.investigator("erik")
    erik.investigator_finds_in_queue(reference, WHAT)
    erik.investigator_takes_case()
    # Issue 13: the immediate protection is the first thing to do on a lex Sarah report.
    erik.investigator_records_protection(PROTECTION, "Erik Eriksson, enhetschef")
    # Issue 13: a lex Sarah report is always investigated; no decision not to is offered.
    expect(erik.todo.get_by_role("button", name="Inled utredning")).to_be_visible()
    expect(erik.todo.get_by_role("link", name="Beslut att inte inleda utredning")).to_have_count(0)
    erik.investigator_triages()
    erik.investigator_documents("Samtal med personalen på kvällspasset",
                                "Listan signerades inte vid passbytet kl. 21; två i personalen gav medicinen.")
    # Issue 13: finishing needs each of the nine points addressed, the causes and the risk; the case
    # page lists what is still missing, and "Slutför utredningen" is not offered until it is all there.
    checklist = erik.finishing_checklist()
    expect(checklist).to_contain_text("Innan utredningen kan slutföras")
    for missing in ("2. När och hur det uppmärksammades", "9. Det beslut som utredningen avslutades med",
                    "Orsakerna (orsaksområden och beskrivning)", "Riskbedömningen (sannolikhet och konsekvens)"):
        expect(checklist).to_contain_text(missing)
    expect(checklist).not_to_contain_text("1. Vad som har hänt")
    expect(erik.todo.get_by_role("link", name="Slutför utredningen")).to_have_count(0)
    erik.investigator_notes_nothing_to_record(2, "Framgår av rapporten: nattpersonalen såg det vid överlämningen.")
    erik.investigator_notes_nothing_to_record(3, "Framgår av rapporten: kvällspasset, vid passbytet kl. 21.")
    erik.investigator_documents("Genomgång av rutinen för passbyte",
                                "Rutinen säger inte vem som kontrollerar signeringslistan vid passbytet.", point=4)
    erik.investigator_records_causes(reference, ["Processer, rutiner och riktlinjer"],
                                     "Ingen kontroll av signeringslistan vid passbytet.")
    erik.investigator_notes_nothing_to_record(5, "Inget liknande har hänt tidigare på enheten enligt registret.")
    erik.investigator_documents("Bedömning", "Kan hända igen vid varje passbyte tills rutinen ändras.",
                                fact=False, point=6)
    erik.opens_risk_assessment(reference)
    erik.assesses_risk(2, 4, "Passbyten sker varje dag; en dubbel dos kan skada allvarligt.")
    erik.expect_flash("Riskbedömningen är sparad.")
    erik.investigator_documents("Planerade åtgärder", MEASURES, point=7)
    erik.investigator_notes_nothing_to_record(8, "Inget annat har kommit fram.")
    erik.investigator_documents("Utredningens slutsats",
                                "Förslag: allvarligt missförhållande. Lämnas till lex Sarah-ansvarig.",
                                fact=False, point=9)
    erik.investigator_proposes_judgment(reference, "Dubbel dos av läkemedel: brukaren kunde ha skadats allvarligt.")
    erik.opens_case(reference)
    expect(erik.finishing_checklist()).to_contain_text("Alla nio punkter, orsakerna och riskbedömningen är ifyllda.")
    erik.investigator_finishes_investigation(reference)

    # sara: judgment and IVO.
    sara = journey.officer("sara")
    sara.officer_judges(reference, serious=True)
    sara.officer_prepares_ivo_notification(reference, MEASURES)
    sara.officer_signs_notification()  # issue 13: signed first, then recorded as sent
    sara.officer_records_notification_sent()

    # erik: actions, their follow-up, feedback (issue 13: the officer closes; feedback comes before it).
    due = today() + timedelta(days=14)
    erik.investigator_adds_action(reference, "Reviderad rutin", "Rutinen för signering vid passbyte ändras.", due)
    erik.investigator_adds_action(reference, "Utbildning", "Läkemedelsutbildning för kvällspersonalen.", due)
    erik.investigator_completes_and_follows_up_action(reference, "Reviderad rutin",
                                                      "Inga osignerade listor vid stickprov två veckor i rad.")
    erik.investigator_completes_and_follows_up_action(reference, "Utbildning", "All kvällspersonal har gått den.")
    erik.investigator_gives_feedback(reference, FEEDBACK)

    # Issue 13: IVO's number is added when IVO confirms the notification.
    sara.officer_adds_ivo_reference(reference, "8.5.1-12345/2026")

    # Issue 13: nothing closes before everyone who must be told is; the feedback filled in anna's item.
    sara.opens_case(reference)
    expect(sara.todo.get_by_role("link", name="Avsluta ärendet")).to_have_count(0)
    erik.records_informing(reference, informed=["Den enskilde har informerats",
                                                "Händelsen är antecknad i den enskildes akt",
                                                "Arbetsgruppen har fått återkoppling"],
                           not_applicable={"Vårdnadshavare, god man eller förvaltare har informerats":
                                           "Brukaren är vuxen och har ingen god man eller förvaltare."},
                           already=("Rapportören har fått återkoppling",))
    # Issue 13: only the officer closes a lex Sarah report; erik is not offered it.
    erik.opens_case(reference)
    expect(erik.todo.get_by_role("link", name="Avsluta ärendet")).to_have_count(0)
    sara.officer_closes_case(reference, "Utrett, anmält till IVO (8.5.1-12345/2026), två åtgärder genomförda.")
    expect(sara.main).to_contain_text("Anmäld till IVO")  # was on erik's page, when erik closed it

    row = anna.staff_reads_my_reports(reference)
    expect(row).to_contain_text("Avslutad")
    expect(row).to_contain_text(FEEDBACK)

    # The year's statistics count it.
    after = admin.admin_reads_statistics(year, shot="statistics")
    lex_sarah = f"Lex Sarah-rapporter {year}"
    for row_label in ("Inkomna lex Sarah-rapporter", "Missförhållande", "Bedömda som allvarliga", "Anmälda till IVO"):
        assert _count(after, lex_sarah, row_label) == _count(before, lex_sarah, row_label) + 1, row_label
    categories = f"Lex Sarah-rapporter per kategori {year}"
    assert _count(after, categories, CATEGORY) == _count(before, categories, CATEGORY) + 1
    actions = f"Åtgärder per typ {year}"
    for kind in ("Reviderad rutin", "Utbildning"):
        assert _count(after, actions, kind) == _count(before, actions, kind) + 1, kind
    departments = f"Inkomna ärenden per avdelning {year}"
    assert _count(after, departments, "Vuxna", 2) == _count(before, departments, "Vuxna", 2) + 1
