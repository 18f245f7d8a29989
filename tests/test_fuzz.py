"""Fuzzing: generated input to the forms and the API's query parameters never gets a 5xx.

Each target's fields are read from its own page (inputs, selects, textareas of the form that
posts to it), so a new field is fuzzed without touching this file. Every field gets either a
value that works (an option of its select, its current value) or something generated: text with
control characters, unicode, huge and negative numbers, impossible dates, the empty string, a very
long text. The answer must be below 500 (a refusal, a message next to the field, a conflict).

A small sample (SAMPLE examples per target) runs in the normal suite; `make fuzz` runs the
`fuzz`-marked tests with a few thousand examples per target (`pytest -m fuzz tests/test_fuzz.py`).
"""

import re
from datetime import datetime
from html import unescape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import category, file_case, unit, user
from tests.conftest import login

SAMPLE = 30
HEAVY = 1000  # per target: 18 targets, some 18,000 posts and queries in all
NOW = datetime(2026, 3, 12, 9, 0)
# Ids at and past what a 64-bit database column holds: another finding (2**63 ids in paths and in
# ?unit=/?fore=/?department=) is being fixed in parallel; those are kept out of the main tests here
# and tried in their own xfail test below.
BIG_INT = 2**63 - 1

_SETTINGS = {"deadline": None, "database": None, "derandomize": False,
             "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much]}

text_with_controls = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
ascii_controls = st.text(st.sampled_from([chr(c) for c in range(32)] + ["\x7f", "\u2028", "\ufeff", "a", "="]),
                         max_size=20)
# Form fields take ids past 64 bits too (the forms answer with a message; see the tests at the end).
numbers = st.one_of(st.integers(min_value=-BIG_INT, max_value=BIG_INT), st.integers(-5, 5),
                    st.integers(min_value=-(2**80), max_value=2**80), st.sampled_from([2**63, -(2**63) - 1, 2**64]),
                    st.floats(allow_nan=True, allow_infinity=True)).map(str)
odd = st.sampled_from([
    "", " ", "-1", "0", "-0", "1e308", "NaN", "inf", "2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01",
    "24:61", "99:99", "' OR '1'='1", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\x00", "None",
    "null", "[]", "{}", "y", "on", "true", "AV-2026-0001", "LS-9999-9999", "=HYPERLINK(\"x\")", "ÅÄÖ" * 50,
])
very_long = st.builds(lambda s, n: (s or "x") * n, st.text(max_size=3), st.integers(1000, 30000))
garbage = st.one_of(text_with_controls, ascii_controls, numbers, odd, very_long)


def _attributes(tag: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', tag)}


def form_fields(html: str, action: str) -> dict[str, list[str]]:
    """The fields of the page's form that posts to `action`: name -> the values that work there."""
    forms = re.findall(r"(<form\b[^>]*>)(.*?)</form>", html, re.S)
    chosen = [body for tag, body in forms if _attributes(tag).get("action", action) == action
              and _attributes(tag).get("method", "get").lower() == "post"]
    assert chosen, f"no form posts to {action}"
    body = max(chosen, key=len)
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<input\b[^>]*>", body):
        attributes = _attributes(tag)
        name = attributes.get("name")
        if not name or name == "csrf_token" or attributes.get("type") in ("submit", "file"):
            continue
        fields.setdefault(name, []).append(attributes.get("value", "y"))
    for tag, inner in re.findall(r"(<select\b[^>]*>)(.*?)</select>", body, re.S):
        name = _attributes(tag).get("name")
        if name:
            fields.setdefault(name, []).extend(v for v in re.findall(r'<option[^>]*value="([^"]*)"', inner) if v)
    for tag, inner in re.findall(r"(<textarea\b[^>]*>)(.*?)</textarea>", body, re.S):
        name = _attributes(tag).get("name")
        if name:
            fields.setdefault(name, []).append(unescape(inner).strip() or "En text som är lång nog.")
    return {name: values or [""] for name, values in fields.items()}


def fuzzed_data(fields: dict[str, list[str]]):
    """A strategy for a form post: each field a working value, something generated, or left out."""
    per_field = {name: st.one_of(st.sampled_from(values), garbage, st.lists(garbage, max_size=3), st.none())
                 for name, values in fields.items()}
    return st.fixed_dictionaries(per_field).map(lambda data: {k: v for k, v in data.items() if v is not None})


@pytest.fixture
def world(demo):
    """Cases to post to: a deviation waiting for triage, one being investigated."""
    waiting = file_case("deviation", at=datetime(2026, 3, 2, 9), categories=("Dokumentation",))
    investigating = file_case("deviation", at=datetime(2026, 3, 2, 9), categories=("Dokumentation",))
    investigating.status = "investigating"
    db.session.commit()
    return {"waiting": waiting.reference, "investigating": investigating.reference, "user": user("anna").id,
            "unit": unit("Boendestöd").id, "category": category("deviation", "Dokumentation").id}


# target: (who, the path of the form's page and of its post, given the world)
TARGETS = {
    "login": (None, lambda w: "/logga-in"),
    "deviation report": ("anna", lambda w: "/rapportera/avvikelse"),
    "lex sarah report": ("anna", lambda w: "/rapportera/lex-sarah"),
    "staff complaint": ("anna", lambda w: "/rapportera/klagomal"),
    "public complaint": (None, lambda w: "/klagomal"),
    "complaint status": (None, lambda w: "/klagomal/status"),
    "triage": ("erik", lambda w: f"/arenden/{w['waiting']}/beslut-om-utredning"),
    "investigation entry": ("erik", lambda w: f"/arenden/{w['investigating']}/utredning/anteckning"),
    "risk": ("erik", lambda w: f"/arenden/{w['investigating']}/utredning/risk"),
    "link similar case": ("erik", lambda w: f"/arenden/{w['investigating']}/utredning/liknande"),
    "new user": ("admin", lambda w: "/admin/anvandare/ny"),
    "edit user": ("admin", lambda w: f"/admin/anvandare/{w['user']}"),
    "new unit": ("admin", lambda w: "/admin/enheter/ny"),
    "edit unit": ("admin", lambda w: f"/admin/enheter/{w['unit']}"),
    "categories": ("admin", lambda w: "/admin/kategorier"),
    "edit category": ("admin", lambda w: f"/admin/kategorier/{w['category']}"),
    "api token": ("admin", lambda w: "/admin/api-nycklar/"),
}


def _client(app, username: str | None):
    client = app.test_client()
    if username:
        assert login(client, username).status_code == 302
    return client


def _fuzz_form(app, world, target: str, examples: int):
    username, path_of = TARGETS[target]
    path = path_of(world)
    client = _client(app, username)
    with frozen(NOW):
        page = client.get(path)
    assert page.status_code == 200, (target, page.status_code)
    fields = form_fields(page.get_data(as_text=True), path)

    @settings(max_examples=examples, **_SETTINGS)
    @given(data=fuzzed_data(fields))
    def post(data):
        try:
            with frozen(NOW):
                response = client.post(path, data=data)
        finally:
            db.session.rollback()  # after an error, so that the next example starts clean (as a request does)
        assert response.status_code < 500, (target, data, response.status_code)

    post()


@pytest.mark.parametrize("target", TARGETS)
def test_a_sample_of_generated_form_input_never_gets_a_5xx(app, world, target):
    _fuzz_form(app, world, target, SAMPLE)


@pytest.mark.fuzz
@pytest.mark.parametrize("target", TARGETS)
def test_generated_form_input_never_gets_a_5xx(app, world, target):
    _fuzz_form(app, world, target, HEAVY)


# --- the API's query parameters ---------------------------------------------------------------

def _fits_64_bits(value: str) -> bool:
    try:
        return -BIG_INT - 1 <= int(value) <= BIG_INT
    except ValueError:
        return True


query_values = st.one_of(garbage.filter(lambda v: len(v) < 2000), st.integers(-BIG_INT, BIG_INT).map(str)).filter(
    _fits_64_bits)
queries = st.dictionaries(st.sampled_from(["department", "year", "format", "unit", "ar", "avdelning", "x"]),
                          query_values, max_size=4)


def _fuzz_api(app, examples: int, values=queries):
    client = _client(app, "sara")

    @settings(max_examples=examples, **_SETTINGS)
    @given(year=st.one_of(st.integers(-5, 10000), st.integers(0, BIG_INT)), query=values)
    def get(year, query):
        try:
            response = client.get(f"/api/v1/statistics/{year}", query_string=query)
        finally:
            db.session.rollback()
        assert response.status_code < 500, (year, query, response.status_code)
        if year >= 0:  # a negative year matches no route: the site's own 404 page
            assert response.mimetype == "application/json"

    get()


def test_a_sample_of_generated_api_queries_never_gets_a_5xx(demo):
    _fuzz_api(demo, SAMPLE * 2)


@pytest.mark.fuzz
def test_generated_api_queries_never_gets_a_5xx(demo):
    _fuzz_api(demo, HEAVY)


# --- what the fuzzing found ------------------------------------------------------------------------

@pytest.mark.parametrize("target", TARGETS)
def test_a_nul_character_in_any_field_is_not_a_5xx(app, world, target):
    """Found by the fuzzing: PostgreSQL refuses a NUL in text ("cannot contain NUL (0x00) bytes"), a 500
    where a lookup or a save met one."""
    username, path_of = TARGETS[target]
    path = path_of(world)
    client = _client(app, username)
    with frozen(NOW):
        fields = form_fields(client.get(path).get_data(as_text=True), path)
        for name in fields:
            data = {key: values[0] for key, values in fields.items()}
            data[name] = "Före\x00efter"
            try:
                response = client.post(path, data=data)
            finally:
                db.session.rollback()
            assert response.status_code < 500, (target, name, response.status_code)


def test_a_nul_character_in_a_query_is_not_a_5xx(world, app):
    erik = _client(app, "erik")
    for path in ("/arenden", "/atgarder", "/statistik/"):
        try:
            response = erik.get(path, query_string={"q": "a\x00b", "ar": "20\x0018", "status": "\x00"})
        finally:
            db.session.rollback()
        assert response.status_code < 500, path


@pytest.mark.parametrize(("target", "field"), [
    ("deviation report", "unit_id"), ("deviation report", "category_ids"), ("staff complaint", "unit_id"),
    ("edit unit", "parent_id"), ("new unit", "parent_id"), ("public complaint", "department_id"),
])
@pytest.mark.parametrize("big", [2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 10**30])
def test_an_id_past_what_the_column_holds_is_refused_not_a_5xx(app, world, target, field, big):
    """Found by the fuzzing: SQLite's driver raised OverflowError past 64 bits, PostgreSQL "integer out
    of range" past 32 bits (its INTEGER ids), both a 500."""
    username, path_of = TARGETS[target]
    path = path_of(world)
    client = _client(app, username)
    with frozen(NOW):
        fields = form_fields(client.get(path).get_data(as_text=True), path)
        data = {name: values[0] for name, values in fields.items()}
        data[field] = str(big)
        response = client.post(path, data=data)
    assert response.status_code == 422, (target, field, response.status_code)


@pytest.mark.parametrize("big", [2**63, -(2**63) - 1])
def test_an_id_past_64_bits_in_the_api_department_is_not_a_5xx(demo, big):
    response = _client(demo, "sara").get("/api/v1/statistics/2018", query_string={"department": str(big)})
    assert response.status_code < 500
