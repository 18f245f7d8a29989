"""LOG_FORMAT=json: one JSON object per line, a request id, the user's id and the route, never
the URL's query string or anything about the person beyond their id."""

import json

import pytest
from sqlalchemy import select

from app import logging_setup
from app.auth.models import User
from app.extensions import db
from tests.conftest import make_config


@pytest.fixture
def app_config():
    return {"LOG_FORMAT": "json"}


@pytest.fixture(autouse=True)
def _json_handler(app):
    # The app is built once and reused; the handler lives on the root logger, so put it there for
    # each test and take it away afterwards, for the tests that follow.
    logging_setup._install_json_handler()
    yield
    logging_setup.remove_json_handler()


def _lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]


def _request_lines(capsys) -> list[dict]:
    return [entry for entry in _lines(capsys) if entry.get("logger") == "varna.request"]


def test_a_request_is_one_json_line_with_its_id_route_status_and_time(client, capsys):
    capsys.readouterr()
    response = client.get("/healthz?personnummer=19121212-1212", headers={"X-Request-Id": "lb-4f9a2c11-77"})
    assert response.headers["X-Request-Id"] == "lb-4f9a2c11-77"
    [entry] = _request_lines(capsys)
    assert entry["request_id"] == "lb-4f9a2c11-77"
    assert entry["route"] == "main.healthz" and entry["method"] == "GET" and entry["status"] == 200
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert "user_id" not in entry  # nobody logged in
    assert entry["level"] == "INFO" and entry["time"].endswith("Z")


@pytest.mark.parametrize("given", ["", "short", "<script>alert(1)</script>", "x" * 200, "a b c d e f g h"])
def test_a_missing_or_malformed_request_id_is_replaced(client, capsys, given):
    capsys.readouterr()
    response = client.get("/healthz", headers={"X-Request-Id": given} if given else {})
    generated = response.headers["X-Request-Id"]
    assert generated != given and len(generated) == 32 and int(generated, 16) >= 0
    [entry] = _request_lines(capsys)
    assert entry["request_id"] == generated


def test_the_person_is_their_id_only_and_the_query_string_is_not_logged(login_as, capsys):
    anna = login_as("anna")
    user = db.session.scalar(select(User).where(User.username == "anna"))
    capsys.readouterr()
    response = anna.get("/mina-rapporter?fore=12&q=Karin+Anhörig")
    assert response.status_code == 200
    output = capsys.readouterr().err
    entries = [json.loads(line) for line in output.splitlines() if line.strip()]
    [entry] = [e for e in entries if e.get("logger") == "varna.request"]
    assert entry["user_id"] == user.id and entry["route"] == "intake.my_reports" and entry["status"] == 200
    for personal in (user.full_name, user.username, user.email, "Karin", "fore=12", "/mina-rapporter"):
        assert personal not in output


def test_other_log_lines_of_a_request_carry_its_id(_session_dir, capsys):
    import logging

    from app import create_app
    from app.auth.guard import public

    probe_app = create_app(make_config(_session_dir, LOG_FORMAT="json", PAGE_SIZE=49))

    @probe_app.get("/__log_probe")
    @public
    def probe():
        logging.getLogger("app.probe").warning("something worth knowing")
        return "ok"

    capsys.readouterr()
    response = probe_app.test_client().get("/__log_probe", headers={"X-Request-Id": "probe-0001-abcd"})
    assert response.status_code == 200
    entries = _lines(capsys)
    warning = next(e for e in entries if e["logger"] == "app.probe")
    assert warning["request_id"] == "probe-0001-abcd" and warning["message"] == "something worth knowing"
    with probe_app.app_context():
        db.engine.dispose()


def test_production_defaults_to_json_and_development_to_text(tmp_path):
    from app import config as settings
    production = settings.defaults(str(tmp_path)) | {"VARNA_ENV": "production",
                                                   "SECRET_KEY": "q8Zr1-Vx_LpT4mWcK0yHs9dNfB2aJ6gUeR7iO3tYh5kQwXzE",
                                                   "AUDIT_KEY": "Mv3-Rk8_pZq1WnX5cTy0bLs7HdJ2fGa9EuK4oQi6"}
    settings.finish(production)
    assert production["LOG_FORMAT"] == "json"
    development = settings.defaults(str(tmp_path)) | {"VARNA_ENV": "development"}
    settings.finish(development)
    assert development["LOG_FORMAT"] == "text"
