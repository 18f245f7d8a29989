"""A year built the way people build it (filing, triage, investigation, judgment, notification,
hand-over, escalation, answer, actions), through the services, and its statistics as the API gives them."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.actions import services as actions
from app.actions.models import ActionType
from app.cases.casework import services as casework
from app.cases.handover import services as handover
from app.cases.investigation import services as investigation
from app.cases.models import Case, Category
from app.extensions import db
from app.intake.services import file_report
from app.lexsarah import informing, judgment, notification, position
from tests.cases.helpers import unit, user
from tests.lexsarah.helpers import DRAFT, NONE, SERIOUS, complete_record, loaded, set_provider

pytestmark = pytest.mark.usefixtures("demo")
DESCRIPTION = "Brukaren fick inte sin insats på kvällen och blev utan hjälp i flera timmar."


def _at(month: int, day: int, year: int = 2025) -> datetime:
    return datetime(year, month, day, 9, 0)


def _category(kind: str, name: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.kind == kind, Category.name == name))


def _file(kind: str, when: datetime, *, unit_name: str = "Boendestöd", categories=("Sekretess",), **data) -> Case:
    values = {"unit_id": unit(unit_name).id, "occurred_on": when.date(), "description": DESCRIPTION,
              "category_ids": [_category(kind, c) for c in categories], "client_gender": "female",
              "client_age": "adult"}
    if kind == "lex_sarah":
        values["lex_sarah_type"] = "misconduct"
    values.update(data)
    with clock.frozen(when):
        return file_report(user("anna"), kind, values)


def _fresh(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def _triage(case: Case, who: str, when: datetime, decision: str = "investigate", **more) -> Case:
    with clock.frozen(when):
        return casework.decide_triage(user(who), case.reference, decision=decision,
                                      expected_version=_fresh(case).version, **more)


def _inform_all(case: Case) -> None:
    done = informing.InformingItem(on=clock.today_local())
    informing.record_informing(user("sara"), **loaded(_fresh(case)), items={
        "client": done, "case_file": done, "reporter": done, "work_group": done,
        "guardian": informing.InformingItem(not_applicable=True, reason="Ingen god man.")})


def _investigate_to_judgment(case: Case, when: datetime) -> Case:
    _triage(case, "erik", when)
    with clock.frozen(when):
        investigation.add_entry(user("erik"), case.reference, section="what_happened", entry_date=when.date(),
                                source="Samtal med personalen", nature="fact", text="Kvällsbesöket uteblev.",
                                expected_version=_fresh(case).version)
    complete_record(case, at=when)
    with clock.frozen(when):
        investigation.finish_investigation(user("erik"), case.reference, expected_version=_fresh(case).version)
    return _fresh(case)


def test_a_year_handled_in_varna_gives_the_expected_statistics(login_as):
    set_provider()
    # The year before: two lex Sarah reports.
    for month in (3, 9):
        _file("lex_sarah", _at(month, 2, 2024))

    # A serious misconduct, judged and notified to IVO.
    serious = _file("lex_sarah", _at(2, 3))
    serious = _investigate_to_judgment(serious, _at(2, 4))
    with clock.frozen(_at(2, 17)):
        judgment.record_judgment(user("sara"), **loaded(serious), **SERIOUS)
        notification.save_notification_draft(user("sara"), **loaded(_fresh(serious)),
                                         **{**DRAFT, "investigation_expected_on": date(2025, 4, 1),
                                            "client_informed_on": date(2025, 2, 17)})
        notification.finalise_notification(user("sara"), **loaded(_fresh(serious)))
        notification.notify_ivo(user("sara"), **loaded(_fresh(serious)), sent_via="e_service",
                                sent_on=date(2025, 2, 17),
                            ivo_reference="8.5.1-100/2025")

    # No misconduct: handed over to be handled as a deviation (the new deviation is not counted again).
    none = _investigate_to_judgment(_file("lex_sarah", _at(3, 10), categories=("Dokumentation",)), _at(3, 11))
    with clock.frozen(_at(3, 20)):
        judgment.record_judgment(user("sara"), **loaded(none), **NONE)
        _inform_all(none)  # nothing closes a lex Sarah report before informing is settled
        handover.hand_over_to_deviation(user("sara"), none.reference, reason="Inget missförhållande.",
                                        expected_version=_fresh(none).version)

    # Another provider's activity: a short investigation the officer closes with a ställningstagande,
    # counted as not investigated (Unga).
    outside = _file("lex_sarah", _at(4, 1), unit_name="HVB Solrosen", client_gender="male")
    _triage(outside, "ulla", _at(4, 2))
    with clock.frozen(_at(4, 2)):
        for section in ("what_happened", "decision"):
            investigation.add_entry(user("sara"), outside.reference, section=section, entry_date=date(2025, 4, 2),
                                    source="Rapporten", nature="fact", text="Hos en annan vårdgivare.",
                                    expected_version=_fresh(outside).version)
        _inform_all(outside)
        position.close_with_position(user("sara"), outside.reference, reason="not_own_service",
                                     text="Händelsen inträffade hos en annan vårdgivare.",
                                     passed_to="Vårdgivaren Omsorg AB", expected_version=_fresh(outside).version)

    # A deviation that revealed a misconduct: escalated (the new report is not counted again).
    escalated = _file("deviation", _at(5, 5), categories=("Utebliven insats",))
    with clock.frozen(_at(5, 6)):
        handover.escalate_to_lex_sarah(user("erik"), escalated.reference, lex_sarah_type="risk",
                                       reason="Brukaren lämnades utan tillsyn.",
                                       expected_version=_fresh(escalated).version)

    # A deviation investigated, with an action.
    acted_on = _file("deviation", _at(6, 9), categories=("Utebliven insats", "Dokumentation"), client_gender="")
    _triage(acted_on, "erik", _at(6, 10))
    routine = db.session.scalar(select(ActionType.id).where(ActionType.name == "Ny rutin"))
    with clock.frozen(_at(6, 11)):
        actions.add_action(user("erik"), _fresh(acted_on).reference, type_id=routine,
                           description="Ny rutin för kvällsbesök.",
                           responsible_id=user("erik").id, due_on=date(2025, 8, 1))

    # A complaint forwarded by IVO, answered after 14 days.
    complaint = _file("complaint", _at(8, 4), categories=("Bemötande",), channel="ivo",
                      ivo_reference="3.5.1-200/2025", relation="relative", complainant_name="Karin Klagare",
                      complainant_email="karin@example.se", answer_wanted="y")
    _triage(complaint, "erik", _at(8, 5))
    with clock.frozen(_at(8, 20)):
        casework.record_answer(user("erik"), complaint.reference, text="Svar till klaganden.",
                               answered_on=date(2025, 8, 18), channel="email",
                               expected_version=_fresh(complaint).version)

    response = login_as("admin").get("/api/v1/statistics/2025")
    assert response.status_code == 200
    data = response.get_json()
    # Version 2 (issue 15): the cases the hand-overs made count under their own kinds (from_handover).
    assert data["lex_sarah"] == {
        "received": 4, "not_investigated": 1, "pending": 1,
        "judgments": {"misconduct": 1, "risk": 0, "none": 1},
        "serious": 1, "notified_to_ivo": 1, "handled_as_deviation": 1,
        "by_department": {"Vuxna": 3, "Unga": 1},
        "by_category": {"Sekretess": 2, "Dokumentation": 1, "Utebliven insats": 1},
        "from_handover": 1,
        # The ställningstagande above: another provider's activity (issue 13's reasons).
        "not_investigated_by_reason": {"no_misconduct": 0, "already_investigated": 0, "not_own_service": 1,
                                       "health_care": 0},
        "ivo_decisions": {"no_criticism": 0, "criticism": 0, "demands": 0},
        "client_gender": {"female": 3, "male": 1},
    }
    assert data["deviations"] == {"received": 3, "not_investigated": 0, "escalated_to_lex_sarah": 1,
                                  "by_department": {"Vuxna": 3},
                                  "by_category": {"Dokumentation": 2, "Utebliven insats": 2},
                                  "from_handover": 1,
                                  "not_investigated_by_reason": {"not_caused_by_service": 0, "not_own_service": 0,
                                                                 "already_investigated": 0},
                                  "client_gender": {"female": 2, "unknown": 1}}
    assert data["complaints"] == {"received": 1, "by_channel": {"ivo": 1}, "via_ivo": 1, "answered": 1,
                                  "by_department": {"Vuxna": 1}, "by_category": {"Bemötande": 1},
                                  "by_type": {"complaint": 1, "suggestion": 0}, "escalated_to_lex_sarah": 0,
                                  "client_gender": {"female": 1}}
    assert data["actions"] == {"by_type": {"Ny rutin": 1}, "followed_up": {"yes": 0, "partly": 0, "no": 0}}
    assert data["client_gender"] == {"female": 6, "male": 1, "unknown": 1}
    assert data["median_days"] == {"lex_sarah_to_judgment": 12, "lex_sarah_to_ivo": 14, "complaint_to_answer": 14}
    # No deviation or complaint before 2025: no comparison (null), not "an increase by 3".
    assert data["change"] == {"lex_sarah": 2, "deviations": None, "complaints": None, "notified_to_ivo": 1,
                              "supervision": None}
    assert data["trend"][-2] == {"year": 2024, "deviations": None, "complaints": None, "lex_sarah": 2,
                                 "notified_to_ivo": 0, "supervision": None}

    # The hand-overs made two more cases, each counted once under its own kind.
    assert db.session.scalar(select(Case).where(Case.origin_case_id == none.id)).kind == "deviation"
    assert db.session.scalar(select(Case).where(Case.origin_case_id == escalated.id)).kind == "lex_sarah"

    page = login_as("admin").get("/statistik/?ar=2025").get_data(as_text=True)
    assert ("Under 2025 har totalt fyra lex Sarah-rapporter inkommit till socialnämnden. "
            "Det är en ökning med två rapporter jämfört med föregående år.") in page
