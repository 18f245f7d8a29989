"""The statistics page, the printable quality report and the downloads (CSV, XLSX, PDF)."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.clock import today_local
from tests.cases.helpers import unit
from tests.stats.helpers import case, judge, notify

pytestmark = pytest.mark.usefixtures("demo")


def _year_2018():
    """Alingsås 2018 in small: 3 lex Sarah reports (2 in Vuxna, 1 in Unga), 1 notified; 2017 had 5."""
    for _ in range(5):
        case("lex_sarah", 2017)
    first = case("lex_sarah", 2018, unit_name="Boendestöd", categories=("Sekretess",))
    judge(first, "misconduct", True)
    notify(first, date(2018, 6, 20))
    case("lex_sarah", 2018, unit_name="Vuxenstöd", categories=("Sekretess", "Dokumentation"))
    case("lex_sarah", 2018, unit_name="HVB Solrosen")
    case("deviation", 2018, unit_name="HVB Solrosen", categories=("Utebliven insats",))
    case("complaint", 2018, complaint={"channel": "ivo"}, categories=("Bemötande",))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_opens_on_the_last_full_year(login_as):
    response = login_as("admin").get("/statistik/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<option selected value="{today_local().year - 1}">' in html
    assert f"Avvikelser, klagomål, lex Sarah och tillsyn {today_local().year - 1}" in html


def test_the_page_shows_tables_charts_and_sentences_for_the_year(login_as):
    _year_2018()
    html = login_as("sara").get("/statistik/?ar=2018").get_data(as_text=True)
    text = _text(html)
    assert ("Under 2018 har totalt tre lex Sarah-rapporter inkommit till socialnämnden. "
            "Det är en minskning med två rapporter jämfört med föregående år.") in text
    assert "Flest rapporter har inkommit till Vuxna (2). Därefter följer Unga (1)." in text
    # Tables with captions and headers; charts as inline SVG images with a title, never loaded from elsewhere.
    assert "<caption>Lex Sarah-rapporter 2017 och 2018" in html
    assert '<th scope="row">Vuxna</th><td class="num">0</td><td class="num">1</td><td class="num">2</td>' in html
    assert html.count('role="img"') >= 4
    assert re.search(r'<svg [^>]*role="img"[^>]*aria-labelledby="chart-0-title chart-0-desc"', html)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_one_department(login_as):
    _year_2018()
    vuxna = unit("Vuxna").id
    for parameter in ("unit", "avdelning"):  # avdelning: the synonym from version 1
        text = _text(login_as("admin").get(f"/statistik/?ar=2018&{parameter}={vuxna}").get_data(as_text=True))
        assert "Avvikelser, klagomål, lex Sarah och tillsyn 2018 – Vuxna" in text
        assert "Under 2018 har totalt två lex Sarah-rapporter inkommit till Vuxna." in text


@pytest.mark.parametrize(("query", "message"), [
    ("ar=1875", "Välj ett år i listan."),
    ("ar=tjugo", "Välj ett år i listan."),
    ("ar=2018&unit=999999", "Välj en enhet i listan."),
    ("ar=2018&avdelning=999999", "Välj en enhet i listan."),
])
def test_a_bad_choice_is_explained_next_to_the_field(login_as, query, message):
    response = login_as("admin").get(f"/statistik/?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'class="error"' in html
    assert "Avvikelser, klagomål, lex Sarah och tillsyn 2018" not in html


def test_any_unit_of_the_tree_has_its_own_compilation(login_as):
    # Version 2: not only departments; Nacka asks every unit for its own compilation.
    _year_2018()
    response = login_as("admin").get(f"/statistik/2018/kvalitetsberattelse?unit={unit('Boendestöd').id}")
    assert response.status_code == 200
    assert "Avvikelser, klagomål, lex Sarah och tillsyn 2018 – Boendestöd" in _text(response.get_data(as_text=True))


@pytest.mark.parametrize(("query", "status"), [("unit=999999", 404), ("unit=abc", 400),
                                               ("avdelning=99999999999999999999", 400)])
def test_an_unknown_unit_is_not_found_and_a_malformed_one_a_bad_request(login_as, query, status):
    assert login_as("admin").get(f"/statistik/2018/kvalitetsberattelse?{query}").status_code == status


def test_the_printable_report_is_one_self_contained_page(login_as):
    _year_2018()
    response = login_as("admin").get("/statistik/2018/kvalitetsberattelse")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<style>" in html and "<link" not in html and "<script" not in html
    text = _text(html)
    assert "Avvikelser, klagomål, lex Sarah och tillsyn 2018" in text
    assert "Till Inspektionen för vård och omsorg (IVO) har en rapport anmälts." in text
    assert "Det är en ökning med en anmälan jämfört med föregående år." in text


def test_the_csv_of_a_table_holds_its_figures(login_as):
    _year_2018()
    response = login_as("admin").get("/statistik/2018/tabell/lex_sarah_comparison.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "statistik-2018-lex_sarah_comparison.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [["Uppgift", "2017", "2018"], ["Lex Sarah-rapporter", "5", "3"],
                    ["Därav anmälda till Inspektionen för vård och omsorg (IVO)", "0", "1"]]


def test_an_unknown_table_is_not_found(login_as):
    assert login_as("admin").get("/statistik/2018/tabell/inget.csv").status_code == 404


def test_the_xlsx_holds_every_table(login_as):
    _year_2018()
    response = login_as("admin").get("/statistik/2018/statistik.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames[0] == "Text"
    assert workbook.sheetnames[1:4] == ["Fem år", "Klagomål", "Klagomål per kanal"]
    sheet = workbook["Lex Sarah"]
    assert sheet["A1"].value == "Lex Sarah-rapporter 2018"
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Inkomna lex Sarah-rapporter"] == 3
    assert rows["Anmälda till IVO"] == 1
    assert rows["Missförhållande"] == 1
    departments = workbook["Per avdelning"]
    assert [list(r) for r in departments.iter_rows(min_row=2, values_only=True)][:3] == [
        ["Avdelning", "Avvikelser", "Synpunkter och klagomål", "Lex Sarah-rapporter"],
        ["Vuxna", 0, 1, 2], ["Unga", 1, 0, 1]]
    text = " ".join(str(c.value) for c in workbook["Text"]["A"] if c.value)
    assert "Under 2018 har totalt tre lex Sarah-rapporter inkommit till socialnämnden." in text


def test_the_pdf_holds_the_sentences_and_the_figures(login_as):
    _year_2018()
    response = login_as("admin").get("/statistik/2018/kvalitetsberattelse.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Avvikelser, klagomål, lex Sarah och tillsyn 2018" in text
    assert "Under 2018 har totalt tre lex Sarah-rapporter inkommit till socialnämnden." in text
    assert "Inkomna lex Sarah-rapporter 3" in text
    assert "Därav anmälda till Inspektionen för vård och omsorg (IVO) 0 1" in text


@pytest.mark.parametrize("username", ["anna", "erik"])
def test_staff_and_investigators_get_no_statistics(login_as, username):
    client = login_as(username)
    for url in ("/statistik/", "/statistik/2018/kvalitetsberattelse", "/statistik/2018/kvalitetsberattelse.pdf",
                "/statistik/2018/statistik.xlsx", "/statistik/2018/tabell/lex_sarah.csv"):
        assert client.get(url).status_code == 403, url


def test_looking_at_the_statistics_is_logged(login_as):
    from sqlalchemy import select

    from app.audit import AuditEvent
    from app.extensions import db
    login_as("admin").get("/statistik/2018/statistik.xlsx")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "statistics.viewed"))
    assert event.detail == {"year": 2018, "department_id": None, "format": "xlsx"}


def test_the_board_role_reads_the_statistics_and_nothing_else(board_member, client):
    from tests.conftest import login
    _year_2018()
    assert login(client, "nils").status_code == 302
    start = client.get("/").get_data(as_text=True)
    assert 'href="/statistik/"' in start and "Rapportera" not in start
    assert client.get("/statistik/?ar=2018").status_code == 200
    assert client.get("/statistik/2018/kvalitetsberattelse.pdf").status_code == 200
    assert client.get("/api/v1/statistics/2018").get_json()["lex_sarah"]["received"] == 3
    for url in ("/arenden", "/rapportera", "/mina-rapporter", "/atgarder", "/admin/import/"):
        assert client.get(url).status_code == 403, url
