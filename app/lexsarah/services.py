"""What people do with a lex Sarah report once it is investigated: propose and record the
judgment, decide about IVO (notify, or record why not), follow the notification up, and
record who was informed. Also the provider's details (admin) and the officer's desk.

Every function takes plain arguments and the acting user, asks app.auth.permissions
whether the person may, asks app.workflow whether the move fits the case now, writes
the journal and the audit log and commits once. None of them reads the request.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm.exc import StaleDataError

from app import audit, workflow
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases import journal
from app.cases.models import Case
from app.clock import add_months, to_local, today_local, utcnow
from app.commands import Conflict, Refused
from app.extensions import db
from app.facts import facts_for
from app.labels import refusal_for_unmet, status_label
from app.lexsarah import document
from app.lexsarah.labels import IVO_OUTCOME_LABELS, OUTCOME_LABELS, SENT_VIA_LABELS, judgment_label
from app.lexsarah.models import (
    INFORMING_ITEMS,
    IVO_OUTCOMES,
    OUTCOMES,
    SENT_VIA,
    LexSarahInforming,
    LexSarahIvo,
    LexSarahJudgment,
    ProviderSettings,
)
from app.lexsarah.signals import ivo_demanded_measures
from app.workflow import Kind

MAX_TEXT = 20_000
# SOSFS 2011:5: the investigation reaches IVO within two months of the notification (imports use it too).
INVESTIGATION_MONTHS = 2


class LexSarahError(Refused):
    """A refused operation. `errors` maps a form field (or None: the whole page) to a Swedish message."""

    def __init__(self, errors: dict[str | None, str] | str):
        errors = {None: errors} if isinstance(errors, str) else dict(errors)
        super().__init__(" ".join(errors.values()), next(iter(errors)) if len(errors) == 1 else None)
        self._errors = errors

    @property
    def errors(self) -> dict:
        return self._errors


class LexSarahConflict(Conflict, LexSarahError):
    """Someone else saved the same thing in the meantime; nothing was overwritten."""


# --- helpers -----------------------------------------------------------------------------

def find_case(reference: str) -> Case | None:
    """The lex Sarah case with this reference, or None."""
    return db.session.scalar(select(Case).where(Case.reference == reference, Case.kind == Kind.LEX_SARAH))


def report_date(case: Case) -> date:
    return to_local(case.received_at).date()


def _refusal_message(refusal: workflow.MoveRefused) -> str:
    if refusal.code == "wrong_kind":
        return _("Ärendet är inte en lex Sarah-rapport.")
    if "not_yet_notified" in refusal.unmet:
        return _("Anmälan till IVO är redan registrerad. Den kan inte registreras två gånger.")
    if "notified" in refusal.unmet:
        return _("Ärendet är inte anmält till IVO.")
    own = refusal_for_unmet(refusal.unmet)
    if own is not None:
        return own
    if refusal.code == "wrong_status":
        return _("Det går inte nu: ärendet har status ”%(status)s”.", status=status_label(refusal.status))
    return _("Det går inte nu.")


def _advance(case: Case, move: str) -> workflow.Status:
    """Ask the state machine; the status after the move, or LexSarahError with the reason in Swedish."""
    try:
        return workflow.next_status(case.kind, case.status, move, facts_for(case))
    except workflow.MoveRefused as refusal:
        raise LexSarahError(_refusal_message(refusal)) from refusal


def _text(value: str | None) -> str:
    return (value or "").strip().replace("\r\n", "\n")


def _check_length(errors: dict, field: str, value: str, limit: int = MAX_TEXT) -> None:
    if len(value) > limit:
        errors.setdefault(field, _("Högst %(n)d tecken.", n=limit))


def _raise(errors: dict) -> None:
    if errors:
        raise LexSarahError(errors)


def _commit_or_conflict() -> None:
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise LexSarahConflict(_("Någon annan har sparat ändringar under tiden. Ladda om sidan och försök igen.")) \
            from error


def _check_version(row, version: int | None) -> None:
    if row is not None and version is not None and row.version != version:
        raise LexSarahConflict(_("Någon annan har sparat ändringar under tiden. Ladda om sidan och försök igen."))


def _audit(action: str, actor, case: Case, **detail) -> None:
    audit.record(f"lexsarah.{action}", actor=actor, object_type="case", object_id=case.id,
                 detail={"reference": case.reference, **detail})


def _parse_day(errors: dict, field: str, value: date | str | None) -> date | None:
    """A date, or the text a person typed (forms pass it on as typed, so that every message comes at once)."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            errors.setdefault(field, _("Ange datumet som ÅÅÅÅ-MM-DD."))
            return None
    return value


def _check_day(errors: dict, field: str, value: date | str | None, *, not_before: date | None,
               before_label: str, required: bool = True) -> date | None:
    """The date, checked: readable, not in the future, not before `not_before`; None after an error."""
    day = _parse_day(errors, field, value)
    if field in errors:
        return None
    if day is None:
        if required:
            errors[field] = _("Ange ett datum (ÅÅÅÅ-MM-DD).")
        return None
    if day > today_local():
        errors[field] = _("Datumet kan inte ligga i framtiden.")
    elif not_before is not None and day < not_before:
        errors[field] = _("Datumet kan inte ligga före %(what)s (%(day)s).", what=before_label,
                          day=not_before.isoformat())
    return None if field in errors else day


# --- reading -----------------------------------------------------------------------------

def open_page(case: Case, actor: User, action: Action, page: str) -> Case:
    """Someone opens one of the lex Sarah pages of a case: check, and log the read."""
    ensure(actor, action, case)
    _audit("viewed", actor, case, page=page)
    db.session.commit()
    return case


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
    texts = {"established_motivation": _text(established_motivation),
             "serious_harm_motivation": _text(serious_harm_motivation),
             "serious_risk_motivation": _text(serious_risk_motivation), "rationale": _text(rationale)}
    for name, value in texts.items():
        _check_length(errors, name, value)
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
    _raise(errors)
    return Evaluation(established, serious, answers, texts["rationale"])


def propose_judgment(case: Case, actor: User, **answers) -> LexSarahJudgment:
    """An investigator (or the officer) proposes a judgment; the officer confirms or changes it."""
    ensure(actor, Action.PROPOSE_JUDGMENT, case)
    _advance(case, "propose_judgment")
    result = evaluate(**answers)
    judgment = case.lex_sarah_judgment or LexSarahJudgment(case=case)
    judgment.proposed_outcome, judgment.proposed_serious = result.outcome, result.serious
    judgment.proposed_rationale, judgment.proposed_answers = result.rationale, result.answers
    judgment.proposed_by_id, judgment.proposed_at = actor.id, utcnow()
    db.session.add(judgment)
    label = judgment_label(result.outcome, result.serious)
    journal.add_event(case, "judgment_proposed", actor, _("Förslag till bedömning: %(label)s", label=label),
                      outcome=result.outcome, serious=result.serious)
    _audit("judgment_proposed", actor, case, outcome=result.outcome, serious=result.serious)
    _commit_or_conflict()
    return judgment


def record_judgment(case: Case, actor: User, **answers) -> LexSarahJudgment:
    """The officer's judgment: outcome, seriousness and why. Decider and date are set here."""
    ensure(actor, Action.JUDGE, case)
    new_status = _advance(case, "record_judgment")
    result = evaluate(**answers)
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
    _audit("judgment_recorded", actor, case, outcome=result.outcome, serious=result.serious, proposal=proposal)
    _commit_or_conflict()
    return judgment


# --- the decision about IVO ---------------------------------------------------------------

def provider_settings() -> ProviderSettings | None:
    return db.session.get(ProviderSettings, 1)


DRAFT_FIELDS = ("service_description", "contact_name", "contact_title", "contact_phone", "contact_email",
                "planned_measures", "investigation_attached", "investigation_expected_on",
                "include_client_identity", "signatory_name", "signatory_title")


def allowed(case: Case, move: str) -> bool:
    """Whether the workflow allows the move now (for showing a form; the services check again)."""
    return workflow.check(case.kind, case.status, move, facts_for(case))[0]


def draft_defaults(case: Case, actor: User) -> dict:
    """What a new notification starts from: the unit's department, the provider's contact, the officer."""
    provider = provider_settings() or ProviderSettings()
    unit = case.unit
    department = unit.parent.name if unit.depth > 1 and unit.parent else ""
    return {
        "service_description": " – ".join(part for part in (department, unit.name) if part),
        "contact_name": provider.contact_name, "contact_title": provider.contact_title,
        "contact_phone": provider.contact_phone, "contact_email": provider.contact_email,
        "planned_measures": "", "investigation_attached": False, "investigation_expected_on": None,
        "include_client_identity": False, "signatory_name": actor.full_name, "signatory_title": actor.title,
    }


def save_notification_draft(case: Case, actor: User, *, version: int | None = None, **fields) -> LexSarahIvo:
    """The officer fills in the notification's own fields; everything else comes from the case."""
    ensure(actor, Action.NOTIFY_IVO, case)
    _advance(case, "save_ivo_draft")
    ivo = case.lex_sarah_ivo
    _check_version(ivo, version)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown draft fields: {sorted(unknown)}")
    values = {name: _text(fields.get(name)) for name in DRAFT_FIELDS
              if name not in ("investigation_attached", "investigation_expected_on", "include_client_identity")}
    attached = bool(fields.get("investigation_attached"))
    errors: dict[str, str] = {}
    expected = _parse_day(errors, "investigation_expected_on", fields.get("investigation_expected_on"))
    limits = {"service_description": 300, "contact_name": 200, "contact_title": 200, "contact_phone": 40,
              "contact_email": 254, "signatory_name": 200, "signatory_title": 200}
    for name, value in values.items():
        _check_length(errors, name, value, limits.get(name, MAX_TEXT))
    if not values["service_description"]:
        errors["service_description"] = _("Ange vilken verksamhet det gäller.")
    if not values["contact_name"]:
        errors["contact_name"] = _("Ange en kontaktperson som IVO kan nå.")
    if not values["contact_phone"] and not values["contact_email"]:
        errors["contact_phone"] = _("Ange telefonnummer eller e-postadress till kontaktpersonen.")
    if values["contact_email"] and ("@" not in values["contact_email"] or " " in values["contact_email"]):
        errors["contact_email"] = _("Ange en giltig e-postadress.")
    if not values["planned_measures"]:
        errors["planned_measures"] = _("Beskriv vilka åtgärder som planeras, eller skriv att de bestäms när "
                                       "utredningen är klar.")
    if not values["signatory_name"]:
        errors["signatory_name"] = _("Ange vem som undertecknar anmälan.")
    if attached:
        expected = None
        errors.pop("investigation_expected_on", None)
    elif "investigation_expected_on" in errors:
        pass
    elif expected is None:
        errors["investigation_expected_on"] = _("Ange när utredningen skickas, eller kryssa i att den bifogas.")
    elif expected < today_local():
        errors["investigation_expected_on"] = _("Datumet har redan passerat.")
    elif expected > add_months(today_local(), INVESTIGATION_MONTHS):
        errors["investigation_expected_on"] = _("Utredningen ska komma in till IVO senast två månader efter "
                                                "anmälan, alltså senast %(day)s om anmälan skickas i dag.",
                                                day=add_months(today_local(), INVESTIGATION_MONTHS).isoformat())
    _raise(errors)
    ivo = ivo or LexSarahIvo(case=case)
    changed = []
    for name, value in {**values, "investigation_attached": attached, "investigation_expected_on": expected,
                        "include_client_identity": bool(fields.get("include_client_identity"))}.items():
        if getattr(ivo, name) != value:
            changed.append(name)
            setattr(ivo, name, value)
    ivo.draft_saved_by_id, ivo.draft_saved_at = actor.id, utcnow()
    db.session.add(ivo)
    journal.add_event(case, "ivo_draft_saved", actor, _("Uppgifterna till anmälan till IVO sparades."),
                      changed=changed)
    _audit("ivo_draft_saved", actor, case, changed=changed)
    _commit_or_conflict()
    return ivo


def notification_document(case: Case, actor: User, fmt: str) -> tuple[str | bytes, bool]:
    """The notification as "html" or "pdf", and whether it is the frozen copy that was sent.

    Before it is sent, it is drawn from the case as it is now (a preview, marked as a
    draft); after, it is exactly the stored copy.
    """
    ensure(actor, Action.NOTIFY_IVO, case)
    if fmt not in ("html", "pdf"):
        raise ValueError(fmt)
    ivo = case.lex_sarah_ivo
    if ivo is not None and ivo.frozen:
        if not verify_frozen_document(ivo):
            _audit("document_checksum_failed", actor, case, format=fmt)
            db.session.commit()
            raise LexSarahError(_("Den sparade anmälan stämmer inte med sin kontrollsumma. Kontakta "
                                  "systemförvaltaren."))
        content, frozen = (ivo.document_html if fmt == "html" else ivo.document_pdf), True
    else:
        draft = ivo if ivo is not None else LexSarahIvo(**draft_defaults(case, actor))
        render = document.render_html if fmt == "html" else document.render_pdf
        content, frozen = render(case, draft, provider_settings(), signed_on=today_local(), draft=True), False
    _audit("document_viewed", actor, case, format=fmt, frozen=frozen)
    db.session.commit()
    return content, frozen


def verify_frozen_document(ivo: LexSarahIvo) -> bool:
    """Recompute the stored copy's checksums: True when both the HTML and the PDF are as sent."""
    if not ivo.frozen or ivo.document_pdf is None:
        return False
    return (document.sha256(ivo.document_html) == ivo.html_sha256
            and document.sha256(ivo.document_pdf) == ivo.pdf_sha256)


def notify_ivo(case: Case, actor: User, *, sent_via: str, sent_on: date | None, ivo_reference: str,
               version: int | None = None) -> LexSarahIvo:
    """Record that the notification was sent (IVO's e-service or post; never e-mail) and freeze it."""
    ensure(actor, Action.NOTIFY_IVO, case)
    _advance(case, "notify_ivo")
    ivo = case.lex_sarah_ivo
    _check_version(ivo, version)
    if ivo is None or ivo.draft_saved_at is None:
        raise LexSarahError(_("Fyll i och spara anmälans uppgifter först."))
    provider = provider_settings()
    if provider is None or not provider.complete:
        raise LexSarahError(_("Nämndens namn, organisationsnummer och adress saknas i anmälan. Be en "
                              "administratör fylla i dem under Uppgifter för anmälan till IVO."))
    errors: dict[str, str] = {}
    ivo_reference = _text(ivo_reference)
    if sent_via not in SENT_VIA:
        errors["sent_via"] = _("Välj hur anmälan skickades: IVO:s e-tjänst eller post.")
    sent_on = _check_day(errors, "sent_on", sent_on, not_before=report_date(case),
                         before_label=_("rapportens datum"))
    if not ivo_reference:
        errors["ivo_reference"] = _("Ange IVO:s diarienummer.")
    _check_length(errors, "ivo_reference", ivo_reference, 60)
    if not errors and not ivo.investigation_attached and ivo.investigation_expected_on \
            and ivo.investigation_expected_on > add_months(sent_on, INVESTIGATION_MONTHS):
        errors[None] = _("Anmälan säger att utredningen skickas %(day)s, men den ska komma in senast två månader "
                         "efter anmälan. Ändra datumet i anmälans uppgifter först.",
                         day=ivo.investigation_expected_on.isoformat())
    _raise(errors)
    html = document.render_html(case, ivo, provider, signed_on=sent_on, draft=False)
    pdf = document.render_pdf(case, ivo, provider, signed_on=sent_on, draft=False)
    ivo.document_html, ivo.document_pdf = html, pdf
    ivo.html_sha256, ivo.pdf_sha256 = document.sha256(html), document.sha256(pdf)
    ivo.decision, ivo.decided_by_id, ivo.decided_at = "notified", actor.id, utcnow()
    ivo.sent_via, ivo.sent_on, ivo.ivo_reference = sent_via, sent_on, ivo_reference
    ivo.investigation_due_on = add_months(sent_on, INVESTIGATION_MONTHS)
    if ivo.investigation_attached:
        ivo.investigation_sent_on, ivo.investigation_recorded_by_id = sent_on, actor.id
    journal.add_event(case, "ivo_notified", actor,
                      _("Anmäld till IVO %(day)s via %(via)s. IVO:s diarienummer: %(ref)s.", day=sent_on.isoformat(),
                        via=str(SENT_VIA_LABELS[sent_via]).lower(), ref=ivo_reference),
                      sent_on=sent_on.isoformat(), sent_via=sent_via, ivo_reference=ivo_reference,
                      html_sha256=ivo.html_sha256, pdf_sha256=ivo.pdf_sha256)
    _audit("ivo_notified", actor, case, sent_on=sent_on.isoformat(), sent_via=sent_via, ivo_reference=ivo_reference,
           html_sha256=ivo.html_sha256, pdf_sha256=ivo.pdf_sha256)
    _commit_or_conflict()
    return ivo


def record_not_notifying(case: Case, actor: User, *, reason: str) -> LexSarahIvo:
    """A serious judgment that is nevertheless not notified to IVO: the officer records why."""
    ensure(actor, Action.NOTIFY_IVO, case)
    _advance(case, "record_ivo_decision_not_to_notify")  # a serious judgment, no decision yet
    ivo = case.lex_sarah_ivo
    reason = _text(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Motivera varför ärendet inte anmäls till IVO.")
    _check_length(errors, "reason", reason)
    _raise(errors)
    ivo = ivo or LexSarahIvo(case=case)
    ivo.decision, ivo.decided_by_id, ivo.decided_at, ivo.not_notifying_reason = "not_notified", actor.id, utcnow(), \
        reason
    db.session.add(ivo)
    journal.add_event(case, "ivo_not_notified", actor, _("Anmäls inte till IVO: %(reason)s", reason=reason))
    _audit("ivo_not_notified", actor, case)
    _commit_or_conflict()
    return ivo


def record_investigation_sent(case: Case, actor: User, *, sent_on: date | None) -> LexSarahIvo:
    """The investigation (the supplement to the notification) was sent to IVO."""
    ensure(actor, Action.NOTIFY_IVO, case)
    _advance(case, "record_investigation_sent")  # notified, not yet recorded
    ivo = case.lex_sarah_ivo
    errors: dict[str, str] = {}
    sent_on = _check_day(errors, "sent_on", sent_on, not_before=ivo.sent_on, before_label=_("anmälan till IVO"))
    _raise(errors)
    ivo.investigation_sent_on, ivo.investigation_recorded_by_id = sent_on, actor.id
    late = sent_on > ivo.investigation_due_on
    journal.add_event(case, "ivo_investigation_sent", actor,
                      _("Utredningen skickades till IVO %(day)s.", day=sent_on.isoformat()),
                      sent_on=sent_on.isoformat(), due_on=ivo.investigation_due_on.isoformat(), late=late)
    _audit("ivo_investigation_sent", actor, case, sent_on=sent_on.isoformat(), late=late)
    _commit_or_conflict()
    return ivo


def record_ivo_decision(case: Case, actor: User, *, outcome: str, decided_on: date | None, text: str) -> LexSarahIvo:
    """IVO's decision. Demands for measures are written to the journal and announced through
    `signals.ivo_demanded_measures`, so the actions feature can create actions in the same transaction."""
    ensure(actor, Action.NOTIFY_IVO, case)
    _advance(case, "record_ivo_decision")  # notified, not yet recorded
    ivo = case.lex_sarah_ivo
    text = _text(text)
    errors: dict[str, str] = {}
    if outcome not in IVO_OUTCOMES:
        errors["outcome"] = _("Välj vad IVO beslutade.")
    decided_on = _check_day(errors, "decided_on", decided_on, not_before=ivo.sent_on,
                            before_label=_("anmälan till IVO"))
    if not text:
        errors["text"] = _("Skriv in vad IVO:s beslut säger.")
    _check_length(errors, "text", text)
    _raise(errors)
    ivo.ivo_outcome, ivo.ivo_decided_on, ivo.ivo_decision_text = outcome, decided_on, text
    ivo.ivo_decision_recorded_by_id, ivo.ivo_decision_recorded_at = actor.id, utcnow()
    journal.add_event(case, "ivo_decision", actor,
                      _("IVO:s beslut %(day)s: %(outcome)s.", day=decided_on.isoformat(),
                        outcome=IVO_OUTCOME_LABELS[outcome]),
                      outcome=outcome, decided_on=decided_on.isoformat())
    if outcome == "demands":
        journal.add_event(case, "ivo_demands_measures", actor,
                          _("IVO kräver åtgärder. Planera och följ upp dem: %(text)s", text=text),
                          decided_on=decided_on.isoformat())
        ivo_demanded_measures.send(case, actor=actor, text=text, decided_on=decided_on)
    _audit("ivo_decision_recorded", actor, case, outcome=outcome, decided_on=decided_on.isoformat())
    _commit_or_conflict()
    return ivo


# --- informing ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InformingItem:
    """One line of the informing list: done on a date, not applicable (with a reason), or neither yet."""

    on: date | str | None = None  # a date, or the text a person typed
    not_applicable: bool = False
    reason: str = ""


def record_informing(case: Case, actor: User, *, items: dict[str, InformingItem],
                     version: int | None = None) -> LexSarahInforming:
    ensure(actor, Action.WORK_CASE, case)
    _advance(case, "record_informing")
    informing = case.lex_sarah_informing
    _check_version(informing, version)
    errors: dict[str, str] = {}
    values: dict[str, tuple[date | None, str]] = {}
    for name in INFORMING_ITEMS:
        item = items.get(name, InformingItem())
        reason = _text(item.reason)
        _check_length(errors, f"{name}_reason", reason, 2000)
        if item.not_applicable:
            if item.on not in (None, ""):
                errors[f"{name}_on"] = _("Ange antingen ett datum eller att det inte är aktuellt, inte båda.")
            if not reason:
                errors[f"{name}_reason"] = _("Skriv varför det inte är aktuellt.")
            values[name] = (None, reason)
        else:
            values[name] = (_check_day(errors, f"{name}_on", item.on, not_before=report_date(case),
                                       before_label=_("rapportens datum"), required=False), "")
    _raise(errors)
    informing = informing or LexSarahInforming(case=case)
    changed = []
    for name, (on, reason) in values.items():
        if (getattr(informing, f"{name}_on"), getattr(informing, f"{name}_na_reason") or "") != (on, reason):
            changed.append(name)
            setattr(informing, f"{name}_on", on)
            setattr(informing, f"{name}_na_reason", reason)
    informing.updated_by_id, informing.updated_at = actor.id, utcnow()
    db.session.add(informing)
    if changed:
        journal.add_event(case, "informing_recorded", actor, _("Uppgifter om information och återkoppling "
                                                                 "uppdaterades."), changed=changed)
        _audit("informing_recorded", actor, case, changed=changed)
    _commit_or_conflict()
    return informing


# --- the provider's details (admin) ---------------------------------------------------------

PROVIDER_FIELDS = ("board_name", "org_number", "address", "contact_name", "contact_title", "contact_phone",
                   "contact_email")


def normalise_org_number(value: str) -> str | None:
    """"212000-1355" for a valid Swedish organisation number (10 digits, Luhn check), else None."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) != 10 or set(value or "") - set("0123456789- "):
        return None
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return f"{digits[:6]}-{digits[6:]}" if total % 10 == 0 else None


def open_provider_settings(actor: User) -> ProviderSettings | None:
    ensure(actor, Action.MANAGE_SETTINGS)
    audit.record("settings.provider_viewed", actor=actor, object_type="settings", object_id="provider")
    db.session.commit()
    return provider_settings()


def save_provider_settings(actor: User, **fields) -> ProviderSettings:
    ensure(actor, Action.MANAGE_SETTINGS)
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    values = {name: _text(fields.get(name)) for name in PROVIDER_FIELDS}
    errors: dict[str, str] = {}
    limits = {"board_name": 200, "address": 300, "contact_name": 200, "contact_title": 200, "contact_phone": 40,
              "contact_email": 254}
    for name, limit in limits.items():
        _check_length(errors, name, values[name], limit)
    if not values["board_name"]:
        errors["board_name"] = _("Ange nämndens namn.")
    org_number = normalise_org_number(values["org_number"])
    if org_number is None:
        errors["org_number"] = _("Ange ett giltigt organisationsnummer, t.ex. 212000-0000.")
    if not values["address"]:
        errors["address"] = _("Ange nämndens postadress.")
    if values["contact_email"] and ("@" not in values["contact_email"] or " " in values["contact_email"]):
        errors["contact_email"] = _("Ange en giltig e-postadress.")
    _raise(errors)
    values["org_number"] = org_number
    settings = provider_settings() or ProviderSettings(id=1)
    changed = [name for name, value in values.items() if getattr(settings, name) != value]
    for name in changed:
        setattr(settings, name, values[name])
    settings.updated_by_id, settings.updated_at = actor.id, utcnow()
    db.session.add(settings)
    if changed:
        audit.record("settings.provider_updated", actor=actor, object_type="settings", object_id="provider",
                     detail={"changed": changed})
    db.session.commit()
    return settings


# --- the officer's desk -------------------------------------------------------------------

DESK_LISTS = ("awaiting_judgment", "not_notified", "investigation_due", "decision_awaited")


def _desk_queries():
    # Imported cases are closed history from earlier years: nothing on them is anyone's to do.
    lex_sarah = (Case.kind == Kind.LEX_SARAH) & Case.imported.is_(False)
    awaiting = (select(Case, LexSarahJudgment).outerjoin(LexSarahJudgment, LexSarahJudgment.case_id == Case.id)
                .where(lex_sarah, Case.status == workflow.Status.AWAITING_JUDGMENT.value))
    not_notified = (select(Case, LexSarahJudgment).join(LexSarahJudgment, LexSarahJudgment.case_id == Case.id)
                    .outerjoin(LexSarahIvo, LexSarahIvo.case_id == Case.id)
                    .where(lex_sarah, LexSarahJudgment.serious.is_(True),
                           or_(LexSarahIvo.case_id.is_(None), LexSarahIvo.decision.is_(None))))
    notified = (select(Case, LexSarahIvo).join(LexSarahIvo, LexSarahIvo.case_id == Case.id)
                .where(lex_sarah, LexSarahIvo.decision == "notified"))
    due = notified.where(LexSarahIvo.investigation_sent_on.is_(None))
    awaited = notified.where(LexSarahIvo.ivo_outcome.is_(None))
    return {
        "awaiting_judgment": (awaiting, (Case.received_at, Case.id)),
        "not_notified": (not_notified, (LexSarahJudgment.decided_at, Case.id)),
        "investigation_due": (due, (LexSarahIvo.investigation_due_on, Case.id)),
        "decision_awaited": (awaited, (LexSarahIvo.sent_on, Case.id)),
    }


def desk(actor: User, pages: dict[str, int] | None = None, page_size: int | None = None) -> dict:
    """The four lists of the officer's desk, oldest first, each counted in the database and paged."""
    ensure(actor, Action.VIEW_LEX_SARAH_DESK)
    page_size = page_size or current_app.config["PAGE_SIZE"]
    pages = pages or {}
    today = today_local()
    result = {}
    for name, (query, order) in _desk_queries().items():
        count = db.session.scalar(select(func.count()).select_from(query.subquery()))
        last_page = max(1, -(-count // page_size))
        page = min(max(1, pages.get(name, 1)), last_page)
        rows = []
        for case, extra in db.session.execute(query.order_by(*order).limit(page_size)
                                              .offset((page - 1) * page_size)).all():
            row = {"case": case, "judgment": extra if isinstance(extra, LexSarahJudgment) else None,
                   "ivo": extra if isinstance(extra, LexSarahIvo) else None}
            if name == "not_notified":
                row["days_since_judgment"] = (today - to_local(extra.decided_at).date()).days
            if name == "investigation_due":
                row["days_left"] = (extra.investigation_due_on - today).days
            if name == "decision_awaited":
                row["days_since_notice"] = (today - extra.sent_on).days
            rows.append(row)
        result[name] = {"count": count, "rows": rows, "page": page, "last_page": last_page}
    audit.record("lexsarah.desk_viewed", actor=actor, object_type="desk",
                 detail={name: result[name]["count"] for name in DESK_LISTS})
    db.session.commit()
    return result


def due_investigations(today: date, within_days: int) -> list[tuple[str, date]]:
    """(reference, due date) of every notified case whose investigation is due within `within_days` or late."""
    query = (select(Case.reference, LexSarahIvo.investigation_due_on)
             .join(LexSarahIvo, LexSarahIvo.case_id == Case.id)
             .where(LexSarahIvo.decision == "notified", LexSarahIvo.investigation_sent_on.is_(None),
                    LexSarahIvo.investigation_due_on <= today + timedelta(days=within_days),
                    Case.imported.is_(False))
             .order_by(LexSarahIvo.investigation_due_on, Case.reference))
    return [(reference, due_on) for reference, due_on in db.session.execute(query).all()]


def outcome_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in OUTCOME_LABELS.items()]
