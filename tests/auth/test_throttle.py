"""Login throttling per client address and across all addresses (ASVS 2.2.1).

The review's finding: 72 guesses against 45 accounts from one address in 31 seconds
were never slowed, because only the username was counted. The counters live in the
database, so they hold across gunicorn workers and application servers.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth import services as accounts
from app.auth.models import User
from app.clock import frozen, utcnow
from app.extensions import db

ATTACKER, COLLEAGUE = "198.51.100.66", "203.0.113.7"
ADDRESS_MESSAGE = "För många misslyckade inloggningar från din adress."
GLOBAL_MESSAGE = "Just nu misslyckas ovanligt många inloggningar."


def attempt(app, address: str, username: str, password: str):
    return app.test_client().post("/logga-in", data={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address})


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _make_accounts(n: int) -> list[str]:
    digest = accounts.hash_password("demo", enforce_policy=False)
    names = [f"person{i:02d}" for i in range(n)]
    db.session.add_all(User(username=name, full_name=f"Person {i}", role="staff", password_hash=digest,
                            email=f"{name}@varna.example") for i, name in enumerate(names))
    db.session.commit()
    return names


def test_guessing_45_accounts_from_one_address_is_refused_after_the_limit(demo):
    names = _make_accounts(45)
    start = utcnow()
    statuses = []
    for i in range(72):  # the review: 72 guesses in 31 seconds, spread over 45 accounts
        with frozen(start + timedelta(seconds=i * 31 / 72)):
            response = attempt(demo, ATTACKER, names[i % 45], "Sommar2024!")
            statuses.append(response.status_code)
    limit = demo.config["LOGIN_ADDRESS_MAX_FAILURES"]
    assert limit < 72
    assert statuses[:limit] == [422] * limit
    assert statuses[limit:] == [429] * (72 - limit)
    with frozen(start + timedelta(seconds=32)):
        refused = attempt(demo, ATTACKER, "anna", "demo")  # even the right password: no more guessing
        assert refused.status_code == 429
        assert ADDRESS_MESSAGE in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) > 0
        # Only real failures were counted and checked; the refused ones never reached a password.
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "login.failure")) == limit
        assert {e.ip for e in _events("login.throttled")} == {ATTACKER}
        assert _events("login.throttled")[-1].detail["scope"] == "address"
        # The same message whether or not the typed name exists.
        unknown = attempt(demo, ATTACKER, "nosuchperson", "x").get_data(as_text=True)
        assert ADDRESS_MESSAGE in unknown


def test_another_address_is_not_affected_by_the_first_ones_failures(demo):
    start = utcnow()
    with frozen(start):
        for i in range(demo.config["LOGIN_ADDRESS_MAX_FAILURES"]):
            attempt(demo, ATTACKER, f"guess{i}", "wrong password")
        assert attempt(demo, ATTACKER, "erik", "demo").status_code == 429
        assert attempt(demo, COLLEAGUE, "erik", "demo").status_code == 302
        wrong = attempt(demo, COLLEAGUE, "erik", "a typo")
        assert wrong.status_code == 422
        assert "Fel användarnamn eller lösenord." in wrong.get_data(as_text=True)


def test_the_block_is_released_with_time_and_doubles_each_time(demo):
    limit = demo.config["LOGIN_ADDRESS_MAX_FAILURES"]
    first = timedelta(minutes=demo.config["LOGIN_ADDRESS_BLOCK_MINUTES"])
    start = utcnow()
    with frozen(start):
        for i in range(limit):
            attempt(demo, ATTACKER, f"guess{i}", "wrong password")
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 429
    with frozen(start + first - timedelta(seconds=1)):
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 429
    again = start + first + timedelta(seconds=1)
    with frozen(again):
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 302  # released
        for i in range(limit):
            attempt(demo, ATTACKER, f"guess{i}", "wrong password")
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 429
    with frozen(again + 2 * first - timedelta(seconds=1)):  # the second block is twice as long
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 429
    with frozen(again + 2 * first + timedelta(seconds=1)):
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_block_an_address(demo):
    limit = demo.config["LOGIN_ADDRESS_MAX_FAILURES"]
    window = timedelta(minutes=demo.config["LOGIN_ADDRESS_WINDOW_MINUTES"])
    start = utcnow()
    for i in range(limit):
        with frozen(start + i * (window + timedelta(minutes=1)) / (limit - 1)):
            attempt(demo, ATTACKER, f"guess{i}", "wrong password")
    with frozen(start + window + timedelta(minutes=2)):
        assert attempt(demo, ATTACKER, "anna", "demo").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE": 12}])
def test_the_global_ceiling_refuses_every_address_briefly(demo):
    start = utcnow()
    with frozen(start):
        # Four addresses, each well below its own limit, together reach the ceiling.
        for n in range(12):
            attempt(demo, f"192.0.2.{n % 4 + 1}", f"guess{n}", "wrong password")
        refused = attempt(demo, COLLEAGUE, "erik", "demo")
        assert refused.status_code == 429
        assert GLOBAL_MESSAGE in refused.get_data(as_text=True)
        assert _events("login.throttled")[-1].detail["scope"] == "global"
    with frozen(start + timedelta(seconds=demo.config["LOGIN_GLOBAL_BLOCK_SECONDS"] + 1)):
        assert attempt(demo, COLLEAGUE, "erik", "demo").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE": 12}])
def test_failures_below_the_ceiling_per_minute_do_not_trigger_it(demo):
    start = utcnow()
    for n in range(22):  # 11 a minute
        with frozen(start + timedelta(seconds=n * 60 / 11)):
            attempt(demo, f"192.0.2.{n % 4 + 1}", f"guess{n}", "wrong password")
    with frozen(start + timedelta(seconds=121)):
        assert attempt(demo, COLLEAGUE, "erik", "demo").status_code == 302


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_the_address_is_the_one_flask_sees_behind_a_trusted_proxy(demo):
    # Behind one trusted proxy request.remote_addr is the client from X-Forwarded-For, so two
    # people behind the same proxy have their own counters.
    def via_proxy(client_address: str, username: str, password: str):
        return demo.test_client().post("/logga-in", data={"username": username, "password": password},
                                       headers={"X-Forwarded-For": client_address},
                                       environ_base={"REMOTE_ADDR": "10.0.0.1"})

    with frozen(utcnow()):
        for i in range(demo.config["LOGIN_ADDRESS_MAX_FAILURES"]):
            via_proxy(ATTACKER, f"guess{i}", "wrong password")
        assert via_proxy(ATTACKER, "anna", "demo").status_code == 429
        assert via_proxy(COLLEAGUE, "anna", "demo").status_code == 302
