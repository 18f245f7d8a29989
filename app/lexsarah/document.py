"""The notification "Anmälan – lex Sarah" as HTML (with a print stylesheet) and as PDF.

Both formats are drawn from one list of sections (`document_sections`), so they always
say the same thing. The document is always in Swedish: it goes to a Swedish authority,
whatever language the officer reads Värna in. Nothing here reads the request or writes
the database; services.notify_ivo freezes what these functions return.
"""

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app.cases.models import Case
from app.clock import to_local
from app.facts import client_identity_known
from app.lexsarah.labels import ACTIVITY_LABELS, ACTIVITY_REGI_LABELS
from app.lexsarah.legal import legal_basis
from app.lexsarah.models import LexSarahIvo, ProviderSettings
from app.pdf_fonts import FONT as _FONT
from app.pdf_fonts import FONT_BOLD as _FONT_BOLD
from app.pdf_fonts import register as _register_fonts

TITLE = "Anmälan – lex Sarah"  # the name of IVO's form, the same in every language


@dataclass
class Row:
    label: str
    value: str
    long: bool = False  # a text of its own (shown below the label), not a short value


@dataclass
class Section:
    heading: str
    rows: list[Row] = field(default_factory=list)
    note: str = ""


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _missing() -> str:
    return _("Uppgift saknas")


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _judgment_text(case: Case) -> str:
    judgment = case.lex_sarah_judgment
    if judgment is None or not judgment.judged:
        return _("Bedömningen är inte klar. Anmälan görs innan utredningen är avslutad.")
    if judgment.outcome == "none":
        return _("Inget missförhållande")
    if judgment.outcome == "misconduct":
        return _("Allvarligt missförhållande") if judgment.serious else _("Missförhållande (inte allvarligt)")
    return (_("Påtaglig risk för ett allvarligt missförhållande") if judgment.serious
            else _("Påtaglig risk för ett missförhållande (inte allvarligt)"))


def _yes_no_on(answer: bool | None, day: date | None, what: str = "") -> str:
    """"Ja, 2026-03-05" / "Ja: Arbetsmiljöverket, 2026-03-05" / "Nej"; empty when not answered."""
    if answer is None:
        return ""
    if not answer:
        return _("Nej")
    if what.strip():
        return _("Ja: %(details)s", details=", ".join(part for part in (what.strip(), _date(day)) if part))
    return _("Ja, %(day)s", day=_date(day)) if day else _("Ja")


def _informed_row(ivo: LexSarahIvo) -> Row:
    return Row(_("Den enskilde eller en företrädare har informerats"),
               _yes_no_on(ivo.client_informed, ivo.client_informed_on))


def _activity_rows(ivo: LexSarahIvo) -> list[Row]:
    rows = [Row(_("Typ av verksamhet"), str(ACTIVITY_LABELS.get(ivo.activity_kind or "", ""))),
            Row(_("Regi"), str(ACTIVITY_REGI_LABELS.get(ivo.activity_regi or "", "")))]
    if ivo.activity_regi == "private":
        rows += [Row(_("Den enskilda verksamhetens namn"), ivo.private_provider_name),
                 Row(_("Den enskilda verksamhetens organisationsnummer"), ivo.private_provider_org_number)]
    rows.append(Row(_("Kommun"), ivo.activity_municipality))
    rows.append(Row(_("Verksamhetens namn och adress"), ivo.activity_place))
    return rows


def _client_rows(case: Case, ivo: LexSarahIvo) -> tuple[list[Row], str]:
    if not client_identity_known(case):
        return [_informed_row(ivo)], _("Rapporten anger inte vem den enskilde är.")
    if not ivo.include_client_identity:
        note = _("Den enskildes identitet lämnas inte i anmälan. IVO kan begära uppgiften av nämnden.")
        if ivo.client_identity_omitted_reason.strip():
            note = _("Den enskildes identitet lämnas inte i anmälan: %(reason)s IVO kan begära uppgiften av "
                     "nämnden.", reason=ivo.client_identity_omitted_reason.strip())
        return [_informed_row(ivo)], note
    genders = {"female": _("Kvinna/flicka"), "male": _("Man/pojke"), "other": _("Annat"),
               "unknown": _("Okänt")}
    child = {True: _("Ja"), False: _("Nej"), None: ""}[case.client_is_child]
    pin = case.client_pin
    return [
        Row(_("Namn"), case.client_name),
        Row(_("Personnummer"), f"{pin[:8]}-{pin[8:]}" if len(pin) == 12 else pin),
        Row(_("Kön"), genders.get(case.client_gender or "", "")),
        Row(_("Barn (under 18 år)"), child),
        _informed_row(ivo),
    ], ""


def document_sections(case: Case, ivo: LexSarahIvo, provider: ProviderSettings | None,
                      signed_on: date) -> list[Section]:
    """Every field of the notification, in the order of IVO's form. Call inside force_locale("sv")."""
    provider = provider or ProviderSettings()
    unit = case.unit
    department = unit.parent if unit.depth > 1 else None
    occurred = _date(case.occurred_on)
    if case.occurred_time is not None:
        occurred += " " + case.occurred_time.strftime("%H:%M")
    noticed = " – ".join(part for part in (_date(case.noticed_on), case.noticed_how.strip()) if part)
    # Whether "Utredning enligt lex Sarah" (app/lexsarah/investigation_document.py) comes with the
    # notification, or when it follows: within two months of the notification (SOSFS 2011:5).
    if ivo.investigation_attached:
        investigation = _("Utredningen bifogas anmälan (Utredning enligt lex Sarah, %(ref)s).", ref=case.reference)
    elif ivo.investigation_expected_on:
        investigation = _("Utredningen pågår och skickas till IVO senast %(day)s, inom två månader från anmälan.",
                          day=_date(ivo.investigation_expected_on))
    else:
        investigation = _("Utredningen pågår och skickas till IVO inom två månader från anmälan.")
    client_rows, client_note = _client_rows(case, ivo)
    sections = [
        Section(_("Anmälare (nämnd)"), [
            Row(_("Nämnd"), provider.board_name),
            Row(_("Organisationsnummer"), provider.org_number),
            Row(_("Adress"), provider.address),
        ]),
        Section(_("Verksamhet"), [
            Row(_("Verksamhet"), ivo.service_description),
            Row(_("Avdelning"), department.name if department else ""),
            Row(_("Enhet"), unit.name),
            Row(_("Enhetens adress"), unit.address),
            *_activity_rows(ivo),
        ]),
        Section(_("Kontaktperson"), [
            Row(_("Namn"), ivo.contact_name),
            Row(_("Befattning"), ivo.contact_title),
            Row(_("Telefon"), ivo.contact_phone),
            Row(_("E-post"), ivo.contact_email),
        ]),
        Section(_("Ärendet"), [
            Row(_("Nämndens diarienummer"), ivo.board_reference),
            Row(_("Ärendenummer i Värna"), case.reference),
            Row(_("Rapporten togs emot"), _date(to_local(case.received_at).date())),
            Row(_("Kategori"), ", ".join(c.name for c in case.categories)),
            Row(_("Bedömning"), _judgment_text(case)),
        ]),
        Section(_("Den enskilde"), client_rows, client_note),
        Section(_("Vad har hänt"), [
            Row(_("När hände det"), occurred),
            Row(_("När och hur uppmärksammades det"), noticed, long=True),
            Row(_("Beskrivning av händelsen"), case.description, long=True),
        ]),
        Section(_("Konsekvenser för den enskilde"), [
            Row(_("Vilka konsekvenser fick eller kunde händelsen få"), case.consequences, long=True),
        ]),
        Section(_("Varför missförhållandet eller risken är allvarlig"), [
            Row(_("Nämndens motivering"), ivo.seriousness_motivation, long=True),
        ]),
        Section(_("Andra anmälningar"), [
            Row(_("Polisanmälan"), _yes_no_on(ivo.police_reported, ivo.police_reported_on)),
            Row(_("Anmälan till annan myndighet"), _yes_no_on(ivo.other_authority_reported,
                                                               ivo.other_authority_reported_on,
                                                               ivo.other_authority_name)),
        ]),
        Section(_("Åtgärder"), [
            Row(_("Åtgärder som vidtogs omedelbart"), case.immediate_measures, long=True),
            Row(_("Åtgärder som planeras"), ivo.planned_measures, long=True),
        ]),
        Section(_("Utredningen"), [Row(_("Utredningen"), investigation)]),
        Section(_("Underskrift"), [
            Row(_("Ort"), ivo.signature_place),
            Row(_("Datum"), _date(signed_on)),
            Row(_("Namn"), ivo.signatory_name),
            Row(_("Befattning"), ivo.signatory_title),
        ]),
    ]
    for section in sections:
        for row in section.rows:
            row.value = (row.value or "").strip() or _missing()
    return sections


def legal_line(case: Case, provider: ProviderSettings | None) -> str:
    """The legal basis, chosen by the date of the event (or of the report, when that is not known)."""
    event_day = case.occurred_on or to_local(case.received_at).date()
    return legal_basis(event_day, provider.sol_2025_paragraphs if provider else None).line


def render_html(case: Case, ivo: LexSarahIvo, provider: ProviderSettings | None, *, signed_on: date,
                draft: bool) -> str:
    """A complete, self-contained HTML page (its styles inline), so a stored copy stands on its own."""
    with force_locale("sv"):
        sections = document_sections(case, ivo, provider, signed_on)
        return render_template("lexsarah/document.html", title=TITLE, case=case, sections=sections,
                               draft=draft, missing=_missing(), legal_line=legal_line(case, provider))


# --- PDF ---------------------------------------------------------------------------------

DRAFT_RED = colors.HexColor("#b00020")  # a draft's or preview's mark, on screen and in print


def pdf_text(value: str) -> str:
    """Typed text for a reportlab Paragraph: escaped (it reads markup), line breaks kept."""
    return escape(value).replace("\n", "<br/>")


def render_pdf(case: Case, ivo: LexSarahIvo, provider: ProviderSettings | None, *, signed_on: date,
               draft: bool) -> bytes:
    _register_fonts()
    with force_locale("sv"):
        sections = document_sections(case, ivo, provider, signed_on)
        draft_word = _("UTKAST") if draft else ""
        draft_note = _("Inte skickat till IVO. Uppgifterna hämtas från ärendet som det ser ut nu.") if draft else ""
        page_label = _("sida")
        legal_line_text = _("Lagrum: %(line)s", line=legal_line(case, provider))
    title = ParagraphStyle("title", fontName=_FONT_BOLD, fontSize=17, leading=21, spaceAfter=3 * mm)
    heading = ParagraphStyle("heading", fontName=_FONT_BOLD, fontSize=12, leading=15, spaceBefore=5 * mm,
                             spaceAfter=1.5 * mm, textColor=colors.HexColor("#123452"), keepWithNext=1)
    label = ParagraphStyle("label", fontName=_FONT_BOLD, fontSize=9, leading=12, textColor=colors.HexColor("#333333"),
                           keepWithNext=1)
    value = ParagraphStyle("value", fontName=_FONT, fontSize=10.5, leading=14, spaceAfter=2 * mm, alignment=TA_LEFT)
    note = ParagraphStyle("note", parent=value, textColor=colors.HexColor("#333333"))

    story = [Paragraph(pdf_text(TITLE), title), Paragraph(pdf_text(case.reference), note),
             Paragraph(pdf_text(legal_line_text), note)]
    if draft:
        # As plain as the HTML's red dashed box: a printed draft must not pass for the sent notification.
        warning = ParagraphStyle("draft", fontName=_FONT_BOLD, fontSize=11, leading=15, textColor=DRAFT_RED,
                                 borderColor=DRAFT_RED, borderWidth=1.5, borderPadding=3 * mm, spaceBefore=3 * mm,
                                 spaceAfter=6 * mm)
        story.append(Paragraph(f'<font size="18">{pdf_text(draft_word)}</font><br/>{pdf_text(draft_note)}', warning))
    for section in sections:
        # keepWithNext holds a heading to its first field and a label to its value.
        story.append(Paragraph(pdf_text(section.heading), heading))
        if section.note:
            story.append(Paragraph(pdf_text(section.note), note))
        for row in section.rows:
            story += [Paragraph(pdf_text(row.label), label), Paragraph(pdf_text(row.value), value)]
    story += [Spacer(1, 12 * mm), Paragraph(pdf_text("_" * 40), value)]

    return build_pdf(story, title=TITLE, reference=case.reference, page_label=page_label, draft_word=draft_word,
                     watermark=draft, author=provider.board_name if provider else "")


def build_pdf(story: list, *, title: str, reference: str, page_label: str, draft_word: str = "",
              watermark: bool = False, author: str | None = None) -> bytes:
    """An A4 PDF of the lex Sarah documents (the notification, the investigation): the footer names
    the document, the case and the page; a draft or preview says so at the foot of every page (and,
    with `watermark`, across it), also on a page printed or copied on its own."""

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(_FONT, 8)
        canvas.drawString(20 * mm, 12 * mm, f"{title} · {reference} · {page_label} {doc.page}")
        if draft_word:
            canvas.setFillColor(DRAFT_RED)
            canvas.setFont(_FONT_BOLD, 10)
            canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, draft_word)
            if watermark:
                canvas.setFillAlpha(0.12)
                canvas.setFont(_FONT_BOLD, 96)
                canvas.translate(A4[0] / 2, A4[1] / 2)
                canvas.rotate(45)
                canvas.drawCentredString(0, -30, draft_word)
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=20 * mm, title=f"{title} {reference}", subject=title, lang="sv",
                            **({} if author is None else {"author": author}))
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
