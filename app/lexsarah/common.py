"""What every lex Sarah service shares: the refusal and the state machine's refusal in words, the
checks of typed text and dates, the audit entry, and opening a page. The commands on a case load,
check and commit through app/commands.py (begin/target/commit), like every feature's."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, workflow
from app.auth.models import User
from app.auth.permissions import Action, ensure
from app.cases.models import Case
from app.clock import to_local, today_local
from app.commands import CaseWorkError, Conflict, Refused
from app.extensions import db
from app.facts import facts_for
from app.labels import refusal_for_unmet, requirements_message, status_label
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
    """Someone else saved the same thing in the meantime; nothing was overwritten. (The services on
    a case raise commands.CaseConflict now; this stays a Conflict for what is not a case command.)"""


# --- helpers -----------------------------------------------------------------------------

def find_case(reference: str) -> Case | None:
    """The lex Sarah case with this reference, or None."""
    return db.session.scalar(select(Case).where(Case.reference == reference, Case.kind == Kind.LEX_SARAH))


def report_date(case: Case) -> date:
    return to_local(case.received_at).date()


def refusal_message(refusal: workflow.MoveRefused) -> str:
    if refusal.code == "wrong_kind":
        return _("Ärendet är inte en lex Sarah-rapport.")
    if "not_yet_notified" in refusal.unmet:
        return _("Anmälan till IVO är redan registrerad. Den kan inte registreras två gånger.")
    if "notified" in refusal.unmet:
        return _("Ärendet är inte anmält till IVO.")
    own = refusal_for_unmet(refusal.unmet)
    if own is not None:
        return own
    if refusal.code == "unmet_requirements":
        return requirements_message(refusal.move, refusal.unmet)
    if refusal.code == "wrong_status":
        return _("Det går inte nu: ärendet har status ”%(status)s”.", status=status_label(refusal.status))
    return _("Det går inte nu.")


def clean(value: str | None) -> str:
    return (value or "").strip().replace("\r\n", "\n")


def check_length(errors: dict, field: str, value: str, limit: int = MAX_TEXT) -> None:
    if len(value) > limit:
        errors.setdefault(field, _("Högst %(n)d tecken.", n=limit))


def raise_errors(errors: dict) -> None:
    if errors:
        raise LexSarahError(errors)


def audit_case(action: str, actor, case: Case, **detail) -> None:
    audit.record(f"lexsarah.{action}", actor=actor, object_type="case", object_id=case.id,
                 detail={"reference": case.reference, **detail})


def parse_day(errors: dict, field: str, value: date | str | None) -> date | None:
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


def read_day(field: str, value: date | str | None) -> date | None:
    """parse_day for a command that stops at its first problem: an unreadable date is a
    CaseWorkError at the field; empty is None."""
    errors: dict = {}
    day = parse_day(errors, field, value)
    if errors:
        raise CaseWorkError(errors[field], field)
    return day


def check_day(errors: dict, field: str, value: date | str | None, *, not_before: date | None,
               before_label: str, required: bool = True) -> date | None:
    """The date, checked: readable, not in the future, not before `not_before`; None after an error."""
    day = parse_day(errors, field, value)
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


def allowed(case: Case, move: str) -> bool:
    """Whether the workflow allows the move now (for showing a form; the services check again)."""
    return workflow.check(case.kind, case.status, move, facts_for(case))[0]


def missing_for(case: Case, move: str, among: tuple[str, ...]) -> tuple[str, ...]:
    """The requirements of `among` that keep the move from being allowed now, when they are all that
    does (for a checklist before the button); empty when the move is allowed or refused for another reason."""
    allowed_now, unmet = workflow.check(case.kind, case.status, move, facts_for(case))
    if allowed_now or not unmet or not set(unmet) <= set(among):
        return ()
    return unmet


# --- reading -----------------------------------------------------------------------------

def open_page(case: Case, actor: User, action: Action, page: str) -> Case:
    """Someone opens one of the lex Sarah pages of a case: check, and log the read."""
    ensure(actor, action, case)
    audit_case("viewed", actor, case, page=page)
    db.session.commit()
    return case

