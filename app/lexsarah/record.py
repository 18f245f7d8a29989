"""The lex Sarah investigation record as a whole: an explicit "nothing to record" for a section,
and the checklist of what is still missing before the investigation can be finished.

The entries themselves, the causes and the risk are app.cases.investigation.services's; finishing is its
`finish_investigation`, whose requirements (app/workflow.py) this checklist spells out.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app import commands, workflow
from app.cases import journal
from app.cases.models import RECORD_SECTIONS, Case
from app.clock import utcnow
from app.commands import CaseWorkError
from app.extensions import db
from app.facts import addressed_sections, facts_for
from app.lexsarah.models import LexSarahSectionNote
from app.workflow import Kind

REASON_MAX = 2000


def notes_of(case: Case) -> dict[str, LexSarahSectionNote]:
    return {note.section: note for note in db.session.scalars(
        select(LexSarahSectionNote).where(LexSarahSectionNote.case_id == case.id))}


@dataclass(frozen=True)
class Checklist:
    """What finishing the investigation needs, and what is still missing."""

    missing_sections: tuple[str, ...]  # in the order of SOSFS 2011:5
    causes: bool
    risk: bool

    @property
    def complete(self) -> bool:
        return not self.missing_sections and self.causes and self.risk


def checklist(case: Case) -> Checklist | None:
    """None unless the case is a lex Sarah report whose investigation could be finished now."""
    if case.kind != Kind.LEX_SARAH or case.status not in workflow.MOVES["finish_investigation"].sources_for(case.kind):
        return None
    addressed = addressed_sections(case)
    facts = facts_for(case)
    return Checklist(missing_sections=tuple(s for s in RECORD_SECTIONS if s not in addressed),
                     causes=facts["causes_recorded"], risk=facts["risk_assessed"])


def open_note(actor, reference: str, section: str) -> Case:
    """The form for "nothing to record": for those who may document the investigation now."""
    if section not in RECORD_SECTIONS:
        raise commands.CaseNotFound(reference)
    case = commands.load_case(reference)
    if case.kind != Kind.LEX_SARAH:
        raise commands.CaseNotFound(reference)
    commands.begin(actor, reference, "add_entry", case.version)
    commands.record("case.viewed", actor, case, page="section_note", section=section)
    db.session.commit()
    return case


def mark_nothing_to_record(actor, reference: str, *, section: str, reason: str,
                           expected_version: int) -> LexSarahSectionNote:
    """Record that a section has nothing to record, and why (documenting the investigation: add_entry)."""
    if section not in RECORD_SECTIONS:
        raise commands.CaseNotFound(reference)
    case = commands.begin(actor, reference, "add_entry", expected_version)
    if case.kind != Kind.LEX_SARAH:
        raise commands.CaseNotFound(reference)
    reason = commands.required(reason, _("Skriv varför det inte finns något att anteckna under punkten."),
                               "reason", REASON_MAX)
    if section in notes_of(case):
        raise CaseWorkError(_("Punkten är redan markerad. Lägg till en anteckning om något har tillkommit."),
                            "reason")
    commands.target(case, "add_entry")
    note = LexSarahSectionNote(case_id=case.id, section=section, reason=reason, recorded_by_id=actor.id,
                               recorded_by_name=actor.full_name, recorded_at=utcnow())
    db.session.add(note)
    journal.add_event(case, "section_nothing_to_record", actor, text=reason, section=section)
    commands.record("case.section_nothing_to_record", actor, case, section=section)
    commands.commit(actor, case, "add_entry")
    return note
