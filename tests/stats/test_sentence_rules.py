"""The sentence builder's rules (issue 15), as a nämnd secretary would write the chapter: no sentence starts
with a figure; numbers up to twelve in words in running text, figures in parentheses; no "(0)"; lists
joined once with "och"; ties said as ties; zero in both years said plainly; a missing year said as
missing; departments by the names readers know; the chapter's title; texts under the figures."""

import copy
import re

import pytest

from app.stats.report import Adoption, build_report
from tests.stats.test_sentences import ALINGSAS_2018


def _small() -> dict:
    """A small year: every count up to twelve, so every number in running text must be a word."""
    data = copy.deepcopy(ALINGSAS_2018)
    data["lex_sarah"].update({"received": 7, "not_investigated": 1, "pending": 1, "serious": 2, "notified_to_ivo": 2,
                              "judgments": {"misconduct": 3, "risk": 0, "none": 2}, "handled_as_deviation": 1,
                              "from_handover": 1, "by_department": {"Unga": 5, "Vuxna": 5, "Stab": 2}})
    data["deviations"].update({"received": 9, "not_investigated": 2, "escalated_to_lex_sarah": 1,
                               "by_department": {"Unga": 4, "Vuxna": 3}})
    data["complaints"].update({"received": 6, "by_channel": {"letter": 3, "web": 2, "ivo": 1}, "via_ivo": 1,
                               "answered": 5, "by_type": {"complaint": 4, "suggestion": 2},
                               "escalated_to_lex_sarah": 1, "by_category": {"Bemötande": 4, "Handläggning": 0}})
    data["actions"]["followed_up"] = {"yes": 2, "partly": 1, "no": 0}
    data["change"] = {"lex_sarah": 2, "deviations": -3, "complaints": 1, "notified_to_ivo": 0, "supervision": 2}
    data["trend"][-2].update({"lex_sarah": 5, "deviations": 12, "complaints": 5, "notified_to_ivo": 2})
    data["trend"][-1].update({"lex_sarah": 7, "deviations": 9, "complaints": 6, "notified_to_ivo": 2})
    data["median_days"] = {"lex_sarah_to_judgment": 9, "lex_sarah_to_ivo": 1, "complaint_to_answer": 4.5}
    return data


def _without_data() -> dict:
    """2017 has no deviations on record (the register starts 2018), and no complaints at all."""
    data = _small()
    for row in data["trend"][:-1]:
        row["deviations"] = None
    for row in data["trend"]:
        row["complaints"] = None
    data["change"]["deviations"] = data["change"]["complaints"] = None
    data["complaints"]["received"] = None
    return data


def _zeros() -> dict:
    data = _small()
    data["deviations"].update({"received": 0, "not_investigated": 0, "escalated_to_lex_sarah": 0,
                               "by_department": {}, "by_category": {}})
    data["trend"][-2]["deviations"] = data["trend"][-1]["deviations"] = 0
    data["change"]["deviations"] = 0
    return data


DATASETS = {"alingsas": lambda: copy.deepcopy(ALINGSAS_2018), "small": _small, "without_data": _without_data,
            "zeros": _zeros}


def _sentences(report) -> list[str]:
    text = " ".join(p for chapter in report.chapters for p in chapter.paragraphs)
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


@pytest.fixture
def report(app):
    with app.test_request_context():
        yield lambda data, **kw: build_report(data, **kw)


@pytest.mark.parametrize("name", DATASETS)
def test_no_sentence_starts_with_a_figure(report, name):
    for sentence in _sentences(report(DATASETS[name]())):
        assert not sentence[0].isdigit(), sentence


@pytest.mark.parametrize("name", DATASETS)
def test_no_zero_in_parentheses(report, name):
    for sentence in _sentences(report(DATASETS[name]())):
        assert "(0)" not in sentence, sentence


@pytest.mark.parametrize("name", DATASETS)
def test_numbers_up_to_twelve_are_words_in_running_text(report, name):
    for sentence in _sentences(report(DATASETS[name]())):
        running = re.sub(r"\([^)]*\)", "", sentence)            # figures in parentheses are fine
        running = re.sub(r"\b(19|20)\d\d(–(19|20)\d\d)?\b", "", running)  # years
        running = re.sub(r"\d+,\d+", "", running)                  # a half day: "4,5 dagar"
        assert not re.search(r"\b([0-9]|1[0-2])\b", running), sentence


def test_the_words_follow_the_nouns_gender(report):
    text = " ".join(_sentences(report(_small())))
    assert "Under 2018 har totalt sju lex Sarah-rapporter inkommit till socialnämnden." in text
    assert "Det är en ökning med två rapporter jämfört med föregående år." in text
    assert "Vid ett tillfälle beslutades att inte inleda utredning." in text
    assert "Till Inspektionen för vård och omsorg (IVO) har två rapporter anmälts." in text
    assert "Via Inspektionen för vård och omsorg (IVO) har ett klagomål kommit in" in text
    assert "Mediantiden från lex Sarah-rapport till anmälan till IVO var en dag." in text


def test_a_zero_is_left_out_of_a_sentence(report):
    text = " ".join(_sentences(report(_small())))
    assert "I tre fall har missförhållande konstaterats." in text  # no "påtaglig risk (0)"
    assert "Klagomålen avser i huvudsak bemötande (4)." in text     # no "handläggning (0)"


def test_a_list_is_joined_once_with_och(report):
    text = " ".join(_sentences(report(_small())))
    assert "Synpunkterna och klagomålen har kommit in via brev (3), webbformuläret (2) och IVO (1)." in text
    assert "Under 2018 kom det in nio avvikelser och sju lex Sarah-rapporter samt sex synpunkter och klagomål." in text


def test_a_tie_is_said_as_a_tie(report):
    text = " ".join(_sentences(report(_small())))
    assert "Flest rapporter har inkommit till Unga och Vuxna (5 vardera). Därefter följer Stab (2)." in text
    assert "Därefter följer Vuxna (5)" not in text


def test_an_even_split_is_not_called_most(report):
    data = _small()
    data["deviations"]["by_department"] = {"Unga": 1, "Vuxna": 1}
    text = " ".join(_sentences(report(data)))
    assert "Lika många avvikelser har inkommit till Unga och Vuxna (1 vardera)." in text
    assert "Flest avvikelser" not in text


def test_the_follow_up_of_actions_reads_as_a_sentence(report):
    text = " ".join(_sentences(report(_small())))
    assert "Av åtgärderna har tre följts upp. Uppföljningen visade effekt i två fall och delvis effekt i ett fall." \
        in text


def test_zero_in_both_years_is_said_plainly(report):
    text = " ".join(_sentences(report(_zeros())))
    assert "Varken 2017 eller 2018 har några avvikelser inkommit till socialnämnden." in text
    deviations = next(c for c in report(_zeros()).chapters if c.key == "deviations")
    assert "oförändrat" not in " ".join(deviations.paragraphs)


def test_a_year_without_data_says_the_comparison_is_missing(report):
    text = " ".join(_sentences(report(_without_data())))
    assert ("Under 2018 har totalt nio avvikelser inkommit till socialnämnden. "
            "Det finns inga uppgifter för 2017 att jämföra med.") in text
    assert "Det finns inga uppgifter om synpunkter och klagomål för 2018." in text
    assert "ökning med" not in text.split("avvikelser inkommit")[1].split(".")[1]


def test_departments_are_named_by_their_names(report):
    text = " ".join(_sentences(report(_small())))
    assert "avdelning " not in text
    one = " ".join(_sentences(report(_small(), department="Unga")))
    assert "Under 2018 har totalt sju lex Sarah-rapporter inkommit till Unga." in one
    assert "som IVO lämnat vidare till Unga." in one


def test_the_title_names_the_chapter_and_the_year(report):
    assert report(_small()).title == "Avvikelser, klagomål, lex Sarah och tillsyn 2018"
    assert report(_small(), department="Unga").title == "Avvikelser, klagomål, lex Sarah och tillsyn 2018 – Unga"


def test_analysis_and_improvement_texts_are_printed_under_the_figures_and_empty_ones_left_out(report):
    built = report(_small(), board_name="Socialnämnden i Värna",
                   adoption=Adoption("Socialnämnden", "2019-02-26", "SN 2019/14"),
                   texts={"lex_sarah": ("Vid analys framkommer inga tydliga mönster.", ""),
                          "deviations": ("", "  ")})
    chapters = {chapter.key: chapter for chapter in built.chapters}
    assert chapters["lex_sarah"].texts == [("Analys", "Vid analys framkommer inga tydliga mönster.")]
    assert chapters["deviations"].texts == []
    assert built.board_name == "Socialnämnden i Värna"
    assert built.adoption.lines == [("Fastställd av", "Socialnämnden"), ("Beslutsdatum", "2019-02-26"),
                                    ("Diarienummer", "SN 2019/14")]
