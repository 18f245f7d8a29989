"""Where a page sends a person back to (`next`) is always a path on this site (ASVS 5.1.5).

A browser drops tabs and line breaks from a Location header and reads "/\\" as "//", so
"/%09/evil.example" would have taken a person who logged in to evil.example; a line break
in the header was a 500.
"""

from urllib.parse import quote

import pytest

from app.safe_redirect import safe_next
from tests.conftest import login

START = "/"

BAD = [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example", "\t", "\n", " ",
    "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
    "/a\\b", "https://evil.example", "http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", "evil.example", "./evil", "?next=//evil",
    "/%2F/evil.example", "/%2f/evil.example", "/%5Cevil.example", "/%5c/evil.example", "/%09/evil.example",
    "/%0A/evil.example", "/%0d%0a/evil.example", "/%252F/evil.example", "/%25252F/evil.example",
    "/%00/evil", "/\x00/evil", "/\x7f/evil", "/\u2028/evil", "/\u00a0/evil", " /arenden", "/arenden ",
    "/ /evil.example", "/arenden?q=%09", "", None,
]
GOOD = ["/", "/arenden", "/arenden/AV-2026-0001", "/arenden?q=%C3%A5ngest&sort=new", "/atgarder/5",
        "/rapportera/lex-sarah", "/mina-rapporter?before=12",
        # A search with a space, as the login guard and the language switch pass it on.
        "/arenden?q=trasig%20d%C3%B6rr", "/arenden?q=trasig+d%C3%B6rr"]


@pytest.mark.parametrize("value", BAD)
def test_anything_but_a_plain_local_path_gives_the_start_page(app, value):
    with app.test_request_context():
        assert safe_next(value) == START


@pytest.mark.parametrize("value", BAD)
def test_the_fallback_can_be_chosen(app, value):
    with app.test_request_context():
        assert safe_next(value, "/atgarder") == "/atgarder"


@pytest.mark.parametrize("value", GOOD)
def test_a_local_path_is_kept(app, value):
    with app.test_request_context():
        assert safe_next(value) == value


def _query(value: str) -> str:
    return quote(value, safe="")


@pytest.mark.parametrize("value", [v for v in BAD if v] + ["/%09/evil.example"])
def test_login_sends_only_to_a_local_path(demo, value):
    client = demo.test_client()
    response = client.post(f"/logga-in?next={_query(value)}", data={"username": "erik", "password": "demo"})
    assert response.status_code == 302
    assert response.headers["Location"] == START


def test_the_raw_tab_and_line_break_of_the_report(demo):
    # Exactly as in the review: the percent-encoded control character in the query string.
    for raw in ("/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example"):
        client = demo.test_client()
        response = client.post(f"/logga-in?next={raw}", data={"username": "erik", "password": "demo"})
        assert (response.status_code, response.headers["Location"]) == (302, START)


def test_login_keeps_a_local_path(demo):
    client = demo.test_client()
    response = client.post("/logga-in?next=" + _query("/arenden?q=%C3%A5&sort=new"),
                           data={"username": "erik", "password": "demo"})
    assert response.headers["Location"] == "/arenden?q=%C3%A5&sort=new"


@pytest.mark.parametrize("value", [v for v in BAD if v])
def test_the_language_switch_sends_only_to_a_local_path(app, value):
    response = app.test_client().post("/sprak", data={"language": "en", "next": value})
    assert response.status_code == 302
    assert response.headers["Location"] == START


def test_the_language_switch_keeps_a_local_path(app):
    response = app.test_client().post("/sprak", data={"language": "en", "next": "/klagomal"})
    assert response.headers["Location"] == "/klagomal"


@pytest.mark.parametrize("value", ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
                                   "/%2F/evil.example", "/\n/evil.example"])
def test_an_action_form_sends_only_to_a_local_path(demo, value):
    from datetime import datetime

    from app.clock import frozen
    from tests.actions.conftest import action_type, make_case, user
    case = make_case()
    client = demo.test_client()
    login(client, "erik")
    with frozen(datetime(2026, 3, 10, 9, 0)):
        response = client.post(f"/arenden/{case.reference}/atgarder", data={
            "next": value, "action-type_id": action_type("Övrigt").id, "action-description": "Se över schemat.",
            "action-responsible_id": user("erik").id, "action-due_on": "2026-04-30"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/arenden/{case.reference}/atgarder"
