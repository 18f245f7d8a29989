"""Bad input: a clear Swedish message next to the field, the text kept, and nothing stored
(no case, no journal, no mail, no file on disk)."""

import html as html_lib
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app.cases.models import Case, Category, Unit
from app.clock import frozen
from app.extensions import db
from tests.intake.conftest import (
    PDF,
    SCRIPT,
    TEXT,
    assert_nothing_stored,
    category_ids,
    counts,
    error_for,
    post_report,
    stored_files,
    valid_form,
)

NOW = datetime(2026, 3, 2, 15, 0)  # 16:00 in Stockholm
KEPT = "Brukaren fick inte sitt inplanerade besök på morgonen och var utan mat till lunch."


def _inactive_unit_id() -> str:
    unit = db.session.scalar(select(Unit).where(Unit.name == "Socialpsykiatri"))
    unit.active = False
    db.session.commit()
    return str(unit.id)


def _other_kinds_category() -> list[str]:
    return [str(db.session.scalar(select(Category.id).where(Category.kind == "complaint")))]


def _inactive_category() -> list[str]:
    category = db.session.scalar(select(Category).where(Category.kind == "deviation"))
    category.active = False
    db.session.commit()
    return [str(category.id)]


# (kind, field, form changes (a callable is called after the demo data exists), message)
CASES = [
    ("deviation", "description", {"description": ""}, "Beskriv vad som hände."),
    ("deviation", "description", {"description": "   \n\t  "}, "Beskriv vad som hände."),
    ("deviation", "description", {"description": "För kort text"}, "minst 20 tecken"),
    ("deviation", "description", {"description": "x" * 10_001}, "högst 10\u00a0000 tecken"),
    ("deviation", "consequences", {"consequences": "x" * 5_001}, "högst 5\u00a0000 tecken"),
    ("deviation", "client_name", {"client_name": "x" * 201}, "högst 200 tecken"),
    ("deviation", "occurred_on", {"occurred_on": "2026-03-03"}, "kan inte vara i framtiden"),
    ("deviation", "occurred_on", {"occurred_on": ""}, "Ange vilket datum det hände."),
    ("deviation", "occurred_on", {"occurred_on": "2026-02-30"}, "ÅÅÅÅ-MM-DD"),
    ("deviation", "occurred_on", {"occurred_on": "igår"}, "ÅÅÅÅ-MM-DD"),
    ("deviation", "noticed_on", {"noticed_on": "förra veckan"}, "ÅÅÅÅ-MM-DD"),
    ("deviation", "occurred_time", {"occurred_time": "16:30"}, "kan inte vara senare än nu"),
    ("deviation", "occurred_time", {"occurred_time": "25:99"}, "TT:MM"),
    ("deviation", "noticed_on", {"noticed_on": "2026-03-03"}, "kan inte vara i framtiden"),
    ("deviation", "noticed_on", {"noticed_on": "2026-03-01"}, "innan det hände"),
    ("deviation", "unit_id", {"unit_id": "999999"}, "Välj en enhet i listan."),
    ("deviation", "unit_id", {"unit_id": "Boendestöd"}, "Välj en enhet i listan."),
    ("deviation", "unit_id", {"unit_id": _inactive_unit_id}, "Välj en enhet i listan."),
    ("deviation", "unit_id", {"unit_id": ""}, "Välj var det hände."),
    ("deviation", "category_ids", {"category_ids": ["999999"]}, "Välj kategorier ur listan."),
    ("deviation", "category_ids", {"category_ids": ["x"]}, "Välj kategorier ur listan."),
    ("deviation", "category_ids", {"category_ids": _other_kinds_category}, "Välj kategorier ur listan."),
    ("deviation", "category_ids", {"category_ids": _inactive_category}, "Välj kategorier ur listan."),
    ("deviation", "category_ids", {"category_ids": []}, "Välj minst en kategori."),
    ("deviation", "client_pin", {"client_pin": "811218-9875"}, "Personnumret stämmer inte"),
    ("deviation", "client_pin", {"client_pin": "811318-9876"}, "Personnumret stämmer inte"),
    ("deviation", "client_pin", {"client_pin": "hemligt"}, "Personnumret stämmer inte"),
    ("deviation", "client_gender", {"client_gender": "robot"}, "Välj ett av alternativen."),
    ("deviation", "client_age", {"client_age": "old"}, "Välj ett av alternativen."),
    ("lex_sarah", "lex_sarah_type", {"lex_sarah_type": None}, "missförhållande"),
    ("lex_sarah", "lex_sarah_type", {"lex_sarah_type": "serious"}, "missförhållande"),
    ("complaint", "channel", {"channel": None}, "Ange hur klagomålet kom in."),
    ("complaint", "channel", {"channel": "web"}, "Ange hur klagomålet kom in."),
    ("complaint", "ivo_reference", {"channel": "ivo"}, "IVO:s diarienummer"),
    ("complaint", "relation", {"relation": "boss"}, "Ange vem som klagar."),
    ("complaint", "complainant_name", {"relation": "anonymous"}, "anonymt klagomål"),
    ("complaint", "complainant_email", {"complainant_email": "inte en adress"}, "giltig e-postadress"),
    ("complaint", "complainant_phone", {"complainant_phone": "ring mig"}, "telefonnumret"),
    ("complaint", "answer_wanted", {"complainant_phone": "", "complainant_name": "Karin"}, "så att svaret"),
]


@pytest.mark.parametrize("kind, field, changes, message", CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_is_explained_next_to_the_field_and_nothing_is_stored(app, login_as, kind, field, changes,
                                                                      message):
    anna = login_as("anna")
    changes = {k: v() if callable(v) else v for k, v in changes.items()}
    data = valid_form(kind, **changes)
    if changes.get("lex_sarah_type", "") is None or changes.get("channel", "") is None:
        data.pop("lex_sarah_type" if kind == "lex_sarah" else "channel", None)
    with frozen(NOW):
        response = post_report(anna, kind, data, [("bilaga.pdf", PDF)])

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html_lib.unescape(error_for(html, field))
    assert re.search(rf'aria-describedby="[^"]*{field}-error', html), "the error is tied to the field"
    assert 'id="error-summary"' in html
    assert_nothing_stored(app)
    if field != "description":
        assert KEPT in html  # what the person wrote is still there


def test_every_error_is_shown_at_once(app, login_as):
    # An unreadable time (not only an invalid one) is reported together with the rest.
    data = valid_form("deviation", description="kort", occurred_on="2030-01-01", occurred_time="kvart i fem",
                      client_pin="1", category_ids=[])
    with frozen(NOW):
        response = post_report(login_as("anna"), "deviation", data, [("faktura.pdf", SCRIPT)])
    html = response.get_data(as_text=True)
    for field in ("description", "occurred_on", "occurred_time", "client_pin", "category_ids", "attachments"):
        assert error_for(html, field), field
    assert_nothing_stored(app)


def test_a_script_renamed_to_pdf_is_refused(app, login_as):
    with frozen(NOW):
        response = post_report(login_as("anna"), "deviation", valid_form("deviation"),
                               [("bilaga.pdf", PDF), ("faktura.pdf", SCRIPT)])
    assert response.status_code == 422
    error = html_lib.unescape(error_for(response.get_data(as_text=True), "attachments"))
    assert "faktura.pdf går inte att bifoga" in error
    assert "bilaga.pdf" not in error
    assert_nothing_stored(app)


def test_too_many_files_are_refused(app, login_as):
    files = [(f"anteckning-{i}.txt", TEXT) for i in range(6)]
    with frozen(NOW):
        response = post_report(login_as("anna"), "deviation", valid_form("deviation"), files)
    assert response.status_code == 422
    assert "högst 5 filer" in html_lib.unescape(error_for(response.get_data(as_text=True), "attachments"))
    assert_nothing_stored(app)


class TestAFileOverTheLimit:
    @pytest.fixture
    def app_config(self, tmp_path):
        return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "ATTACHMENT_MAX_BYTES": 2048}

    def test_gets_a_message_and_the_rest_of_the_form_is_kept(self, app, login_as):
        data = valid_form("lex_sarah", consequences="Brukaren blev rädd.", client_name="K.L.",
                          client_pin="121212-1212", lex_sarah_type="risk", bypass_manager="y")
        with frozen(NOW):
            response = post_report(login_as("anna"), "lex_sarah", data,
                                   [("liten.pdf", PDF), ("stor.pdf", b"%PDF-1.4\n" + b"0" * 4096)])
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "stor.pdf är större än 2\u00a0kB." in html_lib.unescape(error_for(html, "attachments"))
        for kept in (KEPT, "Brukaren blev rädd.", 'value="K.L."', 'value="121212-1212"', 'value="2026-03-02"',
                     'value="14:30"'):
            assert kept in html
        assert re.search(r'<input checked id="lex_sarah_type-1"[^>]*value="risk"', html)
        assert re.search(r'<input[^>]*checked[^>]*name="bypass_manager"|<input[^>]*name="bypass_manager"[^>]*checked',
                         html)
        for category_id in category_ids("lex_sarah"):
            assert re.search(rf'<input checked[^>]*value="{category_id}"', html)
        assert "Välj de filer du vill bifoga igen" in html
        assert_nothing_stored(app)


TEXT_FIELDS = {
    "deviation": ["description", "consequences", "immediate_measures", "noticed_how", "client_name"],
    "lex_sarah": ["description", "consequences", "immediate_measures", "noticed_how", "client_name"],
    "complaint": ["description", "consequences", "immediate_measures", "noticed_how", "client_name",
                  "complainant_name", "complainant_address", "wishes", "ivo_reference"],
}
SCRIPT_TEXT = '<script>alert("x")</script><b onmouseover=alert(1)>fet</b>'


@pytest.mark.parametrize("kind", list(TEXT_FIELDS))
def test_html_in_every_text_field_is_stored_as_text_and_shown_escaped(app, login_as, kind):
    anna = login_as("anna")
    payload = {name: f"{name}: {SCRIPT_TEXT} och lite mer text" for name in TEXT_FIELDS[kind]}
    if "ivo_reference" in payload:
        payload["ivo_reference"] = "<script>alert(1)</script>"  # the field holds 60 characters
    extra = {"channel": "ivo"} if kind == "complaint" else {}

    # Shown escaped when the form comes back with an error (the validated fields too) ...
    validated = {"client_pin": SCRIPT_TEXT, "occurred_time": SCRIPT_TEXT}
    if kind == "complaint":
        validated.update(complainant_email=SCRIPT_TEXT, complainant_phone=SCRIPT_TEXT)
    with frozen(NOW):
        refused = post_report(anna, kind, valid_form(kind, category_ids=[], **payload, **extra, **validated))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "<script>" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;" in html
    assert_nothing_stored(app)

    # ... stored exactly as typed ...
    with frozen(NOW):
        assert post_report(anna, kind, valid_form(kind, **payload, **extra)).status_code == 302
    case = db.session.scalar(select(Case))
    stored = {name: getattr(case, name, None) if hasattr(case, name) else getattr(case.complaint, name)
              for name in TEXT_FIELDS[kind]}
    assert stored == payload

    # ... and shown escaped where the reporter sees it again.
    listing = anna.get("/mina-rapporter").get_data(as_text=True)
    assert "<script>" not in listing and "&lt;script&gt;" in listing


def test_nul_and_control_characters_are_removed_not_stored(login_as):
    data = valid_form("deviation", description="En rad\x00 med\x07 kontrolltecken\r\noch en till rad.")
    with frozen(NOW):
        assert post_report(login_as("anna"), "deviation", data).status_code == 302
    assert db.session.scalar(select(Case.description)) == "En rad med kontrolltecken\noch en till rad."


class TestWithCsrfEnabled:
    @pytest.fixture
    def app_config(self, tmp_path):
        return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "WTF_CSRF_ENABLED": True}

    @staticmethod
    def _token(html: str) -> str:
        return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)

    def _logged_in(self, demo):
        client = demo.test_client()
        token = self._token(client.get("/logga-in").get_data(as_text=True))
        assert client.post("/logga-in", data={"username": "anna", "password": "demo",
                                              "csrf_token": token}).status_code == 302
        return client

    def test_a_post_without_the_token_is_refused_and_stores_nothing(self, app, demo):
        client = self._logged_in(demo)
        with frozen(NOW):
            response = post_report(client, "deviation", valid_form("deviation"), [("bilaga.pdf", PDF)])
        assert response.status_code == 400
        assert_nothing_stored(app)

    def test_a_post_with_a_wrong_token_is_refused(self, app, demo):
        client = self._logged_in(demo)
        with frozen(NOW):
            response = post_report(client, "deviation", valid_form("deviation", csrf_token="forged"))
        assert response.status_code == 400
        assert_nothing_stored(app)

    def test_the_form_carries_a_token_and_is_accepted_with_it(self, app, demo):
        client = self._logged_in(demo)
        token = self._token(client.get("/rapportera/avvikelse").get_data(as_text=True))
        with frozen(NOW):
            response = post_report(client, "deviation", valid_form("deviation", csrf_token=token))
        assert response.status_code == 302
        assert counts()["Case"] == 1
        assert stored_files(app) == []
