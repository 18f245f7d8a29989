"""What a person does with their account, and what an admin does to accounts."""

import re
from datetime import UTC, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from app import audit, mailer
from app.auth import password_policy, throttle
from app.auth.models import ROLES, LoginFailure, User, new_session_token, user_units
from app.auth.permissions import Action, ensure
from app.clock import utcnow
from app.commands import Refused
from app.extensions import db
from app.org.models import Unit
from app.urls import external_url

MIN_PASSWORD, MAX_PASSWORD = 12, 128
MAX_USERNAME = 64
# Checked here, not only in the form: the command line creates accounts too, and an
# account the form cannot represent could never be edited afterwards.
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]+")

# Verifying against this keeps the time of a failed login the same whether or
# not the username exists.
_DUMMY_HASH_CACHE: dict[str, str] = {}


class AccountError(Refused):
    """A refused account operation, with a message for the person and the field it concerns."""


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"],
                          parallelism=cfg["ARGON2_PARALLELISM"])


def password_problem(password: str, *, username: str = "", full_name: str = "", email: str = "") -> str | None:
    """Why a new password is not acceptable, or None. Checked before hashing.

    The person's username, name and e-mail address make a password containing them guessable.
    """
    if len(password) < MIN_PASSWORD:
        return _("Lösenordet måste ha minst %(n)d tecken.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Lösenordet får ha högst %(n)d tecken.", n=MAX_PASSWORD)
    return password_policy.weakness(password, username=username, full_name=full_name, email=email)


def hash_password(password: str, *, enforce_policy: bool = True, username: str = "", full_name: str = "",
                  email: str = "") -> str:
    """Hash a new password. enforce_policy=False only for the demo loader and tests (password "demo"):
    every form and command a person uses to set a password goes through the policy."""
    problem = password_problem(password, username=username, full_name=full_name, email=email) \
        if enforce_policy else None
    if problem:
        raise AccountError(problem, "password")
    return _hasher().hash(password)


def check_password(password: str, *, username: str, full_name: str = "", email: str = "") -> None:
    """Refuse (AccountError on "password") a password the policy does not accept, before anything
    else of the same form is saved."""
    problem = password_problem(password, username=username, full_name=full_name, email=email)
    if problem:
        raise AccountError(problem, "password")


def _hash_for(user: User, password: str) -> str:
    return hash_password(password, username=user.username, full_name=user.full_name, email=user.email)


def verify_hash(stored_hash: str, password: str) -> bool:
    """Whether `password` matches an argon2 hash (passwords, and two-factor recovery codes)."""
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


def is_locked(username: str) -> bool:
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


class LoginThrottled(Exception):
    """A login refused because of too many failures from this address or from everywhere."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _client_address(address: str | None) -> str | None:
    if address is None and has_request_context():
        # request.remote_addr is the client behind TRUSTED_PROXIES proxies (ProxyFix, create_app).
        address = request.remote_addr
    return address or None


def _lock_message() -> str:
    # The same words for every typed name: whether an account exists, or has an e-mail
    # address, is not revealed.
    return " ".join([
        _("För många misslyckade inloggningar. Vänta %(n)d minuter och försök igen.",
          n=current_app.config["LOGIN_LOCK_MINUTES"]),
        _("Om kontot har en e-postadress har vi skickat ett meddelande dit med en länk som låser upp kontot."),
    ])


def authenticate(username: str, password: str, address: str | None = None) -> tuple[User | None, str | None]:
    """Check a login. Returns (user, None) or (None, message). Writes the audit log and commits.

    Raises LoginThrottled, without checking the password, while the client's address (or
    every address) is blocked for too many failures (app/auth/throttle.py).
    """
    name = normalise_username(username)[:128]
    address = _client_address(address)
    generic = _("Fel användarnamn eller lösenord.")
    refused = throttle.refusal(address)
    if refused is not None:
        audit.record("login.throttled", object_type="user", object_id=name,
                     detail={"username": name, "scope": refused.scope})
        db.session.commit()
        if refused.scope == "global":
            message = _("Just nu misslyckas ovanligt många inloggningar. Vänta en stund och försök igen.")
        else:
            message = _("För många misslyckade inloggningar från din adress. Försök igen om %(n)d min.",
                        n=max(1, -(-refused.seconds // 60)))
        raise LoginThrottled(message, refused.seconds)
    if is_locked(name):
        audit.record("login.locked", object_type="user", object_id=name, detail={"username": name})
        db.session.commit()
        return None, _lock_message()
    user = db.session.scalar(select(User).where(User.username == name))
    ok = verify_hash(user.password_hash if user else _dummy_hash(), password or "")
    if not ok or user is None or not user.active:
        _count_account_failure(name, user)
        throttle.count_failure(address)
        audit.record("login.failure", actor=user, object_type="user", object_id=name,
                     detail={"username": name, "reason": "inactive" if ok and user else "bad_credentials"})
        db.session.commit()
        return None, generic
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == name))
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return user, None


# --- the per-account lock and the owner's way out of it ------------------------------------

def _count_account_failure(name: str, user: User | None):
    """Count a failure against the typed name; if it locks an account, queue the unlock mail.

    The lock keeps guessers away from one account, but anyone can lock anyone; so the owner
    is sent a link that lifts it. Sent once per lock: while locked no failures are counted.
    Returns the queued message or None. It goes out after the response (deliver="after_response"):
    sending it before answering would make the locking attempt slower exactly when the typed
    name is an account with an e-mail address, which would reveal that it exists.
    """
    failure = LoginFailure(username=name, at=utcnow())
    db.session.add(failure)
    db.session.flush()
    if user is None or not user.active or not user.email or not is_locked(name):
        return None
    token = _unlock_serializer().dumps([user.id, failure.id])
    link = external_url("auth.unlock", token=token)
    with force_locale("sv"):
        return mailer.queue_email(
            [user.email], _("Ditt konto i Värna är låst"),
            _("Någon har skrivit fel lösenord till ditt konto i Värna för många gånger, så kontot är "
              "låst i %(lock)d minuter.\n\n"
              "Var det du? Då kan du låsa upp kontot direkt med länken nedan. Länken gäller i "
              "%(valid)d minuter och kan användas en gång.\n\n%(link)s\n\n"
              "Var det inte du? Då behöver du inte göra något; kontot låses upp av sig självt. "
              "Berätta gärna för din administratör, och byt lösenord om du tror att någon annan känner till det.\n",
              lock=current_app.config["LOGIN_LOCK_MINUTES"],
              valid=current_app.config["LOGIN_UNLOCK_LINK_MINUTES"], link=link),
            deliver="after_response")


class _ClockSigner(TimestampSigner):
    """Token ages by app.clock, so that tests can move time past the link's validity."""

    def get_timestamp(self) -> int:
        return int(utcnow().replace(tzinfo=UTC).timestamp())


def _unlock_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="varna.account-unlock",
                                  signer=_ClockSigner)


def _unlock_target(token: str) -> tuple[User, LoginFailure] | None:
    """The account an unlock link is for, while the link is valid.

    Signed and time-limited by the serializer; single use because it names one recorded
    failure of the lock, and unlocking (or the owner's next successful login) deletes them.
    """
    try:
        user_id, failure_id = _unlock_serializer().loads(
            token, max_age=current_app.config["LOGIN_UNLOCK_LINK_MINUTES"] * 60)
    except (BadData, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(failure_id, int):
        return None
    user = db.session.get(User, user_id)
    failure = db.session.get(LoginFailure, failure_id)
    if user is None or not user.active or failure is None or failure.username != user.username:
        return None
    return user, failure


def unlock_link_is_valid(token: str) -> bool:
    return _unlock_target(token) is not None


def unlock_account(token: str) -> User | None:
    """Lift the lock of the account the link was sent for. Audited; commits. None if the link is void."""
    target = _unlock_target(token)
    if target is None:
        return None
    user, _failure = target
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    audit.record("login.unlocked", actor=user, object_type="user", object_id=user.id)
    db.session.commit()
    return user


def end_all_sessions(user: User, reason: str, actor: User | None = None) -> None:
    """Invalidate every session of the user (the token is part of each session cookie)."""
    user.session_token = new_session_token()
    audit.record(f"session.{reason}", actor=actor or user, object_type="user", object_id=user.id)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    # Wrong current passwords count against the same lock as failed logins: a session left
    # open must not become a way to guess the password.
    if is_locked(user.username):
        audit.record("user.password_change_refused", actor=user, object_type="user", object_id=user.id)
        db.session.commit()
        raise AccountError(_("För många felaktiga försök. Vänta %(n)d minuter och försök igen.",
                             n=current_app.config["LOGIN_LOCK_MINUTES"]), "current_password")
    if not verify_hash(user.password_hash, current or ""):
        _count_account_failure(user.username, user)
        audit.record("user.password_change_failed", actor=user, object_type="user", object_id=user.id)
        db.session.commit()
        raise AccountError(_("Nuvarande lösenord stämmer inte."), "current_password")
    try:
        user.password_hash = _hash_for(user, new)
    except AccountError as error:
        raise AccountError(error.message, "new_password") from error
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    audit.record("user.password_changed", actor=user, object_type="user", object_id=user.id)
    db.session.commit()


# --- administration of accounts ----------------------------------------------------------

def member_counts() -> dict[int, int]:
    """How many active accounts belong to each unit (units without any are absent)."""
    rows = db.session.execute(select(user_units.c.unit_id, func.count().label("members"))
                              .join(User, User.id == user_units.c.user_id)
                              .where(User.active).group_by(user_units.c.unit_id))
    return {row.unit_id: row.members for row in rows}


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
                title=title.strip(),
                password_hash=hash_password(password, username=name, full_name=full_name, email=email),
                units=_units(unit_ids))
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
    user.password_hash = _hash_for(user, password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
    audit.record("user.password_set", actor=actor, object_type="user", object_id=user.id)
    db.session.commit()
