"""API tokens: an optional last day of validity, and when each was last used (written at most once
a minute, not on every request), both on the admin's token list. An expired token is 401 JSON."""

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.api.models import ApiToken
from app.auth.models import User
from app.clock import frozen
from app.extensions import db

pytestmark = pytest.mark.usefixtures("demo")

NOW = datetime(2026, 3, 12, 9, 0)  # 10:00 in Stockholm


def _new_token(admin_client, username: str = "sara", expires_on: str = "") -> str:
    user_id = db.session.scalar(select(User.id).where(User.username == username))
    with frozen(NOW):
        response = admin_client.post("/admin/api-nycklar/", data={"user_id": user_id, "name": "Rapportverktyget",
                                                                   "expires_on": expires_on})
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    start = html.index('id="new-token">') + len('id="new-token">')
    return html[start:html.index("<", start)]


def _get(client, token: str, at: datetime):
    with frozen(at):
        return client.get("/api/v1/statistics/2018", headers={"Authorization": f"Bearer {token}"})


def test_a_token_works_through_its_last_day_and_then_answers_401_json(login_as, client):
    token = _new_token(login_as("admin"), expires_on="2026-03-31")
    assert db.session.scalar(select(ApiToken)).expires_on == date(2026, 3, 31)
    assert _get(client, token, NOW).status_code == 200
    # 23:30 on 31 March in Stockholm (summer time from 29 March: UTC+2) is still the last day.
    assert _get(client, token, datetime(2026, 3, 31, 21, 30)).status_code == 200
    expired = _get(client, token, datetime(2026, 3, 31, 22, 30))  # 00:30 on 1 April in Stockholm
    assert expired.status_code == 401
    assert expired.mimetype == "application/json" and expired.get_json()["error"] == "unauthorized"
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")


def test_without_an_expiry_date_a_token_keeps_working(login_as, client):
    token = _new_token(login_as("admin"))
    assert db.session.scalar(select(ApiToken)).expires_on is None
    assert _get(client, token, NOW + timedelta(days=3650)).status_code == 200


@pytest.mark.parametrize(("value", "message"), [
    ("2026-03-11", "Sista giltighetsdagen kan inte ha passerat."),
    ("31 mars", "Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-14."),
])
def test_a_bad_expiry_date_is_explained_next_to_the_field(login_as, value, message):
    sara = db.session.scalar(select(User.id).where(User.username == "sara"))
    with frozen(NOW):
        response = login_as("admin").post("/admin/api-nycklar/", data={
            "user_id": sara, "name": "Rapportverktyget", "expires_on": value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'<p class="error" id="expires_on-error">\s*' + re.escape(message), html), html
    assert "Rapportverktyget" in html and value in html  # the text is kept
    assert db.session.scalar(select(ApiToken)) is None


def test_last_used_is_written_at_most_once_a_minute(login_as, client):
    token = _new_token(login_as("admin"))
    row = db.session.scalar(select(ApiToken))
    assert row.last_used_at is None
    assert _get(client, token, NOW).status_code == 200
    db.session.refresh(row)
    assert row.last_used_at == NOW
    assert _get(client, token, NOW + timedelta(seconds=59)).status_code == 200
    db.session.refresh(row)
    assert row.last_used_at == NOW  # not written again within the minute
    assert _get(client, token, NOW + timedelta(seconds=61)).status_code == 200
    db.session.refresh(row)
    assert row.last_used_at == NOW + timedelta(seconds=61)


def test_last_used_is_written_even_when_the_request_is_refused(login_as, client):
    # A 404 (a year out of range) commits nothing else; the use is still noted.
    token = _new_token(login_as("admin"))
    with frozen(NOW):
        assert client.get("/api/v1/statistics/1800", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    assert db.session.scalar(select(ApiToken)).last_used_at == NOW


def test_the_token_list_shows_expiry_and_last_use(login_as, client):
    admin = login_as("admin")
    token = _new_token(admin, expires_on="2026-12-31")
    _new_token(admin, username="admin")
    _get(client, token, NOW)
    with frozen(NOW):
        html = admin.get("/admin/api-nycklar/").get_data(as_text=True)
    assert "Giltig till och med" in html
    assert "2026-12-31" in html
    assert "2026-03-12 10:00" in html  # last used, in Stockholm time
    assert "Tills vidare" in html      # the token without an expiry date
    with frozen(datetime(2027, 1, 2, 9)):
        html = admin.get("/admin/api-nycklar/").get_data(as_text=True)
    assert "Utgången" in html
