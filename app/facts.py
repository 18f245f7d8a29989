"""The facts app.workflow needs about one case, computed from the database in one place.

app/workflow.py is pure: it receives facts (booleans) and never reads the database. This
module is the one that reads them, so a rule such as "a complaint becomes a lex Sarah
report only once" is a requirement in the table (``not_yet_escalated``) and a fact here,
not a check in a service or a template. Every fact named in ``workflow.REQUIREMENTS``
is computed here except ``workflow.FORM_FACTS``, which the person's form supplies.
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select

from app.actions.models import CaseAction
from app.actions.workflow import FORM_FACTS as ACTION_FORM_FACTS
from app.actions.workflow import OPEN_STATUSES as OPEN_ACTION_STATUSES
from app.cases.models import RECORD_SECTIONS, Case, CaseCauses, CaseRisk, InvestigationEntry
from app.extensions import db
from app.lexsarah import models as _lexsarah_models
from app.supervision.facts import supervision_facts
from app.workflow import FORM_FACTS, INFORMING_SETTLED, NOTIFICATION_COMPLETE, Kind, Status

# To decide whether to *offer* a move, what the form supplies counts as given; the
# service checks the real values when the move is made.
OFFERED_FORM_FACTS: dict[str, bool] = dict.fromkeys(FORM_FACTS, True)
OFFERED_ACTION_FORM_FACTS: dict[str, bool] = dict.fromkeys(ACTION_FORM_FACTS, True)


def acknowledgement_needed(case: Case) -> bool:
    """A complaint from the public form got its receipt at once; an anonymous one cannot be
    acknowledged. The others are acknowledged by the handler (the move ``acknowledge``)."""
    details = case.complaint if case.kind == Kind.COMPLAINT else None
    return details is not None and details.channel != "web" and not details.anonymous


def protection_not_recorded(case: Case) -> bool:
    """A lex Sarah report without its immediate protection recorded (the move record_protection and
    the deadline step "protection", workflow.STEP_DONE_UNLESS)."""
    return case.kind == Kind.LEX_SARAH and case.lex_sarah_protection is None


# The facts a deadline step may end with (workflow.STEP_DONE_UNLESS), each cheap for one case.
STEP_FACTS = {"protection_not_recorded": protection_not_recorded}


def _has_entries(case: Case) -> bool:
    if case.id is None:
        return False
    return bool(db.session.scalar(select(exists().where(InvestigationEntry.case_id == case.id))))


# Built once: asked on every case page and every move (building it cost about as much as running it).
_OPEN_ACTION_IDS = (select(CaseAction.id).where(
    CaseAction.case_id == bindparam("case_id"), CaseAction.status.in_([s.value for s in OPEN_ACTION_STATUSES]))
    .order_by(CaseAction.id))


def open_action_ids(case: Case) -> list[int]:
    """The case's actions still planned or in progress, oldest first."""
    if case.id is None:
        return []
    # Counted from the case's actions when a page has read them already (the case page reads them
    # for its actions panel): the same answer without a statement of its own.
    loaded = case.__dict__.get("actions")
    if loaded is not None:
        return sorted(action.id for action in loaded if action.is_open)
    return list(db.session.scalars(_OPEN_ACTION_IDS, {"case_id": case.id}))


def _has_sections(case: Case, *sections: str) -> bool:
    """Whether the investigation record has at least one entry in each of these sections."""
    if case.id is None:
        return False
    found = set(db.session.scalars(select(InvestigationEntry.section).distinct().where(
        InvestigationEntry.case_id == case.id, InvestigationEntry.section.in_(sections))))
    return found == set(sections)


def addressed_sections(case: Case) -> set[str]:
    """The sections of a lex Sarah record with an entry or an explicit "nothing to record"."""
    if case.id is None:
        return set()
    with_entries = set(db.session.scalars(select(InvestigationEntry.section).distinct().where(
        InvestigationEntry.case_id == case.id, InvestigationEntry.section.is_not(None))))
    noted = set(db.session.scalars(select(_lexsarah_models.LexSarahSectionNote.section).where(
        _lexsarah_models.LexSarahSectionNote.case_id == case.id)))
    return with_entries | noted


def _record_facts(case: Case) -> dict[str, bool]:
    """Finishing a lex Sarah investigation: every section addressed, the causes, the risk."""
    if case.kind != Kind.LEX_SARAH or case.id is None:
        return dict.fromkeys(("record_sections_addressed", "causes_recorded", "risk_assessed"), False)
    causes = db.session.get(CaseCauses, case.id)
    return {
        "record_sections_addressed": addressed_sections(case) >= set(RECORD_SECTIONS),
        "causes_recorded": causes is not None and bool(causes.text.strip()),
        "risk_assessed": db.session.get(CaseRisk, case.id) is not None,
    }


def client_identity_known(case: Case) -> bool:
    """Whether the report names the individual (then the notification carries it, or says why not)."""
    return bool((case.client_pin or "").strip() or (case.client_name or "").strip())


def notification_facts(case: Case) -> dict[str, bool]:
    """Whether the notification to IVO is complete enough to finalise (workflow.NOTIFICATION_COMPLETE)."""
    # Another kind has no notification: its (empty) relationship is not read.
    ivo = case.lex_sarah_ivo if case.kind == Kind.LEX_SARAH else None
    if ivo is None or ivo.draft_saved_at is None:
        # Nothing is complete before the officer's draft is saved.
        facts = dict.fromkeys(NOTIFICATION_COMPLETE, False)
        facts["provider_complete"] = case.kind == Kind.LEX_SARAH and _provider_complete()
        return facts
    return {
        "draft_saved": True,
        "provider_complete": _provider_complete(),
        "seriousness_motivated": bool(ivo.seriousness_motivation.strip()),
        "activity_described": ivo.activity_described,
        "other_reports_stated": ivo.other_reports_stated,
        "client_informing_stated": ivo.client_informing_stated,
        "client_identity_settled": (not client_identity_known(case) or ivo.include_client_identity
                                    or bool(ivo.client_identity_omitted_reason.strip())),
        "board_reference_recorded": bool(ivo.board_reference.strip()),
        "signature_place_recorded": bool(ivo.signature_place.strip()),
    }


def _provider_complete() -> bool:
    settings = db.session.get(_lexsarah_models.ProviderSettings, 1)
    return settings is not None and settings.complete


def _position_proposed(case: Case) -> bool:
    """An investigator's proposal of a ställningstagande waits for the officer's decision."""
    if case.id is None:
        return False
    proposal = _lexsarah_models.LexSarahPositionProposal
    return bool(db.session.scalar(select(exists().where(proposal.case_id == case.id, proposal.outcome.is_(None)))))


def lex_sarah_facts(case: Case) -> dict[str, bool]:
    """The judgment and IVO facts; all False for another kind, so a mistaken use refuses.

    The IVO question is settled once the judgment is recorded and, when it is serious,
    once the notification or a reason for not notifying is recorded. A notification
    made before the judgment settles it too.
    """
    names = ("judged_none", "judged_serious", "notified", "not_yet_notified", "ivo_undecided",
             "ivo_question_settled", "investigation_not_sent", "ivo_decision_pending",
             "investigation_sent_if_notified", "short_investigation_documented", "protection_not_recorded",
             "notification_finalised", "not_yet_finalised", "ivo_reference_missing",
             "supplement_awaiting_reply", "position_proposed", "no_position_proposed",
             *INFORMING_SETTLED)
    if case.kind != Kind.LEX_SARAH:
        return dict.fromkeys(names, False)
    judgment = case.lex_sarah_judgment
    ivo = case.lex_sarah_ivo
    judged = judgment is not None and judgment.judged
    decided = ivo is not None and ivo.decision is not None
    notified = ivo is not None and ivo.notified
    informing = case.lex_sarah_informing
    # INFORMING_SETTLED names "informed_<item>" for each item of LexSarahInforming.
    informed = {fact: informing is not None and informing.settled(fact.removeprefix("informed_"))
                for fact in INFORMING_SETTLED}
    proposed = _position_proposed(case)
    return {
        **informed,
        "position_proposed": proposed,
        "no_position_proposed": not proposed,
        "investigation_sent_if_notified": not notified or ivo.investigation_sent_on is not None,
        "protection_not_recorded": protection_not_recorded(case),
        "notification_finalised": ivo is not None and ivo.finalised_at is not None,
        "not_yet_finalised": ivo is None or ivo.finalised_at is None,
        "ivo_reference_missing": notified and not ivo.ivo_reference,
        "supplement_awaiting_reply": notified and any(s.answered_on is None for s in case.lex_sarah_supplements),
        # The short investigation documents at least what happened (1) and the position (9).
        "short_investigation_documented": _has_sections(case, "what_happened", "decision"),
        "judged_none": judged and judgment.outcome == "none",
        "judged_serious": judgment is not None and bool(judgment.serious),
        "notified": notified,
        "not_yet_notified": not notified,
        "ivo_undecided": not decided,
        "ivo_question_settled": judged and (not judgment.serious or decided),
        "investigation_not_sent": notified and ivo.investigation_sent_on is None,
        "ivo_decision_pending": notified and ivo.ivo_outcome is None,
    }


def facts_for(case: Case) -> dict[str, bool]:
    """Every fact of workflow.REQUIREMENTS (less the form's) for this case, now."""
    details = case.complaint if case.kind == Kind.COMPLAINT else None
    no_answer_possible = details is not None and (details.anonymous or not details.answer_wanted)
    return {
        **lex_sarah_facts(case),
        **notification_facts(case),
        **supervision_facts(case),
        **_record_facts(case),
        "has_reporter": case.reporter_id is not None,
        "no_open_actions": not open_action_ids(case),
        "not_yet_escalated": case.handover != "to_lex_sarah",
        "has_entries": case.kind == Kind.LEX_SARAH and _has_entries(case),
        "acknowledgement_owed": acknowledgement_needed(case) and details.acknowledged_at is None,
        "answer_recorded_or_not_wanted": details is not None and (
            case.status == Status.ANSWERED or no_answer_possible),
    }


def possible_misconduct(case: Case) -> bool:
    """A deviation that may be a missförhållande: its reporter marked it so, or one of its
    categories describes abuse (as the admin marks them). The triage proposes lex Sarah first
    (workflow.PROPOSED_FIRST); it is no requirement of any move."""
    return case.kind == Kind.DEVIATION and (bool(case.possible_misconduct)
                                            or any(c.describes_abuse for c in case.categories))


def presentation_facts(case: Case) -> dict[str, bool]:
    """The facts that decide what the case page proposes first, not what may be done."""
    return {"possible_misconduct": possible_misconduct(case)}


def facts_for_action(action: CaseAction) -> dict[str, bool]:
    """The facts of the action's own machine (app/actions/workflow.py) that are not the form's."""
    return {"not_followed_up": not action.followed_up}
