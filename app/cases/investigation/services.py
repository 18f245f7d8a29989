"""The investigation record: entries, causes, risk, similar cases, and finishing a lex Sarah
investigation.

An entry records its date, its source, whether it is a fact or an assessment, and its
author with title (taken from the account, never typed). Entries are never edited: a
mistake is corrected by a later entry that points at it. A lex Sarah record is kept in
the nine sections of SOSFS 2011:5, 5 kap.; the other kinds keep one list.

Like every case service: permission, the version the form was loaded with, the state
machine's answer for the move, journal, audit, one commit (app.cases.casework.services' helpers).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import DateTime, bindparam, cast, exists, literal_column, null, or_, select
from sqlalchemy.orm import selectinload

from app import commands
from app.auth.permissions import Action, can
from app.cases import journal
from app.cases.deadlines.services import StepDeadline, deadline_start, shown_rules, step_deadlines
from app.cases.investigation.forms import risk_band
from app.cases.models import (
    CAUSE_AREAS,
    ENTRY_NATURES,
    RECORD_SECTIONS,
    Case,
    CaseCauses,
    CaseLink,
    CaseRisk,
    Category,
    InvestigationEntry,
    case_categories,
    case_cause_areas,
)
from app.clock import add_months, today_local, utcnow
from app.commands import CaseWorkError
from app.extensions import db
from app.workflow import Kind

SIMILAR_MONTHS = 24
SIMILAR_LIMIT = 10
# The moves of this module; the case page shows their links when the person can make them.
RECORD_MOVES = ("add_entry", "record_causes_and_risk", "finish_investigation")


# --- reading ------------------------------------------------------------------------------

# The case page's statements, built once (building one and its cache key on every view cost
# about as much as running it).
_ENTRIES = (select(InvestigationEntry).where(InvestigationEntry.case_id == bindparam("case_id"))
            .order_by(InvestigationEntry.id))
_CAUSES_AND_RISK = (select(CaseCauses, CaseRisk).select_from(Case)
                    .outerjoin(CaseCauses, CaseCauses.case_id == Case.id)
                    .outerjoin(CaseRisk, CaseRisk.case_id == Case.id).where(Case.id == bindparam("case_id")))
# The linked similar cases (either side of the link) and the cases handed over to, as ids.
_LINKS_AND_HAND_OVERS = (
    select(literal_column("0").label("handed"), CaseLink.id.label("at_id"), CaseLink.case_id,
           CaseLink.linked_case_id, CaseLink.linked_at)
    .where(or_(CaseLink.case_id == bindparam("case_id"), CaseLink.linked_case_id == bindparam("case_id")))
    .union_all(select(literal_column("1"), Case.id, Case.id, Case.id, cast(null(), DateTime))
               .where(Case.origin_case_id == bindparam("case_id")))
    .order_by("handed", "at_id"))


def entries_of(case: Case) -> list[InvestigationEntry]:
    return list(db.session.scalars(_ENTRIES, {"case_id": case.id}))


def cause_areas_of(case: Case) -> list[str]:
    chosen = set(db.session.scalars(select(case_cause_areas.c.area).where(case_cause_areas.c.case_id == case.id)))
    return [area for area in CAUSE_AREAS if area in chosen]


@dataclass
class LinkedCase:
    case: Case
    linked_at: datetime
    visible: bool  # the person may open it (else only its reference is shown)


@dataclass
class RecordView:
    entries: list[InvestigationEntry]
    numbers: dict[int, int]                  # entry id -> its number on the page
    corrected_by: dict[int, list[int]]       # entry id -> ids of the entries correcting it
    sections: list[tuple[str | None, list[InvestigationEntry]]]
    causes: CaseCauses | None
    areas: list[str]
    risk: CaseRisk | None
    risk_label: str
    links: list[LinkedCase]
    suggestions: list[Case]
    deadlines: list[StepDeadline]
    origin: Case | None
    handed_to: list[Case]
    moves: set[str] = field(default_factory=set)  # of RECORD_MOVES and the hand-overs, what the person can do
    can_acknowledge: bool = False
    now: datetime = field(default_factory=utcnow)
    suggestions_asked: bool = False  # the person asked for suggestions (they cost a search; not on every view)


def view_record(actor, case: Case, moves: list[str], *, with_suggestions: bool = False) -> RecordView:
    """What the case page shows of the investigation. Called after services.view_case, which
    checked that the person sees the whole case and wrote the audit entry. The similar cases
    are looked for only when the person asks (`with_suggestions`): on every view they were a
    fifth of the page's cost."""
    entries = entries_of(case)
    corrected_by: dict[int, list[int]] = {}
    for entry in entries:
        if entry.corrects_id is not None:
            corrected_by.setdefault(entry.corrects_id, []).append(entry.id)
    if case.kind == Kind.LEX_SARAH:
        sections = [(name, [e for e in entries if e.section == name]) for name in RECORD_SECTIONS]
    else:
        sections = [(None, entries)]
    causes, risk = causes_and_risk(case)
    links, handed_to = _links_and_hand_overs(actor, case)
    can_link = "link_case" in moves
    return RecordView(
        entries=entries, numbers={e.id: n for n, e in enumerate(entries, start=1)}, corrected_by=corrected_by,
        sections=sections, causes=causes,
        # The areas are recorded with the causes (record_causes) and shown with them only.
        areas=cause_areas_of(case) if causes is not None else [], risk=risk,
        risk_label=risk_band(risk.score) if risk else "", links=links,
        suggestions=similar_cases(actor, case, exclude={link.case.id for link in links})
        if can_link and with_suggestions else [], suggestions_asked=with_suggestions,
        # When the steps started, from the journal the page shows (no statement of its own).
        deadlines=step_deadlines(case, shown_rules(), deadline_start(case, journal=case.journal)),
        origin=case.origin_case, handed_to=handed_to,
        moves={m for m in moves if m in RECORD_MOVES or m in ("hand_over_to_deviation", "escalate_to_lex_sarah")},
        can_acknowledge="acknowledge" in moves)


def causes_and_risk(case: Case) -> tuple[CaseCauses | None, CaseRisk | None]:
    """The case's causes and risk assessment in one statement (one each before), unless both are
    already in the session (a lex Sarah case's workflow facts read them: app.facts)."""
    session = db.session()
    kept = [session.identity_map.get(session.identity_key(model, (case.id,))) for model in (CaseCauses, CaseRisk)]
    if all(found is not None for found in kept):
        return kept[0], kept[1]
    row = session.execute(_CAUSES_AND_RISK, {"case_id": case.id}).one()
    return row[0], row[1]


def _links_and_hand_overs(actor, case: Case) -> tuple[list[LinkedCase], list[Case]]:
    """The linked similar cases (as linked_cases) and the cases this one was handed over to, by
    one statement of ids (and one of the cases when there are any); they were two and two."""
    rows = db.session.execute(_LINKS_AND_HAND_OVERS, {"case_id": case.id}).all()
    if not rows:
        return [], []
    linked = {(b if a == case.id else a): at for handed, _id, a, b, at in rows if not handed}
    handed_ids = [row[1] for row in rows if row[0]]
    loaded = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_([*linked, *handed_ids])).options(
        selectinload(Case.unit), selectinload(Case.disqualifications), selectinload(Case.concerned)))}
    return (_known_links(actor, linked, loaded), [loaded[i] for i in handed_ids])


def _known_links(actor, others: dict, loaded: dict) -> list[LinkedCase]:
    # A link to a case the person may not even know of (a report that bypassed the manager) is left out.
    return [LinkedCase(loaded[i], at, can(actor, Action.VIEW_CASE, loaded[i])) for i, at in others.items()
            if can(actor, Action.KNOW_OF_CASE, loaded[i])]


def linked_cases(actor, case: Case) -> list[LinkedCase]:
    """The cases linked as similar, whichever of the two the link was made on."""
    rows = db.session.execute(
        select(CaseLink.case_id, CaseLink.linked_case_id, CaseLink.linked_at)
        .where(or_(CaseLink.case_id == case.id, CaseLink.linked_case_id == case.id)).order_by(CaseLink.id)).all()
    others = {(b if a == case.id else a): at for a, b, at in rows}
    if not others:
        return []
    loaded = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(others)).options(
        selectinload(Case.unit), selectinload(Case.disqualifications), selectinload(Case.concerned)))}
    return _known_links(actor, others, loaded)


def similar_cases(actor, case: Case, *, exclude: set[int] = frozenset(), limit: int = SIMILAR_LIMIT) -> list[Case]:
    """"Has something similar happened before?": cases of the same unit that share a category
    (by name, so a deviation and a lex Sarah report of the same kind of event meet), received
    in the 24 months before this one or since, newest first. Only what the person may see."""
    names = [c.name for c in case.categories]
    if not names:
        return []
    shared = exists().where(case_categories.c.case_id == Case.id, case_categories.c.category_id.in_(
        select(Category.id).where(Category.name.in_(names))))
    query = (select(Case).where(Case.unit_id == case.unit_id, Case.id != case.id,
                                Case.received_at >= add_months(case.received_at, -SIMILAR_MONTHS), shared)
             .options(selectinload(Case.unit), selectinload(Case.categories), selectinload(Case.disqualifications),
                      selectinload(Case.concerned))
             .order_by(Case.received_at.desc(), Case.id.desc()).limit(limit + len(exclude) + 10))
    found = [c for c in db.session.scalars(query) if c.id not in exclude and can(actor, Action.VIEW_CASE, c)]
    return found[:limit]


# --- entries ------------------------------------------------------------------------------

def add_entry(actor, reference: str, *, section: str | None, entry_date: date | None, source: str, nature: str,
              text: str, corrects_id: int | None = None, expected_version: int) -> InvestigationEntry:
    """A new entry; author, title and time come from the account and the clock."""
    case = commands.begin(actor, reference, "add_entry", expected_version)
    corrected = None
    if corrects_id is not None:
        corrected = db.session.get(InvestigationEntry, corrects_id)
        if corrected is None or corrected.case_id != case.id:
            raise CaseWorkError(_("Välj en anteckning i det här ärendet."), "corrects")
        section = corrected.section  # a correction belongs where what it corrects is
    if case.kind == Kind.LEX_SARAH:
        if section not in RECORD_SECTIONS:
            raise CaseWorkError(_("Välj vilket avsnitt anteckningen hör till."), "section")
    else:
        section = None
    if entry_date is None:
        raise CaseWorkError(_("Ange datumet som ÅÅÅÅ-MM-DD."), "entry_date")
    if entry_date > today_local():
        raise CaseWorkError(_("Datumet kan inte vara senare än i dag."), "entry_date")
    if entry_date.year < 1900:
        raise CaseWorkError(_("Ange ett rimligt datum."), "entry_date")
    source = commands.required(source, _("Skriv vem eller vad uppgiften kommer från."), "source", 300)
    if nature not in ENTRY_NATURES:
        raise CaseWorkError(_("Välj om anteckningen är fakta eller en bedömning."), "nature")
    text = commands.required(text, _("Skriv anteckningen."), "text", 10000)
    commands.target(case, "add_entry")
    entry = InvestigationEntry(case_id=case.id, section=section, entry_date=entry_date, source=source,
                               nature=nature, text=text, author_id=actor.id, author_name=actor.full_name,
                               author_title=actor.title or "", created_at=utcnow(),
                               corrects_id=corrected.id if corrected else None)
    db.session.add(entry)
    db.session.flush()
    journal.add_event(case, "entry_added", actor, entry_id=entry.id, section=section, nature=nature,
                      corrects_id=entry.corrects_id)
    commands.record("case.entry_added", actor, case, entry_id=entry.id, section=section, corrects_id=entry.corrects_id)
    commands.commit(actor, case, "add_entry")
    return entry


# --- causes and risk ----------------------------------------------------------------------

def record_causes(actor, reference: str, *, areas: list[str], text: str, expected_version: int) -> CaseCauses:
    """The cause areas (one or more) and a description. Recorded again, it replaces the old,
    which the journal keeps."""
    case = commands.begin(actor, reference, "record_causes_and_risk", expected_version)
    chosen = [a for a in CAUSE_AREAS if a in set(areas or ())]
    if not chosen or len(chosen) != len(set(areas)):
        raise CaseWorkError(_("Välj minst ett orsaksområde i listan."), "areas")
    text = commands.required(text, _("Beskriv orsakerna."), "text", 10000)
    commands.target(case, "record_causes_and_risk")
    causes = db.session.get(CaseCauses, case.id)
    previous = {"areas": cause_areas_of(case), "text": causes.text} if causes else None
    if causes is None:
        causes = CaseCauses(case_id=case.id)
        db.session.add(causes)
    causes.text, causes.recorded_at = text, utcnow()
    causes.recorded_by_id, causes.recorded_by_name = actor.id, actor.full_name
    db.session.execute(case_cause_areas.delete().where(case_cause_areas.c.case_id == case.id))
    db.session.execute(case_cause_areas.insert(), [{"case_id": case.id, "area": a} for a in chosen])
    journal.add_event(case, "causes_and_risk_recorded", actor, text=text, what="causes", areas=chosen,
                      previous=previous)
    commands.record("case.causes_recorded", actor, case, areas=chosen)
    commands.commit(actor, case, "record_causes_and_risk")
    return causes


def record_risk(actor, reference: str, *, probability: int | None, consequence: int | None, text: str,
                expected_version: int) -> CaseRisk:
    """The risk that it happens again: probability 1–4 × consequence 1–4, and why."""
    case = commands.begin(actor, reference, "record_causes_and_risk", expected_version)
    if probability not in (1, 2, 3, 4):
        raise CaseWorkError(_("Välj sannolikheten."), "probability")
    if consequence not in (1, 2, 3, 4):
        raise CaseWorkError(_("Välj konsekvensen."), "consequence")
    text = commands.required(text, _("Motivera riskbedömningen."), "text", 5000)
    commands.target(case, "record_causes_and_risk")
    risk = db.session.get(CaseRisk, case.id)
    previous = ({"probability": risk.probability, "consequence": risk.consequence, "text": risk.text}
                if risk else None)
    if risk is None:
        risk = CaseRisk(case_id=case.id)
        db.session.add(risk)
    risk.probability, risk.consequence, risk.text = probability, consequence, text
    risk.recorded_at, risk.recorded_by_id, risk.recorded_by_name = utcnow(), actor.id, actor.full_name
    score = probability * consequence
    journal.add_event(case, "causes_and_risk_recorded", actor,
                      text=_("Risk: %(p)d × %(c)d = %(score)d, %(band)s. %(why)s", p=probability, c=consequence,
                             score=score, band=risk_band(score).lower(), why=text),
                      what="risk", probability=probability, consequence=consequence, previous=previous)
    commands.record("case.risk_recorded", actor, case, probability=probability, consequence=consequence)
    commands.commit(actor, case, "record_causes_and_risk")
    return risk


# --- similar cases ------------------------------------------------------------------------

def _other_case(actor, case: Case, reference: str) -> Case:
    reference = commands.clean(reference).upper()
    other = db.session.scalar(select(Case).where(Case.reference == reference)) if reference else None
    # An unknown reference and one the person may not see get the same answer.
    if other is None or not can(actor, Action.VIEW_CASE, other):
        raise CaseWorkError(_("Det finns inget ärende %(ref)s som du har tillgång till.", ref=reference or "–"),
                            "reference")
    if other.id == case.id:
        raise CaseWorkError(_("Ange ett annat ärende än det här."), "reference")
    return other


def _link_between(case: Case, other: Case) -> CaseLink | None:
    return db.session.scalar(select(CaseLink).where(or_(
        (CaseLink.case_id == case.id) & (CaseLink.linked_case_id == other.id),
        (CaseLink.case_id == other.id) & (CaseLink.linked_case_id == case.id))))


def link_similar_case(actor, reference: str, *, other_reference: str, expected_version: int) -> CaseLink:
    """Link a similar case (a suggestion, or any case the person sees). Shown on both cases."""
    case = commands.begin(actor, reference, "link_case", expected_version)
    other = _other_case(actor, case, other_reference)
    if _link_between(case, other) is not None:
        raise CaseWorkError(_("%(ref)s är redan kopplat till ärendet.", ref=other.reference), "reference")
    commands.target(case, "link_case")
    link = CaseLink(case_id=case.id, linked_case_id=other.id, linked_by_id=actor.id, linked_at=utcnow())
    db.session.add(link)
    journal.add_event(case, "case_linked", actor, text=other.reference, linked_case_id=other.id,
                      linked_reference=other.reference)
    commands.record("case.linked", actor, case, linked_case_id=other.id)
    commands.commit(actor, case, "link_case")
    return link


def unlink_similar_case(actor, reference: str, *, other_reference: str, expected_version: int) -> None:
    case = commands.begin(actor, reference, "link_case", expected_version)
    other = _other_case(actor, case, other_reference)
    link = _link_between(case, other)
    if link is None:
        raise CaseWorkError(_("%(ref)s är inte kopplat till ärendet.", ref=other.reference), "reference")
    commands.target(case, "link_case")
    db.session.delete(link)
    journal.add_event(case, "case_unlinked", actor, text=other.reference, linked_case_id=other.id,
                      linked_reference=other.reference)
    commands.record("case.unlinked", actor, case, linked_case_id=other.id)
    commands.commit(actor, case, "link_case")


# --- finishing a lex Sarah investigation --------------------------------------------------

def finish_investigation(actor, reference: str, *, expected_version: int) -> Case:
    """The investigation goes to the officer for judgment. It must have something in it
    (the requirement ``has_entries``)."""
    case = commands.begin(actor, reference, "finish_investigation", expected_version)
    case.status = commands.target(case, "finish_investigation")
    journal.add_event(case, "investigation_finished", actor)
    commands.record("case.investigation_finished", actor, case)
    commands.commit(actor, case, "finish_investigation")
    return case

