"""Two-factor login: enrolment, the code after the password, reuse, throttling, recovery codes,
the production requirement per role, and the admin's reset.

Codes are real: computed with pyotp from the secret the enrolment page shows, at a frozen clock.
"""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from app import clock as clock_module
from app import config as settings
from app.audit import AuditEvent
from app.auth.models import User
from app.auth.twofactor import RecoveryCode, TwoFactor
from app.clock import frozen
from app.extensions import db
from tests.conftest import login

NOW = datetime(2026, 3, 2, 9, 0, 10)  # naive UTC, 10 s into a 30-second time step
ENROL = "/konto/tvastegsverifiering/aktivera"
CODE_PAGE = "/logga-in/kod"


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)
        clock_module._frozen = self.now  # `frozen` below puts the previous value back at the end


@pytest.fixture
def clock():
    moving = Clock(NOW)
    with frozen(NOW):
        yield moving


def code(secret: str, at: datetime, steps: int = 0) -> str:
    """The code the person's app shows at `at` (naive UTC), or `steps` time steps later."""
    return pyotp.TOTP(secret).at(int(at.replace(tzinfo=UTC).timestamp()) + 30 * steps)


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _events(action: str, user: User | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if user is not None:
        query = query.where(AuditEvent.object_id == str(user.id))
    return list(db.session.scalars(query))


def _secret_on_page(html: str) -> str:
    found = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html)
    assert found, html
    return found.group(1).replace(" ", "")


def _codes_on_page(html: str) -> list[str]:
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", html)


def enrol(client, clock) -> tuple[str, list[str]]:
    """Enrol the logged-in person as they would: read the secret, type the current code."""
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = _secret_on_page(page.get_data(as_text=True))
    done = client.post(ENROL, data={"code": code(secret, clock.now)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = _codes_on_page(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(app, username: str):
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 302
    assert response.headers["Location"] == CODE_PAGE
    return client


# --- enrolment ---------------------------------------------------------------------------------

def test_enrolment_shows_a_qr_code_and_the_secret_and_is_confirmed_with_a_current_code(login_as, clock):
    client = login_as("erik")
    page = client.get(ENROL).get_data(as_text=True)
    assert 'class="qr-code" src="data:image/svg+xml' in page  # made on the server, nothing fetched
    # No script makes the code: the only script on the page is the header's menu.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/menu.js" defer>'] and "style=" not in page
    secret = _secret_on_page(page)
    assert client.get(ENROL).get_data(as_text=True).count(" ".join(secret[i:i + 4] for i in range(0, 32, 4))) == 1
    response = client.post(ENROL, data={"code": code(secret, clock.now)})
    assert response.status_code == 200
    assert "Tvåstegsverifiering är aktiverad." in response.get_data(as_text=True)
    erik = _user("erik")
    row = db.session.get(TwoFactor, erik.id)
    assert row.confirmed_at == NOW
    assert secret not in row.secret_encrypted  # encrypted at rest
    hashes = list(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == erik.id)))
    assert len(hashes) == 10 and all(h.startswith("$argon2") for h in hashes)
    assert len(_events("two_factor.enrolled", erik)) == 1
    # The secret is never shown again.
    again = client.get(ENROL)
    assert again.status_code == 302 and again.headers["Location"] == "/konto/tvastegsverifiering"
    assert secret[:8] not in client.get("/konto/tvastegsverifiering").get_data(as_text=True)


def test_a_wrong_code_does_not_finish_enrolment(login_as, clock):
    client = login_as("erik")
    secret = _secret_on_page(client.get(ENROL).get_data(as_text=True))
    wrong = str((int(code(secret, clock.now)) + 1) % 1_000_000).zfill(6)
    response = client.post(ENROL, data={"code": wrong})
    assert response.status_code == 422
    assert "Koden stämmer inte." in response.get_data(as_text=True)
    assert db.session.get(TwoFactor, _user("erik").id).confirmed_at is None
    assert _events("two_factor.failure", _user("erik"))[0].detail["during"] == "enrolment"
    empty = client.post(ENROL, data={"code": ""})
    assert empty.status_code == 422 and "Ange koden." in empty.get_data(as_text=True)
    # The same secret until enrolment is finished: a reload does not invalidate the scanned QR code.
    assert _secret_on_page(client.get(ENROL).get_data(as_text=True)) == secret


def test_staff_may_enrol_from_their_account_page(login_as, clock):
    client = login_as("anna")
    page = client.get("/konto/tvastegsverifiering").get_data(as_text=True)
    assert "Aktivera tvåstegsverifiering" in page
    assert "Din roll kräver" not in page
    enrol(client, clock)
    assert "Tvåstegsverifiering är aktiverad." in client.get("/konto/tvastegsverifiering").get_data(as_text=True)


# --- logging in with a code ----------------------------------------------------------------

def test_an_enrolled_person_is_logged_in_only_after_the_code(demo, login_as, clock):
    secret, _codes = enrol(login_as("erik"), clock)
    client = password_step(demo, "erik")
    assert client.get("/").headers["Location"].startswith("/logga-in")  # not logged in yet
    assert client.get("/arenden").headers["Location"].startswith("/logga-in")
    page = client.get(CODE_PAGE)
    assert page.status_code == 200 and "Tvåstegsverifiering" in page.get_data(as_text=True)
    response = client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=1)})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Hej Erik" in client.get("/").get_data(as_text=True)
    assert [e.detail for e in _events("two_factor.success", _user("erik"))] == [{"method": "totp"}]


def test_the_code_page_keeps_where_the_person_was_going(demo, login_as, clock):
    secret, _codes = enrol(login_as("admin"), clock)
    client = demo.test_client()
    client.post("/logga-in?next=/admin/anvandare", data={"username": "admin", "password": "demo"})
    response = client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=1)})
    assert response.headers["Location"] == "/admin/anvandare"


def test_a_code_cannot_be_used_twice_nor_an_earlier_one(demo, login_as, clock):
    secret, _codes = enrol(login_as("erik"), clock)
    # The code typed at enrolment is spent.
    client = password_step(demo, "erik")
    reused = client.post(CODE_PAGE, data={"code": code(secret, clock.now)})
    assert reused.status_code == 422
    assert "Koden har redan använts." in reused.get_data(as_text=True)
    assert client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=1)}).status_code == 302
    # A step later, the code of the step before is still inside the window but older than the last one used.
    clock.advance(seconds=60)
    client = password_step(demo, "erik")
    assert client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=-1)}).status_code == 422
    assert client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=1)}).status_code == 302
    # ... and after that even the current step's code is earlier than the last one used.
    client = password_step(demo, "erik")
    assert client.post(CODE_PAGE, data={"code": code(secret, clock.now)}).status_code == 422
    reasons = [e.detail["reason"] for e in _events("two_factor.failure", _user("erik"))]
    assert reasons == ["reused", "reused", "reused"]


def test_a_code_outside_the_window_is_wrong(demo, login_as, clock):
    secret, _codes = enrol(login_as("erik"), clock)
    client = password_step(demo, "erik")
    for steps in (-3, 2, 3):
        response = client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=steps)})
        assert response.status_code == 422
        assert "Koden stämmer inte." in response.get_data(as_text=True)
    for nonsense in ("12345", "1234567", "abc", "x" * 64):
        assert client.post(CODE_PAGE, data={"code": nonsense}).status_code == 422
    assert client.post(CODE_PAGE, data={"code": "x" * 65}).status_code == 422  # too long for the form
    assert client.get("/").status_code == 302


def test_wrong_codes_are_throttled_per_account_like_passwords(demo, login_as, clock):
    secret, _codes = enrol(login_as("sara"), clock)
    client = password_step(demo, "sara")
    right = code(secret, clock.now, steps=1)
    wrong = str((int(right) + 1) % 1_000_000).zfill(6)
    for _ in range(5):
        assert client.post(CODE_PAGE, data={"code": wrong}).status_code == 422
    locked = client.post(CODE_PAGE, data={"code": right})
    assert locked.status_code == 422
    assert "För många felaktiga koder. Vänta 15 minuter" in locked.get_data(as_text=True)
    # A new password login does not start the count again.
    assert password_step(demo, "sara").post(CODE_PAGE, data={"code": right}).status_code == 422
    sara = _user("sara")
    assert len(_events("two_factor.failure", sara)) == 5
    assert len(_events("two_factor.locked", sara)) == 2
    # The lock ends after LOGIN_LOCK_MINUTES; the pending login has expired by then.
    clock.advance(minutes=15, seconds=1)
    client = password_step(demo, "sara")
    assert client.post(CODE_PAGE, data={"code": code(secret, clock.now)}).status_code == 302
    # Other accounts were never affected, and the password login of sara neither.
    assert login(demo.test_client(), "erik").status_code == 302


def test_the_pending_login_expires_after_five_minutes(demo, login_as, clock):
    secret, _codes = enrol(login_as("erik"), clock)
    client = password_step(demo, "erik")
    clock.advance(minutes=5, seconds=1)
    response = client.post(CODE_PAGE, data={"code": code(secret, clock.now)})
    assert response.status_code == 302 and response.headers["Location"] == "/logga-in"
    assert "Det tog för lång tid. Logga in igen." in client.get("/logga-in").get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert client.get(CODE_PAGE).headers["Location"] == "/logga-in"  # the marker is gone


def test_the_code_page_without_a_password_first_sends_to_login(demo, client):
    response = client.get(CODE_PAGE)
    assert response.status_code == 302 and response.headers["Location"] == "/logga-in"
    assert client.post(CODE_PAGE, data={"code": "123456"}).headers["Location"] == "/logga-in"


def test_a_recovery_code_works_once(demo, login_as, clock):
    _secret, codes = enrol(login_as("erik"), clock)
    client = password_step(demo, "erik")
    response = client.post(CODE_PAGE, data={"code": " " + codes[3].upper() + " "})
    assert response.status_code == 302
    assert "Du har 9 reservkoder kvar." in client.get("/").get_data(as_text=True)
    erik = _user("erik")
    assert _events("two_factor.recovery_code_used", erik)[0].detail == {"left": 9}
    assert _events("two_factor.success", erik)[0].detail == {"method": "recovery_code"}
    again = password_step(demo, "erik")
    refused = again.post(CODE_PAGE, data={"code": codes[3]})
    assert refused.status_code == 422
    assert _events("two_factor.failure", erik)[0].detail["reason"] == "wrong_recovery_code"
    assert again.post(CODE_PAGE, data={"code": codes[4].replace("-", "")}).status_code == 302


def test_new_recovery_codes_need_a_fresh_code_and_replace_the_old_ones(demo, login_as, clock):
    client = login_as("erik")
    secret, old = enrol(client, clock)
    page = "/konto/tvastegsverifiering/reservkoder"
    assert client.get(page).status_code == 200
    assert client.post(page, data={"code": code(secret, clock.now)}).status_code == 422  # spent at enrolment
    response = client.post(page, data={"code": code(secret, clock.now, steps=1)})
    assert response.status_code == 200
    new = _codes_on_page(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert len(_events("two_factor.recovery_codes_regenerated", _user("erik"))) == 1
    clock.advance(minutes=1)
    assert password_step(demo, "erik").post(CODE_PAGE, data={"code": old[0]}).status_code == 422
    assert password_step(demo, "erik").post(CODE_PAGE, data={"code": new[0]}).status_code == 302


def test_new_recovery_codes_before_enrolment_lead_to_the_account_page(login_as):
    response = login_as("anna").get("/konto/tvastegsverifiering/reservkoder")
    assert response.headers["Location"] == "/konto/tvastegsverifiering"


# --- required in production -------------------------------------------------------------------

def test_required_unless_development():
    for env, required in (("development", False), ("production", True), ("staging", True)):
        config = {"VARNA_ENV": env, "TWO_FACTOR_REQUIRED": None, "INACTIVITY_MINUTES": 30,
                  "SQLALCHEMY_DATABASE_URI": "sqlite://",
                  "SECRET_KEY": "q8Zr1-Vx_LpT4mWcK0yHs9dNfB2aJ6gUeR7iO3tYh5kQwXzE",
                  "AUDIT_KEY": "Mv3-Rk8_pZq1WnX5cTy0bLs7HdJ2fGa9EuK4oQi6"}
        settings.finish(config)
        assert config["TWO_FACTOR_REQUIRED"] is required, env
    explicit = {"VARNA_ENV": "development", "TWO_FACTOR_REQUIRED": True, "INACTIVITY_MINUTES": 30,
                "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    settings.finish(explicit)
    assert explicit["TWO_FACTOR_REQUIRED"] is True


def test_development_offers_but_does_not_require(login_as):
    assert login_as("admin").get("/").status_code == 200


@pytest.mark.parametrize("app_config", [{"TWO_FACTOR_REQUIRED": True}])
@pytest.mark.parametrize(("username", "page"), [("erik", "/arenden"), ("sara", "/lex-sarah"),
                                                ("admin", "/admin/anvandare"), ("nils", "/statistik/")])
def test_production_sends_every_role_above_staff_to_enrolment_first(demo, board_member, clock, username, page):
    client = demo.test_client()
    assert login(client, username).status_code == 302
    for path in ("/", page, "/konto/losenord", "/konto/tvastegsverifiering"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == ENROL, path
    assert "Din roll kräver tvåstegsverifiering." in client.get(ENROL).get_data(as_text=True)
    enrol(client, clock)
    assert client.get(page).status_code == 200
    # From now on the password alone does not log in.
    clock.advance(minutes=1)
    assert login(demo.test_client(), username).headers["Location"] == CODE_PAGE


@pytest.mark.parametrize("app_config", [{"TWO_FACTOR_REQUIRED": True}])
def test_production_does_not_require_it_of_staff(demo):
    client = demo.test_client()
    assert login(client, "anna").status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/rapportera").status_code == 200


@pytest.mark.parametrize("app_config", [{"TWO_FACTOR_REQUIRED": True, "TWO_FACTOR_OPTIONAL_FOR_STAFF": False}])
def test_staff_too_when_the_setting_says_so(demo):
    client = demo.test_client()
    login(client, "anna")
    assert client.get("/").headers["Location"] == ENROL


@pytest.mark.parametrize("app_config", [{"TWO_FACTOR_REQUIRED": True}])
def test_an_api_token_is_not_sent_to_enrolment(demo):
    from app.api.tokens import create_token
    _row, token = create_token(_user("admin"), user_id=_user("sara").id, name="Rapportverktyg")
    response = demo.test_client().get("/api/v1/statistics/2025", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    client = demo.test_client()
    login(client, "sara")
    assert client.get("/api/v1/statistics/2025").status_code == 403  # a session must enrol first
    # ... also when it sends a token along
    assert client.get("/api/v1/statistics/2025", headers={"Authorization": f"Bearer {token}"}).status_code == 403


# --- the admin's reset ------------------------------------------------------------------------

def test_an_admin_reset_ends_the_persons_sessions_and_enrolment(demo, login_as, clock):
    erik_client = login_as("erik")
    enrol(erik_client, clock)
    erik = _user("erik")
    admin = login_as("admin")
    assert "Återställ tvåstegsverifiering" in admin.get(f"/admin/anvandare/{erik.id}").get_data(as_text=True)
    response = admin.post(f"/admin/anvandare/{erik.id}/tvastegsverifiering")
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/anvandare/{erik.id}"
    assert "Tvåstegsverifieringen för erik är återställd." in admin.get(response.headers["Location"]).get_data(
        as_text=True)
    assert erik_client.get("/").status_code == 302  # the session has ended
    assert db.session.get(TwoFactor, erik.id) is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == erik.id)) == 0
    [event] = _events("two_factor.reset", erik)
    assert event.user_id == _user("admin").id
    # Not enrolled any more: in development the password logs in again.
    assert login(demo.test_client(), "erik").headers["Location"] == "/"


def test_a_reset_voids_a_pending_login(demo, login_as, clock):
    secret, _codes = enrol(login_as("erik"), clock)
    client = password_step(demo, "erik")
    login_as("admin").post(f"/admin/anvandare/{_user('erik').id}/tvastegsverifiering")
    response = client.post(CODE_PAGE, data={"code": code(secret, clock.now, steps=1)})
    assert response.headers["Location"] == "/logga-in"
    assert client.get("/").status_code == 302


def test_only_admins_reset_and_unknown_people_are_404(login_as):
    erik = _user("erik")
    assert login_as("sara").post(f"/admin/anvandare/{erik.id}/tvastegsverifiering").status_code == 403
    assert login_as("admin").post("/admin/anvandare/999999/tvastegsverifiering").status_code == 404
