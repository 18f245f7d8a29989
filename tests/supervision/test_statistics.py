"""The supervision block on hand-made cases, the trend and change, and the report's sentences
("Under 2013 inkom tio tillsynsärenden. Det är åtta fler än året före." / "Vid tre av fyra
tillsyner beslutade IVO att avsluta ärendet. I ett ärende ställde IVO krav på åtgärder.")."""

import copy
from datetime import date, datetime

import pytest

from app.stats.report import build_report, statistics
from app.stats.wording import number
from app.supervision import services
from app.supervision.statistics import sentences
from tests.cases.helpers import file_case, reload, user
from tests.stats.test_sentences import ALINGSAS_2018
from tests.supervision.helpers import at, register


def _decide(case, decision, on, report_back_on=None):
    with at(on):
        services.record_decision(user("sara"), case.reference, decision=decision, decided_on=on,
                                 text="Beslut.", report_back_on=report_back_on,
                                 expected_version=reload(case).version)


def test_the_block_counts_the_years_cases_how_they_started_and_how_ivo_decided(demo):
    complaint = file_case("complaint", unit_name="HVB Solrosen", reporter=None, at=datetime(2025, 2, 3, 9))
    other = file_case("complaint", unit_name="Boendestöd", reporter=None, at=datetime(2025, 2, 4, 9))
    hvb = register(on=date(2025, 3, 3), origin="complaint", links=[complaint.reference, other.reference])
    second = register(on=date(2025, 5, 5), origin="complaint", links=[complaint.reference])
    theme = register(on=date(2025, 9, 1), units=("Boendestöd", "Socialpsykiatri"), subject="theme")
    # A theme across two departments counts once under each (and its case belongs to the administration).
    across = register(on=date(2025, 10, 1), units=("Boendestöd", "HVB Solrosen"), subject="theme")
    register(on=date(2025, 11, 3), units=("Boendestöd",), subject="individual_case")
    register(on=date(2024, 6, 3))
    register(on=date(2026, 1, 2))  # the next year
    _decide(hvb, "no_criticism", date(2025, 6, 2))
    _decide(second, "demands", date(2025, 8, 3), report_back_on=date(2025, 10, 1))
    _decide(theme, "criticism", date(2026, 1, 15))  # decided the year after: still one of 2025's cases

    data = statistics(2025)
    assert data["supervision"] == {
        "received": 5,
        "pending": 2,
        "by_origin": {"initiative": 3, "complaint": 2, "lex_sarah": 0},
        "by_subject": {"activity": 2, "individual_case": 1, "theme": 2},
        "decisions": {"no_criticism": 1, "criticism": 1, "demands": 1, "injunction": 0},
        "from_complaints": 2,  # both linked to a complaint in Värna (one complaint behind both)
        "by_department": {"Vuxna": 3, "Unga": 3},
    }
    # Before the first supervision case there is no data, not zero (statistics v2).
    assert [row["supervision"] for row in data["trend"]] == [None, None, None, 1, 5]
    assert list(data["trend"][-1]) == ["year", "deviations", "complaints", "lex_sarah", "supervision",
                                       "notified_to_ivo"]
    assert data["change"]["supervision"] == 4
    assert reload(across).unit.name == "Socialförvaltningen"
    # The cases of the other kinds are not counted as supervision, nor the other way round.
    # (No lex Sarah report at all: no first year of data, so null, not 0.)
    assert data["complaints"]["received"] == 2 and data["lex_sarah"]["received"] is None
    # One department: the theme across two units of Vuxna belongs to Vuxna (their nearest common unit).
    vuxna = reload(theme).unit
    assert vuxna.name == "Vuxna"
    assert statistics(2025, vuxna.path)["supervision"]["received"] == 2


def test_the_report_chapter_reads_like_the_seeds(demo, app):
    norrkoping = copy.deepcopy(ALINGSAS_2018)
    norrkoping["year"] = 2013
    norrkoping["supervision"] = {"received": 10, "pending": 0, "by_origin": {"initiative": 10},
                                 "by_subject": {"activity": 10}, "decisions": {"no_criticism": 3, "demands": 1},
                                 "from_complaints": 0, "by_department": {}}
    norrkoping["change"]["supervision"] = 8
    with app.test_request_context():
        text = sentences(norrkoping)
        assert text[0] == "Under 2013 inkom tio tillsynsärenden. Det är åtta fler än året före."
        assert text[1] == ("Vid tre av fyra tillsyner beslutade IVO att avsluta ärendet. "
                           "I ett ärende ställde IVO krav på åtgärder.")
        alingsas = " ".join(sentences(ALINGSAS_2018))
        assert "Under 2018 inkom fyra tillsynsärenden. Det är två fler än året före." in alingsas
        assert ("Tre tillsyner har IVO genomfört med anledning av klagomål som också är registrerade hos nämnden."
                in alingsas)
        report = build_report(ALINGSAS_2018)
        chapter = next(c for c in report.chapters if c.key == "supervision")
        assert chapter.title == "Tillsyn"
        assert report.table("supervision_trend").rows[-1] == ["2018", 4]
        assert report.table("supervision").rows[0] == ["Inkomna tillsynsärenden", 4]


@pytest.mark.parametrize(("data", "expected"), [
    ({"received": 1, "change": -1}, "Under 2013 inkom ett tillsynsärende. Det är ett färre än året före."),
    ({"received": 0, "change": 0}, "Under 2013 inkom inga tillsynsärenden. Det är lika många som året före."),
    ({"received": 14, "change": 13}, "Under 2013 inkom 14 tillsynsärenden. Det är 13 fler än året före."),
])
def test_the_opening_sentence(app, data, expected):
    year = {"year": 2013, "supervision": {"received": data["received"], "pending": 0, "by_origin": {},
                                          "by_subject": {}, "decisions": {}, "from_complaints": 0,
                                          "by_department": {}},
            "change": {"supervision": data["change"]}}
    with app.test_request_context():
        assert sentences(year)[0] == expected


def test_all_closed_criticism_and_injunctions(app):
    year = {"year": 2020, "supervision": {"received": 3, "pending": 1, "by_origin": {}, "by_subject": {},
                                          "decisions": {"criticism": 2}, "from_complaints": 0,
                                          "by_department": {}},
            "change": {"supervision": 0}}
    with app.test_request_context():
        assert sentences(year)[1] == ("Vid alla två tillsyner beslutade IVO att avsluta ärendet. "
                                      "I två ärenden gav IVO nämnden kritik.")
        assert sentences(year)[2] == "Ett av årets tillsynsärenden väntar på beslut."
        year["supervision"]["decisions"] = {"no_criticism": 1, "criticism": 0, "demands": 0, "injunction": 1}
        assert sentences(year)[1] == ("Vid en av två tillsyner beslutade IVO att avsluta ärendet. "
                                      "I ett ärende förelade IVO nämnden att vidta åtgärder.")


def test_number_words():
    # The supervision sentences use the statistics' one number-word function (app.stats.wording).
    assert [number(n, neuter=True) for n in (0, 1, 8, 10, 12, 13)] == ["noll", "ett", "åtta", "tio", "tolv", "13"]
    assert number(1) == "en"
