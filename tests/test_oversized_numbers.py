"""Numbers too large for the database are "not found" or ignored, never a server error.

PostgreSQL refuses a number beyond its 32-bit integer columns (psycopg: NumericValueOutOfRange),
and SQLite one beyond 64 bits (OverflowError), so an id of 2³¹ or 2⁶³ in a path, a filter or a
paging cursor was a 500. Ids in paths are 404 (JSON under /api/), a bad cursor starts from the
top of the list, a bad filter value is ignored, and the API says 400 to a department that is
not a number it could hold.
"""

import base64
import re

import pytest

from app.int_params import DB_INT_MAX, db_int
from tests.conftest import login
from tests.test_route_permissions import ALLOWED, EXPECTED, _demo_action, _demo_ids, _demo_supervision_case, _url

TOO_LARGE = [2**63, 10**30, 2**31, 2**63 - 1]
EDGE = [DB_INT_MAX]


def _int_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if any(
        type(c).__name__.startswith(("Integer", "DbInt")) for c in r._converters.values())), key=lambda r: r.rule)


def _with(app, rule, number) -> str:
    """The rule's URL with the demo's values, and `number` for every int."""
    url = _url(app, rule.endpoint)
    ids = {**_demo_ids(), "action_id": _demo_action()}
    if rule.endpoint.startswith("supervision."):
        ids["request_id"] = _demo_supervision_case()[1]
    for name, converter in rule._converters.items():
        if type(converter).__name__.startswith(("Integer", "DbInt")):
            url = re.sub(rf"/{ids[name]}(?=/|$)", f"/{number}", url, count=1)
    return url


def _allowed_roles(endpoint: str) -> set[str]:
    by_role = EXPECTED[endpoint]
    return {"admin"} | {role for role, result in by_role.items()
                        if role != "anonymous" and (result == ALLOWED or result in (200, 302, 404, 409))}


def test_every_rule_with_an_int_is_listed(app):
    assert len(_int_rules(app)) >= 10


@pytest.mark.parametrize("number", TOO_LARGE + EDGE)
def test_an_id_too_large_in_any_path_is_not_found(demo, board_member, number):
    app = demo
    wrong = []
    clients = {}
    for rule in _int_rules(app):
        url = _with(app, rule, number)
        assert str(number) in url, (rule.rule, url)
        method = "get" if "GET" in rule.methods else "post"
        for role in sorted(_allowed_roles(rule.endpoint)):
            if role not in clients:
                clients[role] = app.test_client()
                assert login(clients[role], role).status_code == 302
            response = getattr(clients[role], method)(url)
            expected = 404
            if rule.endpoint.startswith("stats.") or rule.endpoint == "api.statistics":
                expected = (404, 200) if number in EDGE else 404  # a year no case has is an empty year
            if response.status_code not in ((expected,) if isinstance(expected, int) else expected):
                wrong.append(f"{method.upper()} {url} as {role}: {response.status_code}")
            if url.startswith("/api/") and response.status_code == 404 and response.mimetype != "application/json":
                wrong.append(f"{method.upper()} {url} as {role}: {response.mimetype}")
    assert not wrong, "\n".join(wrong)


def test_the_api_answers_json_for_an_id_too_large(demo):
    client = demo.test_client()
    login(client, "sara")
    response = client.get(f"/api/v1/statistics/{2**63}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30), "-9223372036854775809", "1e3", "abc", " 5", "٥",
                                   "1_0"])
def test_the_api_refuses_a_department_it_cannot_hold(demo, value):
    client = demo.test_client()
    login(client, "sara")
    response = client.get("/api/v1/statistics/2025", query_string={"department": value})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.get_json()["error"] == "bad_request"


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


BAD_CURSORS = [_cursor(f"2026-03-01T10:00:00|{2**31}"), _cursor(f"2026-03-01|{2**31}"),
               _cursor(f"2026-03-01T10:00:00|{2**63}"), _cursor(f"2026-03-01|{10**30}"),
               _cursor(f"2026-03-01T10:00:00|{-(2**63) - 1}"), _cursor("2026-03-01|1_0"), "!!!", str(2**63)]
LISTS = ["/arenden", "/atgarder", "/atgarder/enheter", "/atgarder/forsenade", "/atgarder/uppfoljning"]


@pytest.mark.parametrize("cursor", BAD_CURSORS)
@pytest.mark.parametrize("name", ["efter", "fore"])
def test_a_bad_cursor_starts_from_the_top(login_as, cursor, name):
    client = login_as("sara")
    for path in LISTS:
        response = client.get(path, query_string={name: cursor})
        assert response.status_code == 200, path


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30), "-9223372036854775809"])
def test_numbers_too_large_in_filters_are_ignored(login_as, board_member, value):
    sara, admin, nils = login_as("sara"), login_as("admin"), login_as("nils")
    pages = [
        (sara, "/arenden", ["unit", "category", "year", "efter", "fore"]),
        (sara, "/atgarder/enheter", ["unit_id", "type_id", "efter", "fore"]),
        (sara, "/atgarder", ["unit_id", "type_id"]),
        (sara, "/lex-sarah", ["sida_awaiting_judgment", "sida_not_notified"]),
        (sara, "/mina-rapporter", ["fore"]),
        (admin, "/admin/logg", ["fore"]),
        (admin, "/admin/anvandare", ["enhet"]),
        (admin, "/admin/enheter/ny", ["parent"]),
        (nils, "/statistik/", ["avdelning"]),
        (nils, "/statistik/2025/kvalitetsberattelse", ["avdelning"]),
    ]
    wrong = []
    for client, path, names in pages:
        for name in names:
            status = client.get(path, query_string={name: value}).status_code
            # 422: the statistics form says "choose one in the list", as for any other junk value
            if status not in (200, 400, 422):
                wrong.append(f"{path}?{name}={value}: {status}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("text", "number"), [("0", 0), ("12", 12), ("-3", -3), (str(DB_INT_MAX), DB_INT_MAX),
                                              (str(-(2**31)), -(2**31)), (7, 7)])
def test_db_int_reads_what_the_database_can_hold(text, number):
    assert db_int(text) == number


@pytest.mark.parametrize("text", [str(2**31), str(2**63), str(10**30), str(-(2**31) - 1), "", " 1", "1 ", "+1",
                                  "1_0", "٥", "1.0", "1e3", "0x10", None, 2**31, True])
def test_db_int_refuses_anything_else(text):
    with pytest.raises((ValueError, TypeError)):
        db_int(text)


@pytest.mark.parametrize("value", [str(2**31), str(2**63), str(10**30)])
def test_a_report_with_an_id_too_large_gets_its_message(login_as, value):
    client = login_as("anna")
    for field in ("unit_id", "category_ids"):
        response = client.post("/rapportera/avvikelse", data={field: value, "summary": "Uteblivet besök"})
        assert response.status_code == 422, field
