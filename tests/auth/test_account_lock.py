"""The per-account lock cannot be used to keep a person out: the owner gets an unlock link
by e-mail (signed, single-use, time-limited). The change-password form counts wrong current
passwords against the same lock. Mail goes through the real queue to a real SMTP server."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.clock import frozen, utcnow
from app.extensions import db
from tests.conftest import login

ATTACKER = "198.51.100.66"
LOCKED = "För många misslyckade inloggningar."
LINK = re.compile(r"https://varna\.example\.se(/konto/las-upp/\S+)")


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": "https://varna.example.se", **smtp_server.mail_config()}


def attempt(app, username: str, password: str, address: str = ATTACKER):
    # buffered: the response is closed, as a server closes it, which is when the mail is sent
    # (after the answer, so that its time tells nothing about the account).
    return app.test_client().post("/logga-in", data={"username": username, "password": password},
                                  environ_base={"REMOTE_ADDR": address}, buffered=True)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _lock(app, username: str) -> None:
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert attempt(app, username, "not the password").status_code == 422


def _unlock_path(smtp_server, address: str) -> str:
    [message] = smtp_server.to(address)
    return LINK.search(message.get_body(("plain",)).get_content()).group(1)


def test_the_owner_unlocks_a_locked_account_with_the_link_in_the_email(demo, smtp_server):
    start = utcnow()
    with frozen(start):
        _lock(demo, "anna")
        locked = attempt(demo, "anna", "demo", address="203.0.113.7")  # the owner, elsewhere
        assert locked.status_code == 422
        assert LOCKED in locked.get_data(as_text=True)
        assert "e-post" in locked.get_data(as_text=True)
        for _ in range(3):  # more attempts while locked send no more mail
            attempt(demo, "anna", "still not it")

        [message] = smtp_server.to("anna@varna.example")
        assert "låst" in message["Subject"]
        body = message.get_body(("plain",)).get_content()
        assert "demo" not in body and "not the password" not in body
        path = _unlock_path(smtp_server, "anna@varna.example")

        owner = demo.test_client()
        page = owner.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert page.status_code == 200  # a page with a button: a mail scanner's GET unlocks nothing
        assert _events("login.unlocked") == []
        done = owner.post(path, environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert done.status_code == 302
        assert done.headers["Location"] == "/logga-in"
        assert "upplåst" in owner.get("/logga-in").get_data(as_text=True)
        [event] = _events("login.unlocked")
        anna = db.session.scalar(select(User).where(User.username == "anna"))
        assert event.object_id == str(anna.id)
        assert event.user_id == anna.id
        assert login(owner, "anna").status_code == 302  # well within the 15 minutes

        # Single use: the same link again is refused, and unlocks nothing next time.
        again = demo.test_client().post(path)
        assert again.status_code == 400
        assert "ogiltig" in again.get_data(as_text=True)
        assert len(_events("login.unlocked")) == 1


def test_the_mail_leaves_only_after_the_answer(demo, smtp_server):
    # Otherwise the locking attempt would take longer exactly for a real account with an
    # e-mail address, and its time would tell the guesser that the account exists.
    with frozen(utcnow()):
        for _ in range(demo.config["LOGIN_MAX_FAILURES"] - 1):
            attempt(demo, "anna", "not the password")
        response = demo.test_client().post("/logga-in", data={"username": "anna", "password": "nope"},
                                           environ_base={"REMOTE_ADDR": ATTACKER})
        assert response.status_code == 422
        assert smtp_server.to("anna@varna.example") == []
        response.close()  # what the server does once the answer is sent
        assert len(smtp_server.to("anna@varna.example")) == 1


def test_an_unknown_name_gets_the_same_answer_and_no_mail(demo, smtp_server):
    with frozen(utcnow()):
        _lock(demo, "anna")
        _lock(demo, "nosuchperson")
        known = attempt(demo, "anna", "x").get_data(as_text=True)
        unknown = attempt(demo, "nosuchperson", "x").get_data(as_text=True)
    message = re.compile(r'<p class="error" id="password-error">(.*?)</p>', re.S)
    assert message.search(known).group(1) == message.search(unknown).group(1)
    assert LOCKED in known
    assert [m["To"] for m in smtp_server.messages] == ["anna@varna.example"]


def test_the_link_expires_and_a_forged_link_is_refused(demo, smtp_server):
    start = utcnow()
    with frozen(start):
        _lock(demo, "erik")
        path = _unlock_path(smtp_server, "erik@varna.example")
    minutes = demo.config["LOGIN_UNLOCK_LINK_MINUTES"]
    with frozen(start + timedelta(minutes=minutes, seconds=1)):
        expired = demo.test_client().post(path)
        assert expired.status_code == 400
        assert "ogiltig" in expired.get_data(as_text=True)
    token = path.rsplit("/", 1)[1]
    with frozen(start + timedelta(minutes=1)):
        forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
        assert demo.test_client().get(f"/konto/las-upp/{forged}").status_code == 400
        assert demo.test_client().post(f"/konto/las-upp/{forged}").status_code == 400
        assert demo.test_client().post("/konto/las-upp/x").status_code == 400
        assert _events("login.unlocked") == []
        assert attempt(demo, "erik", "demo").status_code == 422  # still locked


def test_the_link_is_void_once_the_owner_has_logged_in(demo, smtp_server):
    start = utcnow()
    with frozen(start):
        _lock(demo, "erik")
        path = _unlock_path(smtp_server, "erik@varna.example")
    with frozen(start + timedelta(minutes=16)):
        assert attempt(demo, "erik", "demo").status_code == 302
        assert demo.test_client().post(path).status_code == 400


# --- the change-password form ------------------------------------------------------------------

def _change(client, current: str, new: str = "blå tekopp under vintergatan"):
    return client.post("/konto/losenord", data={"current_password": current, "new_password": new,
                                                "confirm": new}, buffered=True)


def test_too_many_wrong_current_passwords_are_refused_and_audited(login_as, demo, smtp_server):
    start = utcnow()
    with frozen(start):
        client = login_as("anna")
        for _ in range(demo.config["LOGIN_MAX_FAILURES"]):
            wrong = _change(client, "guess")
            assert wrong.status_code == 422
            assert "Nuvarande lösenord stämmer inte." in wrong.get_data(as_text=True)
        refused = _change(client, "demo")  # even the right one: no more guessing here
        assert refused.status_code == 422
        html = refused.get_data(as_text=True)
        assert "För många felaktiga försök" in html
        assert re.search(r'id="current_password-error">[^<]*För många felaktiga försök', html)
        assert len(_events("user.password_change_failed")) == demo.config["LOGIN_MAX_FAILURES"]
        assert len(_events("user.password_change_refused")) == 1
        assert _events("user.password_changed") == []
        # The owner is told by mail, as for failed logins.
        assert len(smtp_server.to("anna@varna.example")) == 1
    with frozen(start + timedelta(minutes=demo.config["LOGIN_LOCK_MINUTES"] + 1)):
        assert _change(client, "demo").status_code == 302
        assert len(_events("user.password_changed")) == 1
