"""The counting rules of the yearly statistics (issue 7), one test per rule, on hand-made cases.

Each test builds the few cases its rule is about and compares the contract JSON
(app.stats.report.statistics) with the figures a person would count by hand.
"""

from datetime import date, datetime

import pytest

from app.stats.report import statistics
from tests.cases.helpers import category, unit
from tests.stats.helpers import add_action, case, judge, not_notifying, notify, set_columns

pytestmark = pytest.mark.usefixtures("demo")


def test_a_case_counts_in_the_year_it_was_received_in_swedish_time():
    case("deviation", received=datetime(2018, 12, 31, 22, 30))  # 23:30 in Stockholm: still 2018
    case("deviation", received=datetime(2018, 12, 31, 23, 30))  # 00:30 on 1 January 2019 in Stockholm
    case("deviation", received=datetime(2018, 1, 1, 0, 30))     # 01:30 on 1 January 2018
    case("deviation", received=datetime(2017, 12, 31, 22, 59))  # 23:59 on 31 December 2017

    assert statistics(2018)["deviations"]["received"] == 2
    assert statistics(2019)["deviations"]["received"] == 1
    assert statistics(2017)["deviations"]["received"] == 1


def test_a_case_counts_under_the_kind_it_was_filed_as():
    case("deviation")
    case("complaint")
    case("complaint")
    for _ in range(3):
        case("lex_sarah")

    data = statistics(2018)
    assert (data["deviations"]["received"], data["complaints"]["received"], data["lex_sarah"]["received"]) == (1, 2, 3)


def test_a_hand_over_is_counted_on_the_original_and_the_new_case_counts_under_its_own_kind():
    # Version 2 of the contract (issue 15): the case a hand-over created is a case of its kind.
    report = case("lex_sarah")
    judge(report, "none")
    set_columns(report, handover="to_deviation")
    case("deviation", origin_case_id=report.id)  # the deviation the report became

    deviation = case("deviation")
    set_columns(deviation, handover="to_lex_sarah")
    case("lex_sarah", origin_case_id=deviation.id)  # the lex Sarah report it became

    data = statistics(2018)
    assert data["lex_sarah"]["received"] == 2 and data["lex_sarah"]["from_handover"] == 1
    assert data["lex_sarah"]["handled_as_deviation"] == 1
    assert data["deviations"]["received"] == 2 and data["deviations"]["from_handover"] == 1
    assert data["deviations"]["escalated_to_lex_sarah"] == 1
    assert data["trend"][-1]["lex_sarah"] == 2 and data["trend"][-1]["deviations"] == 2


def test_not_investigated_counts_decisions_not_to_investigate():
    for kind in ("deviation", "deviation", "lex_sarah"):
        set_columns(case(kind), triage_decision="not_investigate", triage_reason="not_own_service",
                    status="closed")
    set_columns(case("deviation"), triage_decision="investigate", status="investigating")
    case("deviation")  # not triaged yet

    data = statistics(2018)
    assert data["deviations"]["not_investigated"] == 2
    assert data["lex_sarah"]["not_investigated"] == 1


def test_judgments_count_judged_cases_by_outcome():
    for outcome, serious in (("misconduct", True), ("misconduct", False), ("risk", False), ("none", None),
                             ("none", None), ("none", None)):
        judge(case("lex_sarah"), outcome, serious)
    case("lex_sarah")  # not judged

    assert statistics(2018)["lex_sarah"]["judgments"] == {"misconduct": 2, "risk": 1, "none": 3}


def test_pending_is_received_minus_not_investigated_minus_judged():
    for _ in range(5):
        case("lex_sarah")
    reports = [case("lex_sarah") for _ in range(3)]
    set_columns(reports[0], triage_decision="not_investigate", triage_reason="not_covered_by_duty")
    judge(reports[1], "risk", False)
    judge(reports[2], "none")

    data = statistics(2018)["lex_sarah"]
    assert data["received"] == 8
    assert data["pending"] == 5


def test_serious_counts_misconduct_or_risk_marked_serious():
    judge(case("lex_sarah"), "misconduct", True)
    judge(case("lex_sarah"), "risk", True)
    judge(case("lex_sarah"), "risk", False)
    judge(case("lex_sarah"), "none")

    assert statistics(2018)["lex_sarah"]["serious"] == 2


def test_notified_to_ivo_counts_cases_with_a_recorded_notification():
    first, second, third = (case("lex_sarah") for _ in range(3))
    judge(first, "misconduct", True)
    notify(first, date(2018, 6, 20))
    notify(second, date(2018, 6, 18))  # notified before the judgment: counts too
    judge(third, "risk", True)
    not_notifying(third)  # a recorded reason not to notify is not a notification

    data = statistics(2018)
    assert data["lex_sarah"]["notified_to_ivo"] == 2
    assert data["trend"][-1]["notified_to_ivo"] == 2


def test_via_ivo_counts_complaints_whose_channel_is_ivo():
    case("complaint", complaint={"channel": "ivo", "ivo_reference": "3.5.1-1/2018"})
    case("complaint", complaint={"channel": "ivo"})
    case("complaint", complaint={"channel": "web"})
    case("complaint", complaint={"channel": "letter"})
    case("complaint", complaint={"channel": "letter"})

    data = statistics(2018)["complaints"]
    assert data["via_ivo"] == 2
    assert data["by_channel"] == {"web": 1, "letter": 2, "ivo": 2}  # no email, phone or visit: left out


def test_answered_counts_complaints_with_an_answer_recorded():
    case("complaint", complaint={"answered_at": datetime(2018, 7, 1, 10), "answer_text": "Svar."})
    case("complaint", complaint={"answered_at": datetime(2019, 2, 1, 10), "answer_text": "Svar."})  # late: counts
    case("complaint")

    assert statistics(2018)["complaints"]["answered"] == 2


def test_a_case_with_two_categories_counts_in_both():
    case("deviation", categories=("Sekretess", "Dokumentation"))
    case("deviation", categories=("Sekretess",))
    case("deviation")
    case("lex_sarah", categories=("Sekretess",))
    case("complaint", categories=("Bemötande", "Kompetens"))

    data = statistics(2018)
    assert data["deviations"]["by_category"] == {"Sekretess": 2, "Dokumentation": 1}
    assert list(data["deviations"]["by_category"]) == ["Sekretess", "Dokumentation"]  # largest first
    assert data["lex_sarah"]["by_category"] == {"Sekretess": 1}
    assert data["complaints"]["by_category"] == {"Bemötande": 1, "Kompetens": 1}
    assert category("deviation", "Utebliven insats") is not None  # exists, but has no cases: left out


def test_by_department_uses_the_department_above_the_unit():
    case("lex_sarah", unit_name="Boendestöd")    # Vuxna
    case("lex_sarah", unit_name="Socialpsykiatri")  # Vuxna
    case("lex_sarah", unit_name="Vuxna")           # the department itself
    case("lex_sarah", unit_name="HVB Solrosen")    # Unga
    case("lex_sarah", unit_name="Socialförvaltningen")  # the administration: its own name
    case("deviation", unit_name="Administration")  # Stab

    data = statistics(2018)
    assert data["lex_sarah"]["by_department"] == {"Vuxna": 3, "Socialförvaltningen": 1, "Unga": 1}
    assert data["deviations"]["by_department"] == {"Stab": 1}
    assert data["complaints"]["by_department"] == {}


def test_a_unit_deeper_in_the_tree_counts_under_its_department():
    from app.org.services import create_unit
    team = create_unit(None, name="Nattpatrullen", parent_id=unit("Boendestöd").id)
    case("deviation", unit_name=team.name)

    assert statistics(2018)["deviations"]["by_department"] == {"Vuxna": 1}


def test_client_gender_counts_cases_of_all_three_kinds():
    case("deviation", client_gender="female")
    case("complaint", client_gender="female")
    case("lex_sarah", client_gender="male")
    case("lex_sarah", client_gender="unknown")
    case("deviation")  # not given: unknown

    assert statistics(2018)["client_gender"] == {"female": 2, "male": 1, "unknown": 2}  # no "other": left out


def test_median_days_are_whole_or_half_days_and_null_when_nothing_is_measured():
    for days in (3, 10, 4):
        report = case("lex_sarah", received=datetime(2018, 3, 1, 9))
        judge(report, "none", on=datetime(2018, 3, 1 + days, 15))
    for days in (2, 7):
        report = case("lex_sarah", received=datetime(2018, 5, 1, 9))
        notify(report, date(2018, 5, 1 + days))

    medians = statistics(2018)["median_days"]
    assert medians["lex_sarah_to_judgment"] == 4
    assert medians["lex_sarah_to_ivo"] == 4.5
    assert medians["complaint_to_answer"] is None


def test_median_days_from_complaint_to_answer():
    for days in (14, 20, 30, 5):
        case("complaint", received=datetime(2018, 2, 1, 10),
             complaint={"answered_at": datetime(2018, 2, 1 + days if days < 28 else 28, 11), "answer_text": "Svar."})

    assert statistics(2018)["median_days"]["complaint_to_answer"] == 17


def test_change_is_this_year_minus_the_year_before():
    for _ in range(5):
        case("lex_sarah", 2017)
    notify(case("lex_sarah", 2017), date(2017, 7, 1))
    for _ in range(2):
        case("lex_sarah", 2018)
    case("deviation", 2018)
    case("complaint", 2017)
    case("complaint", 2018)

    # No deviation before 2018: no data for 2017, so no change (version 2, "no data is not zero").
    assert statistics(2018)["change"] == {"lex_sarah": -4, "deviations": None, "complaints": 0,
                                          "notified_to_ivo": -1, "supervision": None}


def test_actions_count_by_type_in_the_year_of_their_case():
    this_year, last_year = case("deviation", 2018), case("deviation", 2017)
    add_action(this_year, "Ny rutin")
    add_action(this_year, "Ny rutin", status="done")
    add_action(this_year, "Utbildning")
    add_action(this_year, "Utbildning", status="cancelled")  # never taken
    add_action(last_year, "Utbildning")

    assert statistics(2018)["actions"]["by_type"] == {"Ny rutin": 2, "Utbildning": 1}


def test_the_trend_is_five_years_oldest_first_ending_with_the_year():
    case("deviation", 2013)  # six years back: outside
    case("deviation", 2014)
    case("complaint", 2016)
    case("lex_sarah", 2018)
    case("lex_sarah", 2019)  # after: outside

    trend = statistics(2018)["trend"]
    assert [row["year"] for row in trend] == [2014, 2015, 2016, 2017, 2018]
    # Before a kind's first case its years are null, not zero (version 2).
    assert trend[0] == {"year": 2014, "deviations": 1, "complaints": None, "lex_sarah": None,
                        "notified_to_ivo": None, "supervision": None}
    assert trend[1]["deviations"] == 0 and trend[2]["complaints"] == 1 and trend[4]["lex_sarah"] == 1


def test_one_department_counts_only_its_own_cases():
    from app.stats.report import statistics as stats
    case("lex_sarah", unit_name="Boendestöd")
    case("lex_sarah", unit_name="HVB Solrosen")
    case("deviation", 2017, unit_name="Vuxenstöd")

    data = stats(2018, unit("Vuxna").path)
    assert data["lex_sarah"]["received"] == 1
    assert data["lex_sarah"]["by_department"] == {"Vuxna": 1}
    assert data["trend"][-2]["deviations"] == 1
    assert data["change"]["deviations"] == -1


def test_the_statistics_hold_no_name_personal_number_or_free_text():
    case("lex_sarah", client_name="Greta Grön", client_pin="194001011234", summary="Lämnad ensam hela natten",
         description="Brukaren Greta Grön lämnades ensam.", client_gender="female", categories=("Sekretess",))
    text = str(statistics(2018))
    for secret in ("Greta", "194001011234", "ensam", "Lämnad"):
        assert secret not in text
