"""The application shell: configuration, health, error pages, CSRF, language, demo data, CLI."""

import pytest
from flask import Blueprint
from sqlalchemy import func, select

from app import create_app
from app.auth.models import User
from app.cases.models import Category
from app.config import ConfigError, normalise_database_url
from app.demo import DemoRefused, load_demo_data
from app.extensions import db
from app.org.models import Unit
from tests.conftest import login, make_config

# A key as an operator would make one (secrets.token_urlsafe(48)): long and varied.
STRONG_KEY = "q8Zr1-Vx_LpT4mWcK0yHs9dNfB2aJ6gUeR7iO3tYh5kQwXzE"
# Production also needs its own audit key (app/audit_chain.py), different from the secret key.
STRONG_AUDIT_KEY = "Mv3-Rk8_pZq1WnX5cTy0bLs7HdJ2fGa9EuK4oQi6"


def test_production_refuses_the_default_secret_key(_session_dir):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY="dev-only-not-secret"))


def test_production_refuses_a_short_secret_key(_session_dir):
    with pytest.raises(ConfigError):
        create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY="short"))


def test_production_refuses_debug(_session_dir):
    with pytest.raises(ConfigError, match="debug"):
        create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY=STRONG_KEY, DEBUG=True))


def test_production_makes_the_session_cookie_secure(_session_dir):
    app = create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY=STRONG_KEY,
                                 AUDIT_KEY=STRONG_AUDIT_KEY))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def _without_varna_env(config: dict) -> dict:
    return {name: value for name, value in config.items() if name != "VARNA_ENV"}


def test_without_varna_env_the_app_is_production_and_needs_a_secret_key(monkeypatch, _session_dir):
    monkeypatch.delenv("VARNA_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(_without_varna_env(make_config(_session_dir, SECRET_KEY="dev-only-not-secret")))
    app = create_app(_without_varna_env(make_config(_session_dir, SECRET_KEY=STRONG_KEY,
                                                             AUDIT_KEY=STRONG_AUDIT_KEY)))
    assert app.config["VARNA_ENV"] == "production"
    assert (app.config["SESSION_COOKIE_SECURE"], app.config["SESSION_COOKIE_HTTPONLY"],
            app.config["SESSION_COOKIE_SAMESITE"]) == (True, True, "Lax")


def test_an_unknown_varna_env_is_production(_session_dir):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(make_config(_session_dir, VARNA_ENV="staging", SECRET_KEY="dev-only-not-secret"))


@pytest.mark.parametrize("weak", ["a" * 32, "abcdefgh" * 8, "0123456789abcde" * 4, STRONG_KEY[:31]])
def test_production_refuses_a_secret_key_with_too_little_variety(_session_dir, weak):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY=weak))


def test_production_cookies_are_secure_httponly_and_samesite_even_if_configured_otherwise(_session_dir):
    app = create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY=STRONG_KEY,
                                 AUDIT_KEY=STRONG_AUDIT_KEY, SESSION_COOKIE_HTTPONLY=False,
                                 SESSION_COOKIE_SAMESITE=None))
    assert (app.config["SESSION_COOKIE_SECURE"], app.config["SESSION_COOKIE_HTTPONLY"],
            app.config["SESSION_COOKIE_SAMESITE"]) == (True, True, "Lax")
    assert (app.config["REMEMBER_COOKIE_SECURE"], app.config["REMEMBER_COOKIE_HTTPONLY"]) == (True, True)


def test_environment_overrides_the_database(monkeypatch, _session_dir):
    monkeypatch.setenv("VARNA_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/varna")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/varna"


def test_database_url_normalisation():
    assert normalise_database_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_healthz_reports_the_database_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "mail_queue": 0, "remind_last_run": None}


def test_unknown_page_gets_the_application_404(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)
    assert 'href="/static/css/varna.css"' in response.get_data(as_text=True)


def test_an_unexpected_error_shows_a_page_without_stack_trace(_schema, _session_dir):
    app = create_app(make_config(_session_dir, TESTING=False, PROPAGATE_EXCEPTIONS=False))
    broken = Blueprint("broken", __name__)

    @broken.route("/trasig")
    def explode():
        raise RuntimeError("secret internals")

    from app.auth.guard import public
    public(explode)
    app.register_blueprint(broken)
    response = app.test_client().get("/trasig")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Något gick fel hos oss" in body
    assert "secret internals" not in body
    assert "Traceback" not in body


def test_forms_are_refused_without_a_csrf_token(_schema, _session_dir):
    app = create_app(make_config(_session_dir, WTF_CSRF_ENABLED=True))
    with app.app_context():
        load_demo_data("test")
        client = app.test_client()
        response = client.post("/logga-in", data={"username": "anna", "password": "demo"})
        assert response.status_code == 400
        assert "Formuläret hade gått ut" in response.get_data(as_text=True)
        # With the token from the page it works.
        page = client.get("/logga-in").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post("/logga-in", data={"username": "anna", "password": "demo", "csrf_token": token})
        assert response.status_code == 302
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


def test_swedish_first_and_english_on_request(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in i Värna" in page
    client.post("/sprak", data={"language": "en", "next": "/logga-in"})
    page = client.get("/logga-in").get_data(as_text=True)
    assert '<html lang="en">' in page
    client.post("/sprak", data={"language": "xx"})
    assert '<html lang="en">' in client.get("/logga-in").get_data(as_text=True)


def test_page_has_landmarks_and_a_skip_link(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page
    assert '<label for="username">' in page


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (Unit, Category, User))


def test_demo_loader_is_idempotent(app):
    load_demo_data("development")
    first = _counts()
    assert first[0] == 11 and first[2] == 6  # anna, erik, ulla, sara, admin, board
    assert load_demo_data("development") == []
    assert _counts() == first


def test_demo_loader_refuses_production(app):
    with pytest.raises(DemoRefused):
        load_demo_data("production")
    assert _counts() == (0, 0, 0)


def test_demo_users_have_their_units(demo):
    erik = db.session.scalar(select(User).where(User.username == "erik"))
    assert [u.name for u in erik.units] == ["Vuxna"]
    board = db.session.scalar(select(User).where(User.username == "board"))
    assert board.role == "board" and board.units == []  # statistics only: no unit, no case, no action
    boende = db.session.scalar(select(Unit).where(Unit.name == "Boendestöd"))
    assert boende.depth == 2 and boende.level == "unit"
    assert boende.department_id == erik.units[0].id


def test_cli_creates_the_first_admin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--username", "Kim", "--name", "Kim Karlsson", "--role",
                                 "admin", "--password", "a good long password"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "kim", "a good long password").status_code == 302
    short = runner.invoke(args=["users", "create", "--username", "lo", "--name", "Lo", "--role", "staff",
                                "--password", "short"])
    assert short.exit_code != 0
    assert "12" in short.output


def _ip_of_last_login(app, headers):
    from app.audit import AuditEvent
    with app.app_context():
        load_demo_data("test")
        app.test_client().post("/logga-in", data={"username": "anna", "password": "demo"},
                               headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.5"})
        ip = db.session.scalar(select(AuditEvent.ip).where(AuditEvent.action == "login.success"))
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    return ip


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(_schema, _session_dir):
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert _ip_of_last_login(create_app(make_config(_session_dir, TRUSTED_PROXIES=1)), forwarded) == "203.0.113.9"
    # Without trusting a proxy, a client cannot choose its own address with the header.
    assert _ip_of_last_login(create_app(make_config(_session_dir)), forwarded) == "10.0.0.5"


def test_the_reminder_windows_come_from_the_environment(monkeypatch, _session_dir):
    # Both reminder windows are settings an operator sets where the others are set.
    monkeypatch.setenv("VARNA_ENV", "development")
    monkeypatch.setenv("IVO_REMINDER_DAYS", "10")
    monkeypatch.setenv("ACTION_FOLLOW_UP_DAYS", "45")
    app = create_app()
    assert (app.config["IVO_REMINDER_DAYS"], app.config["ACTION_FOLLOW_UP_DAYS"]) == (10, 45)
