"""The decision about IVO: the notification draft, the document, sending it (or recording why not),
then the investigation sent and IVO's decision.

Each step is a command on the case (app/commands.py): ``fn(actor, reference, *, expected_version, …)``,
the case's version the person's form was loaded with; a refused move is workflow.MoveRefused, a stale
form commands.CaseConflict, a refused permission PermissionDenied."""

import re
from datetime import date

from flask_babel import gettext as _

from app import commands
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases import journal
from app.cases.models import Case
from app.clock import add_months, today_local, utcnow
from app.extensions import db
from app.facts import client_identity_known
from app.lexsarah import document, investigation_document
from app.lexsarah.common import (
    INVESTIGATION_MONTHS,
    MAX_TEXT,
    LexSarahError,
    audit_case,
    check_day,
    check_length,
    clean,
    parse_day,
    raise_errors,
    report_date,
)
from app.lexsarah.labels import IVO_OUTCOME_LABELS, SENT_VIA_LABELS
from app.lexsarah.models import (
    ACTIVITY_KINDS,
    ACTIVITY_REGIES,
    IVO_OUTCOMES,
    SENT_VIA,
    LexSarahIvo,
    ProviderSettings,
)
from app.lexsarah.provider import normalise_org_number, provider_settings
from app.lexsarah.signals import ivo_demanded_measures

DRAFT_FIELDS = ("service_description", "contact_name", "contact_title", "contact_phone", "contact_email",
                "planned_measures", "investigation_attached", "investigation_expected_on",
                "include_client_identity", "signatory_name", "signatory_title",
                # the rest of IVO's form (issue 13 point 6)
                "seriousness_motivation", "activity_kind", "activity_regi", "private_provider_name",
                "private_provider_org_number", "activity_municipality", "activity_place",
                "police_reported", "police_reported_on", "other_authority_reported", "other_authority_name",
                "other_authority_reported_on", "client_informed", "client_informed_on",
                "client_identity_omitted_reason", "board_reference", "signature_place")
# The draft's typed texts and their longest length.
_TEXT_LIMITS = {"service_description": 300, "contact_name": 200, "contact_title": 200, "contact_phone": 40,
                "contact_email": 254, "planned_measures": MAX_TEXT, "signatory_name": 200, "signatory_title": 200,
                "seriousness_motivation": MAX_TEXT, "private_provider_name": 200, "activity_municipality": 100,
                "activity_place": 300, "other_authority_name": 200, "client_identity_omitted_reason": MAX_TEXT,
                "board_reference": 60, "signature_place": 100}
_ANSWERS = ("investigation_attached", "include_client_identity", "police_reported", "other_authority_reported",
            "client_informed")
_DATES = ("investigation_expected_on", "police_reported_on", "other_authority_reported_on", "client_informed_on")


def _informed_on(case: Case) -> date | None:
    """When the individual or their guardian was informed, if the case's informing says so already."""
    informing = case.lex_sarah_informing
    if informing is None:
        return None
    days = [day for day in (informing.client_on, informing.guardian_on) if day is not None]
    return min(days) if days else None


def draft_defaults(case: Case, actor: User) -> dict:
    """What a new notification starts from: the unit's department and place, the provider's contact and
    municipality, the judgment's rationale, the informing already recorded, the officer."""
    provider = provider_settings() or ProviderSettings()
    unit = case.unit
    department = unit.parent.name if unit.depth > 1 and unit.parent else ""
    judgment = case.lex_sarah_judgment
    informed_on = _informed_on(case)
    return {
        "service_description": " – ".join(part for part in (department, unit.name) if part),
        "contact_name": provider.contact_name, "contact_title": provider.contact_title,
        "contact_phone": provider.contact_phone, "contact_email": provider.contact_email,
        "planned_measures": "", "investigation_attached": False, "investigation_expected_on": None,
        "include_client_identity": client_identity_known(case),
        "signatory_name": actor.full_name, "signatory_title": actor.title,
        "seriousness_motivation": judgment.rationale if judgment is not None and judgment.serious else "",
        "activity_kind": None, "activity_regi": "own", "private_provider_name": "", "private_provider_org_number": "",
        "activity_municipality": provider.municipality or "",
        "activity_place": ", ".join(part for part in (unit.name, (unit.address or "").strip()) if part),
        "police_reported": None, "police_reported_on": None, "other_authority_reported": None,
        "other_authority_name": "", "other_authority_reported_on": None,
        "client_informed": True if informed_on else None, "client_informed_on": informed_on,
        "client_identity_omitted_reason": "", "board_reference": "", "signature_place": provider.municipality or "",
    }


def _check_new_fields(case: Case, values: dict, answers: dict, fields: dict, errors: dict) -> dict:
    """The fields IVO's form adds. A draft may leave a question unanswered (finalising lists what is
    missing), but what is given must hold together: each "yes" with its date (and which authority),
    a private provider with its name and organisation number. Returns the dates."""
    dates = {}
    kind = values.pop("activity_kind") or None
    regi = values.pop("activity_regi") or None
    if kind is not None and kind not in ACTIVITY_KINDS:
        errors["activity_kind"] = _("Välj vilken sorts verksamhet det gäller i listan.")
    if regi is not None and regi not in ACTIVITY_REGIES:
        errors["activity_regi"] = _("Välj om verksamheten är nämndens egen eller en enskild verksamhet.")
    values["activity_kind"], values["activity_regi"] = kind, regi
    if regi == "private":
        if not values["private_provider_name"]:
            errors["private_provider_name"] = _("Ange namnet på den enskilda verksamheten.")
        # NNNNNN-NNNN (the hyphen may be left out), and the last digit the Luhn check digit.
        typed = values["private_provider_org_number"]
        org_number = normalise_org_number(typed) if re.fullmatch(r"\d{6}-?\d{4}", typed) else None
        if not typed:
            errors["private_provider_org_number"] = _("Ange den enskilda verksamhetens organisationsnummer.")
        elif org_number is None:
            errors["private_provider_org_number"] = _("Ange ett giltigt organisationsnummer (NNNNNN-NNNN). "
                                                      "Kontrollsiffran stämmer inte eller formatet är fel.")
        else:
            values["private_provider_org_number"] = org_number
    else:
        # The nämnd's own activity has no other provider: what was typed for one is not kept.
        values["private_provider_name"] = values["private_provider_org_number"] = ""
    for answer, field, message in (
            ("police_reported", "police_reported_on", _("Ange när polisanmälan gjordes (ÅÅÅÅ-MM-DD).")),
            ("other_authority_reported", "other_authority_reported_on",
             _("Ange när anmälan till den andra myndigheten gjordes (ÅÅÅÅ-MM-DD).")),
            ("client_informed", "client_informed_on", _("Ange när den enskilde eller företrädaren informerades "
                                                        "(ÅÅÅÅ-MM-DD)."))):
        dates[field] = None
        if answers[answer]:
            dates[field] = check_day(errors, field, fields.get(field), not_before=None, before_label="",
                                     required=False)
            if dates[field] is None and field not in errors:
                errors[field] = message
    if answers["other_authority_reported"]:
        if not values["other_authority_name"]:
            errors["other_authority_name"] = _("Ange vilken myndighet som fick en anmälan.")
    else:
        values["other_authority_name"] = ""
    if answers["include_client_identity"] or not client_identity_known(case):
        values["client_identity_omitted_reason"] = ""
    elif not values["client_identity_omitted_reason"]:
        errors["client_identity_omitted_reason"] = _("Skriv varför den enskildes namn och personnummer inte tas med "
                                                     "i anmälan.")
    return dates


def _answer(value) -> bool | None:
    """A yes/no question: True, False, or None when not answered ("yes"/"no" from a form, or a bool)."""
    if value is None or isinstance(value, bool):
        return value
    return {"yes": True, "no": False}.get(str(value).strip())


def save_notification_draft(actor: User, reference: str, *, expected_version: int, **fields) -> LexSarahIvo:
    """The officer fills in the notification's own fields; everything else comes from the case."""
    case = commands.begin(actor, reference, "save_ivo_draft", expected_version)
    ivo = case.lex_sarah_ivo
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown draft fields: {sorted(unknown)}")
    values = {name: clean(fields.get(name)) for name in DRAFT_FIELDS if name not in (*_ANSWERS, *_DATES)}
    answers = {name: _answer(fields.get(name)) for name in _ANSWERS}
    attached = bool(answers["investigation_attached"])
    answers["include_client_identity"] = bool(answers["include_client_identity"])
    errors: dict[str, str] = {}
    expected = parse_day(errors, "investigation_expected_on", fields.get("investigation_expected_on"))
    for name, value in values.items():
        check_length(errors, name, value, _TEXT_LIMITS.get(name, MAX_TEXT))
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
    dates = _check_new_fields(case, values, answers, fields, errors)
    raise_errors(errors)
    commands.target(case, "save_ivo_draft")
    ivo = ivo or LexSarahIvo(case=case)
    changed = []
    for name, value in {**values, **answers, **dates, "investigation_attached": attached,
                        "investigation_expected_on": expected}.items():
        if getattr(ivo, name) != value:
            changed.append(name)
            setattr(ivo, name, value)
    ivo.draft_saved_by_id, ivo.draft_saved_at = actor.id, utcnow()
    db.session.add(ivo)
    journal.add_event(case, "ivo_draft_saved", actor, _("Uppgifterna till anmälan till IVO sparades."),
                      changed=changed)
    audit_case("ivo_draft_saved", actor, case, changed=changed)
    commands.commit(actor, case, "save_ivo_draft")
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
            audit_case("document_checksum_failed", actor, case, format=fmt)
            db.session.commit()
            raise LexSarahError(_("Den sparade anmälan stämmer inte med sin kontrollsumma. Kontakta "
                                  "systemförvaltaren."))
        content, frozen = (ivo.document_html if fmt == "html" else ivo.document_pdf), True
    else:
        draft = ivo if ivo is not None else LexSarahIvo(**draft_defaults(case, actor))
        render = document.render_html if fmt == "html" else document.render_pdf
        content, frozen = render(case, draft, provider_settings(), signed_on=today_local(), draft=True), False
    audit_case("document_viewed", actor, case, format=fmt, frozen=frozen)
    db.session.commit()
    return content, frozen


def verify_frozen_document(ivo: LexSarahIvo) -> bool:
    """Recompute the stored copy's checksums: True when both the HTML and the PDF are as sent."""
    if not ivo.frozen or ivo.document_pdf is None:
        return False
    return (document.sha256(ivo.document_html) == ivo.html_sha256
            and document.sha256(ivo.document_pdf) == ivo.pdf_sha256)


def finalise_notification(actor: User, reference: str, *, expected_version: int) -> LexSarahIvo:
    """The officer finalises and signs the notification: the frozen copy (HTML and PDF with their
    checksums) is taken now, since that is what is sent. Nothing in it changes afterwards."""
    case = commands.begin(actor, reference, "finalise_notification", expected_version)
    commands.target(case, "finalise_notification")
    ivo = case.lex_sarah_ivo
    # The saved draft, the nämnd's details and every answer IVO's form needs are requirements of
    # the move (workflow.NOTIFICATION_COMPLETE): begin() above refused, listing what is missing.
    provider = provider_settings()
    today = today_local()
    if not ivo.investigation_attached and ivo.investigation_expected_on \
            and ivo.investigation_expected_on > add_months(today, INVESTIGATION_MONTHS):
        raise LexSarahError(_("Anmälan säger att utredningen skickas %(day)s, men den ska komma in senast två "
                              "månader efter anmälan. Ändra datumet i anmälans uppgifter först.",
                              day=ivo.investigation_expected_on.isoformat()))
    html = document.render_html(case, ivo, provider, signed_on=today, draft=False)
    pdf = document.render_pdf(case, ivo, provider, signed_on=today, draft=False)
    ivo.document_html, ivo.document_pdf = html, pdf
    ivo.html_sha256, ivo.pdf_sha256 = document.sha256(html), document.sha256(pdf)
    ivo.finalised_at, ivo.finalised_by_id = utcnow(), actor.id
    journal.add_event(case, "ivo_notification_finalised", actor,
                      _("Anmälan till IVO slutfördes och signerades %(day)s.", day=today.isoformat()),
                      html_sha256=ivo.html_sha256, pdf_sha256=ivo.pdf_sha256)
    audit_case("ivo_notification_finalised", actor, case, html_sha256=ivo.html_sha256, pdf_sha256=ivo.pdf_sha256)
    commands.commit(actor, case, "finalise_notification")
    return ivo


def notify_ivo(actor: User, reference: str, *, sent_via: str, sent_on: date | None, ivo_reference: str = "",
               expected_version: int) -> LexSarahIvo:
    """Record how and when the finalised notification was sent (IVO's e-service or post; never e-mail).
    IVO's reference may be given now or later (`record_ivo_reference`), when IVO confirms."""
    case = commands.begin(actor, reference, "notify_ivo", expected_version)  # finalised, not yet notified
    ivo = case.lex_sarah_ivo
    errors: dict[str, str] = {}
    ivo_reference = clean(ivo_reference)
    if sent_via not in SENT_VIA:
        errors["sent_via"] = _("Välj hur anmälan skickades: IVO:s e-tjänst eller post.")
    sent_on = check_day(errors, "sent_on", sent_on, not_before=report_date(case),
                        before_label=_("rapportens datum"))
    check_length(errors, "ivo_reference", ivo_reference, 60)
    if not errors and not ivo.investigation_attached and ivo.investigation_expected_on \
            and ivo.investigation_expected_on > add_months(sent_on, INVESTIGATION_MONTHS):
        errors[None] = _("Anmälan säger att utredningen skickas %(day)s, men den ska komma in senast två månader "
                         "efter anmälan. Ändra datumet i anmälans uppgifter först.",
                         day=ivo.investigation_expected_on.isoformat())
    raise_errors(errors)
    commands.target(case, "notify_ivo")
    ivo.decision, ivo.decided_by_id, ivo.decided_at = "notified", actor.id, utcnow()
    ivo.sent_via, ivo.sent_on, ivo.ivo_reference = sent_via, sent_on, ivo_reference
    ivo.investigation_due_on = add_months(sent_on, INVESTIGATION_MONTHS)
    if ivo.investigation_attached:
        ivo.investigation_sent_on, ivo.investigation_recorded_by_id = sent_on, actor.id
        investigation_document.freeze(case, actor)  # attached: sent with the notification, frozen now
    journal.add_event(case, "ivo_notified", actor,
                      _("Anmäld till IVO %(day)s via %(via)s.", day=sent_on.isoformat(),
                        via=str(SENT_VIA_LABELS[sent_via]).lower()),
                      sent_on=sent_on.isoformat(), sent_via=sent_via, ivo_reference=ivo_reference,
                      html_sha256=ivo.html_sha256, pdf_sha256=ivo.pdf_sha256)
    audit_case("ivo_notified", actor, case, sent_on=sent_on.isoformat(), sent_via=sent_via,
               ivo_reference=ivo_reference, html_sha256=ivo.html_sha256, pdf_sha256=ivo.pdf_sha256)
    commands.commit(actor, case, "notify_ivo")
    return ivo


def record_ivo_reference(actor: User, reference: str, *, ivo_reference: str, expected_version: int) -> LexSarahIvo:
    """IVO's diarienummer, added when IVO confirms the notification."""
    case = commands.begin(actor, reference, "record_ivo_reference", expected_version)  # notified, no reference yet
    ivo = case.lex_sarah_ivo
    ivo_reference = clean(ivo_reference)
    errors: dict[str, str] = {}
    if not ivo_reference:
        errors["ivo_reference"] = _("Ange IVO:s diarienummer.")
    check_length(errors, "ivo_reference", ivo_reference, 60)
    raise_errors(errors)
    commands.target(case, "record_ivo_reference")
    ivo.ivo_reference = ivo_reference
    journal.add_event(case, "ivo_reference_recorded", actor, _("IVO:s diarienummer: %(ref)s.", ref=ivo_reference),
                      ivo_reference=ivo_reference)
    audit_case("ivo_reference_recorded", actor, case, ivo_reference=ivo_reference)
    commands.commit(actor, case, "record_ivo_reference")
    return ivo


def record_not_notifying(actor: User, reference: str, *, reason: str, expected_version: int) -> LexSarahIvo:
    """A serious judgment that is nevertheless not notified to IVO: the officer records why."""
    # a serious judgment, no decision yet
    case = commands.begin(actor, reference, "record_ivo_decision_not_to_notify", expected_version)
    ivo = case.lex_sarah_ivo
    reason = clean(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Motivera varför ärendet inte anmäls till IVO.")
    check_length(errors, "reason", reason)
    raise_errors(errors)
    commands.target(case, "record_ivo_decision_not_to_notify")
    ivo = ivo or LexSarahIvo(case=case)
    ivo.decision, ivo.decided_by_id, ivo.decided_at, ivo.not_notifying_reason = "not_notified", actor.id, utcnow(), \
        reason
    db.session.add(ivo)
    journal.add_event(case, "ivo_not_notified", actor, _("Anmäls inte till IVO: %(reason)s", reason=reason))
    audit_case("ivo_not_notified", actor, case)
    commands.commit(actor, case, "record_ivo_decision_not_to_notify")
    return ivo


def record_investigation_sent(actor: User, reference: str, *, sent_on: date | None,
                              expected_version: int) -> LexSarahIvo:
    """The investigation (the supplement to the notification) was sent to IVO."""
    # notified, not yet recorded
    case = commands.begin(actor, reference, "record_investigation_sent", expected_version)
    ivo = case.lex_sarah_ivo
    errors: dict[str, str] = {}
    sent_on = check_day(errors, "sent_on", sent_on, not_before=ivo.sent_on, before_label=_("anmälan till IVO"))
    raise_errors(errors)
    commands.target(case, "record_investigation_sent")
    ivo.investigation_sent_on, ivo.investigation_recorded_by_id = sent_on, actor.id
    late = sent_on > ivo.investigation_due_on
    copy = investigation_document.freeze(case, actor)  # what was sent: later changes of the record leave it
    journal.add_event(case, "ivo_investigation_sent", actor,
                      _("Utredningen skickades till IVO %(day)s.", day=sent_on.isoformat()),
                      sent_on=sent_on.isoformat(), due_on=ivo.investigation_due_on.isoformat(), late=late,
                      html_sha256=copy.html_sha256, pdf_sha256=copy.pdf_sha256)
    audit_case("ivo_investigation_sent", actor, case, sent_on=sent_on.isoformat(), late=late,
               html_sha256=copy.html_sha256, pdf_sha256=copy.pdf_sha256)
    commands.commit(actor, case, "record_investigation_sent")
    return ivo


def record_ivo_decision(actor: User, reference: str, *, outcome: str, decided_on: date | None, text: str,
                        expected_version: int) -> LexSarahIvo:
    """IVO's decision. Demands for measures are written to the journal and announced through
    `signals.ivo_demanded_measures`, so the actions feature can create actions in the same transaction."""
    case = commands.begin(actor, reference, "record_ivo_decision", expected_version)  # notified, not yet recorded
    ivo = case.lex_sarah_ivo
    text = clean(text)
    errors: dict[str, str] = {}
    if outcome not in IVO_OUTCOMES:
        errors["outcome"] = _("Välj vad IVO beslutade.")
    decided_on = check_day(errors, "decided_on", decided_on, not_before=ivo.sent_on,
                            before_label=_("anmälan till IVO"))
    if not text:
        errors["text"] = _("Skriv in vad IVO:s beslut säger.")
    check_length(errors, "text", text)
    raise_errors(errors)
    commands.target(case, "record_ivo_decision")
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
    audit_case("ivo_decision_recorded", actor, case, outcome=outcome, decided_on=decided_on.isoformat())
    commands.commit(actor, case, "record_ivo_decision")
    return ivo
