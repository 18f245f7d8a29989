"""The investigation "Utredning enligt lex Sarah" as HTML and PDF, and the record it is drawn from.

The document follows the nine sections of the investigation (SOSFS 2011:5, 5 kap.): each with
its entries and their provenance (date, source, fact or assessment, who wrote it and when), or
the explicit "nothing to record" with its reason; the causes under section 4, the cases linked
as similar under 5, the risk assessment under 6, the actions with their dates under 7, the
judgment (or the officer's ställningstagande) under 9; and the legal line chosen by the date
of the event, as on the notification (app/lexsarah/legal.py through document.legal_line).

Until the investigation is recorded as sent to IVO the document is drawn from the record as it
is now and marked as a preview; recording it as sent freezes it (`freeze`): the HTML and PDF
are stored with their SHA-256 and only that copy is shown afterwards. Like the notification it
is always in Swedish. The judgment page shows the same record (`read_record`) beside the three
questions.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from app.actions.labels import STATUS_LABELS as ACTION_STATUS_LABELS
from app.actions.models import CaseAction
from app.actions.services import actions_of_case
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases.investigation.forms import CAUSE_AREA_LABELS, NATURE_LABELS, SECTION_LABELS, risk_band
from app.cases.investigation.services import LinkedCase, cause_areas_of, entries_of, linked_cases, similar_cases
from app.cases.models import RECORD_SECTIONS, Case, CaseCauses, CaseRisk, InvestigationEntry
from app.clock import to_local, utcnow
from app.extensions import db
from app.lexsarah.common import LexSarahError, audit_case
from app.lexsarah.document import DRAFT_RED, build_pdf, legal_line, pdf_text, sha256
from app.lexsarah.labels import POSITION_REASON_LABELS, judgment_label
from app.lexsarah.models import LexSarahInvestigationDocument, LexSarahSectionNote
from app.lexsarah.provider import provider_settings
from app.lexsarah.record import notes_of
from app.pdf_fonts import FONT as _FONT
from app.pdf_fonts import FONT_BOLD as _FONT_BOLD
from app.pdf_fonts import register as _register_fonts
from app.workflow import Kind

TITLE = "Utredning enligt lex Sarah"  # what IVO calls it; the same in every language


# --- the record, read -----------------------------------------------------------------------

@dataclass
class Record:
    """The investigation record of a lex Sarah case, section by section."""

    sections: list[tuple[str, list[InvestigationEntry], LexSarahSectionNote | None]]
    numbers: dict[int, int]             # entry id -> its number (as on the case page)
    corrected_by: dict[int, list[int]]  # entry id -> the entries correcting it
    causes: CaseCauses | None
    areas: list[str]
    risk: CaseRisk | None
    links: list[LinkedCase]
    actions: list[CaseAction]
    similar: list[Case] = field(default_factory=list)  # suggestions (the judgment page only)


def read_record(actor, case: Case, *, with_similar: bool = False) -> Record:
    """The record as the case page keeps it. `with_similar`: also the case page's suggestions of
    similar cases (same unit and category, 24 months; only cases the person may see)."""
    entries = entries_of(case)
    corrected_by: dict[int, list[int]] = {}
    for entry in entries:
        if entry.corrects_id is not None:
            corrected_by.setdefault(entry.corrects_id, []).append(entry.id)
    notes = notes_of(case)
    links = linked_cases(actor, case)
    return Record(
        sections=[(name, [e for e in entries if e.section == name], notes.get(name)) for name in RECORD_SECTIONS],
        numbers={e.id: n for n, e in enumerate(entries, start=1)}, corrected_by=corrected_by,
        causes=db.session.get(CaseCauses, case.id), areas=cause_areas_of(case), risk=db.session.get(CaseRisk, case.id),
        links=links, actions=actions_of_case(case),
        similar=similar_cases(actor, case, exclude={link.case.id for link in links}) if with_similar else [])


# --- the document's parts -------------------------------------------------------------------

@dataclass
class Item:
    heading: str
    text: str
    provenance: str = ""


@dataclass
class Part:
    heading: str
    items: list[Item] = field(default_factory=list)
    note: str = ""  # "inget att anteckna" and its reason, or that nothing is recorded


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _moment(value) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _entry_item(record: Record, entry: InvestigationEntry) -> Item:
    heading = " · ".join((_("Anteckning %(n)d", n=record.numbers[entry.id]), entry.entry_date.isoformat(),
                          str(NATURE_LABELS[entry.nature])))
    written = ", ".join(part for part in (entry.author_name, entry.author_title) if part)
    provenance = [_("Källa: %(source)s", source=entry.source),
                  _("Antecknad av %(who)s, %(at)s", who=written, at=_moment(entry.created_at))]
    if entry.corrects_id in record.numbers:
        provenance.append(_("Rättar anteckning %(n)d", n=record.numbers[entry.corrects_id]))
    if entry.id in record.corrected_by:
        provenance.append(_("Rättad i anteckning %(n)s",
                            n=", ".join(str(record.numbers[c]) for c in record.corrected_by[entry.id])))
    return Item(heading, entry.text, ". ".join(provenance) + ".")


def _causes_item(record: Record) -> Item:
    if record.causes is None:
        return Item(_("Orsaker"), _("Inga orsaker registrerade."))
    areas = "; ".join(str(CAUSE_AREA_LABELS[a]) for a in record.areas)
    return Item(_("Orsaker"), _("Orsaksområden: %(areas)s", areas=areas) + "\n" + record.causes.text,
                _("Registrerade av %(who)s %(at)s.", who=record.causes.recorded_by_name,
                  at=_moment(record.causes.recorded_at)))


def _risk_item(record: Record) -> Item:
    risk = record.risk
    if risk is None:
        return Item(_("Riskbedömning"), _("Ingen riskbedömning registrerad."))
    score = _("Sannolikhet %(p)d × konsekvens %(c)d = %(score)d: %(band)s", p=risk.probability, c=risk.consequence,
              score=risk.score, band=risk_band(risk.score))
    return Item(_("Riskbedömning"), score + "\n" + risk.text,
                _("Bedömd av %(who)s %(at)s.", who=risk.recorded_by_name, at=_moment(risk.recorded_at)))


def _links_item(record: Record) -> Item | None:
    if not record.links:
        return None
    lines = [f"{link.case.reference} ({to_local(link.case.received_at).date().isoformat()})" for link in record.links]
    return Item(_("Kopplade liknande ärenden"), "\n".join(lines))


def _action_item(action: CaseAction) -> Item:
    dates = [_("senast %(day)s", day=_day(action.due_on)), str(ACTION_STATUS_LABELS[action.status]).lower()]
    if action.completed_on:
        dates.append(_("genomförd %(day)s", day=_day(action.completed_on)))
    if action.followed_up_on:
        dates.append(_("uppföljd %(day)s", day=_day(action.followed_up_on)))
    return Item(f"{action.type.name}: " + ", ".join(dates), action.description,
                _("Ansvarig: %(who)s.", who=action.responsible.full_name))


def _decision_items(case: Case) -> list[Item]:
    judgment = case.lex_sarah_judgment
    items = []
    if judgment is not None and judgment.judged:
        items.append(Item(_("Bedömning: %(label)s", label=judgment_label(judgment.outcome, judgment.serious)),
                          judgment.rationale,
                          _("Beslutad av %(who)s %(at)s.", who=judgment.decided_by.full_name,
                            at=_moment(judgment.decided_at))))
    if case.triage_decision == "not_investigate" and case.triage_reason in POSITION_REASON_LABELS:
        items.append(Item(_("Ställningstagande: %(reason)s", reason=POSITION_REASON_LABELS[case.triage_reason]),
                          case.triage_text,
                          _("Lex Sarah-ansvarig %(who)s %(at)s.", who=case.triaged_by.full_name if case.triaged_by
                            else "", at=_moment(case.triaged_at))))
    if not items:
        items.append(Item(_("Bedömning"), _("Bedömningen är inte gjord ännu.")))
    return items


def document_parts(case: Case, record: Record) -> list[Part]:
    """The nine sections, in order, with what belongs to each. Call inside force_locale("sv")."""
    parts = []
    for name, entries, note in record.sections:
        part = Part(str(SECTION_LABELS[name]), [_entry_item(record, e) for e in entries])
        if note is not None:
            part.note = _("Inget att anteckna: %(reason)s (%(who)s, %(day)s)", reason=note.reason,
                          who=note.recorded_by_name, day=_day(to_local(note.recorded_at).date()))
        if name == "causes":
            part.items.append(_causes_item(record))
        elif name == "happened_before" and (links := _links_item(record)) is not None:
            part.items.append(links)
        elif name == "could_recur":
            part.items.append(_risk_item(record))
        elif name == "measures":
            part.items += [_action_item(a) for a in record.actions]
        elif name == "decision":
            part.items += _decision_items(case)
        if not part.items and not part.note:
            part.note = _("Inga anteckningar.")
        parts.append(part)
    return parts


def facts_rows(case: Case) -> list[tuple[str, str]]:
    """The head of the document: whose investigation, of what, and its link to the notification."""
    provider = provider_settings()
    unit = case.unit
    department = unit.parent if unit.depth > 1 else None
    ivo = case.lex_sarah_ivo
    rows = [(_("Nämnd"), provider.board_name if provider else ""),
            # The registry's number is the notification's field; Värna's own reference is not it.
            (_("Nämndens diarienummer"), ivo.board_reference if ivo is not None else ""),
            (_("Ärendenummer i Värna"), case.reference),
            (_("Verksamhet"), " – ".join(u.name for u in (department, unit) if u is not None)),
            (_("Händelsen inträffade"), _day(case.occurred_on)),
            (_("Rapporten togs emot"), _day(to_local(case.received_at).date())),
            (_("Sammanfattning"), case.summary)]
    if ivo is not None and ivo.notified:
        rows.append((_("Anmäld till IVO"), " · ".join(part for part in (_day(ivo.sent_on), ivo.ivo_reference)
                                                      if part)))
    return [(label, value or _("Uppgift saknas")) for label, value in rows]


# --- HTML and PDF ---------------------------------------------------------------------------

def _content(actor, case: Case):
    record = read_record(actor, case)
    return facts_rows(case), document_parts(case, record), legal_line(case, provider_settings())


def render_html(actor, case: Case, *, draft: bool) -> str:
    """A complete, self-contained page (its styles inline), so a stored copy stands on its own."""
    with force_locale("sv"):
        facts, parts, line = _content(actor, case)
        return render_template("lexsarah/investigation_document.html", title=TITLE, case=case, facts=facts,
                               parts=parts, legal_line=line, draft=draft)




def render_pdf(actor, case: Case, *, draft: bool) -> bytes:
    _register_fonts()
    with force_locale("sv"):
        facts, parts, line = _content(actor, case)
        draft_word = _("FÖRHANDSVISNING") if draft else ""
        draft_note = _("Inte skickad till IVO. Uppgifterna hämtas från utredningen som den ser ut nu.") if draft else ""
        legal_text = _("Lagrum: %(line)s", line=line)
        page_label = _("sida")
    title = ParagraphStyle("title", fontName=_FONT_BOLD, fontSize=17, leading=21, spaceAfter=3 * mm)
    heading = ParagraphStyle("heading", fontName=_FONT_BOLD, fontSize=12, leading=15, spaceBefore=5 * mm,
                             spaceAfter=1.5 * mm, textColor=colors.HexColor("#123452"), keepWithNext=1)
    label = ParagraphStyle("label", fontName=_FONT_BOLD, fontSize=9.5, leading=12,
                           textColor=colors.HexColor("#333333"), keepWithNext=1)
    value = ParagraphStyle("value", fontName=_FONT, fontSize=10.5, leading=14, spaceAfter=1 * mm)
    small = ParagraphStyle("small", fontName=_FONT, fontSize=8.5, leading=11, spaceAfter=2.5 * mm,
                           textColor=colors.HexColor("#4f5862"))
    story = [Paragraph(pdf_text(TITLE), title), Paragraph(pdf_text(case.reference), small),
             Paragraph(pdf_text(legal_text), small)]
    if draft:
        warning = ParagraphStyle("draft", fontName=_FONT_BOLD, fontSize=11, leading=15, textColor=DRAFT_RED,
                                 borderColor=DRAFT_RED, borderWidth=1.5, borderPadding=3 * mm, spaceBefore=3 * mm,
                                 spaceAfter=6 * mm)
        story.append(Paragraph(f"{pdf_text(draft_word)}<br/>{pdf_text(draft_note)}", warning))
    for row_label, row_value in facts:
        story += [Paragraph(pdf_text(row_label), label), Paragraph(pdf_text(row_value), value)]
    for part in parts:
        story.append(Paragraph(pdf_text(part.heading), heading))
        if part.note:
            story.append(Paragraph(pdf_text(part.note), value))
        for item in part.items:
            story += [Paragraph(pdf_text(item.heading), label), Paragraph(pdf_text(item.text), value)]
            if item.provenance:
                story.append(Paragraph(pdf_text(item.provenance), small))

    return build_pdf(story, title=TITLE, reference=case.reference, page_label=page_label, draft_word=draft_word)


# --- the services ---------------------------------------------------------------------------

def frozen_copy(case: Case) -> LexSarahInvestigationDocument | None:
    return db.session.get(LexSarahInvestigationDocument, case.id)


def verify(copy: LexSarahInvestigationDocument) -> bool:
    """Recompute the stored copy's checksums: True when both the HTML and the PDF are as sent."""
    return sha256(copy.document_html) == copy.html_sha256 and sha256(copy.document_pdf) == copy.pdf_sha256


def freeze(case: Case, actor: User) -> LexSarahInvestigationDocument:
    """Take the copy that is sent to IVO (inside the caller's transaction; the caller commits).
    Once taken it is never replaced."""
    copy = frozen_copy(case)
    if copy is not None:
        return copy
    html = render_html(actor, case, draft=False)
    pdf = render_pdf(actor, case, draft=False)
    copy = LexSarahInvestigationDocument(case_id=case.id, document_html=html, document_pdf=pdf,
                                         html_sha256=sha256(html), pdf_sha256=sha256(pdf), frozen_at=utcnow(),
                                         frozen_by_id=actor.id)
    db.session.add(copy)
    return copy


def investigation_document(case: Case, actor: User, fmt: str) -> tuple[str | bytes, bool]:
    """The investigation as "html" or "pdf", and whether it is the frozen copy sent to IVO. Whoever may
    read the case may read it (VIEW_CASE); every read is audited."""
    ensure(actor, Action.VIEW_CASE, case)
    if fmt not in ("html", "pdf") or case.kind != Kind.LEX_SARAH:
        raise ValueError(fmt)
    copy = frozen_copy(case)
    if copy is not None:
        if not verify(copy):
            audit_case("investigation_checksum_failed", actor, case, format=fmt)
            db.session.commit()
            raise LexSarahError(_("Den sparade utredningen stämmer inte med sin kontrollsumma. Kontakta "
                                  "systemförvaltaren."))
        content, frozen = (copy.document_html if fmt == "html" else copy.document_pdf), True
    else:
        render = render_html if fmt == "html" else render_pdf
        content, frozen = render(actor, case, draft=True), False
    audit_case("investigation_document_viewed", actor, case, format=fmt, frozen=frozen)
    db.session.commit()
    return content, frozen
