"""The one state machine: which workflow moves a case may make, given its kind and status.

docs/architecture.md, "The state machine": every kind walks the same road and differs only in
which stops it makes. The allowed moves live here and nowhere else; views,
services and the API ask this module. It is pure standard-library Python (no
Flask, no database) so that it can be tested, and read, on its own.

The caller computes "facts" (booleans such as ``notified``) from the database
and passes them in (app/facts.py: facts_for, the one place that computes them);
a missing fact counts as False, so forgetting one refuses a move rather than
allowing it. REQUIREMENTS lists every fact a move can require; the deadline
steps (which statuses each one runs in) are in DEADLINE_STEPS.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Kind(StrEnum):
    DEVIATION = "deviation"
    COMPLAINT = "complaint"
    LEX_SARAH = "lex_sarah"
    SUPERVISION = "supervision"  # a supervising authority's (IVO's) case about the nämnd


class Status(StrEnum):
    # Declared in flow order: statuses_for() and the UI rely on it.
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    AWAITING_JUDGMENT = "awaiting_judgment"
    JUDGED = "judged"
    ANSWERED = "answered"
    # A supervision case: the authority's requests being answered, then its decision.
    ANSWERING = "answering"
    AWAITING_DECISION = "awaiting_decision"
    DECIDED = "decided"
    CLOSED = "closed"


OPEN_STATUSES: frozenset[Status] = frozenset(Status) - {Status.CLOSED}
ALL_KINDS: frozenset[Kind] = frozenset(Kind)
ALL_STATUSES: frozenset[Status] = frozenset(Status)

# The statuses each kind can ever have, in flow order. Stated as data rather
# than derived from MOVES because the moves that apply to "any open status"
# (assign, add_entry, ...) would otherwise drag e.g. "judged" into deviations.
# A status not listed for a kind is refused for every move ("wrong_status").
FLOWS: Mapping[Kind, tuple[Status, ...]] = MappingProxyType({
    Kind.DEVIATION: (Status.RECEIVED, Status.INVESTIGATING, Status.CLOSED),
    Kind.COMPLAINT: (Status.RECEIVED, Status.INVESTIGATING, Status.ANSWERED, Status.CLOSED),
    Kind.LEX_SARAH: (Status.RECEIVED, Status.INVESTIGATING, Status.AWAITING_JUDGMENT,
                     Status.JUDGED, Status.CLOSED),
    Kind.SUPERVISION: (Status.RECEIVED, Status.ANSWERING, Status.AWAITING_DECISION, Status.DECIDED,
                       Status.CLOSED),
})


@dataclass(frozen=True)
class Move:
    """One row of the table.

    ``sources``, ``target`` and ``requires`` hold for every kind in ``kinds``
    unless the matching ``*_by_kind`` mapping has an entry for that kind, which
    then replaces it. Only two moves need that (escalate_to_lex_sarah, close);
    everything else is one plain row. Always read a move through
    ``sources_for(kind)``, ``target_for(kind)`` and ``requires_for(kind)``.
    ``target`` None means the status does not change.
    """

    name: str
    kinds: frozenset[Kind]
    sources: frozenset[Status]
    target: Status | None
    requires: tuple[str, ...] = ()
    sources_by_kind: Mapping[Kind, frozenset[Status]] = field(default_factory=dict, hash=False)
    target_by_kind: Mapping[Kind, Status | None] = field(default_factory=dict, hash=False)
    requires_by_kind: Mapping[Kind, tuple[str, ...]] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Frozen means frozen: make the override mappings read-only too.
        for name in ("sources_by_kind", "target_by_kind", "requires_by_kind"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def sources_for(self, kind: Kind | str) -> frozenset[Status]:
        return self.sources_by_kind.get(Kind(kind), self.sources)

    def target_for(self, kind: Kind | str) -> Status | None:
        kind = Kind(kind)
        return self.target_by_kind.get(kind, self.target)

    def requires_for(self, kind: Kind | str) -> tuple[str, ...]:
        return self.requires_by_kind.get(Kind(kind), self.requires)


def _move(name, kinds, sources, target=None, requires=(), **by_kind) -> tuple[str, Move]:
    return name, Move(name, frozenset(kinds), frozenset(sources), target, tuple(requires), **by_kind)


_D, _C, _L, _T = Kind.DEVIATION, Kind.COMPLAINT, Kind.LEX_SARAH, Kind.SUPERVISION
_S = Status
# The three kinds of report (filed by staff or citizens); a supervision case is none of them:
# it is not triaged or investigated by the nämnd, it answers the authority's requests.
_REPORTS = frozenset({_D, _C, _L})

# The deadline steps of each kind (app/cases/deadlines/services.py holds their lengths) and the
# statuses during which each one runs: from receipt (or reopening) until the case leaves
# them. In order; a step not running in the case's status is done (or not needed).
_WHILE_OPEN = frozenset({_S.RECEIVED, _S.INVESTIGATING})
DEADLINE_STEPS: Mapping[Kind, Mapping[str, frozenset[Status]]] = MappingProxyType({
    # Lex Sarah's immediate protection runs while the report is open, until it is recorded (STEP_DONE_UNLESS).
    _L: MappingProxyType({"protection": frozenset(FLOWS[_L]) - {_S.CLOSED}, "triage": frozenset({_S.RECEIVED}),
                          "investigation": _WHILE_OPEN}),
    _D: MappingProxyType({"handling": _WHILE_OPEN}),
    _C: MappingProxyType({"acknowledgement": _WHILE_OPEN, "answer": _WHILE_OPEN}),
    # A supervision case has no steps of fixed length: its deadlines are the dates the
    # authority sets for each request and for the report-back (app/supervision/deadlines.py).
})
# A step that is done as soon as its fact is false, whatever the status: the immediate protection
# once it is recorded (the same fact the move record_protection requires). app/facts.py computes it.
STEP_DONE_UNLESS: Mapping[tuple[Kind, str], str] = MappingProxyType({(_L, "protection"): "protection_not_recorded"})
_ACKNOWLEDGEMENT_RUNS = DEADLINE_STEPS[_C]["acknowledgement"]
# A serious case is notified "snarast", possibly before the investigation is finished.
_IVO_NOTICE_FROM = frozenset({_S.INVESTIGATING, _S.AWAITING_JUDGMENT, _S.JUDGED})
# IVO's follow-up (supplement, decision) can arrive after the case is closed.
_IVO_FOLLOW_UP_FROM = _IVO_NOTICE_FROM | {_S.CLOSED}

# Lex Sarah: each item of informing must be settled (done on a date, or not applicable with a
# reason) before the report closes; one fact per item, so a refusal names the ones missing.
INFORMING_SETTLED: tuple[str, ...] = ("informed_client", "informed_guardian", "informed_case_file",
                                      "informed_reporter", "informed_work_group")
# Nothing closes a lex Sarah report before its duties are done: every item of informing
# settled and, once notified, the investigation sent to IVO.
_LEX_SARAH_DUTIES = (*INFORMING_SETTLED, "investigation_sent_if_notified")
# The notification to IVO is finalised (signed) only when it is complete: the officer's draft
# saved, the nämnd's details filled in, and every question of IVO's form answered.
NOTIFICATION_COMPLETE: tuple[str, ...] = (
    "draft_saved", "provider_complete", "seriousness_motivated", "activity_described", "other_reports_stated",
    "client_informing_stated", "client_identity_settled", "board_reference_recorded", "signature_place_recorded")

# The whole table, in the order the UI should offer the moves.
MOVES: dict[str, Move] = dict([
    # Triage: investigate, or a documented decision not to (with a reason). Every lex Sarah
    # report is investigated (IVO: "alla rapporter måste utredas"); it has no "not investigate".
    # Lex Sarah: what was done at once ("omedelbart") to protect the individual, recorded once;
    # first in the table, so that it is the first thing to do until it is recorded.
    _move("record_protection", {_L}, OPEN_STATUSES, requires=["protection_not_recorded"]),
    _move("triage_investigate", _REPORTS, {_S.RECEIVED}, _S.INVESTIGATING),
    _move("triage_not_investigate", {_D, _C}, {_S.RECEIVED}, _S.CLOSED,
          requires=["not_investigate_reason"]),
    # Lex Sarah's short investigation: the officer closes it early with a documented
    # ställningstagande (what happened, section 1, and the position, section 9) and a reason.
    _move("close_with_position", {_L}, {_S.RECEIVED, _S.INVESTIGATING}, _S.CLOSED,
          requires=["position_reason", "short_investigation_documented", *_LEX_SARAH_DUTIES,
                    # as every closing: actions still open only with the officer's confirmation (EITHER)
                    "open_actions_settled"]),
    # An investigator handling the report may propose it (one open proposal at a time); the officer
    # decides it (close_with_position adopts the proposal) or declines it with a reason.
    _move("propose_position", {_L}, {_S.RECEIVED, _S.INVESTIGATING}, requires=["no_position_proposed"]),
    _move("decline_position_proposal", {_L}, {_S.RECEIVED, _S.INVESTIGATING}, requires=["position_proposed"]),

    # Casework that never changes the status. None of it makes sense on a
    # closed case, except feedback to the reporter, which often comes last (and
    # needs a reporter in Värna to go to).
    _move("assign", ALL_KINDS, OPEN_STATUSES),
    _move("declare_disqualified", ALL_KINDS, OPEN_STATUSES),
    # Jäv: name or remove the staff the report concerns (they never see or handle it).
    _move("set_concerned_staff", _REPORTS, OPEN_STATUSES),
    _move("add_entry", _REPORTS, OPEN_STATUSES),
    _move("link_case", _REPORTS, OPEN_STATUSES),  # link or unlink a similar case
    _move("record_causes_and_risk", _REPORTS, OPEN_STATUSES),
    _move("give_feedback", ALL_KINDS, ALL_STATUSES, requires=["has_reporter"]),
    # The reporter adds information to their own report while it is open (a journal entry).
    _move("add_reporter_information", _REPORTS, OPEN_STATUSES),  # a supervision case has no reporter
    _move("add_action", ALL_KINDS, OPEN_STATUSES),
    # A complaint's acknowledgement runs while its deadline step runs, and only when one
    # is owed (not from the public form, which gave a receipt; not anonymous; not done).
    _move("acknowledge", {_C}, _ACKNOWLEDGEMENT_RUNS, requires=["acknowledgement_owed"]),

    # Lex Sarah: investigation, then the officer's judgment.
    _move("propose_judgment", {_L}, {_S.INVESTIGATING, _S.AWAITING_JUDGMENT}),
    # Finishing needs each of the nine sections of SOSFS 2011:5 addressed (an entry or an
    # explicit "nothing to record" with a reason), the causes and the risk assessment.
    _move("finish_investigation", {_L}, {_S.INVESTIGATING}, _S.AWAITING_JUDGMENT,
          requires=["has_entries", "record_sections_addressed", "causes_recorded", "risk_assessed"]),
    _move("record_judgment", {_L}, {_S.AWAITING_JUDGMENT}, _S.JUDGED),

    # IVO: the draft of the notification and the notification itself, only once.
    # The officer finalises (signs) it, which freezes the document, and then records how and
    # when it was sent; IVO's reference is added when IVO confirms it.
    _move("save_ivo_draft", {_L}, _IVO_NOTICE_FROM, requires=["not_yet_notified", "not_yet_finalised"]),
    # Finalising needs the saved draft, the nämnd's details, and every question of IVO's form
    # answered (a refusal lists each one missing).
    _move("finalise_notification", {_L}, _IVO_NOTICE_FROM,
          requires=["not_yet_notified", "not_yet_finalised", *NOTIFICATION_COMPLETE]),
    _move("notify_ivo", {_L}, _IVO_NOTICE_FROM, requires=["not_yet_notified", "notification_finalised"]),
    # Only a serious judgment needs a decision about IVO, and it is made once.
    _move("record_ivo_decision_not_to_notify", {_L}, {_S.JUDGED},
          requires=["judged_serious", "ivo_undecided"]),
    # IVO's follow-up, each recorded once: the investigation sent, IVO's decision.
    _move("record_investigation_sent", {_L}, _IVO_FOLLOW_UP_FROM,
          requires=["notified", "investigation_not_sent"]),
    _move("record_ivo_decision", {_L}, _IVO_FOLLOW_UP_FROM,
          requires=["notified", "ivo_decision_pending"]),
    _move("record_ivo_reference", {_L}, _IVO_FOLLOW_UP_FROM, requires=["notified", "ivo_reference_missing"]),
    # IVO may ask for a supplement (komplettering) by a deadline, more than once: each request, then
    # its reply (a request not yet answered).
    _move("record_supplement_request", {_L}, _IVO_FOLLOW_UP_FROM, requires=["notified"]),
    _move("record_supplement_reply", {_L}, _IVO_FOLLOW_UP_FROM, requires=["supplement_awaiting_reply"]),
    # Who was informed of the report and its outcome: at any time, also once closed.
    _move("record_informing", {_L}, ALL_STATUSES),

    # Moving between kinds. The service layer creates the new, linked case;
    # here we only say what happens to the old one. A lex Sarah report judged
    # "none" is closed and handed over. A deviation is replaced by its lex
    # Sarah report and closed; a complaint stays open because the complainant
    # is still owed an answer (answered complaints can still escalate).
    _move("hand_over_to_deviation", {_L}, {_S.JUDGED}, _S.CLOSED, requires=["judged_none", *INFORMING_SETTLED]),
    _move("escalate_to_lex_sarah", {_D, _C}, {_S.RECEIVED, _S.INVESTIGATING, _S.ANSWERED},
          None, target_by_kind={_D: _S.CLOSED}, requires=["not_yet_escalated"]),
    # (A complaint stays open after it became a lex Sarah report, but becomes one once.)
    # (Deviations never reach "answered": FLOWS keeps that source out for them.)

    _move("record_answer", {_C}, {_S.INVESTIGATING}, _S.ANSWERED),

    # Supervision (tillsyn): the authority's requests (each with its deadline) and the
    # nämnd's replies, the authority's decision, and the report-back of the measures.
    # A new request may come at any time before the decision; once every request is
    # answered the case awaits the decision (the reply's service makes that move itself).
    _move("record_supervision_request", {_T}, {_S.RECEIVED, _S.ANSWERING, _S.AWAITING_DECISION},
          _S.ANSWERING),
    _move("extend_supervision_deadline", {_T}, {_S.ANSWERING, _S.DECIDED}, requires=["request_open"]),
    _move("record_supervision_reply", {_T}, {_S.ANSWERING}, requires=["request_open"]),
    _move("await_supervision_decision", {_T}, {_S.ANSWERING}, _S.AWAITING_DECISION,
          requires=["requests_answered"]),
    # The decision may come without any request (an inspection), never while one is open.
    _move("record_supervision_decision", {_T}, {_S.RECEIVED, _S.AWAITING_DECISION}, _S.DECIDED,
          requires=["requests_answered"]),
    # Demands and injunctions: the measures reported back by the date the decision set.
    _move("record_report_back", {_T}, {_S.DECIDED}, requires=["report_back_owed"]),

    # One "close" for every kind, so the UI has one button; kinds differ in
    # where it may start and what must be settled first:
    # - deviation: after the investigation;
    # - complaint: once answered, or while investigating if no answer is
    #   wanted (or possible: anonymous). The caller computes one fact,
    #   answer_recorded_or_not_wanted, which is True in "answered" by
    #   construction; a single per-kind requirement instead of a second row.
    # - lex Sarah: after judgment, once the IVO question is settled (serious:
    #   notified or a recorded reason not to; True when not serious), every item
    #   of informing is settled and, when notified, the investigation was sent.
    # (sources holds the union, for anyone reading Move.sources directly.)
    # - supervision: once decided and any report-back sent.
    _move("close", ALL_KINDS, {_S.INVESTIGATING, _S.ANSWERED, _S.JUDGED, _S.DECIDED}, _S.CLOSED,
          sources_by_kind={_D: frozenset({_S.INVESTIGATING}),
                           _C: frozenset({_S.INVESTIGATING, _S.ANSWERED}),
                           _L: frozenset({_S.JUDGED}),
                           _T: frozenset({_S.DECIDED})},
          requires_by_kind={_D: ("open_actions_settled",),
                            _C: ("answer_recorded_or_not_wanted", "open_actions_settled"),
                            _L: ("ivo_question_settled", *_LEX_SARAH_DUTIES, "open_actions_settled"),
                            _T: ("report_back_settled", "open_actions_settled")}),
    # Every kind: a case with actions still planned or in progress closes only when the
    # person confirms it with a reason (EITHER below), which the journal keeps.

    # A reopened supervision case goes back to its decision (e.g. a report-back IVO asks again for).
    _move("reopen", ALL_KINDS, {_S.CLOSED}, _S.INVESTIGATING, requires=["reopen_reason"],
          target_by_kind={_T: _S.DECIDED}),
])

# A requirement that either of two facts meets: the case's own state, or the person's
# explicit confirmation on the form (a form fact: the service checks it has its reason).
EITHER: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "open_actions_settled": ("no_open_actions", "open_actions_confirmed"),
})

# Every requirement a move can have. Each is a fact computed from the database by
# app/facts.py (facts_for), except FORM_FACTS, which the person's form supplies when the
# move is made, and those of EITHER, met by one of their facts.
REQUIREMENTS: frozenset[str] = frozenset(
    fact for move in MOVES.values()
    for fact in (*move.requires, *(f for r in move.requires_by_kind.values() for f in r)))
FORM_FACTS: frozenset[str] = frozenset({"not_investigate_reason", "reopen_reason", "open_actions_confirmed",
                                        "position_reason"})


# Presentation, not permission: when a fact holds and the move is among those possible now,
# the interface proposes it first (and explains why). A deviation that may be a missförhållande
# (an abuse category, or the reporter's own mark) is proposed for lex Sarah before anything
# else; the move itself keeps its own row above.
PROPOSED_FIRST: Mapping[str, str] = MappingProxyType({
    "possible_misconduct": "escalate_to_lex_sarah",
})


def proposed_first(moves: Iterable[str], facts: Mapping[str, bool]) -> str | None:
    """The move to propose first among `moves` (the names offered now), or None."""
    offered = set(moves)
    return next((move for fact, move in PROPOSED_FIRST.items() if facts.get(fact) and move in offered), None)


def _met(requirement: str, facts: Mapping[str, bool]) -> bool:
    return bool(facts.get(requirement, False)) or any(facts.get(fact, False) for fact in EITHER.get(requirement, ()))


def deadline_steps(kind: Kind | str) -> tuple[str, ...]:
    """The deadline steps of a kind, in order (none for a kind without steps)."""
    return tuple(DEADLINE_STEPS.get(Kind(kind), {}))


def step_runs(kind: Kind | str, step: str, status: Status | str) -> bool:
    """Whether the deadline step runs while the case has this status."""
    return Status(status) in DEADLINE_STEPS[Kind(kind)][step]


# The Swedish words for all of this are in app/labels.py (this module stays free of Flask).


class MoveRefused(Exception):
    """A move that is not allowed now; ``code`` says why, ``unmet`` lists missing facts."""

    CODES = frozenset({"unknown_move", "wrong_kind", "wrong_status", "unmet_requirements"})

    def __init__(self, code: str, move: str, kind, status, unmet: tuple[str, ...] = ()):
        assert code in self.CODES, code
        self.code, self.move, self.kind, self.status, self.unmet = code, move, kind, status, unmet
        detail = f": missing {', '.join(unmet)}" if unmet else ""
        super().__init__(f"{move!r} refused for {kind} in {status} ({code}){detail}")


_NO_FACTS: Mapping[str, bool] = MappingProxyType({})


def statuses_for(kind: Kind | str) -> tuple[Status, ...]:
    return FLOWS[Kind(kind)]


def _refusal(kind, status, move_name, facts) -> MoveRefused | None:
    """The reason move_name is refused, or None if it is allowed. Checked in a
    fixed order so each refusal has exactly one code."""
    move = MOVES.get(move_name)
    if move is None:
        return MoveRefused("unknown_move", move_name, kind, status)
    if kind not in move.kinds:
        return MoveRefused("wrong_kind", move_name, kind, status)
    if status not in FLOWS[kind] or status not in move.sources_for(kind):
        return MoveRefused("wrong_status", move_name, kind, status)
    unmet = tuple(r for r in move.requires_for(kind) if not _met(r, facts))
    if unmet:
        return MoveRefused("unmet_requirements", move_name, kind, status, unmet)
    return None


def available_moves(kind: Kind | str, status: Status | str,
                    facts: Mapping[str, bool] = _NO_FACTS) -> list[Move]:
    kind, status = Kind(kind), Status(status)
    return [m for m in MOVES.values() if _refusal(kind, status, m.name, facts) is None]


def check(kind: Kind | str, status: Status | str, move_name: str,
          facts: Mapping[str, bool] = _NO_FACTS) -> tuple[bool, tuple[str, ...]]:
    """(allowed, unmet requirement names). Never raises: a view can call it to
    decide whether to show a button, even with a kind or status it does not know."""
    try:
        kind, status = Kind(kind), Status(status)
    except ValueError:
        return False, ()
    refusal = _refusal(kind, status, move_name, facts)
    return (True, ()) if refusal is None else (False, refusal.unmet)


def next_status(kind: Kind | str, status: Status | str, move_name: str,
                facts: Mapping[str, bool] = _NO_FACTS) -> Status:
    """The status after the move, or MoveRefused. A kind or status value that
    does not exist is a programming error and raises ValueError."""
    kind, status = Kind(kind), Status(status)
    refusal = _refusal(kind, status, move_name, facts)
    if refusal is not None:
        raise refusal
    target = MOVES[move_name].target_for(kind)
    return status if target is None else target
