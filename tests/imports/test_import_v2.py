"""The import of issue 15: the optional columns (complaint_type, answered_date, triage_reason, ivo_decision,
origin_reference) and the file forms a Swedish office has (semicolons, Windows-1252, a byte order mark,
XLSX), and error texts that name things as the page and the command line do."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from app.cases.models import Case, ComplaintDetails
from app.extensions import db
from app.imports.services import COLUMNS, OPTIONAL_COLUMNS, import_file
from app.lexsarah.models import LexSarahIvo
from app.stats.report import statistics

pytestmark = pytest.mark.usefixtures("demo")
HEADER = COLUMNS + OPTIONAL_COLUMNS


def _line(**cells) -> list[str]:
    return [cells.get(name, "") for name in HEADER]


def _csv(rows: list[list[str]], sep: str = ",", header=HEADER) -> str:
    """As Excel writes it: a cell holding the separator is quoted."""
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows([list(header), *rows])
    return out.getvalue()


def _by_reference() -> dict[str, Case]:
    db.session.expire_all()
    return {case.reference: case for case in db.session.scalars(select(Case))}


ROWS = [
    _line(reference="KL-2017-0001", kind="complaint", received_date="2017-03-01", department="Vuxna",
          channel="letter", complaint_type="suggestion", answered_date="2017-03-20", client_gender="female"),
    _line(reference="KL-2017-0002", kind="complaint", received_date="2017-04-01", department="Vuxna",
          channel="web"),
    _line(reference="LS-2017-0001", kind="lex_sarah", received_date="2017-04-05", department="Vuxna",
          triage="investigate", judgment="misconduct", serious="yes", ivo_notified_date="2017-04-10",
          ivo_decision="criticism", origin_reference="KL-2017-0002"),
    _line(reference="AV-2017-0001", kind="deviation", received_date="2017-05-01", department="Unga",
          triage="not_investigated", triage_reason="not_own_service"),
    _line(reference="LS-2017-0002", kind="lex_sarah", received_date="2017-06-01", department="Unga",
          triage_reason="health_care"),
]


def test_the_new_columns_are_imported_and_counted():
    result = import_file(_csv(ROWS).encode())
    assert result.ok, [str(p) for p in result.problems]
    cases = _by_reference()
    suggestion = db.session.get(ComplaintDetails, cases["KL-2017-0001"].id)
    assert suggestion.complaint_type == "suggestion" and suggestion.answered_at is not None
    assert cases["LS-2017-0001"].origin_case_id == cases["KL-2017-0002"].id
    assert cases["KL-2017-0002"].handover == "to_lex_sarah"
    assert db.session.get(LexSarahIvo, cases["LS-2017-0001"].id).ivo_outcome == "criticism"
    assert cases["LS-2017-0002"].triage_decision == "not_investigate"  # a reason says it was not investigated

    data = statistics(2017)
    assert data["complaints"]["by_type"] == {"complaint": 1, "suggestion": 1}
    assert data["complaints"]["answered"] == 1
    assert data["complaints"]["escalated_to_lex_sarah"] == 1
    assert data["lex_sarah"]["from_handover"] == 1
    assert data["lex_sarah"]["ivo_decisions"] == {"no_criticism": 0, "criticism": 1, "demands": 0}
    assert data["lex_sarah"]["not_investigated_by_reason"]["health_care"] == 1
    assert data["deviations"]["not_investigated_by_reason"]["not_own_service"] == 1


def test_an_origin_already_in_varna_is_linked():
    assert import_file(_csv(ROWS[:2]).encode()).ok
    result = import_file(_csv([ROWS[2]]).encode())
    assert result.ok, [str(p) for p in result.problems]
    cases = _by_reference()
    assert cases["LS-2017-0001"].origin_case_id == cases["KL-2017-0002"].id
    assert cases["KL-2017-0002"].handover == "to_lex_sarah"  # an imported original is marked


@pytest.mark.parametrize(("cells", "column", "text"), [
    ({"kind": "deviation", "complaint_type": "suggestion"}, "complaint_type", "Anges bara för klagomål."),
    ({"kind": "complaint", "complaint_type": "suggestion"}, "channel", "Ange kanalen (channel)"),
    ({"kind": "complaint", "channel": "web", "complaint_type": "synpunkt"}, "complaint_type", "Okänt värde"),
    ({"kind": "complaint", "channel": "web", "answered_date": "2017-01-01"}, "answered_date", "före"),
    ({"kind": "deviation", "triage_reason": "health_care"}, "triage_reason", "Okänt värde"),
    ({"kind": "complaint", "channel": "web", "triage_reason": "not_own_service"}, "triage_reason",
     "Anges bara för avvikelser och lex Sarah-rapporter."),
    ({"kind": "deviation", "triage": "investigate", "triage_reason": "not_own_service"}, "triage_reason",
     "not_investigated"),
    ({"kind": "lex_sarah", "ivo_decision": "criticism"}, "ivo_decision", "ivo_notified_date"),
    ({"kind": "deviation", "origin_reference": "KL-1999-0001"}, "origin_reference", "varken i filen eller i Värna"),
    ({"kind": "complaint", "channel": "web", "origin_reference": "AV-2017-0009"}, "origin_reference",
     "Bara en lex Sarah-rapport eller en avvikelse"),
])
def test_each_new_column_is_checked(cells, column, text):
    row = _line(reference="X-1", received_date="2017-02-01", department="Vuxna", **cells)
    result = import_file(_csv([row]).encode())
    assert any(p.column == column and text in p.message for p in result.problems), \
        [str(p) for p in result.problems]
    assert not _by_reference()


def test_a_file_without_the_new_columns_imports_as_before():
    row = [cell for name, cell in zip(HEADER, ROWS[1], strict=True) if name in COLUMNS]
    assert import_file(_csv([row], header=COLUMNS).encode()).created == 1


# --- file forms ----------------------------------------------------------------------------------

SWEDISH = [_line(reference="AV-2017-0001", kind="deviation", received_date="2017-03-01", department="Äldre",
                 unit="Hemtjänst Söder", summary="Fallolycka på natten", categories="Fall;Läkemedel")]


@pytest.mark.parametrize(("form", "encode"), [
    ("semicolon, Windows-1252 (Swedish Excel)", lambda: _csv(SWEDISH, ";").encode("cp1252")),
    ("comma, UTF-8 with BOM", lambda: _csv(SWEDISH).encode("utf-8-sig")),
    ("semicolon, UTF-8 without BOM", lambda: _csv(SWEDISH, ";").encode("utf-8")),
])
def test_each_csv_form_is_read(form, encode):
    result = import_file(encode(), create_units=True)
    assert result.ok, (form, [str(p) for p in result.problems])
    case = _by_reference()["AV-2017-0001"]
    assert case.summary == "Fallolycka på natten" and case.unit.name == "Hemtjänst Söder"
    assert case.unit.parent.name == "Äldre"
    assert sorted(c.name for c in case.categories) == ["Fall", "Läkemedel"]


def test_an_xlsx_workbook_is_read_with_real_dates():
    from datetime import datetime

    from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    row = list(SWEDISH[0])
    row[HEADER.index("received_date")] = datetime(2017, 3, 1)  # Excel keeps dates as dates
    sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    result = import_file(out.getvalue(), create_units=True)
    assert result.ok, [str(p) for p in result.problems]
    assert _by_reference()["AV-2017-0001"].received_at.date() == date(2017, 3, 1)


def test_a_damaged_workbook_is_explained():
    result = import_file(b"PK\x03\x04 not really a workbook")
    assert [p.message for p in result.problems] == [
        "Excel-filen går inte att läsa. Spara den på nytt som Excel-arbetsbok (.xlsx) eller som CSV och försök igen."]


# --- error texts name things as the interface does ----------------------------------------------------

def test_the_page_names_the_menu_and_the_checkbox_and_no_command_line_flag(login_as):
    data = {"file": (io.BytesIO(_csv(SWEDISH, ";").encode("cp1252")), "tidigare.csv")}
    response = login_as("admin").post("/admin/import/", data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Avdelningen Äldre finns inte. Lägg upp den under Organisation, eller kryssa i" in html
    assert "--create-units" not in html and "Administration → Enheter" not in html


def test_the_command_line_names_its_flag(app, tmp_path):
    path = tmp_path / "tidigare.csv"
    path.write_bytes(_csv(SWEDISH, ";").encode("cp1252"))
    output = app.test_cli_runner().invoke(args=["cases", "import", str(path)])
    assert "Lägg upp den under Organisation, eller importera med --create-units." in output.output
