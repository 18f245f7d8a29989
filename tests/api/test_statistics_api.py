"""GET /api/v1/statistics/<year>: session or API token, 401 JSON without either, the same JSON as the CLI."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from app.api.models import ApiToken
from app.auth.models import User
from app.extensions import db
from app.stats.report import statistics
from tests.stats.helpers import case, judge, notify

pytestmark = pytest.mark.usefixtures("demo")


def _some_cases():
    report = case("lex_sarah", 2018, categories=("Sekretess",))
    judge(report, "misconduct", True)
    notify(report, date(2018, 7, 1))
    case("lex_sarah", 2017)
    case("complaint", 2018, complaint={"channel": "ivo"})


def _new_token(admin_client, username: str) -> str:
    user_id = db.session.scalar(select(User.id).where(User.username == username))
    response = admin_client.post("/admin/api-nycklar/", data={"user_id": user_id, "name": "Rapportverktyget"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    start = html.index('id="new-token">') + len('id="new-token">')
    return html[start:html.index("<", start)]


def test_a_logged_in_officer_gets_the_contract_json(login_as):
    _some_cases()
    response = login_as("sara").get("/api/v1/statistics/2018")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert data == statistics(2018)
    assert list(data) == ["year", "lex_sarah", "deviations", "complaints", "supervision", "actions", "client_gender",
                          "median_days", "change", "trend"]
    assert data["lex_sarah"]["notified_to_ivo"] == 1 and data["complaints"]["via_ivo"] == 1


def test_without_a_session_or_token_it_is_401_json_not_a_redirect(client):
    response = client.get("/api/v1/statistics/2018")
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/statistics/2018", headers={"Authorization": "Bearer varna_wrong"}).status_code == 401


def test_staff_get_403_json(login_as):
    response = login_as("anna").get("/api/v1/statistics/2018")
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_a_year_out_of_range_is_404_json(login_as):
    response = login_as("admin").get("/api/v1/statistics/1800")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


def test_a_token_made_by_an_admin_acts_as_its_person_until_revoked(login_as, client):
    _some_cases()
    admin = login_as("admin")
    token = _new_token(admin, "sara")
    assert token.startswith("varna_")
    row = db.session.scalar(select(ApiToken))
    assert token not in (row.token_hash, row.prefix) and len(row.token_hash) == 64  # only its hash is kept

    response = client.get("/api/v1/statistics/2018", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json() == statistics(2018)
    db.session.refresh(row)
    assert row.last_used_at is not None

    # The token logs nobody in outside the API.
    page = client.get("/statistik/", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 302 and page.headers["Location"].startswith("/logga-in")

    assert admin.post(f"/admin/api-nycklar/{row.id}/aterkalla").status_code == 302
    assert client.get("/api/v1/statistics/2018", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_of_someone_without_the_statistics_is_refused(login_as, client):
    token = _new_token(login_as("admin"), "anna")
    assert client.get("/api/v1/statistics/2018", headers={"Authorization": f"Bearer {token}"}).status_code == 403


def test_a_deactivated_persons_token_stops_working(login_as, client):
    token = _new_token(login_as("admin"), "sara")
    sara = db.session.scalar(select(User).where(User.username == "sara"))
    sara.active = False
    db.session.commit()
    assert client.get("/api/v1/statistics/2018", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_token_form_explains_its_errors(login_as):
    response = login_as("admin").post("/admin/api-nycklar/", data={"user_id": "", "name": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Välj en aktiv användare i listan." in html and "Ange vad nyckeln ska användas till." in html
    assert db.session.scalar(select(ApiToken)) is None


def test_the_cli_exports_exactly_the_api_json(login_as, demo, tmp_path):
    _some_cases()
    api = login_as("sara").get("/api/v1/statistics/2018").get_json()
    result = demo.test_cli_runner().invoke(args=["stats", "export", "--year", "2018", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api

    for fmt, magic in (("pdf", b"%PDF"), ("xlsx", b"PK"), ("csv", "\ufeff".encode()), ("html", b"<!doctype html>")):
        path = tmp_path / f"out.{fmt}"
        result = demo.test_cli_runner().invoke(args=["stats", "export", "--year", "2018", "--format", fmt,
                                                     "--output", str(path)])
        assert result.exit_code == 0, result.output
        assert path.read_bytes().startswith(magic), fmt
    html = (tmp_path / "out.html").read_text()
    assert "Under 2018 har totalt en lex Sarah-rapport inkommit till socialnämnden." in html
    assert "Lex Sarah-rapporter 2017 och 2018" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")

    department = demo.test_cli_runner().invoke(args=["stats", "export", "--year", "2018", "--department", "Unga"])
    assert json.loads(department.output)["lex_sarah"]["received"] == 0
    bad = demo.test_cli_runner().invoke(args=["stats", "export", "--year", "1700"])
    assert bad.exit_code != 0


def test_unit_restricts_to_any_unit_and_everything_under_it_in_api_and_cli(login_as, demo):
    from tests.cases.helpers import unit
    case("deviation", 2018, unit_name="Boendestöd")
    case("deviation", 2018, unit_name="Socialpsykiatri")
    boendestod = unit("Boendestöd").id
    client = login_as("sara")
    assert client.get(f"/api/v1/statistics/2018?unit={boendestod}").get_json()["deviations"]["received"] == 1
    assert client.get(f"/api/v1/statistics/2018?department={unit('Vuxna').id}").get_json()[
        "deviations"]["received"] == 2  # the synonym from version 1
    assert client.get("/api/v1/statistics/2018?unit=abc").status_code == 400
    assert client.get("/api/v1/statistics/2018?unit=999999").status_code == 404

    result = demo.test_cli_runner().invoke(args=["stats", "export", "--year", "2018", "--unit", "Boendestöd"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["deviations"]["received"] == 1
