from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.conftest import login


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def test_logout_ends_every_session_of_the_user(login_as):
    phone, desktop = login_as("erik"), login_as("erik")
    assert desktop.get("/").status_code == 200
    assert phone.post("/logga-ut").status_code == 302
    assert phone.get("/").status_code == 302
    assert desktop.get("/").status_code == 302  # the other device is logged out too


def test_logout_needs_a_post(login_as):
    client = login_as("erik")
    assert client.get("/logga-ut").status_code == 405
    assert client.get("/").status_code == 200


def test_deactivation_ends_the_session_at_once(login_as):
    client = login_as("anna")
    assert client.get("/").status_code == 200
    _user("anna").active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_changing_the_password_keeps_this_session_and_ends_the_others(login_as, demo):
    here, elsewhere = login_as("anna"), login_as("anna")
    response = here.post("/konto/losenord", data={
        "current_password": "demo", "new_password": "a long new passphrase", "confirm": "a long new passphrase"})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert login(demo.test_client(), "anna", "demo").status_code == 422
    assert login(demo.test_client(), "anna", "a long new passphrase").status_code == 302


def test_password_change_is_validated_next_to_the_fields(login_as):
    client = login_as("anna")
    short = client.post("/konto/losenord", data={"current_password": "demo", "new_password": "short",
                                                 "confirm": "short"})
    assert short.status_code == 422
    assert "Lösenordet måste ha 12–128 tecken." in short.get_data(as_text=True)
    wrong = client.post("/konto/losenord", data={"current_password": "not-it", "new_password": "x" * 20,
                                                 "confirm": "x" * 20})
    assert "Nuvarande lösenord stämmer inte." in wrong.get_data(as_text=True)
    mismatch = client.post("/konto/losenord", data={"current_password": "demo", "new_password": "x" * 20,
                                                    "confirm": "y" * 20})
    assert "Lösenorden är inte lika." in mismatch.get_data(as_text=True)
    too_long = client.post("/konto/losenord", data={"current_password": "demo", "new_password": "x" * 129,
                                                    "confirm": "x" * 129})
    assert too_long.status_code == 422
    assert login(client, "anna", "demo")  # still the old password


def test_session_cookie_flags(demo, client):
    response = login(client, "anna")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_server_refuses_a_session_older_than_the_inactivity_timeout(demo):
    # The signed cookie carries its age, and the server checks it: a browser that
    # keeps sending an old cookie gets nothing. (A negative lifetime makes any cookie
    # too old without waiting.)
    client = demo.test_client()
    assert login(client, "anna").status_code == 302
    assert client.get("/").status_code == 200
    demo.permanent_session_lifetime = timedelta(seconds=-1)
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session_alive(demo):
    demo.permanent_session_lifetime = timedelta(minutes=30)
    client = demo.test_client()
    login(client, "anna")
    response = client.get("/")
    assert response.status_code == 200
    assert "Expires=" in response.headers.get("Set-Cookie", "")  # refreshed on each request
