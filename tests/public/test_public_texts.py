"""What a citizen reads on the public pages, set by the admin: each department's public name and
one sentence on /klagomal, and the text of /personuppgifter (plain text, stored, audited, escaped)."""

import re

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.org.models import Unit
from app.public.models import PublicText

SCRIPT = "<script>alert(1)</script>"


def _unit(name: str) -> Unit:
    db.session.expire_all()
    return db.session.scalar(select(Unit).where(Unit.name == name))


def _error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def _unit_form(unit: Unit, **overrides) -> dict:
    data = {"name": unit.name, "parent_id": str(unit.parent_id), "address": unit.address,
            "public_name": "", "public_description": ""}
    data.update(overrides)
    return data


# --- A: departments in words a citizen knows ---------------------------------------------------

def test_the_admin_gives_a_department_a_public_name_and_sentence_shown_on_the_complaint_form(demo, login_as,
                                                                                                  client):
    unga = _unit("Unga")
    admin = login_as("admin")
    form_page = admin.get(f"/admin/enheter/{unga.id}").get_data(as_text=True)
    assert 'name="public_name"' in form_page and 'name="public_description"' in form_page
    response = admin.post(f"/admin/enheter/{unga.id}", data=_unit_form(
        unga, public_name="Barn, unga och familjer",
        public_description="Stöd till barn och föräldrar, till exempel familjebehandling och placeringar."))
    assert response.status_code == 302
    unga = _unit("Unga")
    assert unga.public_name == "Barn, unga och familjer"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "unit.updated",
                                                       AuditEvent.object_id == str(unga.id)))
    assert event.detail["public_name"] == "Barn, unga och familjer"
    assert "public_description" in event.detail

    html = client.get("/klagomal").get_data(as_text=True)
    choice = re.search(rf'value="{unga.id}"[^>]*>\s*<label[^>]*>(.*?)</label>', html, re.S).group(1)
    assert "Barn, unga och familjer" in choice
    assert "Stöd till barn och föräldrar, till exempel familjebehandling och placeringar." in html
    # A department without a public name keeps its own name.
    stab = _unit("Stab")
    assert re.search(rf'value="{stab.id}"[^>]*>\s*<label[^>]*>\s*Stab\b', html)
    assert not re.search(rf'value="{unga.id}"[^>]*>\s*<label[^>]*>\s*Unga\b', html)


def test_the_sentence_is_tied_to_its_choice_for_screen_readers(demo, client):
    unga = _unit("Unga")
    unga.public_description = "Stöd till barn och föräldrar."
    db.session.commit()
    html = client.get("/klagomal").get_data(as_text=True)
    radio = re.search(rf'<input[^>]*value="{unga.id}"[^>]*>', html).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', radio).group(1)
    assert re.search(rf'id="{described}"[^>]*>Stöd till barn och föräldrar.<', html)


def test_public_words_are_escaped_and_too_long_ones_refused_with_the_text_kept(demo, login_as, client):
    unga = _unit("Unga")
    admin = login_as("admin")
    too_long = "x" * 301
    response = admin.post(f"/admin/enheter/{unga.id}", data=_unit_form(unga, public_name="Barn och unga",
                                                                        public_description=too_long))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "högst 300 tecken" in _error_for(html, "public_description")
    assert "Barn och unga" in html
    assert _unit("Unga").public_name == ""  # nothing half-stored

    admin.post(f"/admin/enheter/{unga.id}", data=_unit_form(unga, public_name=SCRIPT, public_description=SCRIPT))
    page = client.get("/klagomal").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- B: the personal-data page ------------------------------------------------------------------

TEXT = ("Socialnämnden i Exempelby kommun är personuppgiftsansvarig.\n\n"
        "Vi sparar det du skriver.\nDin IP-adress sparas inte.\n\n"
        "Kontakta dataskyddsombudet på dso@exempelby.se.")


def test_the_admin_edits_the_personal_data_page_as_plain_text_with_paragraphs(demo, login_as, client):
    admin = login_as("admin")
    page = admin.get("/admin/personuppgifter")
    assert page.status_code == 200
    assert 'name="body"' in page.get_data(as_text=True)
    response = admin.post("/admin/personuppgifter", data={"body": TEXT})
    assert response.status_code == 302
    stored = db.session.get(PublicText, "personal_data")
    assert stored.body == TEXT
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "public_text.updated"))
    assert event.detail == {"key": "personal_data"}

    html = client.get("/personuppgifter").get_data(as_text=True)
    assert "<p>Socialnämnden i Exempelby kommun är personuppgiftsansvarig.</p>" in html
    assert "<p>Vi sparar det du skriver.<br>Din IP-adress sparas inte.</p>" in html
    assert "Vilka uppgifter sparar vi?" not in html  # the built-in default is replaced
    assert "Så hanterar vi dina personuppgifter" in html  # the heading stays


def test_the_personal_data_text_is_never_html(demo, login_as, client):
    login_as("admin").post("/admin/personuppgifter", data={"body": f"Hej {SCRIPT}\n\n<b>fet</b>"})
    html = client.get("/personuppgifter").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>fet</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;fet&lt;/b&gt;" in html


def test_an_empty_text_brings_back_the_default_and_a_too_long_one_is_refused(demo, login_as, client):
    admin = login_as("admin")
    admin.post("/admin/personuppgifter", data={"body": TEXT})
    response = admin.post("/admin/personuppgifter", data={"body": "x" * 20_001})
    assert response.status_code == 422
    assert "högst 20 000 tecken" in _error_for(response.get_data(as_text=True), "body")
    assert db.session.get(PublicText, "personal_data").body == TEXT

    assert admin.post("/admin/personuppgifter", data={"body": "  \n "}).status_code == 302
    db.session.expire_all()
    assert db.session.get(PublicText, "personal_data") is None
    assert "Vilka uppgifter sparar vi?" in client.get("/personuppgifter").get_data(as_text=True)


@pytest.mark.parametrize("username", ["anna", "erik", "sara"])
def test_only_the_admin_edits_public_texts(demo, login_as, username):
    assert login_as(username).post("/admin/personuppgifter", data={"body": TEXT}).status_code == 403
    assert db.session.get(PublicText, "personal_data") is None


def test_the_admin_menu_links_the_page(demo, login_as):
    html = login_as("admin").get("/admin/enheter").get_data(as_text=True)
    assert 'href="/admin/personuppgifter"' in html
