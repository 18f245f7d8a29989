"""The judgment: an investigator proposes it, the officer records it (three guided questions).

Both are commands on the case (app/commands.py): ``fn(actor, reference, *, expected_version, …)``,
the version the person's form was loaded with; a refused move is workflow.MoveRefused, a stale
form commands.CaseConflict, a refused permission PermissionDenied."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app import commands
from app.auth.models import User
from app.cases import journal
from app.clock import utcnow
from app.extensions import db
from app.lexsarah.common import (
    audit_case,
    check_length,
    clean,
    raise_errors,
)
from app.lexsarah.labels import OUTCOME_LABELS, judgment_label
from app.lexsarah.models import (
    OUTCOMES,
    LexSarahJudgment,
)

# --- the judgment ------------------------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    outcome: str
    serious: bool | None
    answers: dict  # the guided answers that apply, with their motivations
    rationale: str


def evaluate(*, established: str | None = None, established_motivation: str = "", serious_harm: bool | None = None,
             serious_harm_motivation: str = "", serious_risk: bool | None = None,
             serious_risk_motivation: str = "", rationale: str = "") -> Evaluation:
    """Walk the three questions in order and derive outcome and seriousness.

    1. Was a misconduct, or a concrete risk of one, established? (no: motivate; done)
    2. Was it serious? (yes: serious; no: motivate, go on)
    3. Was there a concrete risk of something serious? (yes: serious; no: motivate, not serious)
    Answers to questions that do not apply are dropped, so nothing contradictory is stored.
    """
    errors: dict[str, str] = {}
    texts = {"established_motivation": clean(established_motivation),
             "serious_harm_motivation": clean(serious_harm_motivation),
             "serious_risk_motivation": clean(serious_risk_motivation), "rationale": clean(rationale)}
    for name, value in texts.items():
        check_length(errors, name, value)
    answers: dict = {"established": established}
    serious = None
    if established not in OUTCOMES:
        errors["established"] = _("Svara på fråga 1: konstaterades ett missförhållande eller en påtaglig risk?")
    elif established == "none":
        if not texts["established_motivation"]:
            errors["established_motivation"] = _("Motivera varför varken ett missförhållande eller en påtaglig "
                                                 "risk för ett missförhållande har konstaterats.")
        answers["established_motivation"] = texts["established_motivation"]
    else:
        answers["serious_harm"] = serious_harm
        if serious_harm is None:
            errors["serious_harm"] = _("Svara på fråga 2: är det allvarligt?")
        elif serious_harm:
            serious = True
        else:
            answers["serious_harm_motivation"] = texts["serious_harm_motivation"]
            answers["serious_risk"] = serious_risk
            if not texts["serious_harm_motivation"]:
                errors["serious_harm_motivation"] = _("Motivera varför det inte är allvarligt.")
            if serious_risk is None:
                errors["serious_risk"] = _("Svara på fråga 3: fanns en påtaglig risk för något allvarligt?")
            elif serious_risk:
                serious = True
            else:
                serious = False
                answers["serious_risk_motivation"] = texts["serious_risk_motivation"]
                if not texts["serious_risk_motivation"]:
                    errors["serious_risk_motivation"] = _("Motivera varför det inte fanns en påtaglig risk för "
                                                          "något allvarligt.")
    if not texts["rationale"]:
        errors["rationale"] = _("Skriv en sammanfattande motivering till bedömningen.")
    raise_errors(errors)
    return Evaluation(established, serious, answers, texts["rationale"])


PROPOSE = "propose_judgment"
JUDGE = "record_judgment"


def propose_judgment(actor: User, reference: str, *, expected_version: int, **answers) -> LexSarahJudgment:
    """An investigator (or the officer) proposes a judgment; the officer confirms or changes it."""
    case = commands.begin(actor, reference, PROPOSE, expected_version)
    result = evaluate(**answers)
    commands.target(case, PROPOSE)
    judgment = case.lex_sarah_judgment or LexSarahJudgment(case=case)
    judgment.proposed_outcome, judgment.proposed_serious = result.outcome, result.serious
    judgment.proposed_rationale, judgment.proposed_answers = result.rationale, result.answers
    judgment.proposed_by_id, judgment.proposed_at = actor.id, utcnow()
    db.session.add(judgment)
    label = judgment_label(result.outcome, result.serious)
    journal.add_event(case, "judgment_proposed", actor, _("Förslag till bedömning: %(label)s", label=label),
                      outcome=result.outcome, serious=result.serious)
    audit_case("judgment_proposed", actor, case, outcome=result.outcome, serious=result.serious)
    commands.commit(actor, case, PROPOSE)
    return judgment


def record_judgment(actor: User, reference: str, *, expected_version: int, **answers) -> LexSarahJudgment:
    """The officer's judgment: outcome, seriousness and why. Decider and date are set here."""
    case = commands.begin(actor, reference, JUDGE, expected_version)
    result = evaluate(**answers)
    new_status = commands.target(case, JUDGE)
    judgment = case.lex_sarah_judgment or LexSarahJudgment(case=case)
    if judgment.has_proposal:
        agrees = (judgment.proposed_outcome, judgment.proposed_serious) == (result.outcome, result.serious)
        proposal = "confirmed" if agrees else "changed"
    else:
        proposal = "none"
    judgment.outcome, judgment.serious, judgment.rationale = result.outcome, result.serious, result.rationale
    judgment.established_motivation = result.answers.get("established_motivation", "")
    judgment.serious_harm = result.answers.get("serious_harm")
    judgment.serious_harm_motivation = result.answers.get("serious_harm_motivation", "")
    judgment.serious_risk = result.answers.get("serious_risk")
    judgment.serious_risk_motivation = result.answers.get("serious_risk_motivation", "")
    judgment.decided_by_id, judgment.decided_at = actor.id, utcnow()
    db.session.add(judgment)
    case.status = new_status
    label = judgment_label(result.outcome, result.serious)
    journal.add_event(case, "judgment_recorded", actor, _("Bedömning: %(label)s", label=label),
                      outcome=result.outcome, serious=result.serious, proposal=proposal)
    audit_case("judgment_recorded", actor, case, outcome=result.outcome, serious=result.serious, proposal=proposal)
    commands.commit(actor, case, JUDGE)
    return judgment



def outcome_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in OUTCOME_LABELS.items()]
