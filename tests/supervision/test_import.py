"""Supervision cases in the import of earlier years: the optional columns origin, subject and
ivo_decision, checked, written, and counted by the statistics like cases handled in Värna."""

from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from app.imports.services import COLUMNS, import_file
from app.stats.report import statistics
from app.supervision.models import SupervisionDetails

HEADER = ",".join((*COLUMNS, "origin", "subject", "ivo_decision"))
# reference,kind,received_date,department,unit,summary,categories,channel,triage,judgment,serious,
# ivo_notified_date,handled_as_deviation,closed_date,client_gender,origin,subject,ivo_decision
EMPTY_MIDDLE = ",,,,,,,"


def _file(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows, ""]).encode()


def test_supervision_rows_are_imported_and_counted(demo):
    data = _file(
        f"TS-2012-0001,supervision,2012-03-01,Unga,HVB Solrosen,Inspektion{EMPTY_MIDDLE},2012-06-01,,initiative,"
        "activity,no_criticism",
        f"TS-2013-0001,supervision,2013-02-01,Unga,HVB Solrosen,{EMPTY_MIDDLE},2013-05-01,,complaint,activity,"
        "demands",
        f"TS-2013-0002,supervision,2013-04-01,Vuxna,,{EMPTY_MIDDLE},,,lex_sarah,individual_case,",
        f"TS-2013-0003,supervision,2013-09-01,Vuxna,Boendestöd,{EMPTY_MIDDLE},2013-12-01,,initiative,theme,"
        "injunction",
        "AV-2013-0001,deviation,2013-01-15,Vuxna,,,,,,,,,,,,,,",
    )
    result = import_file(data, source="tillsyn.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert result.created == 5
    case = db.session.scalar(select(Case).where(Case.reference == "TS-2013-0001"))
    assert case.kind == "supervision" and case.imported and case.status == "closed"
    details = db.session.get(SupervisionDetails, case.id)
    assert (details.origin, details.subject, details.decision, details.decided_on.isoformat()) == (
        "complaint", "activity", "demands", "2013-05-01")
    assert [u.name for u in details.units] == ["HVB Solrosen"]
    block = statistics(2013)["supervision"]
    assert block == {
        "received": 3, "pending": 1,
        "by_origin": {"initiative": 1, "complaint": 1, "lex_sarah": 1},
        "by_subject": {"activity": 1, "individual_case": 1, "theme": 1},
        "decisions": {"no_criticism": 0, "criticism": 0, "demands": 1, "injunction": 1},
        "from_complaints": 0,  # no complaint of the old register is linked
        "by_department": {"Vuxna": 2, "Unga": 1},
    }
    assert statistics(2013)["change"]["supervision"] == 2
    assert statistics(2013)["deviations"]["received"] == 1
    # Nobody works imported history; it is read.
    from app.auth.permissions import Action, can
    from tests.cases.helpers import user
    assert can(user("sara"), Action.VIEW_CASE, case) and not can(user("sara"), Action.WORK_CASE, case)


def test_a_file_without_the_new_columns_imports_as_before(demo):
    data = ("\n".join([",".join(COLUMNS), "AV-2013-0001,deviation,2013-01-15,Vuxna,,,,,,,,,,,", ""])).encode()
    assert import_file(data, source="gammal.csv").ok


def test_supervision_rows_are_checked(demo):
    data = _file(
        f"TS-2013-0001,supervision,2013-02-01,Unga,,{EMPTY_MIDDLE},,,,,",
        f"TS-2013-0002,supervision,2013-02-01,Unga,,{EMPTY_MIDDLE},,,ivo,hvb,vite",
        "TS-2013-0003,supervision,2013-02-01,Unga,,,,,investigate,,,,,,,initiative,activity,",
        "AV-2013-0001,deviation,2013-01-15,Vuxna,,,,,,,,,,,,initiative,,criticism",
    )
    result = import_file(data, source="fel.csv")
    messages = [str(p) for p in result.problems]
    assert not result.ok and result.created == 0
    assert ("Rad 2, kolumn origin: Ange hur tillsynen inleddes: initiative, complaint eller lex_sarah."
            in messages)
    assert "Rad 2, kolumn subject: Ange vad tillsynen gällde: activity, individual_case eller theme." in messages
    assert ("Rad 3, kolumn ivo_decision: Okänt värde vite. Tillåtna värden: no_criticism, criticism, demands, "
            "injunction.") in messages
    assert any(m.startswith("Rad 3, kolumn origin: Okänt värde ivo.") for m in messages)
    assert any(m.startswith("Rad 4, kolumn triage: Anges inte för tillsynsärenden") for m in messages)
    assert "Rad 5, kolumn origin: Anges bara för tillsynsärenden (kind supervision)." in messages
    # ivo_decision is also a lex Sarah column (statistics v2), so the general check answers for it.
    assert "Rad 5, kolumn ivo_decision: Anges bara för lex Sarah-rapporter och tillsynsärenden." in messages
    assert db.session.scalar(select(Case.id)) is None
