"""What a person does with their account, and what an admin does to accounts."""

import re
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import audit
from app.auth.models import ROLES, LoginFailure, User, new_session_token
from app.auth.permissions import Action, ensure
from app.clock import utcnow
from app.extensions import db
from app.org.models import Unit

MIN_PASSWORD, MAX_PASSWORD = 12, 128
MAX_USERNAME = 64
# Checked here, not only in the form: the command line creates accounts too, and an
# account the form cannot represent could never be edited afterwards.
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]+")

# Verifying against this keeps the time of a failed login the same whether or
# not the username exists.
_DUMMY_HASH_CACHE: dict[str, str] = {}


class AccountError(Exception):
    """A refused account operation, with a message for the person and the field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"],
                          parallelism=cfg["ARGON2_PARALLELISM"])


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None. Checked before hashing."""
    if len(password) < MIN_PASSWORD:
        return _("Lösenordet måste ha minst %(n)d tecken.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Lösenordet får ha högst %(n)d tecken.", n=MAX_PASSWORD)
    return None


def hash_password(password: str, *, enforce_policy: bool = True) -> str:
    problem = password_problem(password) if enforce_policy else None
    if problem:
        raise AccountError(problem, "password")
    return _hasher().hash(password)


def _verify(stored_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    key = str(current_app.config["ARGON2_MEMORY_COST"])
    if key not in _DUMMY_HASH_CACHE:
        _DUMMY_HASH_CACHE[key] = _hasher().hash("not-a-real-password-0000")
    return _DUMMY_HASH_CACHE[key]


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def _locked(username: str) -> bool:
    cfg = current_app.config
    now = utcnow()
    horizon = now - timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"] + cfg["LOGIN_LOCK_MINUTES"])
    recent = select(LoginFailure.at).where(LoginFailure.username == username, LoginFailure.at >= horizon)
    times = sorted(db.session.scalars(recent))
    # Locked while some run of MAX failures inside one window ended less than LOCK minutes ago.
    n = cfg["LOGIN_MAX_FAILURES"]
    for i in range(n - 1, len(times)):
        if times[i] - times[i - n + 1] <= timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"]) \
                and now - times[i] < timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"]):
            return True
    return False


def authenticate(username: str, password: str) -> tuple[User | None, str | None]:
    """Check a login. Returns (user, None) or (None, message). Writes the audit log and commits."""
    name = normalise_username(username)[:128]
    generic = _("Fel användarnamn eller lösenord.")
    if _locked(name):
        audit.record("login.locked", object_type="user", object_id=name, detail={"username": name})
        db.session.commit()
        return None, _("För många misslyckade inloggningar. Vänta %(n)d minuter och försök igen.",
                       n=current_app.config["LOGIN_LOCK_MINUTES"])
    user = db.session.scalar(select(User).where(User.username == name))
    ok = _verify(user.password_hash if user else _dummy_hash(), password or "")
    if not ok or user is None or not user.active:
        db.session.add(LoginFailure(username=name, at=utcnow()))
        audit.record("login.failure", actor=user, object_type="user", object_id=name,
                     detail={"username": name, "reason": "inactive" if ok and user else "bad_credentials"})
        db.session.commit()
        return None, generic
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == name))
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return user, None


def end_all_sessions(user: User, reason: str, actor: User | None = None) -> None:
    """Invalidate every session of the user (the token is part of each session cookie)."""
    user.session_token = new_session_token()
    audit.record(f"session.{reason}", actor=actor or user, object_type="user", object_id=user.id)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not _verify(user.password_hash, current or ""):
        raise AccountError(_("Nuvarande lösenord stämmer inte."), "current_password")
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    audit.record("user.password_changed", actor=user, object_type="user", object_id=user.id)
    db.session.commit()


# --- administration of accounts ----------------------------------------------------------

def _units(unit_ids) -> list[Unit]:
    ids = [int(i) for i in unit_ids]
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)))) if ids else []
    if len(units) != len(set(ids)):
        raise AccountError(_("Okänd enhet."), "units")
    return units


def create_user(actor: User | None, *, username: str, full_name: str, role: str, password: str,
                email: str = "", title: str = "", unit_ids=()) -> User:
    """Create an account. `actor` None means the command line (a person at the server)."""
    if actor is not None:
        ensure(actor, Action.MANAGE_USERS)
    name = normalise_username(username)
    if not name:
        raise AccountError(_("Ange ett användarnamn."), "username")
    if len(name) > MAX_USERNAME:
        raise AccountError(_("Användarnamnet får ha högst %(n)d tecken.", n=MAX_USERNAME), "username")
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(_("Använd bara bokstäverna a–z, siffror, punkt, bindestreck och understreck."),
                           "username")
    if not (full_name or "").strip():
        raise AccountError(_("Ange personens namn."), "full_name")
    if role not in ROLES:
        raise AccountError(_("Okänd roll."), "role")
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == name)):
        raise AccountError(_("Användarnamnet är upptaget."), "username")
    user = User(username=name, full_name=full_name.strip(), role=role, email=email.strip(),
                title=title.strip(), password_hash=hash_password(password), units=_units(unit_ids))
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor, object_type="user", object_id=user.id,
                 detail={"username": name, "role": role})
    db.session.commit()
    return user


def update_user(actor: User, user: User, *, full_name: str, role: str, email: str, title: str,
                unit_ids, active: bool) -> None:
    ensure(actor, Action.MANAGE_USERS)
    if role not in ROLES:
        raise AccountError(_("Okänd roll."), "role")
    # Refused so that the administration can never lock itself out of its own system.
    if user.id == actor.id and not active:
        raise AccountError(_("Du kan inte inaktivera ditt eget konto."), "active")
    if user.id == actor.id and role != "admin":
        raise AccountError(_("Du kan inte ta bort din egen administratörsbehörighet."), "role")
    if not (full_name or "").strip():
        raise AccountError(_("Ange personens namn."), "full_name")
    units = _units(unit_ids)  # before any change, so a refusal leaves the account untouched
    changes = {}
    for field, value in (("full_name", full_name.strip()), ("role", role), ("email", email.strip()),
                         ("title", title.strip()), ("active", active)):
        if getattr(user, field) != value:
            changes[field] = value
            setattr(user, field, value)
    if {u.id for u in units} != user.unit_ids:
        changes["units"] = sorted(u.id for u in units)
        user.units = units
    if ("active" in changes and not active) or "role" in changes:
        # A deactivated person, or one whose rights changed, must log in again.
        user.session_token = new_session_token()
    if changes:
        audit.record("user.updated", actor=actor, object_type="user", object_id=user.id, detail=changes)
    db.session.commit()


def set_password_by_admin(actor: User | None, user: User, password: str) -> None:
    if actor is not None:
        ensure(actor, Action.MANAGE_USERS)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    audit.record("user.password_set", actor=actor, object_type="user", object_id=user.id)
    db.session.commit()
