"""The counting rules added or changed by version 2 of the contract (issue 15), one test per rule,
on hand-made cases: every case under its own kind, from_handover, escalated complaints, the
reasons not to investigate, IVO's decisions, klagomål and synpunkter, follow-ups, gender per
kind, any unit of the tree, and "no data is not zero"."""

from datetime import date, datetime

import pytest

from app.extensions import db
from app.lexsarah.models import LexSarahIvo
from app.stats.models import DataFromYear
from app.stats.report import statistics
from tests.cases.helpers import unit, user
from tests.stats.helpers import add_action, case, judge, notify, set_columns

pytestmark = pytest.mark.usefixtures("demo")


def ivo_decides(report, outcome: str) -> None:
    ivo = db.session.get(LexSarahIvo, report.id)
    ivo.ivo_outcome, ivo.ivo_decided_on, ivo.ivo_decision_text = outcome, date(2018, 11, 1), "IVO:s beslut."
    db.session.commit()


def test_a_complaint_escalated_to_lex_sarah_and_notified_counts_in_both_kinds():
    # KL-2026-0002 became LS-2026-0003, judged serious and notified: the officer's desk shows it,
    # so the statistics must too.
    complaint = case("complaint")
    set_columns(complaint, handover="to_lex_sarah")
    report = case("lex_sarah", received=datetime(2018, 7, 1, 10), origin_case_id=complaint.id)
    judge(report, "misconduct", True)
    notify(report, date(2018, 7, 3))
    notify(case("lex_sarah"), date(2018, 6, 20))

    data = statistics(2018)
    assert data["complaints"]["received"] == 1
    assert data["complaints"]["escalated_to_lex_sarah"] == 1
    assert data["lex_sarah"]["received"] == 2
    assert data["lex_sarah"]["from_handover"] == 1
    assert data["lex_sarah"]["judgments"]["misconduct"] == 1 and data["lex_sarah"]["serious"] == 1
    assert data["lex_sarah"]["notified_to_ivo"] == 2
    assert data["trend"][-1]["notified_to_ivo"] == 2
    assert data["median_days"]["lex_sarah_to_ivo"] == 3.5  # 2 and 5 days


def test_a_handed_over_case_counts_in_the_year_it_was_created():
    report = case("lex_sarah", 2017)
    set_columns(report, handover="to_deviation")
    case("deviation", 2018, origin_case_id=report.id)  # handed over in January

    assert statistics(2017)["lex_sarah"]["handled_as_deviation"] == 1
    assert statistics(2018)["deviations"]["received"] == 1
    assert statistics(2018)["deviations"]["from_handover"] == 1


def test_actions_on_a_handed_over_case_count_once():
    deviation = case("deviation")
    set_columns(deviation, handover="to_lex_sarah")
    report = case("lex_sarah", origin_case_id=deviation.id)
    add_action(report, "Ny rutin")

    assert statistics(2018)["actions"]["by_type"] == {"Ny rutin": 1}


def test_not_investigated_by_reason_counts_the_reasons_per_kind():
    for reason in ("no_misconduct", "no_misconduct", "health_care", "already_investigated"):
        set_columns(case("lex_sarah"), triage_decision="not_investigate", triage_reason=reason, status="closed")
    for reason in ("not_caused_by_service", "not_own_service", "not_own_service"):
        set_columns(case("deviation"), triage_decision="not_investigate", triage_reason=reason, status="closed")
    set_columns(case("deviation"), triage_decision="investigate", status="investigating")

    data = statistics(2018)
    assert data["lex_sarah"]["not_investigated_by_reason"] == {
        "no_misconduct": 2, "already_investigated": 1, "not_own_service": 0, "health_care": 1}
    assert data["deviations"]["not_investigated_by_reason"] == {
        "not_caused_by_service": 1, "not_own_service": 2, "already_investigated": 0}
    assert data["lex_sarah"]["not_investigated"] == 4 and data["deviations"]["not_investigated"] == 3


def test_ivo_decisions_count_the_recorded_decisions_on_the_years_reports():
    reports = [case("lex_sarah") for _ in range(4)]
    for report in reports:
        judge(report, "misconduct", True)
        notify(report, date(2018, 7, 1))
    ivo_decides(reports[0], "criticism")
    ivo_decides(reports[1], "criticism")
    ivo_decides(reports[2], "demands")  # reports[3]: IVO has not decided yet

    assert statistics(2018)["lex_sarah"]["ivo_decisions"] == {"no_criticism": 0, "criticism": 2, "demands": 1}


def test_complaints_by_type_counts_klagomal_and_synpunkter():
    case("complaint")  # the default: a complaint
    case("complaint", complaint={"complaint_type": "complaint"})
    case("complaint", complaint={"complaint_type": "suggestion"})

    data = statistics(2018)["complaints"]
    assert data["by_type"] == {"complaint": 2, "suggestion": 1}
    assert data["received"] == 3


def test_actions_followed_up_counts_the_follow_up_results():
    deviation = case("deviation")
    for result in ("yes", "yes", "partly", "no", None):
        action = add_action(deviation, "Ny rutin", status="done")
        action.follow_up_result = result
        if result:
            action.follow_up_text, action.followed_up_on = "Följts upp.", date(2018, 12, 1)
            action.followed_up_by_id = user("erik").id
    db.session.commit()
    add_action(case("deviation", 2017), "Ny rutin").follow_up_result = "yes"  # another year
    db.session.commit()

    assert statistics(2018)["actions"]["followed_up"] == {"yes": 2, "partly": 1, "no": 1}


def test_client_gender_is_counted_per_kind_and_summed():
    case("deviation", client_gender="female")
    case("deviation")
    case("complaint", client_gender="female")
    case("lex_sarah", client_gender="male")

    data = statistics(2018)
    assert data["deviations"]["client_gender"] == {"female": 1, "unknown": 1}
    assert data["complaints"]["client_gender"] == {"female": 1}
    assert data["lex_sarah"]["client_gender"] == {"male": 1}
    assert data["client_gender"] == {"female": 2, "male": 1, "unknown": 1}


def test_any_unit_of_the_tree_counts_itself_and_everything_under_it():
    from app.org.services import create_unit
    team = create_unit(None, name="Nattpatrullen", parent_id=unit("Boendestöd").id)
    case("deviation", unit_name=team.name)
    case("deviation", unit_name="Boendestöd")
    case("deviation", unit_name="Socialpsykiatri")  # Vuxna, but not under Boendestöd

    assert statistics(2018, unit("Boendestöd").path)["deviations"]["received"] == 2
    assert statistics(2018, team.path)["deviations"]["received"] == 1
    assert statistics(2018, unit("Vuxna").path)["deviations"]["received"] == 3


# --- no data is not zero ----------------------------------------------------------------------------

def test_years_before_a_kinds_first_case_are_null_not_zero():
    case("deviation", 2018)
    for _ in range(35):
        case("deviation", 2019)  # hand-made: 2018 imported, 2017 not
    case("lex_sarah", 2019)

    data = statistics(2019)
    assert [row["deviations"] for row in data["trend"]] == [None, None, None, 1, 35]
    assert data["change"]["deviations"] == 34
    assert data["change"]["lex_sarah"] is None and data["change"]["notified_to_ivo"] is None
    assert [row["notified_to_ivo"] for row in data["trend"]] == [None, None, None, None, 0]


def test_a_year_before_the_first_year_of_data_has_received_null():
    case("deviation", 2018)

    data = statistics(2017)
    assert data["deviations"]["received"] is None
    assert data["deviations"]["not_investigated"] == 0 and data["deviations"]["by_department"] == {}


def test_a_kind_with_no_case_at_all_has_only_nulls():
    case("deviation", 2018)

    data = statistics(2018)
    assert data["complaints"]["received"] is None
    assert all(row["complaints"] is None for row in data["trend"])
    assert data["change"]["complaints"] is None
    assert data["complaints"]["by_type"] == {"complaint": 0, "suggestion": 0}


def test_an_admin_set_first_year_makes_earlier_empty_years_zero():
    case("deviation", 2018)
    db.session.add(DataFromYear(kind="deviation", year=2016))
    db.session.commit()

    data = statistics(2018)
    assert [row["deviations"] for row in data["trend"]] == [None, None, 0, 0, 1]
    assert data["change"]["deviations"] == 1
    assert statistics(2016)["deviations"]["received"] == 0
