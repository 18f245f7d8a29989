"""The blank public form is rendered once per process and language and given each visitor's own
CSRF token (app/public/routes.py): what a visitor gets must be exactly what rendering it anew
gives, with a token that works for that visitor's session only."""

import re

import pytest

from app.public import routes
from tests.public.test_complaint_form import _form

pytestmark = pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _page(client) -> tuple[str, list[str]]:
    response = client.get("/klagomal")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return text, TOKEN.findall(text)


def _without_tokens(text: str) -> str:
    return TOKEN.sub('name="csrf_token" value=""', text)


def test_each_visitor_gets_the_same_page_with_a_token_of_their_own(app, demo):
    routes._BLANK_PAGES.clear()
    first, second = app.test_client(), app.test_client()
    text_1, tokens_1 = _page(first)
    text_2, tokens_2 = _page(second)
    assert len(tokens_1) == 2 and routes._TOKEN_MARK not in text_1 + text_2  # the form's and the language form's
    assert set(tokens_1).isdisjoint(tokens_2)
    assert _without_tokens(text_1) == _without_tokens(text_2)
    # Identical to the page rendered without the kept copy (a visitor who is sent a message
    # waiting in the session gets that).
    routes._BLANK_PAGES.clear()
    app.debug = True
    try:
        fresh, _ = _page(app.test_client())
    finally:
        app.debug = False
    assert _without_tokens(fresh) == _without_tokens(text_1)


def test_the_token_works_for_its_own_session_and_not_for_another(app, demo):
    routes._BLANK_PAGES.clear()
    mine, other = app.test_client(), app.test_client()
    _page(other)  # the kept page exists
    _text, tokens = _page(mine)
    _page(other)
    refused = other.post("/klagomal", data={**_form(), "csrf_token": tokens[0]})
    assert refused.status_code == 400
    accepted = mine.post("/klagomal", data={**_form(), "csrf_token": tokens[0]})
    assert accepted.status_code == 200 and "Diarienummer" in accepted.get_data(as_text=True)


def test_english_visitors_get_the_english_page(app, demo):
    routes._BLANK_PAGES.clear()
    swedish = app.test_client()
    assert "Berätta vad som hänt" in _page(swedish)[0]
    english = app.test_client()
    with english.session_transaction() as session:
        session["language"] = "en"
    text, tokens = _page(english)
    assert "Berätta vad som hänt" not in text and len(tokens) == 2
    assert "Berätta vad som hänt" in _page(swedish)[0]


def test_a_logged_in_person_gets_the_menu_not_the_kept_page(app, demo, login_as):
    routes._BLANK_PAGES.clear()
    _page(app.test_client())
    erik = app.test_client()
    page = erik.get("/logga-in").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    erik.post("/logga-in", data={"username": "erik", "password": "demo", "csrf_token": token})
    text, _tokens = _page(erik)
    assert "Erik Eriksson" in text and "Logga ut" in text
