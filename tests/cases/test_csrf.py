"""Every case form carries a CSRF token: the one-click buttons on the case page and the move forms."""

import re

import pytest

from tests.cases.helpers import file_case, reload, user


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _login(app, username):
    client = app.test_client()
    page = client.get("/logga-in").get_data(as_text=True)
    assert client.post("/logga-in", data={"username": username, "password": "demo",
                                          "csrf_token": _token(page)}).status_code == 302
    return client


def test_the_case_page_buttons_and_move_forms_carry_a_token(demo):
    case = file_case("deviation")
    erik = _login(demo, "erik")
    page = erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    take = re.search(r'<form method="post" action="/arenden/[^"]+/ta">(.*?)</form>', page, re.S).group(1)
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": 1}).status_code == 400
    assert reload(case).assigned_to_id is None
    assert erik.post(f"/arenden/{case.reference}/ta",
                     data={"version": 1, "csrf_token": _token(take)}).status_code == 302
    assert reload(case).assigned_to_id == user("erik").id
    form = erik.get(f"/arenden/{case.reference}/aterkoppling").get_data(as_text=True)
    assert erik.post(f"/arenden/{case.reference}/aterkoppling", data={
        "version": 2, "text": "Hej", "csrf_token": _token(form)}).status_code == 302
