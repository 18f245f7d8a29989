"""What a person does with a supervision case: register the authority's letter, record its
requests and the nämnd's replies (with extensions), its decision and the report-back of the
measures. Each is one command (app/commands.py): permission, the state machine, the checks,
the change, the journal, the audit entry and one commit; refused input stores nothing."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from app import audit, commands, mailer, workflow
from app.auth.models import User
from app.auth.permissions import Action, PermissionDenied, can, may_register_supervision_for
from app.cases import journal
from app.cases.models import Case
from app.cases.references import next_reference
from app.clock import moment_on, today_local, utcnow
from app.commands import Refused
from app.extensions import db
from app.facts import facts_for
from app.intake import attachments, personnummer
from app.org.models import Unit
from app.supervision import deadlines
from app.supervision.models import (
    AUTHORITIES,
    DECISIONS,
    DEMANDING,
    ORIGINS,
    REPLY_CHANNELS,
    REQUEST_PURPOSES,
    SUBJECTS,
    SupervisionDetails,
    SupervisionRequest,
    supervision_links,
    supervision_units,
)
from app.urls import external_url
from app.workflow import Kind, Status


class SupervisionError(Refused):
    """Refused input; `errors` maps each form field to its Swedish message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()), next(iter(errors)))
        self._errors = errors

    @property
    def errors(self) -> dict:
        return self._errors


def _refuse(field_name: str, message: str):
    raise SupervisionError({field_name: message})


# --- registering the letter -------------------------------------------------------------------

@dataclass
class Registration:
    """What the registration form supplies (plain values; the route reads the form)."""
    authority: str = ""
    authority_name: str = ""
    authority_reference: str = ""
    letter_on: date | None = None
    subject: str = ""
    summary: str = ""
    description: str = ""
    unit_ids: list[int] = field(default_factory=list)
    origin: str = ""
    linked_references: list[str] = field(default_factory=list)
    board_reference: str = ""
    client_name: str = ""
    client_pin: str = ""


def parse_references(text: str) -> list[str]:
    """"KL-2026-0003, LS-2026-0001" → the references, upper-cased, each once."""
    found = []
    for part in (text or "").replace(";", ",").replace("\n", ",").split(","):
        part = part.strip().upper()
        if part and part not in found:
            found.append(part)
    return found


def common_unit(units: list[Unit]) -> Unit:
    """The nearest unit above (or equal to) every unit concerned: whose handlers work the case."""
    paths = [u.ancestor_ids for u in units]
    shared = []
    for ids in zip(*paths, strict=False):
        if len(set(ids)) != 1:
            break
        shared.append(ids[0])
    return db.session.get(Unit, shared[-1]) if shared else units[0]


def register(actor, data: Registration, letter_files=()) -> Case:
    """Register the authority's letter as a supervision case (status received)."""
    if not can(actor, Action.REGISTER_SUPERVISION):
        raise PermissionDenied(Action.REGISTER_SUPERVISION)
    errors: dict[str, str] = {}
    today = today_local()
    if data.authority not in AUTHORITIES:
        errors["authority"] = _("Välj vilken myndighet som har skickat brevet.")
    authority_name = commands.clean(data.authority_name)
    if data.authority == "other" and not authority_name:
        errors["authority_name"] = _("Skriv vilken myndighet det är.")
    reference = commands.clean(data.authority_reference)
    if not reference:
        errors["authority_reference"] = _("Skriv myndighetens diarienummer.")
    elif len(reference) > 60:
        errors["authority_reference"] = _("Diarienumret får ha högst %(max)d tecken.", max=60)
    if data.letter_on is None:
        errors["letter_on"] = _("Ange datumet som ÅÅÅÅ-MM-DD.")
    elif data.letter_on > today:
        errors["letter_on"] = _("Datumet kan inte vara senare än i dag.")
    if data.subject not in SUBJECTS:
        errors["subject"] = _("Välj vad tillsynen gäller.")
    summary = commands.clean(data.summary)
    if not summary:
        errors["summary"] = _("Skriv kort vad tillsynen gäller.")
    elif len(summary) > 200:
        errors["summary"] = _("Texten får ha högst %(max)d tecken.", max=200)
    description = commands.clean(data.description)
    if len(description) > 10000:
        errors["description"] = _("Texten får ha högst %(max)d tecken.", max=10000)
    units = [u for u in (db.session.get(Unit, i) for i in dict.fromkeys(data.unit_ids)) if u is not None]
    if not units or len(units) != len(set(data.unit_ids)):
        errors["unit_ids"] = _("Välj minst en enhet som tillsynen gäller.")
    elif not all(may_register_supervision_for(actor, u.ancestor_ids) for u in units):
        errors["unit_ids"] = _("Du kan bara registrera tillsyn som gäller dina egna enheter.")
    if data.origin not in ORIGINS:
        errors["origin"] = _("Välj hur tillsynen inleddes.")
    linked = _linked_cases(actor, data, errors)
    board_reference = commands.clean(data.board_reference)
    if len(board_reference) > 60:
        errors["board_reference"] = _("Diarienumret får ha högst %(max)d tecken.", max=60)
    client_name, client_pin = commands.clean(data.client_name), commands.clean(data.client_pin)
    if data.subject != "individual_case" and (client_name or client_pin):
        errors["client_name"] = _("Uppgifter om en enskild anges bara när tillsynen gäller en enskilds ärende.")
    if len(client_name) > 200:
        errors["client_name"] = _("Texten får ha högst %(max)d tecken.", max=200)
    if client_pin and "client_name" not in errors:
        try:
            client_pin = personnummer.normalise(client_pin, today)
        except personnummer.InvalidPersonnummer:
            errors["client_pin"] = _("Personnumret stämmer inte. Skriv det som ÅÅÅÅMMDD-NNNN "
                                     "och kontrollera siffrorna, eller lämna fältet tomt.")
    checked = []
    try:
        checked = attachments.inspect(letter_files)
    except attachments.AttachmentRefused as refused:
        errors["letter"] = " ".join(refused.messages)
    if errors:
        raise SupervisionError(errors)

    unit = common_unit(units)
    received = moment_on(data.letter_on)
    case = Case(kind=Kind.SUPERVISION, status=Status.RECEIVED, unit=unit, reporter=None, received_at=received,
                reference=next_reference(Kind.SUPERVISION, data.letter_on.year), summary=summary,
                description=description, client_name=client_name, client_pin=client_pin)
    db.session.add(case)
    db.session.flush()
    db.session.add(SupervisionDetails(
        case_id=case.id, authority=data.authority, authority_name=authority_name if data.authority == "other" else "",
        authority_reference=reference, letter_on=data.letter_on, subject=data.subject, origin=data.origin,
        board_reference=board_reference, registered_by_id=actor.id))
    db.session.execute(insert(supervision_units), [{"case_id": case.id, "unit_id": u.id} for u in units])
    if linked:
        db.session.execute(insert(supervision_links),
                           [{"case_id": case.id, "linked_case_id": other.id} for other in linked])
    written = attachments.store(case, checked, actor) if checked else []
    try:
        journal.add_event(case, "filed", actor, authority=data.authority,
                          authority_reference=reference, letter_on=data.letter_on.isoformat())
        _queue_notice(case, actor)
        audit.record("supervision.registered", actor=actor, object_type="case", object_id=case.id,
                     detail={"reference": case.reference, "authority": data.authority,
                             "units": [u.id for u in units], "links": [c.reference for c in linked]})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        attachments.discard(written)
        raise
    return case


def _queue_notice(case: Case, actor) -> None:
    """Tell those who may work the case (the unit's investigators and the officers) that it was
    registered: the reference and a link, never what it is about. Sent after the commit."""
    people = db.session.scalars(select(User).where(User.active, User.role.in_(("investigator", "officer")))
                                .options(selectinload(User.units)).order_by(User.id))
    addresses = [u.email for u in people if u.email and u.id != actor.id and can(u, Action.WORK_CASE, case)]
    if not addresses:
        return
    with force_locale("sv"):
        mailer.queue_email(addresses, _("Nytt tillsynsärende: %(ref)s", ref=case.reference),
                           _("Ett nytt tillsynsärende har registrerats i Värna: %(ref)s.\n\n"
                             "Öppna ärendet: %(link)s\n", ref=case.reference,
                             link=external_url("cases.case", reference=case.reference)))


def _linked_cases(actor, data: Registration, errors: dict) -> list[Case]:
    """The complaint or lex Sarah cases the supervision started from: only of that kind and only
    cases the person may see (an unknown reference and a hidden one get the same answer)."""
    references = data.linked_references
    if not references:
        return []
    if data.origin not in (Kind.COMPLAINT, Kind.LEX_SARAH):
        errors["links"] = _("Koppla ärenden bara när tillsynen inleddes med ett klagomål eller en lex Sarah-anmälan.")
        return []
    found = []
    for ref in references:
        other = db.session.scalar(select(Case).where(Case.reference == ref))
        if other is None or not can(actor, Action.VIEW_CASE, other):
            errors["links"] = _("Det finns inget ärende %(ref)s som du kan se.", ref=ref[:30])
            return []
        if other.kind != data.origin:
            errors["links"] = _("%(ref)s är inte ett ärende av det slag som tillsynen inleddes med.", ref=ref)
            return []
        found.append(other)
    return found


# --- requests, replies, extensions --------------------------------------------------------------

def _request_of(case: Case, request_id: int) -> SupervisionRequest:
    request = db.session.get(SupervisionRequest, request_id)
    if request is None or request.case_id != case.id:
        raise commands.NotFound(request_id)
    return request


def _keep_deadline(case: Case) -> None:
    """The case's next deadline from its open requests (flushed first, so the query sees them)."""
    db.session.flush()
    db.session.expire(case.supervision, ["requests"])
    case.next_deadline_at = deadlines.next_deadline(case)


def _not_in_future(day: date | None, field_name: str) -> date:
    if day is None:
        _refuse(field_name, _("Ange datumet som ÅÅÅÅ-MM-DD."))
    if day > today_local():
        _refuse(field_name, _("Datumet kan inte vara senare än i dag."))
    return day


def record_request(actor, reference: str, *, purpose: str, requested_on: date | None, due_on: date | None,
                   text: str, expected_version: int) -> SupervisionRequest:
    """The authority asks for a statement, documents or information by a date."""
    move = "record_supervision_request"
    case = commands.begin(actor, reference, move, expected_version)
    if purpose not in REQUEST_PURPOSES or purpose == "report_back":
        _refuse("purpose", _("Välj vad myndigheten begär."))
    requested_on = _not_in_future(requested_on, "requested_on")
    if requested_on < case.supervision.letter_on:
        _refuse("requested_on", _("Begäran kan inte vara daterad före myndighetens första brev (%(day)s).",
                                  day=case.supervision.letter_on.isoformat()))
    if due_on is None:
        _refuse("due_on", _("Ange datumet som ÅÅÅÅ-MM-DD."))
    if due_on < requested_on:
        _refuse("due_on", _("Sista svarsdagen kan inte vara före brevets datum (%(day)s).",
                            day=requested_on.isoformat()))
    text = commands.clean(text)
    if len(text) > 5000:
        _refuse("text", _("Texten får ha högst %(max)d tecken.", max=5000))
    status = commands.target(case, move)
    request = SupervisionRequest(case_id=case.id, purpose=purpose, requested_on=requested_on, due_on=due_on,
                                 text=text, recorded_by_id=actor.id, recorded_at=utcnow())
    db.session.add(request)
    case.status = status
    _keep_deadline(case)
    journal.add_event(case, "supervision_request", actor, text=text, purpose=purpose,
                      requested_on=requested_on.isoformat(), due_on=due_on.isoformat())
    commands.record("supervision.request_recorded", actor, case, purpose=purpose, due_on=due_on.isoformat())
    commands.commit(actor, case, move)
    return request


def extend_deadline(actor, reference: str, *, request_id: int, new_due_on: date | None, note: str,
                    expected_version: int) -> SupervisionRequest:
    """The authority granted more time for a request (or the report-back)."""
    move = "extend_supervision_deadline"
    case = commands.begin(actor, reference, move, expected_version)
    request = _request_of(case, request_id)
    if not request.is_open:
        _refuse("request_id", _("Begäran är redan besvarad."))
    if new_due_on is None:
        _refuse("new_due_on", _("Ange datumet som ÅÅÅÅ-MM-DD."))
    if new_due_on <= request.deadline:
        _refuse("new_due_on", _("Den nya sista dagen måste vara senare än den nuvarande (%(day)s).",
                                day=request.deadline.isoformat()))
    note = commands.clean(note)
    if len(note) > 2000:
        _refuse("note", _("Texten får ha högst %(max)d tecken.", max=2000))
    commands.target(case, move)
    previous = request.deadline
    request.extended_due_on, request.extension_note = new_due_on, note
    _keep_deadline(case)
    journal.add_event(case, "supervision_extended", actor, text=note, request_id=request.id,
                      previous=previous.isoformat(), due_on=new_due_on.isoformat())
    commands.record("supervision.deadline_extended", actor, case, request_id=request.id,
                    previous=previous.isoformat(), due_on=new_due_on.isoformat())
    commands.commit(actor, case, move)
    return request


def reply_move(request: SupervisionRequest) -> str:
    return "record_report_back" if request.purpose == "report_back" else "record_supervision_reply"


def record_reply(actor, reference: str, *, request_id: int, replied_on: date | None, channel: str,
                 signed_by: str, note: str, files=(), expected_version: int) -> SupervisionRequest:
    """The nämnd's reply to a request, or the report-back of the measures: the date, how it was
    sent, who signed it and the document. When the last request is answered the case awaits
    the authority's decision."""
    case = commands.load_case(reference)
    if case.kind != Kind.SUPERVISION:
        raise commands.NotFound(reference)
    request = _request_of(case, request_id)
    move = reply_move(request)
    case = commands.begin(actor, reference, move, expected_version)
    if not request.is_open:
        _refuse("request_id", _("Begäran är redan besvarad."))
    replied_on = _not_in_future(replied_on, "replied_on")
    if replied_on < request.requested_on:
        _refuse("replied_on", _("Svaret kan inte vara daterat före begäran (%(day)s).",
                                day=request.requested_on.isoformat()))
    if channel not in REPLY_CHANNELS:
        _refuse("channel", _("Välj hur svaret skickades."))
    signed_by = commands.required(signed_by, _("Skriv vem som undertecknade svaret."), "signed_by", 200)
    note = commands.clean(note)
    if len(note) > 5000:
        _refuse("note", _("Texten får ha högst %(max)d tecken.", max=5000))
    try:
        checked = attachments.inspect(files)
    except attachments.AttachmentRefused as refused:
        raise SupervisionError({"document": " ".join(refused.messages)}) from None
    commands.target(case, move)
    written = attachments.store(case, checked[:1], actor) if checked else []
    try:
        db.session.flush()
        if written:
            request.reply_attachment = case.attachments[-1]
        request.replied_on, request.reply_channel, request.signed_by = replied_on, channel, signed_by
        request.reply_note, request.replied_by_id = note, actor.id
        _keep_deadline(case)
        late = replied_on > deadlines.last_day(request)
        event = "supervision_report_back" if request.purpose == "report_back" else "supervision_reply"
        journal.add_event(case, event, actor, text=note, request_id=request.id, replied_on=replied_on.isoformat(),
                          channel=channel, signed_by=signed_by, late=late)
        commands.record("supervision.report_back_recorded" if request.purpose == "report_back"
                        else "supervision.reply_recorded", actor, case, request_id=request.id, late=late)
        if move == "record_supervision_reply":
            allowed, _unmet = _check(case, "await_supervision_decision")
            if allowed:
                case.status = commands.target(case, "await_supervision_decision")
                journal.add_event(case, "supervision_all_answered", actor)
        commands.commit(actor, case, move)
    except BaseException:
        attachments.discard(written)
        raise
    return request


def _check(case: Case, move: str):
    return workflow.check(case.kind, case.status, move, facts_for(case))


# --- the decision ------------------------------------------------------------------------------

def record_decision(actor, reference: str, *, decision: str, decided_on: date | None, text: str,
                    report_back_on: date | None, expected_version: int, with_fine: bool = False) -> Case:
    """The authority's decision; demands and injunctions set the day the measures must be
    reported back by, which runs as a deadline like a request's."""
    move = "record_supervision_decision"
    case = commands.begin(actor, reference, move, expected_version)
    if decision not in DECISIONS:
        _refuse("decision", _("Välj vad myndigheten beslutade."))
    decided_on = _not_in_future(decided_on, "decided_on")
    if decided_on < case.supervision.letter_on:
        _refuse("decided_on", _("Beslutet kan inte vara fattat före den dag ärendet kom in (%(day)s).",
                                day=case.supervision.letter_on.isoformat()))
    text = commands.required(text, _("Skriv vad beslutet säger."), "text", 10000)
    if decision in DEMANDING:
        if report_back_on is None:
            _refuse("report_back_on", _("Ange när åtgärderna ska redovisas till myndigheten."))
        if report_back_on < decided_on:
            _refuse("report_back_on", _("Redovisningen kan inte vara före beslutets datum (%(day)s).",
                                        day=decided_on.isoformat()))
    elif report_back_on is not None:
        _refuse("report_back_on", _("Ett datum för redovisning anges bara när myndigheten kräver åtgärder."))
    if with_fine and decision != "injunction":
        _refuse("with_fine", _("Vite hör bara till ett föreläggande."))
    status = commands.target(case, move)
    details = case.supervision
    details.decision, details.decided_on, details.decision_text = decision, decided_on, text
    details.with_fine = bool(with_fine) if decision == "injunction" else None
    details.decision_recorded_by_id = actor.id
    if decision in DEMANDING:
        db.session.add(SupervisionRequest(case_id=case.id, purpose="report_back", requested_on=decided_on,
                                          due_on=report_back_on, recorded_by_id=actor.id, recorded_at=utcnow()))
    case.status = status
    _keep_deadline(case)
    journal.add_event(case, "supervision_decision", actor, text=text, decision=decision, with_fine=details.with_fine,
                      decided_on=decided_on.isoformat(),
                      report_back_on=report_back_on.isoformat() if report_back_on else None)
    commands.record("supervision.decision_recorded", actor, case, decision=decision,
                    with_fine=details.with_fine)
    commands.commit(actor, case, move)
    return case


def view_case(actor, reference: str) -> Case:
    """A supervision case for its own pages: 404 for another kind, 403 for who may not see it."""
    case = commands.load_case(reference)
    if case.kind != Kind.SUPERVISION:
        raise commands.NotFound(reference)
    if not can(actor, Action.VIEW_CASE, case):
        commands.record("case.view_denied", actor, case)
        db.session.commit()
        raise PermissionDenied(Action.VIEW_CASE)
    return case
