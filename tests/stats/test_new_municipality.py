"""Done when (issue 7): an admin imports two earlier years from CSV, cases of this year are handled,
and the statistics page and the printable quality report show the comparison with last year in
numbers, words and a chart."""

import io
import re
from datetime import datetime

import pytest

from app import clock
from app.cases.casework import services as casework
from app.cases.investigation import services as investigation
from app.imports.services import COLUMNS
from app.lexsarah import position
from tests.cases.helpers import file_case, reload, user
from tests.lexsarah.helpers import inform_all

pytestmark = pytest.mark.usefixtures("demo")


def _csv(year: int, reports: int, notified: int) -> str:
    rows = [",".join(COLUMNS)]
    for n in range(1, reports + 1):
        ivo = f"{year}-03-{n:02d}" if n <= notified else ""
        judgment, serious = ("misconduct", "yes") if n <= notified else ("none", "")
        rows.append(f"LS-{year}-{n:04d},lex_sarah,{year}-02-{n:02d},Vuxna,Boendestöd,,Sekretess,,investigate,"
                    f"{judgment},{serious},{ivo},,{year}-04-01,female")
    rows.append(f"AV-{year}-0001,deviation,{year}-05-05,Unga,HVB Solrosen,,Dokumentation,,,,,,,,male")
    return "\n".join(rows) + "\n"


def test_a_new_municipality_compares_this_year_with_the_imported_ones(login_as):
    this_year = clock.today_local().year
    admin = login_as("admin")
    for year, reports, notified in ((this_year - 2, 6, 2), (this_year - 1, 5, 2)):
        response = admin.post("/admin/import/", content_type="multipart/form-data",
                              data={"file": (io.BytesIO(_csv(year, reports, notified).encode()), f"{year}.csv")})
        assert response.status_code == 200, response.get_data(as_text=True)

    # This year: three lex Sarah reports filed, one closed by the officer's ställningstagande (a short
    # investigation: every report is investigated), counted as not investigated.
    reports = [file_case("lex_sarah", at=datetime(this_year, 1, 10 + n, 9)) for n in range(3)]
    with clock.frozen(datetime(this_year, 1, 20, 9)):
        casework.decide_triage(user("erik"), reports[0].reference, decision="investigate",
                               expected_version=reports[0].version)
        for section in ("what_happened", "decision"):
            investigation.add_entry(user("sara"), reports[0].reference, section=section,
                                    entry_date=datetime(this_year, 1, 20).date(), source="Rapporten", nature="fact",
                                    text="Hände hos en annan huvudman.", expected_version=reload(reports[0]).version)
    inform_all(reload(reports[0]), at=datetime(this_year, 1, 20, 9))
    with clock.frozen(datetime(this_year, 1, 20, 9)):
        position.close_with_position(user("sara"), reports[0].reference, reason="not_own_service",
                                     text="Hände hos en annan huvudman.", passed_to="Omsorg AB",
                                     expected_version=reload(reports[0]).version)

    page = admin.get(f"/statistik/?ar={this_year}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (f"Under {this_year} har totalt tre lex Sarah-rapporter inkommit till socialnämnden. "
            "Det är en minskning med två rapporter jämfört med föregående år.") in text
    assert "Ingen rapport har anmälts till Inspektionen för vård och omsorg (IVO). " \
           "Det är en minskning med två anmälningar jämfört med föregående år." in text
    # The numbers: last year and this year side by side, and the five-year table.
    assert (f"<caption>Lex Sarah-rapporter {this_year - 1} och {this_year}") in html
    assert re.search(r'<th scope="row">Lex Sarah-rapporter</th><td class="num">5</td><td class="num">3</td>', html)
    # No complaint anywhere: no data, shown as "–", not as 0 (version 2).
    assert re.search(rf'<th scope="row">{this_year - 2}</th><td class="num">1</td><td class="num">–</td>'
                     r'<td class="num">6</td><td class="num">2</td>', html)
    # The chart: the trend as an inline SVG line chart with its title.
    assert re.search(r'<svg [^>]*role="img"[^>]*>.*?<title id="chart-0-title">Inkomna ärenden per år</title>.*?'
                     r"<polyline", html, re.S)

    report = admin.get(f"/statistik/{this_year}/kvalitetsberattelse")
    assert report.status_code == 200
    assert "Det är en minskning med två rapporter jämfört med föregående år." in report.get_data(as_text=True)
