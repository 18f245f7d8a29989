"""The generated sentences of the quality report: an increase, a decrease and no change, in the seeds' words
(with the rules of issue 15: numbers up to twelve in words, departments by their names)."""

import copy

import pytest

from app.stats.report import build_report
from app.stats.sentences import change_sentence, lex_sarah_sentences

ALINGSAS_2018 = {
    "year": 2018,
    "lex_sarah": {"received": 11, "not_investigated": 2, "pending": 1,
                  "judgments": {"misconduct": 4, "risk": 2, "none": 2}, "serious": 1, "notified_to_ivo": 1,
                  "handled_as_deviation": 2, "by_department": {"Vuxna": 8, "Unga": 2, "Stab": 1},
                  "by_category": {"Sekretess": 3, "Brister i rättssäkerhet/handläggning": 2}, "from_handover": 0,
                  "not_investigated_by_reason": {"no_misconduct": 1, "already_investigated": 1, "not_own_service": 0,
                                                 "health_care": 0},
                  "ivo_decisions": {"no_criticism": 0, "criticism": 1, "demands": 0}, "client_gender": {}},
    "deviations": {"received": 35, "not_investigated": 7, "escalated_to_lex_sarah": 0,
                   "by_department": {"Unga": 16, "Vuxna": 15, "Stab": 4}, "by_category": {}, "from_handover": 0,
                   "not_investigated_by_reason": {"not_caused_by_service": 7, "not_own_service": 0,
                                                  "already_investigated": 0}, "client_gender": {}},
    "complaints": {"received": 31, "by_channel": {"web": 10, "email": 15, "ivo": 6}, "via_ivo": 6, "answered": 31,
                   "by_department": {}, "by_category": {"Handläggning": 12},
                   "by_type": {"complaint": 31, "suggestion": 0}, "escalated_to_lex_sarah": 0, "client_gender": {}},
    # "IVO genomförde under året tillsyn vid fyra av socialnämndens verksamheter ... Vid tre av fyra
    # tillsyner beslutade IVO avsluta ärendet. I ett ärende fann IVO däremot skäl att ställa krav på åtgärder."
    "supervision": {"received": 4, "pending": 0, "by_origin": {"complaint": 3, "initiative": 1},
                    "by_subject": {"activity": 4}, "decisions": {"no_criticism": 3, "demands": 1},
                    "from_complaints": 3, "by_department": {"Unga": 4}},
    "actions": {"by_type": {"Ny rutin": 5, "Samtal med berörd personal": 3},
                "followed_up": {"yes": 0, "partly": 0, "no": 0}},
    "client_gender": {"female": 30, "male": 29},
    "median_days": {"lex_sarah_to_judgment": 21, "lex_sarah_to_ivo": 3.5, "complaint_to_answer": None},
    "change": {"lex_sarah": -9, "deviations": 3, "complaints": 0, "notified_to_ivo": -4, "supervision": 2},
    "trend": [{"year": y, "deviations": d, "complaints": c, "lex_sarah": ls, "notified_to_ivo": n, "supervision": t}
              for y, d, c, ls, n, t in ((2014, 20, 25, 9, 2, 1), (2015, 28, 22, 12, 3, 0), (2016, 30, 27, 15, 2, 3),
                                        (2017, 32, 31, 20, 5, 2), (2018, 35, 31, 11, 1, 4))],
}


@pytest.fixture
def text(app):
    with app.test_request_context():
        yield lambda data=ALINGSAS_2018: " ".join(p for c in build_report(data).chapters for p in c.paragraphs)


def test_a_decrease_is_phrased_like_the_alingsas_report(text):
    assert ("Under 2018 har totalt elva lex Sarah-rapporter inkommit till socialnämnden. "
            "Det är en minskning med nio rapporter jämfört med föregående år.") in text()
    assert "Det är en minskning med fyra anmälningar jämfört med föregående år." in text()


def test_an_increase(text):
    assert ("Under 2018 har totalt 35 avvikelser inkommit till socialnämnden. "
            "Det är en ökning med tre avvikelser jämfört med föregående år.") in text()


def test_no_change(text):
    assert ("Under 2018 har 31 synpunkter och klagomål registrerats. "
            "Antalet är oförändrat jämfört med föregående år.") in text()


@pytest.mark.parametrize(("diff", "noun", "expected"), [
    (1, "lex_sarah", "Det är en ökning med en rapport jämfört med föregående år."),
    (-2, "lex_sarah", "Det är en minskning med två rapporter jämfört med föregående år."),
    (-1, "deviations", "Det är en minskning med en avvikelse jämfört med föregående år."),
    (1, "complaints", "Det är en ökning med en synpunkt eller klagomål jämfört med föregående år."),
    (1, "notified_to_ivo", "Det är en ökning med en anmälan jämfört med föregående år."),
    (-13, "lex_sarah", "Det är en minskning med 13 rapporter jämfört med föregående år."),
    (0, "deviations", "Antalet är oförändrat jämfört med föregående år."),
])
def test_singular_and_plural(app, diff, noun, expected):
    with app.test_request_context():
        assert change_sentence(diff, noun) == expected


def test_one_report_and_none(app):
    data = copy.deepcopy(ALINGSAS_2018)
    with app.test_request_context():
        data["lex_sarah"]["received"], data["change"]["lex_sarah"] = 1, -19
        assert lex_sarah_sentences(data, "socialnämnden")[0] == (
            "Under 2018 har totalt en lex Sarah-rapport inkommit till socialnämnden. "
            "Det är en minskning med 19 rapporter jämfört med föregående år.")
        data["lex_sarah"]["received"], data["change"]["lex_sarah"] = 0, -20
        assert lex_sarah_sentences(data, "socialnämnden")[0] == (
            "Under 2018 har inga lex Sarah-rapporter inkommit till socialnämnden. "
            "Det är en minskning med 20 rapporter jämfört med föregående år.")


def test_the_rest_of_the_lex_sarah_chapter_reads_like_the_seed(text):
    assert "Flest rapporter har inkommit till Vuxna (8). Därefter följer Unga (2) och Stab (1)." in text()
    assert ("I sex fall har missförhållande (4) eller påtaglig risk för missförhållande (2) konstaterats. "
            "I ett fall har händelsen bedömts som så allvarlig att den omfattas av anmälningsskyldigheten till IVO. "
            "I två fall konstaterades att händelserna inte utgjorde något missförhållande. "
            "I två fall har rapporterna i stället utretts som avvikelser. "
            "Vid två tillfällen beslutades att inte inleda utredning.") in text()
    assert "Rapporterna rör bland annat sekretess (3) och brister i rättssäkerhet/handläggning (2)." in text()
    assert ("Åtgärder som har vidtagits för att avhjälpa och förhindra att liknande händelser inträffar igen är "
            "främst ny rutin (5) och samtal med berörd personal (3).") in text()
    assert "Mediantiden från lex Sarah-rapport till anmälan till IVO var 3,5 dagar." in text()
