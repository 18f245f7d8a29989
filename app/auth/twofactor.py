"""Two-factor login: a time-based one-time code (TOTP, RFC 6238) and one-time recovery codes.

The password alone never logs an enrolled person in: after it, the session holds only a
"pending" marker (user id, session token, time), and Flask-Login's session starts when
the code is right. A code is accepted once: the last accepted time step is stored per
person and the same or an earlier step is refused. Wrong codes are throttled per account
with the password login's own mechanism (LoginFailure rows under a key no username can
have), so guessing codes is as slow as guessing passwords.

The TOTP secret is stored encrypted (Fernet, a key derived from TWO_FACTOR_KEY or the
SECRET_KEY); it is shown to the person while they enrol and never again. Recovery codes
are stored hashed with argon2, like passwords.
"""

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session
from flask_babel import gettext as _
from sqlalchemy import BigInteger, ForeignKey, String, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app import audit
from app.auth import services as accounts
from app.auth.models import ROLES, LoginFailure, User, new_session_token
from app.auth.permissions import Action, ensure
from app.clock import utcnow
from app.commands import Refused
from app.extensions import db

STEP_SECONDS = 30
# One step either side: a phone's clock a little off, or a code typed as it changed.
VALID_WINDOW = 1
DIGITS = 6
PENDING_MINUTES = 5
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code read from paper must not be mistyped.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
_PENDING_KEY = "two_factor_pending"


class TwoFactor(db.Model):
    """A person's authenticator. `confirmed_at` is None while they enrol (the code not yet typed)."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None]
    # The time step (unix time // 30) of the last accepted code: that one and earlier are refused.
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(db.Model):
    """One recovery code, hashed; `used_at` set when it has been used (each works once)."""

    __tablename__ = "two_factor_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class TwoFactorError(Refused):
    """A refused code or step, with a message for the person."""


# --- policy ---------------------------------------------------------------------------------

def required_roles() -> frozenset[str]:
    """Every role above staff; staff too unless TWO_FACTOR_OPTIONAL_FOR_STAFF."""
    optional = {"staff"} if current_app.config["TWO_FACTOR_OPTIONAL_FOR_STAFF"] else set()
    return frozenset(ROLES) - optional


def _row(user: User) -> TwoFactor | None:
    return db.session.get(TwoFactor, user.id)


def is_enrolled(user: User) -> bool:
    row = _row(user)
    return row is not None and row.confirmed_at is not None


def must_enrol(user: User) -> bool:
    """True when this person may do nothing before enrolling (production, a role that requires it)."""
    return (bool(current_app.config["TWO_FACTOR_REQUIRED"]) and user.role in required_roles()
            and not is_enrolled(user))


def is_required_for(user: User) -> bool:
    return bool(current_app.config["TWO_FACTOR_REQUIRED"]) and user.role in required_roles()


# --- the secret, encrypted at rest ---------------------------------------------------------

def _fernet() -> Fernet:
    cfg = current_app.config
    material = (cfg.get("TWO_FACTOR_KEY") or cfg["SECRET_KEY"]).encode("utf-8")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"varna two-factor secret").derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def _decrypt(token: str) -> str | None:
    # None when the key changed: no code can be right then, and an admin resets the enrolment.
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        return None


# --- codes ----------------------------------------------------------------------------------

def _step_now() -> int:
    return int(utcnow().replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def _digits(code: str) -> str:
    return "".join((code or "").split())


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (within the window) whose code this is, or None."""
    code = _digits(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = _step_now()
    found = None
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        # Every step is compared (no early exit), in constant time.
        if secrets.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def _accept_step(row: TwoFactor, step: int) -> bool:
    """Record the step as used, unless it (or a later one) already was: one atomic UPDATE, so
    two requests racing with the same code cannot both succeed."""
    result = db.session.execute(
        update(TwoFactor)
        .where(TwoFactor.user_id == row.user_id, (TwoFactor.last_step.is_(None)) | (TwoFactor.last_step < step))
        .values(last_step=step)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    row.last_step = step
    return True


def _check_totp(row: TwoFactor, code: str) -> tuple[bool, str]:
    """(accepted, reason) for a six-digit code; reason is "ok", "wrong_code" or "reused"."""
    secret = _decrypt(row.secret_encrypted)
    step = _matching_step(secret, code) if secret else None
    if step is None:
        return False, "wrong_code"
    if not _accept_step(row, step):
        return False, "reused"
    return True, "ok"


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with new ones; returns them in clear, to be shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=accounts.hash_password(raw, enforce_policy=False)))
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    raw = _normalise_recovery(code)
    if len(raw) != _RECOVERY_LENGTH:
        return False
    unused = list(db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                                RecoveryCode.used_at.is_(None))))
    for candidate in unused:
        if accounts.verify_hash(candidate.code_hash, raw):
            # Conditional, like the time step: a code used twice at once works only once.
            result = db.session.execute(
                update(RecoveryCode).where(RecoveryCode.id == candidate.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow()).execution_options(synchronize_session=False))
            return result.rowcount == 1
    return False


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# --- throttling: the password login's mechanism, per account --------------------------------

def _throttle_key(user: User) -> str:
    # A colon never occurs in a username (USERNAME_PATTERN), so this cannot collide with one.
    return f"two_factor:{user.id}"


def _refuse_if_locked(user: User) -> None:
    if accounts.is_locked(_throttle_key(user)):
        audit.record("two_factor.locked", actor=user, object_type="user", object_id=user.id)
        db.session.commit()
        raise TwoFactorError(_("För många felaktiga koder. Vänta %(n)d minuter och försök igen.",
                               n=current_app.config["LOGIN_LOCK_MINUTES"]))


def _failed(user: User, reason: str, during: str) -> TwoFactorError:
    db.session.add(LoginFailure(username=_throttle_key(user), at=utcnow()))
    audit.record("two_factor.failure", actor=user, object_type="user", object_id=user.id,
                 detail={"reason": reason, "during": during})
    db.session.commit()
    if reason == "reused":
        return TwoFactorError(_("Koden har redan använts. Vänta tills appen visar nästa kod."))
    return TwoFactorError(_("Koden stämmer inte. Kontrollera att du skriver koden som visas just nu."))


def _succeeded(user: User) -> None:
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _throttle_key(user)))


# --- what a person does ---------------------------------------------------------------------

def start_enrolment(user: User) -> str:
    """The secret the person is enrolling with (a new one, or the one of an unfinished enrolment)."""
    row = _row(user)
    if row is not None and row.confirmed_at is not None:
        raise TwoFactorError(_("Tvåstegsverifiering är redan aktiverad för ditt konto."))
    secret = _decrypt(row.secret_encrypted) if row is not None else None
    if secret is None:
        secret = pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends
        if row is None:
            row = TwoFactor(user_id=user.id, secret_encrypted=_encrypt(secret))
            db.session.add(row)
        else:
            row.secret_encrypted = _encrypt(secret)
        audit.record("two_factor.enrolment_started", actor=user, object_type="user", object_id=user.id)
        db.session.commit()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.username, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG `data:` URI for an <img> (the CSP allows `img-src data:`), made here:
    nothing is fetched from elsewhere, and no markup is built from the username inside the URI."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Finish enrolling with a current code; returns the recovery codes, shown this once."""
    row = _row(user)
    if row is None or row.confirmed_at is not None:
        raise TwoFactorError(_("Börja om: ladda sidan igen och skanna den nya QR-koden."))
    accepted, reason = _check_totp(row, code)
    if not accepted:
        audit.record("two_factor.failure", actor=user, object_type="user", object_id=user.id,
                     detail={"reason": reason, "during": "enrolment"})
        db.session.commit()
        raise TwoFactorError(_("Koden stämmer inte. Kontrollera att du skriver koden som visas just nu."))
    row.confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record("two_factor.enrolled", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return codes


def verify_login(user: User, code: str) -> str:
    """Check the second step of a login: a current code or an unused recovery code.

    Returns "totp" or "recovery_code"; raises TwoFactorError. Audits and commits.
    """
    _refuse_if_locked(user)
    row = _row(user)
    if row is None or row.confirmed_at is None:
        raise TwoFactorError(_("Tvåstegsverifiering är inte aktiverad för ditt konto."))
    typed = _digits(code)
    if len(typed) == DIGITS and typed.isdigit():
        accepted, reason = _check_totp(row, code)
        method = "totp"
    else:
        accepted, reason = _use_recovery_code(user, code), "wrong_recovery_code"
        method = "recovery_code"
    if not accepted:
        raise _failed(user, reason, "login")
    _succeeded(user)
    if method == "recovery_code":
        audit.record("two_factor.recovery_code_used", actor=user, object_type="user", object_id=user.id,
                     detail={"left": recovery_codes_left(user)})
    audit.record("two_factor.success", actor=user, object_type="user", object_id=user.id,
                 detail={"method": method})
    db.session.commit()
    return method


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a fresh code from the app."""
    _refuse_if_locked(user)
    row = _row(user)
    if row is None or row.confirmed_at is None:
        raise TwoFactorError(_("Tvåstegsverifiering är inte aktiverad för ditt konto."))
    accepted, reason = _check_totp(row, code)
    if not accepted:
        raise _failed(user, reason, "recovery_codes")
    _succeeded(user)
    codes = _new_recovery_codes(user)
    audit.record("two_factor.recovery_codes_regenerated", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return codes


def reset(actor: User, user: User) -> None:
    """An admin removes a person's enrolment (a lost phone): they enrol again at their next login,
    and every session of theirs ends now."""
    ensure(actor, Action.MANAGE_USERS)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == _throttle_key(user)))
    user.session_token = new_session_token()
    audit.record("two_factor.reset", actor=actor, object_type="user", object_id=user.id)
    db.session.commit()


# --- the pending login between the password and the code ------------------------------------
# Kept in the signed session cookie: only an id, the session token and a time. The token ties
# the marker to the account's current sessions, so a reset or deactivation voids it too.

def mark_pending(user: User, next_url: str | None) -> None:
    session[_PENDING_KEY] = {"user_id": user.id, "token": user.session_token,
                             "at": int(utcnow().replace(tzinfo=UTC).timestamp()), "next": next_url or ""}


def pending_user() -> tuple[User | None, str]:
    """The person who typed a correct password less than five minutes ago, and where they were going."""
    marker = session.get(_PENDING_KEY)
    if not isinstance(marker, dict):
        return None, ""
    started = marker.get("at")
    now = int(utcnow().replace(tzinfo=UTC).timestamp())
    if not isinstance(started, int) or not 0 <= now - started <= timedelta(minutes=PENDING_MINUTES).total_seconds():
        clear_pending()
        return None, ""
    user_id = marker.get("user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or user.session_token != marker.get("token"):
        clear_pending()
        return None, ""
    return user, str(marker.get("next") or "")


def has_pending_marker() -> bool:
    return _PENDING_KEY in session


def clear_pending() -> None:
    session.pop(_PENDING_KEY, None)
