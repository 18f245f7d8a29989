"""The import of earlier years from CSV: a good file, errors on several lines, the same file twice,
--create-units on an empty database, and the imported cases counted like any other."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import Case, Category, ComplaintDetails, ReferenceCounter
from app.extensions import db
from app.imports.services import COLUMNS, import_file
from app.lexsarah.models import LexSarahIvo, LexSarahJudgment
from app.org.models import Unit
from app.stats.report import statistics
from tests.cases.helpers import file_case, unit

HEADER = ",".join(COLUMNS)
GOOD = "\n".join([
    HEADER,
    # reference,kind,received_date,department,unit,summary,categories,channel,triage,judgment,serious,
    # ivo_notified_date,handled_as_deviation,closed_date,client_gender
    "LS-2017-0001,lex_sarah,2017-02-03,Vuxna,Boendestöd,Utebliven tillsyn,Sekretess,,investigate,misconduct,yes,"
    "2017-02-10,no,2017-04-01,female",
    "LS-2017-0002,lex_sarah,2017-05-03,Vuxna,,,,,investigate,none,,,yes,2017-06-01,male",
    "LS-2017-0003,lex_sarah,2017-09-03,Unga,HVB Solrosen,,,,not_investigated,,,,,2017-09-10,",
    "LS-2018-0001,lex_sarah,2018-03-01,Unga,,,Sekretess;Nytt ämne,,investigate,risk,yes,,,,unknown",
    "AV-2018-0001,deviation,2018-01-15,Vuxna,Socialpsykiatri,Fel medicin,Dokumentation,,not_investigated,,,,,,",
    "KL-2018-0001,complaint,2018-04-20,Unga,,,Bemötande,ivo,,,,,,,",
    "KL-2018-0002,complaint,2018-04-21,Stab,Administration,,,,,,,,,,",
    "",  # an empty line at the end is no case
])


def _cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def _rows(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines, ""]).encode()


@pytest.fixture
def demo_data(demo):
    return demo


def test_a_good_file_is_imported_and_counted_like_other_cases(demo_data):
    result = import_file(GOOD.encode(), source="tidigare.csv")

    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.already_imported) == (7, 0)
    assert result.categories_created == ["lex_sarah: Nytt ämne"]
    assert result.units_created == []
    cases = {c.reference: c for c in db.session.scalars(select(Case))}
    assert all(c.imported and c.status == "closed" for c in cases.values())
    first = cases["LS-2017-0001"]
    assert first.unit.name == "Boendestöd" and first.client_gender == "female"
    assert [c.name for c in first.categories] == ["Sekretess"]
    judgment = db.session.get(LexSarahJudgment, first.id)
    assert (judgment.outcome, judgment.serious) == ("misconduct", True)
    ivo = db.session.get(LexSarahIvo, first.id)
    assert (ivo.decision, ivo.sent_on) == ("notified", date(2017, 2, 10))
    assert cases["LS-2017-0002"].unit.name == "Vuxna" and cases["LS-2017-0002"].handover == "to_deviation"
    assert cases["LS-2017-0003"].triage_decision == "not_investigate"
    serious_not_notified = db.session.get(LexSarahIvo, cases["LS-2018-0001"].id)
    assert serious_not_notified.decision == "not_notified"  # settled, so no officer is asked to decide it
    assert db.session.get(ComplaintDetails, cases["KL-2018-0001"].id).channel == "ivo"
    assert db.session.get(ComplaintDetails, cases["KL-2018-0002"].id) is None  # channel not known
    assert "Fel medicin" == cases["AV-2018-0001"].summary

    data = statistics(2018)
    assert data["lex_sarah"]["received"] == 1 and data["lex_sarah"]["serious"] == 1
    assert data["lex_sarah"]["by_category"] == {"Nytt ämne": 1, "Sekretess": 1}
    assert data["deviations"] == {"received": 1, "not_investigated": 1, "escalated_to_lex_sarah": 0,
                                  "by_department": {"Vuxna": 1}, "by_category": {"Dokumentation": 1},
                                  "from_handover": 0,
                                  "not_investigated_by_reason": {"not_caused_by_service": 0, "not_own_service": 0,
                                                                 "already_investigated": 0},
                                  "client_gender": {"unknown": 1}}
    assert data["complaints"]["via_ivo"] == 1 and data["complaints"]["by_department"] == {"Stab": 1, "Unga": 1}
    assert data["median_days"]["lex_sarah_to_judgment"] is None  # the import carries no judgment dates
    assert data["change"]["lex_sarah"] == 1 - 3
    earlier = statistics(2017)["lex_sarah"]
    assert earlier["received"] == 3
    assert earlier["judgments"] == {"misconduct": 1, "risk": 0, "none": 1}
    assert earlier["not_investigated"] == 1 and earlier["pending"] == 0
    assert (earlier["notified_to_ivo"], earlier["handled_as_deviation"]) == (1, 1)
    assert statistics(2017)["median_days"]["lex_sarah_to_ivo"] == 7
    assert statistics(2017)["client_gender"] == {"female": 1, "male": 1, "unknown": 1}

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cases.imported"))
    assert event.detail["created"] == 7 and event.detail["source"] == "tidigare.csv"


def test_errors_on_several_lines_import_nothing_and_every_error_is_reported(demo_data):
    data = _rows(
        "AV-2018-0001,deviation,2018-01-15,Vuxna,,,,,,,,,,,",                 # line 2: good
        "AV-2018-0002,deviaton,2018-13-01,Vuxna,,,,,,,,,,,",                 # line 3: kind and date
        "AV-2018-0003,deviation,2018-01-15,Ingenstans,,,,,,,,,,,",           # line 4: department
        "LS-2018-0001,lex_sarah,2018-01-15,Vuxna,Mottagning barn och familj,,,,,misconduct,,,,,kvinna",  # line 5
        "AV-2018-0001,complaint,2018-01-15,Vuxna,,,,fax,,,,,,2017-01-01,",    # line 6: duplicate, channel, closed
    )
    before = _cases()

    result = import_file(data, source="fel.csv")

    assert not result.ok
    assert _cases() == before
    assert db.session.scalar(select(func.count()).select_from(Category).where(Category.name == "Ingenstans")) == 0
    found = {(p.line, p.column) for p in result.problems}
    assert found == {
        (3, "kind"), (3, "received_date"),
        (4, "department"),
        (5, "unit"), (5, "serious"), (5, "client_gender"),
        (6, "channel"), (6, "closed_date"), (6, "reference"),
    }
    messages = [str(p) for p in result.problems]
    assert ("Rad 3, kolumn kind: Okänt värde deviaton. Tillåtna värden: deviation, lex_sarah, complaint, "
            "supervision.") in messages
    assert "Rad 6, kolumn reference: Samma diarienummer som på rad 2." in messages
    assert any(m.startswith("Rad 5, kolumn unit: Enheten Mottagning barn och familj finns inte under avdelningen Vuxna")
               for m in messages)


def test_a_file_that_is_not_text_or_lacks_columns(demo_data):
    # Windows-1252 is read (issue 15: what Swedish Excel saves); bytes no text encoding has are refused.
    result = import_file(_rows("AV-2018-0001,deviation,2018-01-15,Vuxna,Boendestöd,\x81,,,,,,,,,").replace(
        b"\xc2\x81", b"\x81"))
    assert [(p.line, p.column) for p in result.problems] == [(2, "")]
    assert "CSV (UTF-8) eller som Excel-arbetsbok (.xlsx)" in result.problems[0].message

    result = import_file(b"reference,kind\nAV-1,deviation\n")
    assert (1, "received_date") in {(p.line, p.column) for p in result.problems}
    assert _cases() == 0


def test_the_same_file_twice_changes_nothing(demo_data):
    assert import_file(GOOD.encode()).created == 7
    counts = {table: db.session.scalar(select(func.count()).select_from(table))
              for table in (Case, Category, Unit, LexSarahJudgment, LexSarahIvo, ComplaintDetails)}

    again = import_file(GOOD.encode())

    assert again.ok and (again.created, again.already_imported) == (0, 7)
    assert again.categories_created == [] and again.units_created == []
    assert counts == {table: db.session.scalar(select(func.count()).select_from(table)) for table in counts}


def test_a_reference_used_by_a_case_handled_in_varna_is_refused(demo_data):
    live = file_case("deviation")
    result = import_file(_rows(f"{live.reference},deviation,2018-01-15,Vuxna,,,,,,,,,,,"))
    assert [(p.line, p.column) for p in result.problems] == [(2, "reference")]


def test_live_filings_number_on_after_imported_references(demo_data):
    from app.clock import today_local
    year = today_local().year
    assert import_file(_rows(f"AV-{year}-0041,deviation,{year}-01-01,Vuxna,,,,,,,,,,,")).ok
    assert db.session.get(ReferenceCounter, ("deviation", year)).last == 41
    assert file_case("deviation").reference == f"AV-{year}-0042"


def test_missing_departments_and_units_need_create_units(demo_data):
    row = "AV-2018-0001,deviation,2018-01-15,Äldre,Hemtjänst Norr,,,,,,,,,,"
    assert [(p.line, p.column) for p in import_file(_rows(row)).problems] == [(2, "department")]

    result = import_file(_rows(row), create_units=True)

    assert result.ok and result.units_created == ["Socialförvaltningen › Äldre", "Äldre › Hemtjänst Norr"]
    created = unit("Hemtjänst Norr")
    assert created.parent.name == "Äldre" and created.parent.parent.name == "Socialförvaltningen"
    assert created.path == f"{created.parent.path}{created.id}/" and created.depth == 2
    assert statistics(2018)["deviations"]["by_department"] == {"Äldre": 1}


def test_create_units_on_an_empty_database_through_the_command_line(app, tmp_path):
    path = tmp_path / "tva-ar.csv"
    path.write_text(_rows(
        "AV-2017-0001,deviation,2017-03-01,Vuxna,Boendestöd,,Utebliven insats,,,,,,,,",
        "LS-2018-0001,lex_sarah,2018-03-01,Unga,,,,,investigate,none,,,yes,,female",
    ).decode(), encoding="utf-8")

    output = app.test_cli_runner().invoke(args=["cases", "import", str(path), "--create-units"])

    assert output.exit_code == 0, output.output
    assert "Imported 2 case(s)" in output.output
    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)))
    assert root.name == "Socialförvaltningen" and root.depth == 0 and root.path == f"/{root.id}/"
    assert sorted(u.name for u in db.session.scalars(select(Unit).where(Unit.depth == 1))) == ["Unga", "Vuxna"]
    assert statistics(2018)["lex_sarah"]["handled_as_deviation"] == 1
    # No lex Sarah data for 2017 and no complaint at all: no comparison (version 2), only deviations compare.
    assert statistics(2018)["change"] == {"lex_sarah": None, "deviations": -1, "complaints": None,
                                          "notified_to_ivo": None, "supervision": None}


def test_the_command_line_reports_every_error_and_exits_non_zero(app, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text(_rows("X,deviation,2018-01-15,Vuxna,,,,,,,,,,,", "Y,other,,Vuxna,,,,,,,,,,,").decode())

    output = app.test_cli_runner().invoke(args=["cases", "import", str(path)])

    assert output.exit_code == 1
    assert "Rad 2, kolumn department: Avdelningen Vuxna finns inte." in output.output
    assert "Rad 3, kolumn kind:" in output.output and "Rad 3, kolumn received_date:" in output.output
    assert "nothing was imported" in output.output
    assert _cases() == 0


def test_an_imported_case_is_shown_read_only(login_as):
    assert import_file(GOOD.encode()).ok
    for username in ("sara", "admin"):
        response = login_as(username).get("/arenden/LS-2017-0001")
        assert response.status_code == 200, username
        html = response.get_data(as_text=True)
        assert "LS-2017-0001" in html
        assert 'method="post"' not in html.split('<main', 1)[1].split("</main>")[0], username
    sara = login_as("sara")
    for url in ("/arenden/LS-2017-0001/beslut-om-utredning", "/lex-sarah/LS-2017-0001/bedomning"):
        assert sara.get(url).status_code == 403, url
        assert sara.post(url, data={}).status_code == 403, url
