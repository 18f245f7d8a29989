"""The tables of issue 15: reasons not to investigate per department, IVO's decisions, categories over
five years per kind, the effect of actions, client gender per kind; each as HTML, PDF, XLSX and CSV,
and no word broken inside a table heading in the PDF."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.lexsarah.models import LexSarahIvo
from tests.stats.helpers import add_action, case, judge, notify, set_columns

pytestmark = pytest.mark.usefixtures("demo")


def _year():
    for unit_name, reason in (("Boendestöd", "no_misconduct"), ("Boendestöd", "health_care"),
                              ("HVB Solrosen", "no_misconduct")):
        set_columns(case("lex_sarah", unit_name=unit_name), triage_decision="not_investigate", triage_reason=reason,
                    status="closed")
    set_columns(case("deviation", unit_name="HVB Solrosen"), triage_decision="not_investigate",
                triage_reason="not_own_service", status="closed")
    report = case("lex_sarah", categories=("Sekretess",), client_gender="female")
    judge(report, "misconduct", True)
    notify(report, date(2018, 7, 1))
    ivo = db.session.get(LexSarahIvo, report.id)
    ivo.ivo_outcome, ivo.ivo_decided_on, ivo.ivo_decision_text = "demands", date(2018, 10, 1), "Krav."
    case("lex_sarah", 2016, categories=("Sekretess",))
    case("deviation", 2017, categories=("Dokumentation",), client_gender="male")
    action = add_action(case("deviation", categories=("Dokumentation",)), "Ny rutin", status="done")
    action.follow_up_result, action.follow_up_text, action.followed_up_on = "partly", "Delvis.", date(2018, 12, 1)
    db.session.commit()


def _rows(client, key: str) -> list[list[str]]:
    response = client.get(f"/statistik/2018/tabell/{key}.csv")
    assert response.status_code == 200, key
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_new_tables_hold_their_figures(login_as):
    _year()
    client = login_as("admin")
    assert _rows(client, "lex_sarah_reasons") == [
        ["Avdelning", "Inte ett missförhållande", "Redan utredd", "Annan verksamhet", "Hälso- och sjukvård"],
        ["Vuxna", "1", "0", "0", "1"], ["Unga", "1", "0", "0", "0"], ["Totalt", "2", "0", "0", "1"]]
    assert _rows(client, "deviation_reasons")[1] == ["Unga", "0", "1", "0"]
    assert _rows(client, "ivo_decisions") == [["Beslut", "Antal"], ["Avslutat utan kritik", "0"], ["Kritik", "0"],
                                              ["Krav på åtgärder", "1"]]
    # Five years; before lex Sarah's first case (2016) the cells are empty: no data, not zero.
    assert _rows(client, "lex_sarah_category_trend") == [
        ["Kategori", "2014", "2015", "2016", "2017", "2018"], ["Sekretess", "", "", "1", "0", "1"]]
    assert _rows(client, "deviation_category_trend")[1] == ["Dokumentation", "", "", "", "1", "1"]
    assert _rows(client, "action_effect") == [["Resultat av uppföljningen", "Antal"], ["Hade effekt", "0"],
                                              ["Hade delvis effekt", "1"], ["Hade ingen effekt", "0"]]
    gender = {row[0]: row[1:] for row in _rows(client, "client_gender_by_kind")[1:]}
    assert gender["Kvinna eller flicka"] == ["0", "0", "1"]

    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/statistik/?ar=2018").get_data(as_text=True)).split())
    assert "Mest har kategorin sekretess ökat, från noll till en." in text  # which categories grow
    assert "Mest har kategorin dokumentation" not in text  # one in 2017, one in 2018: no growth
    workbook = load_workbook(io.BytesIO(client.get("/statistik/2018/statistik.xlsx").data))
    assert {"Lex Sarah, ej utredda", "Beslut från IVO", "Effekt av åtgärder", "Kön per ärendetyp",
            "Lex Sarah, kategorier 5 år"} <= set(workbook.sheetnames)
    html = client.get("/statistik/2018/kvalitetsberattelse").get_data(as_text=True)
    assert "<caption>IVO:s beslut om årets anmälda lex Sarah-rapporter 2018" in html


def test_no_word_is_broken_inside_a_pdf_table_heading(login_as):
    _year()
    pdf = login_as("admin").get("/statistik/2018/kvalitetsberattelse.pdf").data
    text = "\n".join(line.strip() for page in PdfReader(io.BytesIO(pdf)).pages
                     for line in page.extract_text().splitlines())
    assert "Lex Sarah-rapporter" in text
    headings = ("Lex Sarah-rapporter", "Synpunkter och klagomål", "Inte ett missförhållande", "Hälso- och sjukvård",
                "Avvikelser", "Därav anmälda till IVO")
    words = {word for heading in headings for word in heading.split()}
    for word in (w for w in words if len(w) >= 6):
        for cut in range(2, len(word) - 1):
            # "Lex Sarah-rap" on one line and "porter" on the next: a word broken inside a heading.
            assert f"{word[:cut]}\n{word[cut:]}" not in text, word
