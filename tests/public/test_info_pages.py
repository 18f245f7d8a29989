"""The accessibility statement (lag (2018:1937) om tillgänglighet till digital offentlig service)
and the page on how a complaint's personal data is handled: public, and linked from every footer."""

import re

import pytest


@pytest.fixture
def app_config():
    return {"MAIL_DEFAULT_SENDER": "socialtjansten@kommun.example"}


def _footer(html: str) -> str:
    return html.split('<footer class="site-footer">', 1)[1]


def test_the_accessibility_statement_says_what_is_met_what_is_missing_where_to_report_and_digg(demo, client):
    response = client.get("/tillganglighet")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Tillgänglighetsredogörelse</h1>" in html
    for needed in ("2018:1937", "WCAG 2.1", "nivå AA", "Kända brister", "axe-core",
                   "Myndigheten för digital förvaltning (DIGG)", 'href="https://www.digg.se"'):
        assert needed in html, needed
    # Without a setting of its own, the contact is the address Värna sends from.
    assert '<a href="mailto:socialtjansten@kommun.example" id="contact">' in html


@pytest.mark.parametrize("app_config", [{"ACCESSIBILITY_CONTACT": "tillganglighet@kommun.example",
                                         "DATA_PROTECTION_CONTACT": "dataskydd@kommun.example"}])
def test_the_contact_addresses_come_from_the_settings(demo, client):
    assert 'href="mailto:tillganglighet@kommun.example"' in client.get("/tillganglighet").get_data(as_text=True)
    assert 'href="mailto:dataskydd@kommun.example"' in client.get("/personuppgifter").get_data(as_text=True)


def test_the_personal_data_page_says_what_why_how_long_rights_and_contact(demo, client):
    response = client.get("/personuppgifter")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for needed in ("personuppgiftsansvarig", "Vilka uppgifter sparar vi?", "allmänt intresse",
                   "myndighetsutövning", "artikel 6.1 e", "dokumenthanteringsplan", "Dina rättigheter",
                   "Integritetsskyddsmyndigheten (IMY)", 'href="mailto:socialtjansten@kommun.example"'):
        assert needed in html, needed
    assert "THE MUNICIPALITY" not in html, "the comment for the municipality is not sent to the browser"


@pytest.mark.parametrize("path", ["/klagomal", "/klagomal/status", "/tillganglighet", "/personuppgifter",
                                  "/logga-in"])
def test_every_public_page_links_both_pages_in_its_footer(demo, client, path):
    response = client.get(path)
    assert response.status_code == 200
    footer = _footer(response.get_data(as_text=True))
    assert 'href="/tillganglighet"' in footer and 'href="/personuppgifter"' in footer


def test_the_complaint_form_links_the_personal_data_page_before_the_send_button(demo, client):
    html = client.get("/klagomal").get_data(as_text=True)
    form = re.search(r'<form method="post" novalidate class="card public-form">(.*?)</form>', html, re.S).group(1)
    link = form.index('href="/personuppgifter"')
    assert link < form.index('<button type="submit"')


def test_the_pages_are_in_english_too(demo, client):
    client.post("/sprak", data={"language": "en"})
    assert "Accessibility statement" in client.get("/tillganglighet").get_data(as_text=True)
    assert "How we handle your personal data" in client.get("/personuppgifter").get_data(as_text=True)
