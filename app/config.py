"""Settings: defaults here, overridden by instance/config.py, then by the environment.

Värna runs as production unless VARNA_ENV=development says otherwise (make run, the
tests and the benchmarks set it): a server started without it must fail closed, not
fall back to the development key and cookies sent over plain HTTP. Production refuses
to start with an unsafe configuration, because a weak secret key would let anyone
forge a session.
"""

import contextlib
import os
from datetime import timedelta

import click

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production by finish()
# The key of the audit log's HMAC chain (app/audit.py); refused in production by check_audit_key().
DEFAULT_AUDIT_KEY = "dev-only-audit-key"


class ConfigError(click.ClickException, RuntimeError):
    """The configuration is unsafe or incomplete; the app must not start.

    A ClickException, so `flask --app wsgi ...` prints "Error: <what to fix>" and exits 1
    instead of a traceback; gunicorn logs it and stops ("Worker failed to boot").
    """


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def defaults(instance_path: str) -> dict:
    return {
        "VARNA_ENV": "production",
        "SECRET_KEY": DEFAULT_SECRET_KEY,
        "AUDIT_KEY": DEFAULT_AUDIT_KEY,
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "varna.db"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Sessions: cookie-only, signed; the signature's age enforces the inactivity timeout.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_NAME": "varna_session",
        "INACTIVITY_MINUTES": 30,
        # Server-side drafts of staff reports are removed after this many days (`flask drafts clean`).
        "REPORT_DRAFT_DAYS": 14,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        # Login throttling
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_WINDOW_MINUTES": 15,
        "LOGIN_LOCK_MINUTES": 15,
        # Two-factor login (app/auth/twofactor.py). None: required unless VARNA_ENV is development
        # (set in finish()); staff may choose unless TWO_FACTOR_OPTIONAL_FOR_STAFF is off. The TOTP
        # secrets are encrypted with a key derived from TWO_FACTOR_KEY, or from SECRET_KEY without it.
        "TWO_FACTOR_REQUIRED": None,
        "TWO_FACTOR_OPTIONAL_FOR_STAFF": True,
        "TWO_FACTOR_KEY": None,
        "TWO_FACTOR_ISSUER": "Värna",
        # The owner of a locked account gets a link by e-mail that unlocks it; valid this long.
        "LOGIN_UNLOCK_LINK_MINUTES": 60,
        # Per client address: this many failures within the window block the address; each
        # further block within a day lasts twice as long, up to the maximum (app/auth/throttle.py).
        # Generous, since a whole office may share one address.
        "LOGIN_ADDRESS_MAX_FAILURES": 20,
        "LOGIN_ADDRESS_WINDOW_MINUTES": 15,
        "LOGIN_ADDRESS_BLOCK_MINUTES": 5,
        "LOGIN_ADDRESS_BLOCK_MAX_MINUTES": 60,
        # Across every address: this many failures within a minute refuse every login briefly.
        "LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE": 100,
        "LOGIN_GLOBAL_BLOCK_SECONDS": 60,
        # Password hashing (argon2id); tests lower the cost.
        "ARGON2_TIME_COST": 3,
        "ARGON2_MEMORY_COST": 65536,
        "ARGON2_PARALLELISM": 4,
        # Mail: "outbox" writes files to instance/outbox (development), "smtp" sends.
        "MAIL_TRANSPORT": "outbox",
        "MAIL_SERVER": "localhost",
        "MAIL_PORT": 25,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "varna@localhost",
        # Who delivers queued mail: "request" (the default) sends it from the request's process
        # right after the commit, with `flask mail retry` from cron for what failed; "worker":
        # `flask mail worker` runs (on one server or more) and a request only queues.
        "MAIL_DELIVERY": "request",
        "OUTBOX_DIR": os.path.join(instance_path, "outbox"),
        "BASE_URL": "http://127.0.0.1:5000",
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LANGUAGES": ["sv", "en"],
        "DISPLAY_TIMEZONE": "Europe/Stockholm",
        "MAX_CONTENT_LENGTH": 60 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "PAGE_SIZE": 50,
        # How many reverse proxies in front of the app to trust for X-Forwarded-For/-Proto.
        # 0 trusts none; behind one nginx, set 1, or every citizen shares the proxy's rate limit.
        "TRUSTED_PROXIES": 0,
        # Lex Sarah: `flask remind` tells the officers about investigations due to IVO within this many days.
        "IVO_REMINDER_DAYS": 7,
        # Actions: done actions without a follow-up this many days after completion are reminded.
        "ACTION_FOLLOW_UP_DAYS": 30,
        # Attachments to reports: kept outside static/, served only to those who may see the case.
        "ATTACHMENT_DIR": os.path.join(instance_path, "attachments"),
        # "folder" (ATTACHMENT_DIR, one server) or "database" (several servers, one backup): app/intake/storage.py
        "ATTACHMENT_STORAGE": "folder",
        "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
        "ATTACHMENT_MAX_FILES": 5,
        # The public complaint form and its status page: per client IP and hour.
        "PUBLIC_RATE_LIMIT_PER_HOUR": 10,
        "PUBLIC_LOOKUP_LIMIT_PER_HOUR": 20,
        # Shown on /tillganglighet and /personuppgifter as where to write; empty: MAIL_DEFAULT_SENDER.
        "ACCESSIBILITY_CONTACT": "",
        "DATA_PROTECTION_CONTACT": "",
        # "json" (one object per line; the default in production) or "text": app/logging_setup.py
        "LOG_FORMAT": None,
    }


_ENV_STRINGS = ["SECRET_KEY", "AUDIT_KEY", "MAIL_TRANSPORT", "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD",
                "MAIL_DEFAULT_SENDER", "BASE_URL", "VARNA_ENV", "TWO_FACTOR_KEY", "TWO_FACTOR_ISSUER",
                "ATTACHMENT_STORAGE", "ATTACHMENT_DIR", "LOG_FORMAT", "OUTBOX_DIR", "ACCESSIBILITY_CONTACT",
                "DATA_PROTECTION_CONTACT", "MAIL_DELIVERY"]
_ENV_INTS = ["TRUSTED_PROXIES", "MAIL_PORT", "INACTIVITY_MINUTES", "LOGIN_MAX_FAILURES", "LOGIN_WINDOW_MINUTES",
             "LOGIN_LOCK_MINUTES", "PUBLIC_RATE_LIMIT_PER_HOUR", "PUBLIC_LOOKUP_LIMIT_PER_HOUR",
             "ACTION_FOLLOW_UP_DAYS", "IVO_REMINDER_DAYS", "REPORT_DRAFT_DAYS"]
# Throttling per client address and across all addresses, and the unlock link.
_ENV_INTS += ["LOGIN_UNLOCK_LINK_MINUTES", "LOGIN_ADDRESS_MAX_FAILURES", "LOGIN_ADDRESS_WINDOW_MINUTES",
              "LOGIN_ADDRESS_BLOCK_MINUTES", "LOGIN_ADDRESS_BLOCK_MAX_MINUTES",
              "LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE", "LOGIN_GLOBAL_BLOCK_SECONDS"]
_ENV_BOOLS = ["MAIL_USE_TLS", "MAIL_USE_SSL", "TWO_FACTOR_REQUIRED", "TWO_FACTOR_OPTIONAL_FOR_STAFF"]


def from_environment() -> dict:
    """The settings that the environment overrides, with their types."""
    found: dict = {}
    for name in _ENV_STRINGS:
        if name in os.environ:
            found[name] = os.environ[name]
    for name in _ENV_INTS:
        if name in os.environ:
            found[name] = int(os.environ[name])
    for name in _ENV_BOOLS:
        if name in os.environ:
            found[name] = _env_bool(name, False)
    if os.environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    return found


def normalise_database_url(url: str) -> str:
    """Let people paste the usual postgres:// URL; we talk to it with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


SQLITE_BUSY_TIMEOUT_SECONDS = 30


def engine_options(url: str, options: dict | None) -> dict:
    """SQLite allows one writer at a time; in a threaded server another writer must wait
    for the lock (up to a generous timeout) instead of failing with "database is locked"."""
    options = dict(options or {})
    if url.startswith("sqlite"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        options["connect_args"] = connect_args
    return options


# The keys production cannot run without: one line each. Each must be a random secret
# (e.g. `python3 -c "import secrets; print(secrets.token_urlsafe(48))"`).
REQUIRED_KEYS_IN_PRODUCTION = ("SECRET_KEY",)
KEY_MIN_LENGTH = 32
KEY_MIN_DISTINCT = 16  # 32 × "a", or a word repeated, is long but not random


def weak_key(value: str | None) -> bool:
    value = value or ""
    return (value == DEFAULT_SECRET_KEY or len(value) < KEY_MIN_LENGTH
            or len(set(value)) < KEY_MIN_DISTINCT)


def create_private_sqlite_file(url: str) -> None:
    """Create a new SQLite database file readable by its owner only (0600) before SQLite does:
    SQLite would follow the umask (usually world-readable), and it gives the -wal and -shm
    files the database file's mode. An empty file is a valid, empty database."""
    from sqlalchemy.engine import make_url
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:") or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another process made it a moment ago
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def finish(config) -> None:
    """Derive settings from others and refuse unsafe production settings."""
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=int(config["INACTIVITY_MINUTES"]))
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"],
                                                         config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    # Anything but an explicit "development" (unset, a typo, "staging") is production.
    if config.get("VARNA_ENV") != "development":
        config["VARNA_ENV"] = "production"
    if config.get("TWO_FACTOR_REQUIRED") is None:
        # Development (`make run`, the tests) offers two-factor login; anywhere else it is required.
        config["TWO_FACTOR_REQUIRED"] = config["VARNA_ENV"] != "development"
    if not config.get("LOG_FORMAT"):
        config["LOG_FORMAT"] = "json" if config["VARNA_ENV"] == "production" else "text"
    if config["LOG_FORMAT"] not in ("json", "text"):
        raise ConfigError("LOG_FORMAT must be \"json\" or \"text\".")
    if config.get("ATTACHMENT_STORAGE", "folder") not in ("folder", "database"):
        raise ConfigError("ATTACHMENT_STORAGE must be \"folder\" or \"database\".")
    if config.get("MAIL_DELIVERY", "request") not in ("request", "worker"):
        raise ConfigError("MAIL_DELIVERY must be \"request\" or \"worker\".")
    if config["VARNA_ENV"] == "production":
        _harden_production(config)


def _harden_production(config) -> None:
    for name in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        config[f"{name}_SECURE"] = True
        config[f"{name}_HTTPONLY"] = True
        config[f"{name}_SAMESITE"] = "Lax"
    for name in REQUIRED_KEYS_IN_PRODUCTION:
        if weak_key(config.get(name)):
            raise ConfigError(
                f"VARNA_ENV=production needs {name} (at least {KEY_MIN_LENGTH} random characters, "
                f"{KEY_MIN_DISTINCT} of them different) in the environment or in instance/config.py. "
                "VARNA_ENV=production is the default; a development machine sets VARNA_ENV=development."
            )
    if config.get("DEBUG"):
        raise ConfigError("VARNA_ENV=production must not run with debug on.")
    check_audit_key(config)


def check_audit_key(config) -> None:
    """Production needs its own AUDIT_KEY: with the development key (it is in the source) or the
    session key, anyone who can write to the database could also forge the audit chain."""
    if config["VARNA_ENV"] != "production":
        return
    key = config.get("AUDIT_KEY") or ""
    if key == DEFAULT_AUDIT_KEY or weak_key(key) or key == config.get("SECRET_KEY"):
        raise ConfigError(
            f"VARNA_ENV=production needs AUDIT_KEY (at least {KEY_MIN_LENGTH} random characters, "
            f"{KEY_MIN_DISTINCT} of them different, not the same as "
            "SECRET_KEY) in the environment or in instance/config.py. Keep it outside the database "
            "and never change it: the audit log's chain is verified with it."
        )
