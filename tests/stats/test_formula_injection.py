"""Names people typed (units, categories, action types) never become live formulas in a download.

A spreadsheet program runs a cell that starts with =, +, -, @, a tab or a carriage return as a
formula (=HYPERLINK to exfiltrate, =cmd|… to run a program); every text cell of the CSV and the
XLSX is therefore written with a leading ' and, in the XLSX, as a string cell.
"""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.spreadsheet import safe_cell
from tests.cases.helpers import category, unit
from tests.stats.helpers import add_action, case, judge, notify

pytestmark = pytest.mark.usefixtures("demo")

HYPERLINK = '=HYPERLINK("http://evil","x")'
CALC = "=cmd|' /C calc'!A0"
DANGEROUS = [HYPERLINK, CALC, "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def _dangerous_year():
    unit("Vuxna").name = CALC
    category("lex_sarah", "Sekretess").name = HYPERLINK
    category("deviation", "Utebliven insats").name = "@SUM(A1:A9)"
    db.session.commit()
    first = case("lex_sarah", 2018, unit_name="Boendestöd", categories=(HYPERLINK,))
    judge(first, "misconduct", True)
    notify(first, date(2018, 6, 20))
    case("deviation", 2018, unit_name="HVB Solrosen", categories=("@SUM(A1:A9)",))
    action = add_action(first, "Ny rutin")
    action.type.name = "-1+2"
    db.session.commit()


@pytest.mark.parametrize("value", DANGEROUS)
def test_the_helper_prefixes_every_dangerous_start(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Vuxna", "", "Därav anmälda", "2018", "a=b", " =x"])
def test_the_helper_leaves_ordinary_text_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-3, 0, 12, 2.5, -0.5, None])
def test_the_helper_leaves_numbers_numbers(value):
    assert safe_cell(value) == value


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


def test_the_csv_of_all_tables_has_no_formula():
    from app.stats import exports
    from app.stats.services import statistics_report

    _dangerous_year()
    cells = _csv_cells(exports.export(statistics_report(2018), "csv"))
    assert "'" + CALC in cells
    assert "'" + HYPERLINK in cells
    assert "'@SUM(A1:A9)" in cells
    assert "'-1+2" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize("key", ["departments", "lex_sarah_categories", "deviation_categories", "actions"])
def test_the_csv_of_one_table_has_no_formula(login_as, key):
    _dangerous_year()
    response = login_as("admin").get(f"/statistik/2018/tabell/{key}.csv")
    assert response.status_code == 200
    cells = _csv_cells(response.get_data(as_text=True))
    assert [c for c in cells if c.startswith("'")], cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_xlsx_has_no_formula_and_numbers_stay_numbers(login_as):
    _dangerous_year()
    response = login_as("admin").get("/statistik/2018/statistik.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert "'" + CALC in texts and "'" + HYPERLINK in texts and "'@SUM(A1:A9)" in texts and "'-1+2" in texts
    assert not [v for v in texts if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    rows = {row[0]: row[1:] for row in workbook["Per avdelning"].iter_rows(min_row=3, values_only=True)}
    assert rows["'" + CALC] == (0, 0, 1)


def test_a_negative_number_is_written_as_a_number():
    from app.stats.exports import as_csv, as_xlsx
    from app.stats.report import Chapter, Report, Table

    table = Table("t", "-Titel", ["=Kolumn", "Antal"], [["-Rad", -3], ["Rad", -0.5]])
    report = Report(2018, None, {}, [Chapter("c", "@Kapitel", paragraphs=["=1+1"], tables=[table])])
    sheet = load_workbook(io.BytesIO(as_xlsx(report))).worksheets[1]
    assert [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()] == [
        [("'-Titel", "s"), (None, "n")], [("'=Kolumn", "s"), ("Antal", "s")],
        [("'-Rad", "s"), (-3, "n")], [("Rad", "s"), (-0.5, "n")]]
    rows = list(csv.reader(io.StringIO(as_csv(report).lstrip("\ufeff"))))
    assert rows == [["'-Titel"], ["'=Kolumn", "Antal"], ["'-Rad", "-3"], ["Rad", "-0.5"]]
