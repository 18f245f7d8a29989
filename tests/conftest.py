"""Fixtures: an app on a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
a client, and a logged-in client per role.

The schema is created once per test session; after each test every table is
emptied, which is fast on both databases and leaves each test a fresh database.
"""

import os
import socket
import sqlite3
import tempfile
import threading
from email import message_from_bytes, policy

import pytest
from flask import g
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import delete, event
from sqlalchemy.engine import Engine

from app import create_app
from app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_configure(config):
    config.addinivalue_line("markers", "fuzz: the long fuzzing run (thousands of examples); only with `-m fuzz` "
                                       "(`make fuzz`), left out of every other run")


def pytest_collection_modifyitems(config, items):
    # The long fuzzing run takes many minutes: a run selects it only by naming it in -m.
    if "fuzz" in (config.getoption("markexpr") or ""):
        return
    deselected = [item for item in items if item.get_closest_marker("fuzz")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]


@event.listens_for(Engine, "connect")
def _no_fsync_for_test_sqlite(dbapi_connection, _record):
    # Test databases are thrown away, so a crash-safe commit buys nothing; waiting for
    # the disk on every commit made the SQLite run three times slower. (The throwaway
    # PostgreSQL runs with fsync=off for the same reason.)
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def _database_url(tmp_dir: str) -> str:
    return TEST_DATABASE_URL or "sqlite:///" + os.path.join(tmp_dir, "test.db")


@pytest.fixture(scope="session")
def _session_dir():
    with tempfile.TemporaryDirectory(prefix="varna-test-") as tmp:
        yield tmp


def make_config(tmp_dir: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "VARNA_ENV": "development",  # without it Värna is production (and refuses this key)
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp_dir),
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        "OUTBOX_DIR": os.path.join(tmp_dir, "outbox"),
        "ATTACHMENT_DIR": os.path.join(tmp_dir, "attachments"),
        "MAIL_TRANSPORT": "outbox",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def _schema(_session_dir):
    app = create_app(make_config(_session_dir))
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _empty_all_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


@pytest.fixture
def app_config():
    """Override in a test module (or parametrize) to change settings."""
    return {}


class IsolatedClient(FlaskClient):
    """Each request starts with an empty `g`, as it does in production.

    The `app` fixture keeps one app context open for the whole test (so tests can
    use db.session), and Flask reuses it for every request. Without this, the user
    Flask-Login caches in `g` would leak from one client's request into another
    client's, so a second person's login or a deactivated person's next request
    would silently run as the first person.
    """

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        return super().open(*args, **kwargs)


# Every test gets a new app and so a new engine, whose SQL compilation cache starts
# empty; compiling the same statements again in every test doubled the suite's
# time. The cache holds compiled SQL only (no data), so sharing it is safe.
_SHARED_SQL_CACHE: dict = {}


class _SharedTemplateCache(BytecodeCache):
    """Jinja's compiled templates, kept across the per-test apps for the same reason."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CACHE = _SharedTemplateCache()


def _share_sql_cache(engine) -> None:
    key = engine.dialect.name
    if key in _SHARED_SQL_CACHE:
        engine._compiled_cache = _SHARED_SQL_CACHE[key]
    else:
        _SHARED_SQL_CACHE[key] = engine._compiled_cache


# Building an app compiles ~150 URL rules and every template; doing that for every
# test took most of the suite's time. Apps are therefore built once per distinct
# configuration and reused; each test still gets empty tables, and any change a
# test makes to app.config is undone after it.
_APPS: dict[str, object] = {}


def _app_for(config: dict):
    key = repr(sorted(config.items()))
    if key not in _APPS:
        app = create_app(config)
        app.test_client_class = IsolatedClient
        app.jinja_env.bytecode_cache = _TEMPLATE_CACHE
        with app.app_context():
            _share_sql_cache(db.engine)
        _APPS[key] = app
    return _APPS[key]


@pytest.fixture
def app(_schema, _session_dir, app_config):
    app = _app_for(make_config(_session_dir, **app_config))
    saved_config = dict(app.config)
    with app.app_context():
        _empty_all_tables()
        yield app
        _empty_all_tables()
        db.session.remove()
        if app_config:
            # A cached app keeps its connection pool; with one app per distinct configuration
            # (an SMTP port per test, say) the idle connections would add up to more than
            # PostgreSQL's max_connections ("too many clients"). The default app keeps its pool.
            db.engine.dispose()
    app.config.clear()
    app.config.update(saved_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The demo organisation, categories and users (password 'demo')."""
    from app.demo import load_demo_data
    load_demo_data("test")
    return app


def login(client, username: str, password: str = "demo"):
    return client.post("/logga-in", data={"username": username, "password": password})


@pytest.fixture
def board_member(demo):
    """"nils", with the read-only board role (the nämnd's secretary), password 'demo'."""
    from app.auth import services as accounts
    from app.auth.models import User
    user = User(username="nils", full_name="Nils Nämnd", title="Nämndsekreterare", role="board",
                email="nils@varna.example", password_hash=accounts.hash_password("demo", enforce_policy=False))
    db.session.add(user)
    db.session.commit()
    return user


@pytest.fixture
def login_as(demo):
    """login_as("erik") gives a fresh client logged in as that demo user."""
    def make(username: str):
        client = demo.test_client()
        response = login(client, username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return make


@pytest.fixture(params=["anna", "erik", "sara", "admin"])
def any_role_client(request, login_as):
    return request.param, login_as(request.param)


# --- a real SMTP server on loopback --------------------------------------------------------

def free_port() -> int:
    """A port nothing listens on right now (the OS picks it; we close it again)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1 that keeps every message it receives, parsed, in `messages`.

    `mail_config()` is what a test's `app_config` needs to send to it.
    """

    def __init__(self, port: int | None = None):
        self.host, self.port = "127.0.0.1", port or free_port()
        self.messages: list = []
        self._lock = threading.Lock()
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        parsed.envelope_recipients = list(envelope.rcpt_tos)
        with self._lock:
            self.messages.append(parsed)
        return "250 Message accepted"

    def start(self) -> "SmtpServer":
        from aiosmtpd.controller import Controller
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mail_config(self) -> dict:
        # Flask-Mail silently drops every message when TESTING is on, unless told otherwise.
        return {"MAIL_TRANSPORT": "smtp", "MAIL_SERVER": self.host, "MAIL_PORT": self.port,
                "MAIL_USE_TLS": False, "MAIL_USE_SSL": False, "MAIL_USERNAME": None, "MAIL_PASSWORD": None,
                "MAIL_SUPPRESS_SEND": False}

    def to(self, address: str) -> list:
        """The messages delivered to one address."""
        return [m for m in self.messages if address in m.envelope_recipients]


@pytest.fixture
def smtp_server():
    """A running SMTP server on loopback; use `app_config` with `smtp_server.mail_config()`."""
    server = SmtpServer().start()
    yield server
    server.stop()
