"""Following a complaint at /klagomal/status with reference + personal code."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.auth.models import User
from app.cases.journal import add_event
from app.cases.models import Case
from app.extensions import db
from app.org.models import Unit

NOW = datetime(2026, 3, 10, 9, 0)
SECRET_NOTE = "Intern anteckning: personalen Bo Bengtsson var inblandad"
ANSWER = "Hej!\nVi har pratat med personalen och ändrat rutinen.\nTack för att du hörde av dig."


def _file(client, **overrides) -> tuple[str, str]:
    unga = db.session.scalar(select(Unit).where(Unit.name == "Unga"))
    data = {"anonymous": "no", "name": "Karin Karlsson", "email": "karin@example.se", "relation": "client",
            "department_id": str(unga.id), "description": "Ingen kom på det planerade besöket i tisdags.",
            "answer_wanted": "y"}
    data.update(overrides)
    response = client.post("/klagomal", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return (re.search(r'id="reference">([^<]+)<', html).group(1), re.search(r'id="code">([^<]+)<', html).group(1))


def _case(reference: str) -> Case:
    db.session.expire_all()
    return db.session.scalar(select(Case).where(Case.reference == reference))


def _look_up(client, reference: str, code: str, **kwargs):
    return client.post("/klagomal/status", data={"reference": reference, "code": code}, **kwargs)


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _without_echo(html: str, reference: str) -> str:
    # The typed reference is echoed into its field and CSRF tokens carry a timestamp;
    # everything else must be byte for byte the same.
    html = html.replace(f'value="{reference}"', 'value="…"')
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "csrf", html)


def test_the_right_code_shows_the_status_and_nothing_internal(demo, client):
    with clock.frozen(NOW):
        reference, code = _file(client)
    case = _case(reference)
    case.status = "investigating"
    erik = db.session.scalar(select(User).where(User.username == "erik"))
    case.assigned_to = erik
    add_event(case, "entry_added", erik, text=SECRET_NOTE)
    db.session.commit()

    response = _look_up(client, reference.lower(), code.replace("-", " ").lower())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    main = _main(html)
    assert reference in main and "Vi utreder" in main and "2026-03-10" in main
    for internal in (SECRET_NOTE, "Bo Bengtsson", "Erik", "Enhetschef", "Unga", "Socialförvaltningen",
                     "Karin", "karin@example.se", "planerade besöket"):
        assert internal not in main, internal
    assert code not in html and code.replace("-", " ").lower() not in html  # the code is not echoed

    viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.followup_viewed")).all()
    assert [(e.user_id, e.object_type, e.object_id) for e in viewed] == [(None, "case", str(case.id))]


@pytest.mark.parametrize(("status", "words"), [
    ("received", "Mottaget"), ("investigating", "Vi utreder"), ("answered", "Besvarat"), ("closed", "Avslutat"),
])
def test_each_status_is_told_in_plain_swedish(demo, client, status, words):
    reference, code = _file(client)
    case = _case(reference)
    case.status = status
    db.session.commit()
    assert f"Status: {words}." in _look_up(client, reference, code).get_data(as_text=True)


def test_the_answer_is_shown_with_its_date_and_signature(demo, client):
    reference, code = _file(client, anonymous="yes")
    case = _case(reference)
    erik = db.session.scalar(select(User).where(User.username == "erik"))
    case.status = "answered"
    details = case.complaint
    details.answer_text = ANSWER + "\n<script>alert(1)</script>"
    details.answered_at = datetime(2026, 4, 2, 22, 30)  # UTC; 3 April in Stockholm
    details.answered_by = erik
    db.session.commit()

    main = _main(_look_up(client, reference, code).get_data(as_text=True))
    assert "Vårt svar" in main and "Vi har pratat med personalen och ändrat rutinen." in main
    assert "2026-04-03" in main
    assert "Erik Eriksson" in main and "Enhetschef" in main
    assert "<script>alert(1)</script>" not in main and "&lt;script&gt;alert(1)&lt;/script&gt;" in main


def test_no_answer_section_before_there_is_an_answer(demo, client):
    reference, code = _file(client)
    case = _case(reference)
    case.complaint.answer_text = "Utkast som inte är klart"  # written but not yet given
    db.session.commit()
    main = _main(_look_up(client, reference, code).get_data(as_text=True))
    assert "Vårt svar" not in main and "Utkast" not in main


def test_a_wrong_code_and_an_unknown_reference_give_the_same_answer(demo, client):
    reference, code = _file(client)
    wrong_code = _look_up(client, reference, "ABCD-EFGH-JKMN")
    year = reference.split("-")[1]
    unknown = f"KL-{year}-0999"
    unknown_reference = _look_up(client, unknown, code)

    assert wrong_code.status_code == unknown_reference.status_code == 200
    wrong_html, unknown_html = wrong_code.get_data(as_text=True), unknown_reference.get_data(as_text=True)
    assert "Vi hittade inget klagomål" in wrong_html
    assert _without_echo(wrong_html, reference) == _without_echo(unknown_html, unknown)
    assert reference not in _without_echo(wrong_html, reference)

    refused = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.followup_refused")).all()
    assert [e.object_id for e in refused] == [str(_case(reference).id)]
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "complaint.followup_viewed")).all()


def test_a_code_does_not_open_another_complaint(demo, client):
    _first_reference, first_code = _file(client)
    second_reference, _second_code = _file(client)
    html = _look_up(client, second_reference, first_code).get_data(as_text=True)
    assert "Vi hittade inget klagomål" in html
    assert "Status:" not in html


def test_a_complaint_without_a_code_cannot_be_opened(demo, client):
    # Complaints registered by staff have no follow-up code; an empty code must not match.
    reference, _code = _file(client)
    _case(reference).complaint.followup_code_hash = ""
    db.session.commit()
    html = _look_up(client, reference, "").get_data(as_text=True)
    assert "Status:" not in html
    html = _look_up(client, reference, "AAAA").get_data(as_text=True)
    assert "Status:" not in html and "Vi hittade inget klagomål" in html


def test_an_empty_lookup_asks_for_both_fields(demo, client):
    response = client.post("/klagomal/status", data={"reference": "", "code": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv diarienumret" in html and "Skriv din personliga kod" in html


def test_guessing_is_throttled_per_address_and_the_hour_passes(demo, client):
    reference, code = _file(client)
    with clock.frozen(NOW):
        for _ in range(20):
            assert "Vi hittade inget" in _look_up(client, reference, "ABCD-EFGH-JKMN").get_data(as_text=True)
        throttled = _look_up(client, reference, code)
        assert throttled.status_code == 429
        html = throttled.get_data(as_text=True)
        assert "Du har försökt många gånger" in html and "Status:" not in html
        assert _look_up(client, reference, code, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200
    with clock.frozen(NOW + timedelta(hours=1)):
        assert "Status:" in _look_up(client, reference, code).get_data(as_text=True)


def test_the_status_page_is_public(demo, client):
    response = client.get("/klagomal/status")
    assert response.status_code == 200
    assert 'name="reference"' in response.get_data(as_text=True)


def test_the_login_page_links_to_the_public_pages(app, client):
    html = client.get("/logga-in").get_data(as_text=True)
    assert 'href="/klagomal"' in html and 'href="/klagomal/status"' in html
