"""What a member of the public does: submit a complaint, and follow it with reference + code.

There is no logged-in person here, so the permission function has nothing to
answer; what protects a case is the personal follow-up code (only its hash is
stored) and the per-IP limits below. Every case read and change is still
audit-logged, with no actor.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import audit
from app.cases import complainant_notices as notices
from app.cases.filing import open_case, queue_filing_mail
from app.cases.models import (
    COMPLAINANT_RELATIONS,
    COMPLAINT_TYPE,
    COMPLAINT_TYPES,
    Case,
    Category,
    ComplaintDetails,
    ReferenceCounter,
)
from app.clock import to_local, utcnow
from app.commands import Refused
from app.extensions import db
from app.org.models import Unit
from app.process_cache import ProcessCache
from app.public.models import PublicRateHit
from app.workflow import Kind

log = logging.getLogger(__name__)

# No 0/O, 1/I/L or U/V: the code is read aloud, written by hand and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 12  # 29**12 ≈ 2**58; with the lookup limit, guessing is hopeless
CODE_GROUP = 4
RELATIONS = tuple(r for r in COMPLAINANT_RELATIONS if r != "anonymous")  # anonymity is its own choice
SUMMARY_MAX = 200
DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 10_000
WISHES_MAX = 5_000
RATE_WINDOW = timedelta(hours=1)
SUBMIT, LOOKUP = "submit", "lookup"


class ComplaintError(Refused):
    """A submission the service refuses, with a message for the person and the field it concerns."""


class RateLimited(Exception):
    """Too many submissions or lookups from one address within the hour."""


@dataclass(frozen=True)
class Receipt:
    reference: str
    code: str  # grouped for reading, e.g. "ABCD-EFGH-JKMN"; shown once, never stored
    anonymous: bool
    answer_due: date  # the last day of the answer deadline (app.cases.deadlines.services)
    answer_wanted: bool
    emailed: bool = False  # a receipt went to the address the person gave


@dataclass(frozen=True)
class PublicStatus:
    """Everything the follow-up page may show, and nothing else."""

    reference: str
    status: str
    received_at: datetime
    answer_text: str
    answered_at: datetime | None
    answered_by_name: str
    answered_by_title: str


# --- choices the form offers --------------------------------------------------------------

def departments() -> list[Unit]:
    """The second level of the tree: what a citizen can be expected to know, not the inner units."""
    return list(db.session.scalars(select(Unit).where(Unit.depth == 1, Unit.active).order_by(Unit.name)))


def complaint_topics() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.kind == Kind.COMPLAINT, Category.active)
                                   .order_by(Category.position, Category.name)))


@dataclass(frozen=True)
class PublicDepartment:
    """A department as the public form shows it: the name a citizen knows and the admin's sentence."""

    id: int
    name_for_public: str
    public_description: str


def _read_form_choices() -> tuple[tuple[PublicDepartment, ...], tuple[tuple[int, str], ...]]:
    return (tuple(PublicDepartment(unit.id, unit.name_for_public, unit.public_description or "")
                  for unit in departments()),
            tuple((topic.id, topic.name) for topic in complaint_topics()))


# Read once per process and kept (app/process_cache.py): forgotten when this process commits a
# change to units or categories, and after half a minute for the other processes. The
# submission checks the department and topic again (submit_complaint).
_FORM_CHOICES = ProcessCache(("units", "categories"), _read_form_choices)


def form_choices() -> tuple[tuple[PublicDepartment, ...], tuple[tuple[int, str], ...]]:
    """The departments and the (id, name) of the complaint topics the form offers."""
    return _FORM_CHOICES.get()


# --- the per-IP limits --------------------------------------------------------------------

def _ip_key(ip: str) -> str:
    # Keyed, because a plain hash of an IPv4 address is reversed by trying all 2**32 of them.
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (ip or "unknown").encode(), hashlib.sha256).hexdigest()


def _take_slot(ip: str, action: str, limit: int) -> None:
    """Count one hit for the address, or raise RateLimited when the hour's quota is used up.

    Adds to the current transaction; the caller commits. Two processes racing at
    the boundary may both get the last slot: the limit is a brake, not a count.
    """
    now = utcnow()
    since = now - RATE_WINDOW
    key = _ip_key(ip)
    used = db.session.scalar(select(func.count()).select_from(PublicRateHit).where(
        PublicRateHit.ip_hash == key, PublicRateHit.action == action, PublicRateHit.at > since))
    if used >= limit:
        raise RateLimited(action)
    # Old hits are of no further use; dropping them keeps the table small.
    db.session.execute(delete(PublicRateHit).where(PublicRateHit.at <= since))
    db.session.add(PublicRateHit(ip_hash=key, action=action, at=now))


# --- follow-up codes ----------------------------------------------------------------------

def new_followup_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(code: str) -> str:
    """What the person typed, without spaces, dashes or case."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def hash_code(reference: str, code: str) -> str:
    # Salted with the reference so that equal codes on two cases hash differently.
    return hashlib.sha256(f"{reference}:{normalise_code(code)}".encode()).hexdigest()


def normalise_reference(reference: str) -> str:
    return "".join((reference or "").split()).upper()[:20]


def summarise(text: str, limit: int = SUMMARY_MAX) -> str:
    """The first words of the text, for the case's one-line summary."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[:limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"


def _peek_reference() -> str:
    """A reference that looks like the next real one, without taking a number."""
    year = to_local(utcnow()).year
    last = db.session.scalar(select(ReferenceCounter.last).where(
        ReferenceCounter.kind == Kind.COMPLAINT, ReferenceCounter.year == year)) or 0
    return f"KL-{year}-{last + 1:04d}"


# --- the two things a person does ---------------------------------------------------------

def submit_complaint(*, client_ip: str, department_id: int | None, description: str, anonymous: bool,
                     relation: str, wishes: str = "", category_id: int | None = None, name: str = "",
                     email: str = "", phone: str = "", address: str = "", answer_wanted: bool = True,
                     trap: str = "", complaint_type: str = COMPLAINT_TYPE) -> Receipt:
    """File a complaint from the public form: case, complaint details, journal, audit and the
    notice to the department's investigators, in one transaction; the mail goes after the commit.

    `trap` is the honeypot field: only a robot fills it. It gets a receipt that
    looks real and nothing is stored, so it learns nothing from the answer.
    Raises ComplaintError for input the form should not have let through (a
    tampered id, missing contact details) and RateLimited.
    """
    description = (description or "").strip()
    wishes = (wishes or "").strip()
    name, email, phone, address = (v.strip() for v in (name or "", email or "", phone or "", address or ""))

    department = db.session.get(Unit, department_id) if department_id else None
    if department is None or department.depth != 1 or not department.active:
        raise ComplaintError(_("Välj en av de delar av socialtjänsten som finns i listan."), "department_id")
    topic = None
    if category_id:
        topic = db.session.get(Category, category_id)
        if topic is None or topic.kind != Kind.COMPLAINT or not topic.active:
            raise ComplaintError(_("Välj ett ämne i listan, eller inget."), "category_id")
    if relation not in RELATIONS:
        raise ComplaintError(_("Välj vem du är i listan."), "relation")
    if complaint_type not in COMPLAINT_TYPES:
        raise ComplaintError(_("Välj om du vill klaga eller lämna en synpunkt."), "complaint_type")
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        # The same words as the form's own message and hint ("10 000", as the staff forms write it).
        raise ComplaintError(_("Skriv minst 20 och högst 10 000 tecken."), "description")
    if len(wishes) > WISHES_MAX:
        raise ComplaintError(_("Skriv högst %(max)d tecken.", max=WISHES_MAX), "wishes")
    if anonymous:
        # Whatever was typed in the contact fields before choosing anonymity is not kept.
        name = email = phone = address = ""
        answer_wanted = False
    else:
        if not name:
            raise ComplaintError(_("Skriv ditt namn, eller välj att vara anonym."), "name")
        if not (email or phone or address):
            raise ComplaintError(_("Ange minst ett sätt att nå dig: e-post, telefon eller postadress."), "email")

    _take_slot(client_ip, SUBMIT, current_app.config["PUBLIC_RATE_LIMIT_PER_HOUR"])
    code = new_followup_code()

    if trap:
        reference = _peek_reference()
        db.session.commit()  # the rate-limit hit only
        log.info("Public complaint form: honeypot filled; nothing stored.")
        return Receipt(reference=reference, code=code, anonymous=anonymous,
                       answer_due=notices.answer_due(utcnow()), answer_wanted=answer_wanted,
                       emailed=bool(email))

    case = open_case(kind=Kind.COMPLAINT, unit=department, reporter=None, categories=[topic] if topic else [],
                     keep_ip=False,
                     summary=summarise(description), description=description)
    db.session.add(ComplaintDetails(
        case=case, channel="web", complaint_type=complaint_type, anonymous=anonymous, complainant_name=name[:200],
        complainant_email=email[:254], complainant_phone=phone[:40], complainant_address=address[:300],
        relation=relation, answer_wanted=answer_wanted, wishes=wishes,
        followup_code_hash=hash_code(case.reference, code)))
    queue_filing_mail(case)
    due = notices.answer_due(case.received_at)
    # The complainant's own receipt: reference, answer date and link, never the code or the text.
    receipt_mail = notices.queue_receipt(email, case.reference, due, answer_wanted)
    db.session.commit()  # the mail goes out after it (app.mailer)
    return Receipt(reference=case.reference, code=code, anonymous=anonymous, answer_due=due,
                   answer_wanted=answer_wanted, emailed=receipt_mail is not None)


def look_up_complaint(*, client_ip: str, reference: str, code: str) -> PublicStatus | None:
    """The status (and answer) of a web complaint, given its reference and follow-up code.

    None when either is wrong: the caller cannot tell an unknown reference from
    a wrong code, so a guesser learns nothing about which references exist.
    """
    _take_slot(client_ip, LOOKUP, current_app.config["PUBLIC_LOOKUP_LIMIT_PER_HOUR"])
    reference = normalise_reference(reference)
    details = db.session.scalar(select(ComplaintDetails).join(Case).where(
        Case.reference == reference, Case.kind == Kind.COMPLAINT))
    stored = details.followup_code_hash if details is not None else ""
    # Compare even when there is nothing to compare with, so both failures cost the same.
    matches = hmac.compare_digest(stored or "0" * 64, hash_code(reference, code)) and bool(stored)
    if not matches:
        if details is not None:
            audit.record("complaint.followup_refused", object_type="case", object_id=details.case_id)
        db.session.commit()
        return None
    case = details.case
    audit.record("complaint.followup_viewed", object_type="case", object_id=case.id,
                 detail={"reference": case.reference}, keep_ip=False)
    answered = bool(details.answer_text and details.answered_at)
    result = PublicStatus(
        reference=case.reference, status=case.status, received_at=case.received_at,
        answer_text=details.answer_text if answered else "",
        answered_at=details.answered_at if answered else None,
        answered_by_name=(details.answered_by.full_name if answered and details.answered_by else ""),
        answered_by_title=(details.answered_by.title if answered and details.answered_by else ""))
    db.session.commit()
    return result
