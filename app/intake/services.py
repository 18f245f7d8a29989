"""Filing a report as a member of staff, and following what one has filed.

`file_report` is the whole filing: it validates everything (so that any caller,
not only the form, gets the same rules and messages), then in one transaction
creates the case, its complaint details and attachments, and queues the
e-mails; the e-mails go out only after the commit.
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import MultiDict

from app import audit, commands, mailer
from app.auth.models import User
from app.auth.permissions import BOARD, Action, PermissionDenied, can, ensure
from app.cases.categories import categories_for
from app.cases.filing import (
    filing_messages,
    handler_emails,
    keep_as_read,
    people_choices,
    prepare_case,
    record_filed,
    reference_stand_in,
    with_reference,
    write_case,
)
from app.cases.models import (
    CLIENT_GENDERS,
    COMPLAINANT_RELATIONS,
    COMPLAINT_TYPE,
    COMPLAINT_TYPES,
    LEX_SARAH_TYPES,
    Attachment,
    Case,
    Category,
)
from app.clock import to_local, today_local, utcnow
from app.commands import Refused
from app.extensions import db
from app.int_params import db_int_or_none
from app.intake import attachments, drafts, personnummer
from app.intake.follow_up import handed_over_to
from app.org.models import Unit
from app.org.services import tree
from app.process_cache import ProcessCache
from app.workflow import Kind

log = logging.getLogger(__name__)
KINDS = (Kind.DEVIATION, Kind.LEX_SARAH, Kind.COMPLAINT)
# A staff member registers complaints that came in some other way; "web" is the public form's.
STAFF_COMPLAINT_CHANNELS = ("phone", "letter", "email", "visit", "ivo")
CLIENT_AGES = ("child", "adult")

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 10_000
TEXT_MAX = 5_000          # the other free-text fields
SUMMARY_MAX = 120
SHORT_MAX = {"client_name": 200, "complainant_name": 200, "complainant_email": 254, "complainant_phone": 40,
             "complainant_address": 300, "ivo_reference": 60}
_PHONE = re.compile(r"^[0-9+()\-. ]{5,40}$")
# Control characters other than tab and newline: PostgreSQL refuses NUL in text, and the
# others only ever arrive by accident or on purpose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IntakeError(Refused):
    """The report was not filed; `errors` maps form field names to messages for the person."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self._errors = errors

    @property
    def errors(self) -> dict:
        return self._errors


class NotFound(commands.NotFound):
    """No such case or attachment (routes answer 404)."""


class LexSarahNudge(Exception):  # a question to the reporter, not an error
    """Not filed (nothing stored): the deviation may be a lex Sarah matter, and the reporter is
    asked first whether to report it under lex Sarah or send it as a deviation anyway."""

    def __init__(self, abuse_categories: list[str], reporter_marked: bool, file_names: list[str]):
        super().__init__("lex Sarah?")
        self.abuse_categories = abuse_categories  # the chosen categories that describe abuse
        self.reporter_marked = reporter_marked    # the reporter ticked "Detta kan vara ett missförhållande"
        self.file_names = file_names              # the files chosen, which a page shown again cannot keep


@dataclass(frozen=True)
class Carried:
    """What became of a deviation carried into the lex Sarah form."""
    unmatched_categories: list[str]  # chosen categories the lex Sarah list has no category of that name for
    file_names: list[str]            # files chosen, which are never kept in a draft


# --- what the forms offer ----------------------------------------------------------------------

@dataclass(frozen=True)
class FormOptions:
    units: list[tuple[int, str, int]]  # id, name, depth in the tree
    categories: list[tuple[int, str]]
    default_unit_id: int | None
    # The categories that describe abuse (a deviation with one asks about lex Sarah first).
    abuse_category_ids: tuple[int, ...] = ()
    people: list[tuple[int, str]] = ()  # the staff in Värna, by name: the actual reporter, the staff concerned


def form_options(reporter, kind: str) -> FormOptions:
    """The units and categories a report of this kind can name, and the reporter's own unit."""
    ensure(reporter, Action.FILE_REPORT)
    if kind not in KINDS:
        raise NotFound(kind)
    units, categories, abuse = _FORM_CHOICES.get()
    active_ids = {i for i, _name, _depth in units}
    default = next((u.id for u in reporter.units if u.id in active_ids), None)
    return FormOptions(units=list(units), categories=list(categories[kind]), default_unit_id=default,
                       abuse_category_ids=abuse[kind] if kind == Kind.DEVIATION else (),
                       people=people_choices(reporter))


def _read_form_choices() -> tuple[tuple, dict, dict]:
    units = tuple((u.id, u.name, u.depth) for u in tree() if u.active and _ancestors_active(u))
    lists = {kind: categories_for(kind) for kind in KINDS}
    return (units, {kind: tuple((c.id, c.name) for c in found) for kind, found in lists.items()},
            {kind: tuple(c.id for c in found if c.describes_abuse) for kind, found in lists.items()})


# The units and categories the forms offer, kept in the process (app/process_cache.py): read
# on every form shown and every filing before. file_report checks the unit and categories
# sent against the database again, so a choice another server changed a moment ago is safe.
_FORM_CHOICES = ProcessCache(("units", "categories"), _read_form_choices)


def _ancestors_active(unit: Unit) -> bool:
    # A unit can only be deactivated after its children, so an active unit under an
    # inactive one only happens through a move; it is still not offered.
    node = unit.parent
    while node is not None:
        if not node.active:
            return False
        node = node.parent
    return True


def _ancestors_active_in_database(unit: Unit) -> bool:
    """`_ancestors_active` in one statement (walking the parents read them one by one)."""
    above = unit.ancestor_ids[:-1]
    if not above:
        return True
    return not db.session.scalar(_INACTIVE_AMONG, {"ids": list(above)})


# Built once (with their cache keys): a filing built each of its statements anew.
_UNITS = Unit.__table__
_INACTIVE_AMONG = select(_UNITS.c.id).where(_UNITS.c.id.in_(bindparam("ids", expanding=True)),
                                            ~_UNITS.c.active).limit(1)
_ACTIVE_CATEGORIES = select(Category).where(Category.id.in_(bindparam("ids", expanding=True)),
                                            Category.kind == bindparam("kind"), Category.active)
# The categories chosen and, on each of their rows, whether a unit above the chosen one is
# inactive: the two checks of every filing in one statement (the units' check alone runs only
# when no chosen category is found, which is an error anyway).
_ACTIVE_CATEGORIES_AND_UNITS_ABOVE = _ACTIVE_CATEGORIES.add_columns(
    select(_UNITS.c.id).where(_UNITS.c.id.in_(bindparam("above", expanding=True)), ~_UNITS.c.active)
    .exists().label("inactive_above"))


# --- filing ------------------------------------------------------------------------------------

def file_report(reporter, kind: str, data: dict, files=(), *, ask_about_lex_sarah: bool = False,
                lex_sarah_declined: bool = False) -> Case:
    """File a report of `kind` as `reporter`. IntakeError (nothing stored) when anything is wrong.

    `data` holds plain values keyed like the form's fields; `files` are uploads
    (objects with .filename and .stream). The person filing is always the registrar
    (`registered_by`); they are also the reporter unless they register on someone else's behalf
    (`on_behalf`: a person in Värna, `reporter_user_id`, or a name, `reporter_name`). A complaint
    registered on someone's behalf may leave both empty: the complainant (ComplaintDetails) is then
    the reporter. With `ask_about_lex_sarah`, a deviation with a category that describes abuse, or
    that the reporter marked as possibly a missförhållande, raises LexSarahNudge instead of being
    filed (the reporter's form asks first), unless the reporter has answered "send it as a
    deviation anyway" (`lex_sarah_declined`).
    """
    ensure(reporter, Action.FILE_REPORT)
    if kind not in KINDS:
        raise NotFound(kind)
    errors: dict[str, list[str]] = {}
    fields, unit, categories = _clean_common(kind, data, errors)
    if kind == Kind.LEX_SARAH:
        fields.update(_clean_lex_sarah(data, errors))
    if kind == Kind.DEVIATION:
        fields["possible_misconduct"] = bool(data.get("possible_misconduct"))
    complaint = _clean_complaint(data, errors) if kind == Kind.COMPLAINT else None
    actual_reporter, reporter_name = _clean_registration(kind, data, errors, reporter)
    concerned = _clean_concerned(data, errors, reporter, actual_reporter)
    try:
        checked_files = attachments.inspect(files)
    except attachments.AttachmentRefused as refused:
        errors["attachments"] = refused.messages
        checked_files = []
    if errors:
        raise IntakeError(errors)
    abuse = [c.name for c in categories if c.describes_abuse] if kind == Kind.DEVIATION else []
    if ask_about_lex_sarah and not lex_sarah_declined and (abuse or fields.get("possible_misconduct")):
        # Asked only once everything else is right, so that the answer files it at once.
        raise LexSarahNudge(abuse, fields["possible_misconduct"], [f.filename for f in files])

    written: list[str] = []  # stored names
    case = None
    try:
        # One INSERT per table, no flush (app.cases.filing.prepare_case, write_case). What the
        # filing reads and the draft's removal come before the reference number, whose counter
        # row stays locked until the commit: every filing of the kind waits for it.
        events = []
        if abuse or fields.get("possible_misconduct"):
            events.append({"event": "possible_misconduct", "actor": reporter,
                           "text": _possible_misconduct_text(abuse, fields["possible_misconduct"], lex_sarah_declined),
                           "abuse_categories": abuse, "reporter_marked": fields["possible_misconduct"]})
        case = prepare_case(kind=kind, unit=unit, reporter=actual_reporter, registered_by=reporter,
                            reporter_name=reporter_name, categories=categories, complaint=complaint, **fields)
        handlers = handler_emails(case, concerned=frozenset(person.id for person in concerned))
        # The notices' texts too (with a stand-in for the reference), before the number is taken.
        stand_in = reference_stand_in()
        messages = filing_messages(case, handlers, reference=stand_in)
        drafts.remove_in_transaction(reporter, kind)  # the draft goes when the report is filed, not before
        if not checked_files:
            set_committed_value(case, "attachments", [])
        # The audit entry before the number too (write_case completes it); the case joins the
        # session after the commit, unless its files need it there now.
        write_case(case, concerned=concerned, complaint=complaint, events=events,
                   filed_entry=record_filed(case), attach=bool(checked_files))
        if checked_files:
            written = attachments.store(case, checked_files, reporter)
            db.session.flush()
            for attachment in case.attachments:
                audit.record("attachment.added", actor=reporter, object_type="case", object_id=case.id,
                             detail={"attachment_id": attachment.id, "size": attachment.size,
                                     "content_type": attachment.content_type})
        # Sent once the commit succeeds (app.mailer), never before.
        mailer.queue_emails(with_reference(messages, stand_in, case.reference))
        # Keeping what was read: the receipt's redirect needs the reference, which otherwise
        # reloaded the case (and the person) after the commit.
        commands.commit_keeping_loaded()
        if not checked_files:
            # Adding the case begins the session's next transaction, still without a connection:
            # ended here, or the end of the request took a connection to commit nothing.
            keep_as_read(case)
            commands.commit_keeping_loaded()
    except BaseException:
        db.session.rollback()
        if case is not None and case in db.session:
            # write_case attached it as if read, which a rollback keeps (expired): it would stand
            # in the way of the next case given the same id in this session.
            db.session.expunge(case)
        attachments.discard(written)
        raise
    return case


def _possible_misconduct_text(abuse: list[str], reporter_marked: bool, declined: bool) -> str:
    """The journal's sentence: why the deviation may be a lex Sarah matter (stored in Swedish)."""
    with force_locale("sv"):
        reasons = []
        if reporter_marked:
            reasons.append(_("rapportören markerade att det kan vara ett missförhållande"))
        if abuse:
            reasons.append(_("kategorin beskriver övergrepp (%(names)s)", names=", ".join(abuse)))
        text = _("Kan vara ett missförhållande (lex Sarah): %(reasons)s.", reasons=" och ".join(reasons))
        if declined:
            text += " " + _("Rapportören fick frågan om att rapportera enligt lex Sarah och skickade den som "
                            "avvikelse.")
        return text


def carry_to_lex_sarah(reporter, data: dict, formdata, files=()) -> Carried:
    """The reporter chose to report their deviation under lex Sarah: what they typed becomes
    their lex Sarah draft (replacing an earlier one), with the lex Sarah categories of the same
    names, and their deviation draft goes; nothing is filed until they send the lex Sarah form,
    where they say what the report concerns. IntakeError (nothing changed) for junk, as when filing."""
    ensure(reporter, Action.FILE_REPORT)
    errors: dict[str, list[str]] = {}
    _fields, _unit, categories = _clean_common(Kind.DEVIATION, data, errors)
    if errors:
        raise IntakeError(errors)
    names = [c.name for c in categories]
    same = {c.name: c.id for c in categories_for(Kind.LEX_SARAH) if c.name in names}
    carried = MultiDict([(name, value) for name in formdata for value in formdata.getlist(name)
                         if name not in ("category_ids", "possible_misconduct", "nudge_choice")])
    carried.setlist("category_ids", [str(same[name]) for name in names if name in same])
    drafts.carry(reporter, Kind.DEVIATION, Kind.LEX_SARAH, carried)
    return Carried(unmatched_categories=[name for name in names if name not in same],
                   file_names=[f.filename for f in files])


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    value = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return value.strip()


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _limit(errors: dict, data: dict, name: str, maximum: int) -> str:
    value = _text(data, name)
    if len(value) > maximum:
        _add(errors, name, _("Texten får ha högst %(max)s tecken (nu %(n)s).",
                             max=f"{maximum:,}".replace(",", "\u00a0"), n=f"{len(value):,}".replace(",", "\u00a0")))
    return value


def summary_of(description: str) -> str:
    """A one-line title for lists, taken from the description (the form stays short)."""
    first = " ".join(description.split("\n", 1)[0].split())
    return first if len(first) <= SUMMARY_MAX else first[:SUMMARY_MAX - 1].rstrip() + "…"


def _clean_common(kind: str, data: dict, errors: dict) -> tuple[dict, Unit | None, list[Category]]:
    fields: dict = {}
    today = today_local()

    unit = None
    unit_id = _int_or_none(data.get("unit_id"))
    chosen = None
    if data.get("unit_id") in (None, ""):
        _add(errors, "unit_id", _("Välj var det hände."))
    else:
        unit = db.session.get(Unit, unit_id) if unit_id is not None else None
        if unit is not None and unit.active:
            chosen = _chosen_categories(kind, data.get("category_ids"), unit)
        if unit is None or not unit.active or not chosen.units_above_active:
            _add(errors, "unit_id", _("Välj en enhet i listan."))
            unit = None

    occurred_on = data.get("occurred_on")
    occurred_time = data.get("occurred_time")
    if occurred_on in (None, ""):
        _add(errors, "occurred_on", _("Ange vilket datum det hände."))
    elif not isinstance(occurred_on, date):
        _add(errors, "occurred_on", _("Ange datumet som ÅÅÅÅ-MM-DD."))
    elif occurred_on > today:
        _add(errors, "occurred_on", _("Datumet kan inte vara i framtiden."))
    if occurred_time not in (None, "") and not isinstance(occurred_time, time):
        _add(errors, "occurred_time", _("Ange klockslaget som TT:MM, till exempel 14:30."))
    elif isinstance(occurred_time, time) and occurred_on == today \
            and occurred_time > to_local(utcnow()).time().replace(tzinfo=None):
        _add(errors, "occurred_time", _("Klockslaget kan inte vara senare än nu."))
    fields["occurred_on"] = occurred_on if isinstance(occurred_on, date) else None
    fields["occurred_time"] = occurred_time if isinstance(occurred_time, time) else None

    noticed_on = data.get("noticed_on")
    if noticed_on not in (None, ""):
        if not isinstance(noticed_on, date):
            _add(errors, "noticed_on", _("Ange datumet som ÅÅÅÅ-MM-DD."))
        elif noticed_on > today:
            _add(errors, "noticed_on", _("Datumet kan inte vara i framtiden."))
        elif isinstance(occurred_on, date) and noticed_on < occurred_on:
            _add(errors, "noticed_on", _("Det kan inte ha uppmärksammats innan det hände."))
    fields["noticed_on"] = noticed_on if isinstance(noticed_on, date) else None
    fields["noticed_how"] = _limit(errors, data, "noticed_how", TEXT_MAX)

    description = _text(data, "description")
    if not description:
        _add(errors, "description", _("Beskriv vad som hände."))
    elif len(description) < DESCRIPTION_MIN:
        _add(errors, "description", _("Beskriv lite mer: minst %(min)d tecken.", min=DESCRIPTION_MIN))
    elif len(description) > DESCRIPTION_MAX:
        _add(errors, "description", _("Beskrivningen får ha högst 10\u00a0000 tecken (nu %(n)s).",
                                      n=f"{len(description):,}".replace(",", "\u00a0")))
    fields["description"] = description
    fields["summary"] = summary_of(description)
    fields["consequences"] = _limit(errors, data, "consequences", TEXT_MAX)
    fields["immediate_measures"] = _limit(errors, data, "immediate_measures", TEXT_MAX)

    categories = _categories(chosen or _chosen_categories(kind, data.get("category_ids")), errors)

    fields["client_name"] = _limit(errors, data, "client_name", SHORT_MAX["client_name"])
    pin_text = _text(data, "client_pin")
    fields["client_pin"] = ""
    if pin_text:
        try:
            fields["client_pin"] = personnummer.normalise(pin_text, today)
        except personnummer.InvalidPersonnummer:
            _add(errors, "client_pin", _("Personnumret stämmer inte. Skriv det som ÅÅÅÅMMDD-NNNN "
                                         "och kontrollera siffrorna, eller lämna fältet tomt."))
    gender = _text(data, "client_gender")
    if gender and gender not in CLIENT_GENDERS:
        _add(errors, "client_gender", _("Välj ett av alternativen."))
    fields["client_gender"] = gender if gender in CLIENT_GENDERS else None
    age = _text(data, "client_age")
    if age and age not in CLIENT_AGES:
        _add(errors, "client_age", _("Välj ett av alternativen."))
    fields["client_is_child"] = {"child": True, "adult": False}.get(age)
    return fields, unit, categories


def _int_or_none(value) -> int | None:
    # An id no integer column holds is junk like any other (the database would refuse it: a 500).
    return db_int_or_none(value.strip() if isinstance(value, str) else value)


@dataclass
class _Chosen:
    """The categories sent, as read (`_chosen_categories`), and the check of the units above the unit chosen."""
    raw: list
    ids: set
    found: list
    units_above_active: bool = True


def _chosen_categories(kind: str, raw_ids, unit: Unit | None = None) -> _Chosen:
    """Read the categories sent (active, of this kind) and, with a unit, whether every unit
    above it is active: one statement when a category is found, else the units' own."""
    raw = [r for r in (raw_ids or []) if r not in (None, "")]
    ids = {_int_or_none(r) for r in raw}
    wanted = [i for i in ids if i is not None]
    if unit is None:
        return _Chosen(raw, ids, list(db.session.scalars(_ACTIVE_CATEGORIES, {"ids": wanted, "kind": kind}))
                       if wanted else [])
    above = list(unit.ancestor_ids[:-1])
    rows = db.session.execute(_ACTIVE_CATEGORIES_AND_UNITS_ABOVE,
                              {"ids": wanted, "kind": kind, "above": above}).all() if wanted else []
    if rows:
        return _Chosen(raw, ids, [row[0] for row in rows], units_above_active=not rows[0].inactive_above)
    return _Chosen(raw, ids, [], units_above_active=_ancestors_active_in_database(unit))


def _categories(chosen: _Chosen, errors: dict) -> list[Category]:
    if not chosen.raw:
        _add(errors, "category_ids", _("Välj minst en kategori."))
        return []
    found = chosen.found
    if None in chosen.ids or len(found) != len(chosen.ids):
        _add(errors, "category_ids", _("Välj kategorier ur listan."))
        return []
    return sorted(found, key=lambda c: (c.position, c.name))


def _clean_lex_sarah(data: dict, errors: dict) -> dict:
    kind = _text(data, "lex_sarah_type")
    if kind not in LEX_SARAH_TYPES:
        _add(errors, "lex_sarah_type", _("Ange om det är ett missförhållande som har hänt eller en påtaglig risk "
                                         "för ett missförhållande."))
    return {"lex_sarah_type": kind if kind in LEX_SARAH_TYPES else None,
            "bypass_manager": bool(data.get("bypass_manager"))}


REPORTER_NAME_MAX = 200
CONCERNED_MAX = 20


def _clean_registration(kind: str, data: dict, errors: dict, filer) -> tuple[User | None, str | None]:
    """The actual reporter: the person filing, unless they register on someone else's behalf.

    Returns (reporter, reporter_name): a person in Värna, or None and the name typed (None when
    none was). A choice filled in counts as registering on someone's behalf even when the box
    was left unticked: nothing typed is dropped."""
    user_raw = data.get("reporter_user_id")
    name = _text(data, "reporter_name")
    chosen = user_raw not in (None, "", "None")
    if not (data.get("on_behalf") or chosen or name):
        return filer, None
    reporter = None
    if chosen:
        user_id = _int_or_none(user_raw)
        reporter = db.session.get(User, user_id) if user_id is not None else None
        if reporter is None or not reporter.active or reporter.role == BOARD:
            _add(errors, "reporter_user_id", _("Välj en person i listan."))
            reporter = None
        elif reporter.id == filer.id:
            _add(errors, "reporter_user_id", _("Du kan inte registrera åt dig själv. Kryssa ur att du "
                                               "registrerar åt någon annan."))
            reporter = None
    if chosen and name:
        _add(errors, "reporter_name", _("Välj en person i Värna eller skriv ett namn, inte båda."))
    elif len(name) > REPORTER_NAME_MAX:
        _add(errors, "reporter_name", _("Namnet får ha högst %(max)d tecken (nu %(n)d).",
                                        max=REPORTER_NAME_MAX, n=len(name)))
    elif not chosen and not name and kind != Kind.COMPLAINT:  # a complaint's complainant is named below
        _add(errors, "reporter_name", _("Välj vem som rapporterade eller skriv namnet, eller kryssa ur att du "
                                        "registrerar åt någon annan."))
    return reporter, (name or None) if not chosen else None


def _clean_concerned(data: dict, errors: dict, filer, reporter) -> list[User]:
    """The staff the report concerns: people in Värna, never the one filing nor the reporter
    (who would then lose sight of their own report)."""
    raw = [r for r in (data.get("concerned_user_ids") or []) if r not in (None, "", "None")]
    if not raw:
        return []
    ids = {_int_or_none(r) for r in raw}
    if None in ids or len(ids) > CONCERNED_MAX:
        _add(errors, "concerned_user_ids", _("Välj personer ur listan."))
        return []
    people = list(db.session.scalars(select(User).where(User.id.in_(ids), User.active, User.role != BOARD)
                                     .order_by(User.full_name, User.id)))
    if len(people) != len(ids):
        _add(errors, "concerned_user_ids", _("Välj personer ur listan."))
        return []
    if filer.id in ids or (reporter is not None and reporter.id in ids):
        _add(errors, "concerned_user_ids", _("Den som rapporterar eller registrerar kan inte vara berörd personal."))
        return []
    return people


def _clean_complaint(data: dict, errors: dict) -> dict:
    channel = _text(data, "channel")
    if channel not in STAFF_COMPLAINT_CHANNELS:
        _add(errors, "channel", _("Ange hur klagomålet kom in."))
    ivo_reference = _limit(errors, data, "ivo_reference", SHORT_MAX["ivo_reference"])
    if channel == "ivo" and not ivo_reference:
        _add(errors, "ivo_reference", _("Ange IVO:s diarienummer för ett klagomål som IVO har skickat vidare."))
    if channel != "ivo":
        ivo_reference = ""

    relation = _text(data, "relation")
    if relation not in COMPLAINANT_RELATIONS:
        _add(errors, "relation", _("Ange vem som klagar."))
    anonymous = relation == "anonymous"
    contact = {name: _limit(errors, data, name, SHORT_MAX[name])
               for name in ("complainant_name", "complainant_email", "complainant_phone", "complainant_address")}
    if contact["complainant_email"] and "complainant_email" not in errors:
        try:
            contact["complainant_email"] = validate_email(contact["complainant_email"],
                                                          check_deliverability=False).normalized
        except EmailNotValidError:
            _add(errors, "complainant_email", _("Ange en giltig e-postadress, till exempel namn@exempel.se."))
    if contact["complainant_phone"] and "complainant_phone" not in errors \
            and not _PHONE.match(contact["complainant_phone"]):
        _add(errors, "complainant_phone", _("Ange telefonnumret med siffror, till exempel 070-123 45 67."))
    answer_wanted = bool(data.get("answer_wanted"))
    if anonymous:
        for name, value in contact.items():
            if value:
                _add(errors, name, _("Ett anonymt klagomål har inga namn eller kontaktuppgifter. "
                                     "Ta bort uppgiften eller välj vem som klagar."))
        # An anonymous complainant cannot be answered, whatever the box says.
        answer_wanted = False
    elif answer_wanted and not (contact["complainant_email"] or contact["complainant_phone"]
                                or contact["complainant_address"]):
        _add(errors, "answer_wanted", _("Ange e-post, telefon eller adress så att svaret kan nå fram, "
                                        "eller kryssa ur att svar önskas."))
    wishes = _limit(errors, data, "wishes", TEXT_MAX)
    # Klagomål or synpunkt: the statistics count them apart. Not asked (an older client): a complaint.
    complaint_type = _text(data, "complaint_type") or COMPLAINT_TYPE
    if complaint_type not in COMPLAINT_TYPES:
        _add(errors, "complaint_type", _("Ange om det är ett klagomål eller en synpunkt."))
    if complaint_type not in COMPLAINT_TYPES:
        complaint_type = COMPLAINT_TYPE
    return {"channel": channel, "complaint_type": complaint_type,
            "ivo_reference": ivo_reference, "anonymous": anonymous,
            "relation": relation if relation in COMPLAINANT_RELATIONS else "other",
            "answer_wanted": answer_wanted, "wishes": wishes, **contact}


# --- after filing ------------------------------------------------------------------------------

def receipt(user, reference: str) -> Case:
    """The receipt after filing: the reporter or the registrar (only) sees the reference and what happens next."""
    # The staff the report concerns (an input of the permission function) in the same statement.
    case = db.session.scalars(_RECEIPT_CASE, {"reference": reference}).unique().first()
    if case is None:
        raise NotFound(reference)
    ensure(user, Action.VIEW_RECEIPT, case)
    audit.record("case.receipt_viewed", actor=user, object_type="case", object_id=case.id,
                 detail={"reference": case.reference})
    # Only an audit entry was added: the page shows the case and the person as read (a plain
    # commit expired them, and both were read again, the person with their units).
    commands.commit_keeping_loaded()
    return case


_RECEIPT_CASE = (select(Case).where(Case.reference == bindparam("reference"))
                 .options(joinedload(Case.concerned)))


@dataclass
class ReportRow:
    reference: str
    kind: str
    status: str
    received_at: datetime
    summary: str
    # The feedback the investigator chose to give the reporter (cases.services.give_feedback).
    feedback: str | None = None
    # After a hand-over: the sentence saying which case the report goes on as, instead of "Avslutad".
    handed_over: str | None = None


@dataclass
class ReportPage:
    rows: list[ReportRow]
    next_before: int | None  # the id to pass as `before` for the next (older) page, if any


def my_reports(user, before: int | None = None, page_size: int | None = None) -> ReportPage:
    """What the person filed, newest first, a page at a time (keyset: same cost on every page)."""
    ensure(user, Action.VIEW_OWN_REPORTS)
    size = page_size or int(current_app.config["PAGE_SIZE"])
    statement = (select(Case).options(selectinload(Case.feedback)).where(Case.reporter_id == user.id)
                 .order_by(Case.id.desc()).limit(size + 1))
    if before:
        statement = statement.where(Case.id < before)
    cases = list(db.session.scalars(statement))
    more = len(cases) > size
    cases = cases[:size]
    if cases:
        audit.record("case.listed_own", actor=user, object_type="case", object_id="",
                     detail={"case_ids": [c.id for c in cases]})
    # Only an audit entry was added: the rows below are made from the cases as read (a plain
    # commit expired them, and each case was read again, one statement per case).
    commands.commit_keeping_loaded()
    went_to = handed_over_to([c.id for c in cases if c.handover])
    rows = [ReportRow(reference=c.reference, kind=c.kind, status=c.status, received_at=c.received_at,
                      summary=c.summary, feedback=feedback_for_reporter(c),
                      handed_over=went_to[c.id].sentence if c.id in went_to else None) for c in cases]
    return ReportPage(rows=rows, next_before=cases[-1].id if more else None)


def feedback_for_reporter(case: Case) -> str | None:
    """The feedback the handler chose to give the reporter (the newest), if any."""
    return case.reporter_feedback or None


def attachment_for_download(user, attachment_id: int):
    """The attachment and an open binary file of its bytes, for people who may see the case (or filed it)."""
    attachment = db.session.scalar(select(Attachment).options(selectinload(Attachment.case))
                                   .where(Attachment.id == attachment_id))
    if attachment is None:
        raise NotFound(attachment_id)
    case = attachment.case
    if not (can(user, Action.VIEW_CASE, case) or can(user, Action.VIEW_CASE_AS_REPORTER, case)):
        raise PermissionDenied(Action.VIEW_CASE)
    content = attachments.open_for_download(attachment)
    if content is None:
        log.error("Attachment %s of case %s is missing from storage", attachment.id, case.reference)
        raise NotFound(attachment_id)
    audit.record("attachment.downloaded", actor=user, object_type="case", object_id=case.id,
                 detail={"attachment_id": attachment.id, "reference": case.reference})
    db.session.commit()
    return attachment, content
