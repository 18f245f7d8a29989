"""Journey 1: a lex Sarah report from a phone in a corridor to the year's statistics.

anna files it on her phone (390×844); erik takes it, starts the investigation, documents it and
proposes a judgment; sara confirms it as serious misconduct, produces the IVO notification and
records it as sent; erik adds two actions, completes and follows them up, closes the case and gives
anna feedback, which she reads on her phone; the statistics page for the year counts it.
"""

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.pages import today

WHAT = ("Brukaren fick sin kvällsmedicin två gånger eftersom signeringslistan inte var ifylld "
        "när passet byttes. Brukaren blev yr och föll, men skadade sig inte.")
CATEGORY = "Brister i utförande av insats"
MEASURES = "Signeringslistan kontrolleras vid varje passbyte; all personal går läkemedelsutbildningen igen."
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
    erik.investigator_triages()
    erik.investigator_documents("Samtal med personalen på kvällspasset",
                                "Listan signerades inte vid passbytet kl. 21; två i personalen gav medicinen.")
    erik.investigator_proposes_judgment(reference, "Dubbel dos av läkemedel: brukaren kunde ha skadats allvarligt.")
    erik.investigator_finishes_investigation(reference)

    # sara: judgment and IVO.
    sara = journey.officer("sara")
    sara.officer_judges(reference, serious=True)
    sara.officer_prepares_ivo_notification(reference, MEASURES)
    sara.officer_records_notification_sent("8.5.1-12345/2026")

    # erik: actions, their follow-up, closing, feedback.
    due = today() + timedelta(days=14)
    erik.investigator_adds_action(reference, "Reviderad rutin", "Rutinen för signering vid passbyte ändras.", due)
    erik.investigator_adds_action(reference, "Utbildning", "Läkemedelsutbildning för kvällspersonalen.", due)
    erik.investigator_completes_and_follows_up_action(reference, "Reviderad rutin",
                                                      "Inga osignerade listor vid stickprov två veckor i rad.")
    erik.investigator_completes_and_follows_up_action(reference, "Utbildning", "All kvällspersonal har gått den.")
    erik.investigator_closes_case(reference, "Utrett, anmält till IVO (8.5.1-12345/2026), två åtgärder genomförda.")
    expect(erik.main).to_contain_text("Anmäld till IVO")
    erik.investigator_gives_feedback(reference, FEEDBACK)

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
