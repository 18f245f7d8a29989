"""The judgment: the three guided questions, the investigator's proposal, the officer's decision."""

import pytest
from sqlalchemy import select

from app import clock
from app.auth.permissions import PermissionDenied
from app.cases.models import JournalEvent
from app.extensions import db
from app.facts import lex_sarah_facts
from app.lexsarah import common
from app.lexsarah import judgment as judging
from app.lexsarah.models import LexSarahJudgment
from app.workflow import MoveRefused
from tests.lexsarah.helpers import (
    JUDGED,
    NONE,
    NOT_SERIOUS,
    SERIOUS,
    denials,
    judge,
    loaded,
    make_case,
    reload,
    user,
)


@pytest.fixture
def case(demo):
    return make_case()


def _journal(case, event):
    return db.session.scalars(select(JournalEvent).where(JournalEvent.case_id == case.id,
                                                         JournalEvent.event == event)).all()


# --- the three questions' paths ---------------------------------------------------------------

@pytest.mark.parametrize(("answers", "outcome", "serious"), [
    # 1: no → none, the other questions do not apply
    (NONE, "none", None),
    # 1: misconduct, 2: yes → serious
    (SERIOUS, "misconduct", True),
    # 1: risk, 2: no, 3: yes → serious (a concrete risk of something serious)
    ({"established": "risk", "serious_harm": False, "serious_harm_motivation": "Ingen kom till skada.",
      "serious_risk": True, "rationale": "Dörren stod olåst hela natten."}, "risk", True),
    # 1: misconduct, 2: no, 3: no → not serious
    (NOT_SERIOUS, "misconduct", False),
])
def test_each_path_through_the_questions(case, answers, outcome, serious):
    judgment = judge(case, answers)
    case = reload(case)
    assert (judgment.outcome, judgment.serious) == (outcome, serious)
    assert case.status == "judged"
    assert judgment.decided_by_id == user("sara").id and judgment.decided_at == JUDGED
    assert lex_sarah_facts(case)["judged_none"] is (outcome == "none")
    assert lex_sarah_facts(case)["ivo_question_settled"] is not bool(serious)


def test_answers_to_questions_that_do_not_apply_are_not_stored(case):
    answers = {**SERIOUS, "established_motivation": "Ska inte sparas.", "serious_risk": False,
               "serious_risk_motivation": "Ska inte heller sparas."}
    judgment = judge(case, answers)
    assert judgment.serious_harm is True
    assert (judgment.serious_risk, judgment.serious_risk_motivation, judgment.established_motivation) == (None, "", "")


@pytest.mark.parametrize(("answers", "fields"), [
    ({"rationale": "Motivering."}, {"established"}),
    ({**NONE, "established_motivation": "  "}, {"established_motivation"}),
    ({"established": "misconduct", "rationale": "Motivering."}, {"serious_harm"}),
    ({"established": "misconduct", "serious_harm": False, "rationale": "M."},
     {"serious_harm_motivation", "serious_risk"}),
    ({**NOT_SERIOUS, "serious_risk_motivation": ""}, {"serious_risk_motivation"}),
    ({**SERIOUS, "rationale": ""}, {"rationale"}),
    ({**SERIOUS, "rationale": "x" * 20_001}, {"rationale"}),
])
def test_a_missing_answer_or_motivation_is_refused_and_nothing_is_stored(case, answers, fields):
    with pytest.raises(common.LexSarahError) as refused:
        judge(case, answers)
    assert set(refused.value.errors) == fields
    case = reload(case)
    assert case.status == "awaiting_judgment"
    assert db.session.get(LexSarahJudgment, case.id) is None
    assert not _journal(case, "judgment_recorded")


# --- proposal and decision -------------------------------------------------------------------

def test_the_investigator_proposes_and_the_officer_confirms(case):
    with clock.frozen(JUDGED):
        judging.propose_judgment(user("erik"), **loaded(case), **SERIOUS)
    case = reload(case)
    proposal = case.lex_sarah_judgment
    assert (proposal.proposed_outcome, proposal.proposed_serious, proposal.outcome) == ("misconduct", True, None)
    assert proposal.proposed_by_id == user("erik").id
    assert case.status == "awaiting_judgment"
    judge(case, SERIOUS)
    recorded = _journal(case, "judgment_recorded")[0]
    assert recorded.detail["proposal"] == "confirmed"
    assert reload(case).lex_sarah_judgment.proposed_outcome == "misconduct"  # the proposal is kept beside it


def test_the_officer_may_change_the_proposal(case):
    with clock.frozen(JUDGED):
        judging.propose_judgment(user("erik"), **loaded(case), **NOT_SERIOUS)
    judge(case, SERIOUS)
    assert _journal(case, "judgment_recorded")[0].detail["proposal"] == "changed"
    judgment = reload(case).lex_sarah_judgment
    assert (judgment.proposed_serious, judgment.serious) == (False, True)


def test_a_proposal_may_come_while_investigating_but_the_judgment_only_after(demo):
    case = make_case("investigating")
    with clock.frozen(JUDGED):
        judging.propose_judgment(user("erik"), **loaded(case), **SERIOUS)
    with pytest.raises(MoveRefused) as refused:  # the state machine's refusal (the contract: 409)
        judge(case, SERIOUS)
    assert "Under utredning" in common.refusal_message(refused.value)


def test_a_case_is_judged_once(case):
    judge(case, SERIOUS)
    with pytest.raises(MoveRefused):
        judge(case, NONE)
    assert reload(case).lex_sarah_judgment.outcome == "misconduct"


@pytest.mark.parametrize("who", ["anna", "erik", "ulla", "admin"])
def test_only_the_officer_judges(case, who):
    with pytest.raises(PermissionDenied), clock.frozen(JUDGED):
        judging.record_judgment(user(who), **loaded(case), **SERIOUS)


@pytest.mark.parametrize("who", ["anna", "ulla", "admin"])
def test_only_investigators_of_the_unit_and_the_officer_propose(case, who):
    with pytest.raises(PermissionDenied), clock.frozen(JUDGED):
        judging.propose_judgment(user(who), **loaded(case), **SERIOUS)


# --- the form ----------------------------------------------------------------------------

def _form(answers: dict, version: int | None = None) -> dict:
    radio = {True: "yes", False: "no", None: ""}
    return {"version": "" if version is None else str(version), "established": answers.get("established") or "",
            "established_motivation": answers.get("established_motivation", ""),
            "serious_harm": radio[answers.get("serious_harm")],
            "serious_harm_motivation": answers.get("serious_harm_motivation", ""),
            "serious_risk": radio[answers.get("serious_risk")],
            "serious_risk_motivation": answers.get("serious_risk_motivation", ""),
            "rationale": answers.get("rationale", "")}


def test_the_form_shows_the_three_questions_with_help(case, login_as):
    page = login_as("sara").get(f"/lex-sarah/{case.reference}/bedomning").get_data(as_text=True)
    for text in ("1. Har utredningen visat", "2. Är missförhållandet eller risken allvarligt?",
                 "3. Fanns det en påtaglig risk", "påtaglig risk betyder", "Sammanfattande motivering"):
        assert text in page


def test_the_form_keeps_the_text_and_says_what_is_missing(case, login_as):
    data = _form({"established": "misconduct", "serious_harm": False, "rationale": "Min motivering åäö."},
                 case.version)
    response = login_as("sara").post(f"/lex-sarah/{case.reference}/bedomning", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Motivera varför det inte är allvarligt." in page
    assert "Svara på fråga 3" in page
    assert "Min motivering åäö." in page
    assert reload(case).status == "awaiting_judgment"


def test_a_serious_judgment_leads_to_the_notification(case, login_as):
    with clock.frozen(JUDGED):
        response = login_as("sara").post(f"/lex-sarah/{case.reference}/bedomning",
                                         data=_form(SERIOUS, case.version))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/lex-sarah/{case.reference}/anmalan")
    assert reload(case).lex_sarah_judgment.serious is True


def test_the_officer_sees_the_proposal_filled_in(case, login_as):
    with clock.frozen(JUDGED):
        judging.propose_judgment(user("erik"), **loaded(case), **NOT_SERIOUS)
    page = login_as("sara").get(f"/lex-sarah/{case.reference}/bedomning").get_data(as_text=True)
    assert "Förslag från utredningen" in page and "Erik Eriksson" in page
    assert NOT_SERIOUS["serious_risk_motivation"] in page


def test_an_investigator_posting_a_judgment_gets_403_and_an_audit_entry(case, login_as):
    response = login_as("erik").post(f"/lex-sarah/{case.reference}/bedomning", data=_form(SERIOUS))
    assert response.status_code == 403
    [denied] = denials()
    assert denied.user_id == user("erik").id and denied.object_id == case.reference
    assert denied.detail["endpoint"] == "lexsarah.judgment" and denied.detail["method"] == "POST"
    assert reload(case).lex_sarah_judgment is None


def test_an_investigator_proposes_through_the_form(case, login_as):
    with clock.frozen(JUDGED):
        response = login_as("erik").post(f"/lex-sarah/{case.reference}/forslag", data=_form(NONE, case.version))
    assert response.status_code == 302
    assert reload(case).lex_sarah_judgment.proposed_outcome == "none"


# --- the command contract: the case's version the form was loaded with --------------------------

def test_the_forms_carry_the_cases_version(case, login_as):
    for path, who in (("bedomning", "sara"), ("forslag", "erik")):
        page = login_as(who).get(f"/lex-sarah/{case.reference}/{path}").get_data(as_text=True)
        assert f'name="version" type="hidden" value="{case.version}"' in page


@pytest.mark.parametrize(("path", "who"), [("bedomning", "sara"), ("forslag", "erik")])
def test_a_stale_form_gives_the_conflict_and_keeps_the_text(case, login_as, path, who):
    loaded = case.version
    with clock.frozen(JUDGED):  # someone saves a proposal after the page was loaded
        judging.propose_judgment(user("erik"), case.reference, expected_version=loaded, **NOT_SERIOUS)
    now = reload(case).version
    data = _form({**SERIOUS, "rationale": "Min text åäö som inte får försvinna."}, loaded)
    response = login_as(who).post(f"/lex-sarah/{case.reference}/{path}", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet under tiden" in page
    assert "Min text åäö som inte får försvinna." in page
    assert f'name="version" type="hidden" value="{now}"' in page
    judgment = reload(case).lex_sarah_judgment
    assert (judgment.proposed_serious, judgment.outcome) == (False, None)  # nothing overwritten


def test_a_form_without_its_version_is_a_bad_request(case, login_as):
    response = login_as("sara").post(f"/lex-sarah/{case.reference}/bedomning", data=_form(SERIOUS))
    assert response.status_code == 400
    assert reload(case).lex_sarah_judgment is None


def test_a_refused_move_is_409_in_the_requirements_words(demo, login_as):
    case = make_case("investigating")
    response = login_as("sara").post(f"/lex-sarah/{case.reference}/bedomning", data=_form(SERIOUS, case.version))
    assert response.status_code == 409
    assert "Under utredning" in response.get_data(as_text=True)
    assert reload(case).lex_sarah_judgment is None
