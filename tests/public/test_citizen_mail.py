"""What the complainant who gave an e-mail address gets by e-mail, delivered to a real SMTP
server on loopback: the receipt, and a notice when an answer can be read. Never the
follow-up code, never what they wrote, never the answer. Also the receipt page's answer date
and the link that fills in the reference on the follow-up page."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app import clock
from app.cases.models import Case
from app.extensions import db
from app.org.models import Unit
from tests.cases.helpers import file_case, reload

NOW = datetime(2026, 3, 10, 9, 0)  # a Tuesday; 28 calendar days later is Tuesday 7 April
DESCRIPTION = "Ingen kom på det planerade besöket i tisdags och ingen ringde."
WISHES = "Att någon förklarar varför."
ANSWER_TEXT = "Vi beklagar. Personalen har gått igenom rutinen för planerade besök."
BASE = "https://varna.example.se"


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": BASE, **smtp_server.mail_config()}


def _file(client, **overrides):
    vuxna = db.session.scalar(select(Unit).where(Unit.name == "Vuxna"))
    data = {"anonymous": "no", "name": "Karin Karlsson", "email": "karin@example.se", "phone": "",
            "address": "", "relation": "relative", "department_id": str(vuxna.id),
            "description": DESCRIPTION, "wishes": WISHES, "answer_wanted": "y", "website": ""}
    data.update(overrides)
    with clock.frozen(NOW):
        response = client.post("/klagomal", data={k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    reference = re.search(r'id="reference">([^<]+)<', html).group(1)
    code = re.search(r'id="code">([^<]+)<', html).group(1)
    return reference, code, html


def _secrets(code: str) -> list[str]:
    return [code, code.replace("-", ""), DESCRIPTION, "besöket", WISHES, "Karin Karlsson", ANSWER_TEXT,
            "Personalen"]


def test_the_complainant_gets_a_receipt_by_email_without_the_code_or_the_text(demo, client, smtp_server):
    reference, code, _html = _file(client)
    [mail] = smtp_server.to("karin@example.se")
    body = mail.get_body(("plain",)).get_content()
    assert reference in mail["Subject"] and reference in body
    assert "Du kan räkna med ett svar senast 7 april 2026." in body
    assert f"{BASE}/klagomal/status?referens={reference}" in body
    for secret in _secrets(code):
        assert secret not in body and secret not in mail["Subject"], secret
    # The handlers' notice still goes to them alone.
    assert all("karin@example.se" not in m.envelope_recipients or m is mail for m in smtp_server.messages)


def test_no_answer_wanted_gets_the_handling_date_instead(demo, client, smtp_server):
    _file(client, answer_wanted=None)
    [mail] = smtp_server.to("karin@example.se")
    assert "Klagomålet ska vara hanterat senast 7 april 2026." in mail.get_body(("plain",)).get_content()


def test_no_receipt_mail_when_anonymous_or_without_an_address(demo, client, smtp_server):
    *_, anonymous_page = _file(client, anonymous="yes", email="anonym@example.se")
    *_, phone_page = _file(client, email="", phone="070-123 45 67")
    assert 'id="receipt-emailed"' not in anonymous_page and 'id="receipt-emailed"' not in phone_page
    assert smtp_server.to("anonym@example.se") == []
    assert smtp_server.to("karin@example.se") == []


def test_the_receipt_page_says_when_to_expect_an_answer_and_links_to_the_filled_in_status_page(demo, client):
    reference, code, html = _file(client)
    assert "Du kan räkna med ett svar senast 7 april 2026." in html
    assert "Vi har också skickat diarienumret till din e-post. Koden finns inte med där." in html
    link = f'href="/klagomal/status?referens={reference}"'
    assert link in html and code not in link

    page = client.get(f"/klagomal/status?referens={reference.lower()}")
    assert page.status_code == 200
    form = page.get_data(as_text=True)
    assert re.search(rf'name="reference"[^>]*value="{reference}"', form)
    assert not re.search(r'name="code"[^>]*value="[^"]', form)


def test_the_status_page_never_takes_the_code_from_the_url_and_escapes_the_reference(demo, client):
    reference, code, _html = _file(client)
    page = client.get(f"/klagomal/status?referens={reference}&code={code}").get_data(as_text=True)
    form = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert code not in form and "Vårt svar" not in form
    odd = client.get('/klagomal/status?referens="><b>x')
    assert odd.status_code == 200
    assert "<b>x" not in odd.get_data(as_text=True)


def test_publishing_the_answer_mails_a_link_to_the_follow_up_page_not_the_answer(demo, client, login_as,
                                                                             smtp_server):
    reference, code, _html = _file(client)
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    case.status = "investigating"
    db.session.commit()
    before = len(smtp_server.to("karin@example.se"))
    with clock.frozen(datetime(2026, 3, 12, 9, 0)):
        response = login_as("erik").post(f"/arenden/{reference}/svar", data={
            "version": reload(case).version, "text": ANSWER_TEXT, "answered_on": "2026-03-12", "channel": "web"})
    assert response.status_code == 302
    mails = smtp_server.to("karin@example.se")[before:]
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()
    assert reference in mails[0]["Subject"] and f"{BASE}/klagomal/status?referens={reference}" in body
    for secret in _secrets(code):
        assert secret not in body and secret not in mails[0]["Subject"], secret


def test_an_answer_to_a_complaint_not_filed_on_the_web_sends_no_mail(demo, login_as, smtp_server):
    # Registered by staff from a letter: there is no follow-up page to point to.
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("complaint", reporter=None, complaint={"complainant_email": "brev@example.se"})
    case.status = "investigating"
    db.session.commit()
    with clock.frozen(datetime(2026, 3, 12, 9, 0)):
        response = login_as("erik").post(f"/arenden/{case.reference}/svar", data={
            "version": reload(case).version, "text": ANSWER_TEXT, "answered_on": "2026-03-12",
            "channel": "letter"})
    assert response.status_code == 302
    assert smtp_server.to("brev@example.se") == []


def test_the_answer_form_says_varna_does_not_send_the_answer(demo, login_as):
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("complaint", reporter=None)
    case.status = "investigating"
    db.session.commit()
    page = login_as("erik").get(f"/arenden/{case.reference}/svar").get_data(as_text=True)
    assert "Värna skickar inte svaret, varken med e-post eller brev." in page
    assert re.search(r'aria-describedby="[^"]*channel-hint', page) or 'id="channel-hint"' in page
