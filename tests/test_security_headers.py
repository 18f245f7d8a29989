"""Security headers on every page, and pages the Content-Security-Policy does not break.

The policy allows no inline script, no inline style and no event-handler attributes, so
the templates must have none: the pages would silently lose their look or behaviour.
"""

import base64
import hashlib
import re
from pathlib import Path

import pytest

from app import create_app
from app.stats import charts
from app.stats.report import Chart
from tests.conftest import make_config
from tests.test_route_permissions import EXPECTED, ROLES, _client, _url

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
HSTS = "max-age=31536000; includeSubDomains"
TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"

INLINE = {
    # The one kind of script allowed: an empty element that loads a file of Värna's own.
    "an inline <script> element": re.compile(
        r"<script(?!\s+src=\"(\{\{ url_for\('static', filename='js/[\w.-]+'\) \}\}|/static/js/[\w.-]+)\""
        r"(\s+defer)?></script>)", re.I),
    "a <style> element": re.compile(r"<style", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}
STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def _role_that_sees(endpoint: str) -> str:
    """Someone who gets the page itself (200) if anyone does, else whoever is listed first."""
    by_role = EXPECTED[endpoint]
    return next((role for role in ROLES if by_role[role] == 200), "anonymous")


def _get_endpoints(app) -> list[str]:
    return sorted(e for e in EXPECTED if "GET" in next(app.url_map.iter_rules(e)).methods)


def _inline_problems(html: str) -> list[str]:
    return [what for what, pattern in INLINE.items() if pattern.search(html)]


def _style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def _check_page(response, *, logged_in: bool, what: str) -> list[str]:
    wrong = []
    headers = response.headers
    html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    blocks = STYLE_BLOCK.findall(html)
    if blocks:
        # A self-contained document (the frozen lex Sarah notification) carries its own
        # stylesheet; the policy then allows exactly those blocks by their hash, nothing else.
        expected = CSP.replace("style-src 'self'", "style-src 'self' " + " ".join(_style_hash(b) for b in blocks))
        html = STYLE_BLOCK.sub("", html)
    else:
        expected = CSP
    if headers.get("Content-Security-Policy") != expected:
        wrong.append(f"{what}: Content-Security-Policy {headers.get('Content-Security-Policy')!r}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        wrong.append(f"{what}: X-Content-Type-Options")
    if headers.get("Referrer-Policy") != "no-referrer":
        wrong.append(f"{what}: Referrer-Policy")
    if "Strict-Transport-Security" in headers:
        wrong.append(f"{what}: HSTS outside production")
    if logged_in and "no-store" not in headers.get("Cache-Control", ""):
        wrong.append(f"{what}: Cache-Control {headers.get('Cache-Control')!r} for a logged-in person")
    wrong += [f"{what}: the page has {problem}" for problem in _inline_problems(html)]
    return wrong


def test_every_get_page_carries_the_headers_and_nothing_inline(demo, board_member):
    app = demo
    wrong = []
    for endpoint in _get_endpoints(app):
        if endpoint == "static":
            continue  # below
        url = _url(app, endpoint)
        role = _role_that_sees(endpoint)
        response = _client(app, role).get(url)
        assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
        wrong += _check_page(response, logged_in=role != "anonymous", what=f"GET {url} as {role}")
        if role != "anonymous":
            wrong += _check_page(_client(app, "anonymous").get(url), logged_in=False, what=f"GET {url} anonymous")
    assert not wrong, "\n".join(wrong)


def test_error_pages_and_static_files_carry_the_headers(demo):
    for response in (_client(demo, "anonymous").get("/finns-inte"), _client(demo, "erik").get("/finns-inte"),
                     _client(demo, "anonymous").get("/static/css/varna.css")):
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in _client(demo, "erik").get("/finns-inte").headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/klagomal", "/klagomal/status"])
def test_the_public_pages_with_case_data_are_never_stored(demo, client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"
    assert client.post(path, data={}).headers["Cache-Control"] == "no-store"


def test_hsts_only_in_production(_schema, _session_dir):
    from tests.test_app import STRONG_AUDIT_KEY, STRONG_KEY
    production = create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY=STRONG_KEY,
                                        AUDIT_KEY=STRONG_AUDIT_KEY))
    response = production.test_client().get("/logga-in")
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert response.headers["Content-Security-Policy"] == CSP
    development = create_app(make_config(_session_dir))
    assert "Strict-Transport-Security" not in development.test_client().get("/logga-in").headers


def test_no_template_has_inline_script_style_or_handlers():
    wrong = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        wrong += [f"{template.relative_to(TEMPLATES)}: {problem}"
                  for problem in _inline_problems(template.read_text(encoding="utf-8"))]
    assert not wrong, "\n".join(wrong)


def test_the_charts_use_attributes_and_classes_not_inline_style():
    bars = Chart(kind="bar", ident="bars", title="Ärenden", description="Per avdelning",
                 labels=["Vuxna", "Unga"], series=[("2025", [3, 5]), ("2026", [4, 1])], table_key="units")
    line = Chart(kind="line", ident="trend", title="Trend", description="Fem år",
                 labels=["2022", "2023", "2024"], series=[("Avvikelser", [1, 2, 3]), ("Klagomål", [3, 2, 1])],
                 table_key="trend")
    for svg in (charts.render(bars, "bars"), charts.render(line, "trend")):
        assert _inline_problems(str(svg)) == []
        assert 'class="chart"' in svg and "font-family=" in svg


def test_only_an_empty_script_element_loading_an_own_file_passes_the_inline_check():
    own = '<script src="/static/js/menu.js" defer></script>'
    assert _inline_problems(own) == []
    for bad in ("<script>alert(1)</script>", '<script src="/static/js/menu.js">alert(1)</script>',
                '<script src="https://example.org/x.js"></script>', "<SCRIPT>x</SCRIPT>",
                '<script src="/static/js/../../x.js"></script>'):
        assert _inline_problems(bad) == ["an inline <script> element"], bad
