"""Journey 7: an IVO supervision case from the letter to the year's statistics (issue 14).

sara registers IVO's letter about an inspection of HVB Solrosen, with the letter attached; she
records IVO's request for a statement; ulla, who manages the unit's department, sees the request
and its last day on her start page, answers in time with the statement attached, records IVO's
decision (demands for measures, reported back within a month), plans the action, completes it,
reports the measures back and closes the case; the year's statistics count it.
"""

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.pages import today

LETTER = {"name": "ivo-brev.pdf", "mimeType": "application/pdf",
          "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}
STATEMENT = {"name": "yttrande.pdf", "mimeType": "application/pdf",
             "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}
ACTION = "Bemanningsplan för nattetid på HVB Solrosen."


def _count(statistics: dict, table: str, row: str) -> int:
    """A number from a statistics table; a row that is not there (yet), or a dash (no data yet for the
    kind: statistics v2), reads as 0."""
    cells = statistics.get(table, {}).get(row)
    return int(cells[0]) if cells and cells[0] != "–" else 0


def test_an_ivo_letter_to_closed_case_and_the_statistics(journey):
    year = today().year
    admin = journey.admin()
    before = admin.admin_reads_statistics(year)

    # sara registers the letter.
    sara = journey.officer("sara")
    sara.open("/")
    sara.follow(sara.main.get_by_role("link", name="Registrera tillsynsärende"), shot="register")
    sara.expect_heading("Registrera tillsynsärende")
    sara.main.get_by_role("group", name="Myndighet").get_by_label("IVO", exact=True).check()
    sara.field("Myndighetens diarienummer").fill("3.5.1-21457/2026")
    sara.field("Datum då brevet kom in").fill(today().isoformat())
    sara.field("Myndighetens brev").set_input_files(LETTER)
    sara.field("Nämndens diarienummer").fill("SN 2026/88")
    sara.main.get_by_label("En verksamhet eller enhet (t.ex. inspektion av ett HVB)").check()
    sara.field("Kort beskrivning").fill("Inspektion av HVB Solrosen")
    sara.main.get_by_role("group", name="Berörda enheter").get_by_label("HVB Solrosen", exact=False).check()
    sara.main.get_by_label("Myndighetens eget initiativ eller inspektion").check()
    sara.press("Registrera", shot="registered")
    sara.expect_flash("är registrerat")
    reference = re.search(r"TS-\d{4}-\d{4}", sara.page.get_by_role("heading", level=1).inner_text()).group(0)
    assert reference.startswith(f"TS-{year}-")
    sara.expect_status("Mottagen")
    expect(sara.main).to_contain_text("ivo-brev.pdf")

    # IVO asks for a statement within two weeks.
    due = today() + timedelta(days=14)
    sara.makes_move("Registrera begäran från myndigheten")
    sara.main.get_by_label("Yttrande", exact=True).check()
    sara.field("Brevets datum").fill(today().isoformat())
    sara.field("Sista dag för svar").fill(due.isoformat())
    sara.field("Vad begärs?").fill("Yttrande om bemanningen nattetid.")
    sara.press("Spara begäran", shot="request")
    sara.expect_flash("Begäran är registrerad.")
    sara.expect_status("Besvaras")

    # ulla sees it on her start page and answers in time.
    ulla = journey.investigator("ulla")
    ulla.open("/", shot="start")
    deadlines = ulla.page.get_by_role("region", name="Tillsyn: svar till myndigheten")
    expect(deadlines).to_contain_text(reference)
    expect(deadlines).to_contain_text("Yttrande, sista dag")
    ulla.follow(deadlines.get_by_role("link", name=reference), shot="case")
    ulla.follow(ulla.main.get_by_role("link", name="Registrera nämndens svar"), shot="reply")
    ulla.field("Datum då svaret skickades").fill(today().isoformat())
    ulla.main.get_by_label("E-post", exact=True).check()
    ulla.field("Undertecknat av").fill("Ulla Ullsson, enhetschef")
    ulla.field("Svaret som dokument").set_input_files(STATEMENT)
    ulla.press("Spara svaret")
    ulla.expect_flash("Svaret är registrerat.")
    ulla.expect_status("Väntar på myndighetens beslut")
    expect(ulla.main).to_contain_text("undertecknad av Ulla Ullsson, enhetschef")

    # IVO demands measures, to be reported back within a month.
    report_by = today() + timedelta(days=30)
    ulla.makes_move("Registrera myndighetens beslut")
    ulla.main.get_by_label("Krav på åtgärder", exact=True).check()
    ulla.field("Beslutsdatum").fill(today().isoformat())
    ulla.field("Vad beslutet säger").fill("IVO kräver att nämnden säkerställer bemanningen nattetid.")
    ulla.field("Åtgärderna ska redovisas senast").fill(report_by.isoformat())
    ulla.press("Spara beslutet", shot="decided")
    ulla.expect_flash("Beslutet är registrerat.")
    ulla.expect_status("Beslut fattat")

    # The action is planned and completed.
    panel = ulla.page.get_by_role("region", name="Åtgärder")
    adding = panel.locator("details").filter(has=ulla.page.locator("summary", has_text="Lägg till en åtgärd"))
    if adding.get_attribute("open") is None:
        adding.locator("summary").click()
    panel.get_by_label("Typ av åtgärd").select_option(label="Ny rutin")
    panel.get_by_label("Beskrivning").fill(ACTION)
    panel.get_by_label("Ansvarig").select_option(label="Ulla Ullsson, Enhetschef")
    panel.get_by_label("Klart senast").fill((today() + timedelta(days=20)).isoformat())
    ulla.press(panel.get_by_role("button", name="Lägg till åtgärden"))
    ulla.expect_flash("Åtgärden är tillagd: Ny rutin, ansvarig Ulla Ullsson")
    ulla.follow(ulla.page.get_by_role("region", name="Åtgärder").get_by_role("link", name="Ny rutin"))
    ulla.field("Genomförd").check()
    ulla.press("Spara status")
    ulla.expect_flash("Åtgärden är nu: Genomförd.")

    # The measures are reported back, and the case closes.
    ulla.opens_case(reference)
    ulla.follow(ulla.main.get_by_role("link", name="Registrera redovisningen av åtgärderna"))
    ulla.field("Datum då svaret skickades").fill(today().isoformat())
    ulla.main.get_by_label("Myndighetens e-tjänst", exact=True).check()
    ulla.field("Undertecknat av").fill("Ulla Ullsson, enhetschef")
    ulla.press("Spara svaret")
    ulla.expect_flash("Svaret är registrerat.")
    ulla.makes_move("Avsluta ärendet")
    ulla.field("Sammanfattning vid avslut").fill("Åtgärderna är genomförda och redovisade till IVO.")
    ulla.press("Avsluta ärendet", shot="closed")
    ulla.expect_flash("Ärendet är avslutat.")
    ulla.expect_status("Avslutad")

    # The year's statistics count it.
    after = admin.admin_reads_statistics(year, shot="statistics")
    table = f"Tillsynsärenden {year}"
    for row in ("Inkomna tillsynsärenden", "Krav på åtgärder"):
        assert _count(after, table, row) == _count(before, table, row) + 1, row
    expect(admin.main).to_contain_text("ställde IVO krav på åtgärder")
