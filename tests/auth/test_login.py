from datetime import timedelta

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.auth.models import User
from app.clock import frozen, utcnow
from app.extensions import db
from tests.conftest import login


def _events(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


def test_login_with_the_right_password_reaches_the_start_page(demo, client):
    response = login(client, "erik")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Hej Erik" in client.get("/").get_data(as_text=True)
    assert _events("login.success") == 1


def test_username_is_case_insensitive(demo, client):
    assert login(client, "  ERIK ").status_code == 302


def test_wrong_password_and_unknown_user_get_the_same_message(demo):
    wrong = login(demo.test_client(), "erik", "wrong-password")
    unknown = login(demo.test_client(), "nobody", "wrong-password")
    assert wrong.status_code == unknown.status_code == 422
    assert "Fel användarnamn eller lösenord." in wrong.get_data(as_text=True)
    assert "Fel användarnamn eller lösenord." in unknown.get_data(as_text=True)
    # The typed username is kept, the password is not.
    assert 'value="erik"' in wrong.get_data(as_text=True)
    assert "wrong-password" not in wrong.get_data(as_text=True)
    assert _events("login.failure") == 2


def test_pages_need_login_and_come_back_after_it(demo, client):
    response = client.get("/admin/anvandare")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/logga-in?next=/admin/anvandare")
    response = client.post("/logga-in?next=/admin/anvandare", data={"username": "admin", "password": "demo"})
    assert response.headers["Location"] == "/admin/anvandare"


def test_next_parameter_cannot_send_people_to_another_site(demo, client):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = client.post(f"/logga-in?next={target}", data={"username": "anna", "password": "demo"})
        assert response.headers["Location"] == "/"
        client.post("/logga-ut")


def test_five_failures_lock_the_account_for_fifteen_minutes(demo):
    start = utcnow()
    with frozen(start):
        for _ in range(5):
            assert login(demo.test_client(), "anna", "not-her-password").status_code == 422
        locked = login(demo.test_client(), "anna", "demo")
    assert locked.status_code == 422
    assert "För många misslyckade inloggningar" in locked.get_data(as_text=True)
    assert _events("login.locked") == 1
    with frozen(start + timedelta(minutes=14)):
        assert login(demo.test_client(), "anna", "demo").status_code == 422
    with frozen(start + timedelta(minutes=16)):
        assert login(demo.test_client(), "anna", "demo").status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(demo):
    start = utcnow()
    for i in range(5):
        with frozen(start + timedelta(minutes=4 * i)):  # 5 failures over 16 minutes
            login(demo.test_client(), "anna", "nope-nope-nope")
    with frozen(start + timedelta(minutes=17)):
        assert login(demo.test_client(), "anna", "demo").status_code == 302


def test_an_unknown_username_is_locked_exactly_like_a_known_one(demo):
    for name in ("anna", "nosuchperson"):
        for _ in range(5):
            login(demo.test_client(), name, "wrong")
    known = login(demo.test_client(), "anna", "wrong").get_data(as_text=True)
    unknown = login(demo.test_client(), "nosuchperson", "wrong").get_data(as_text=True)
    assert "För många misslyckade inloggningar" in known
    assert "För många misslyckade inloggningar" in unknown


def test_a_deactivated_user_cannot_log_in(demo, client):
    user = db.session.scalar(select(User).where(User.username == "anna"))
    user.active = False
    db.session.commit()
    response = login(client, "anna")
    assert response.status_code == 422
    assert "Fel användarnamn eller lösenord." in response.get_data(as_text=True)


def test_a_password_longer_than_128_characters_is_not_hashed(demo, client):
    # Refused without verifying: a megabyte password must not cost the server an argon2 run.
    response = login(client, "anna", "x" * 129)
    assert response.status_code == 422
