"""The security headers every response carries (one after_request hook).

- Content-Security-Policy: only Värna's own files. No inline script, inline style or
  event-handler attribute runs, so text that slipped into a page unescaped cannot act;
  every stylesheet and script lives under app/static.
- X-Content-Type-Options, Referrer-Policy: no guessing of content types; no case
  reference in a URL leaves with a link to another site.
- Strict-Transport-Security in production only: a development server speaks plain HTTP.
- Cache-Control: no-store for a logged-in person and on the public complaint pages,
  which show a receipt, a follow-up code or an answer: nothing about a case is kept in a
  browser's or a proxy's cache (a shared computer's back button included).
"""

import base64
import hashlib
import os
import re

from flask import Flask, Response, current_app, request
from flask_login import current_user
from markupsafe import Markup

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
}
HSTS = "max-age=31536000; includeSubDomains"
# Public pages that show a case's data (the receipt with the follow-up code, the status page).
NO_STORE_PUBLIC_BLUEPRINTS = {"public"}

_STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def content_security_policy(style_hashes: tuple[str, ...] = ()) -> str:
    directives = dict(POLICY)
    if style_hashes:
        directives["style-src"] += " " + " ".join(style_hashes)
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def allow_own_stylesheet(response: Response) -> Response:
    """For a self-contained HTML document (its stylesheet inside it, so that a stored copy
    needs nothing else): allow exactly its <style> blocks, by their hash, and nothing more."""
    blocks = _STYLE_BLOCK.findall(response.get_data(as_text=True))
    hashes = tuple("'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
                   for css in blocks)
    response.headers["Content-Security-Policy"] = content_security_policy(hashes)
    return response


def self_contained_stylesheet(filename: str) -> Markup:
    """A stylesheet from app/static as a <style> block, for the documents that must stand
    alone (the lex Sarah notification, the quality report). Their routes call
    allow_own_stylesheet(). The file is Värna's own, never anything a person typed."""
    with open(os.path.join(current_app.static_folder, filename), encoding="utf-8") as f:
        css = f.read()
    return Markup(f"<style>\n{css}</style>")  # noqa: S704 - a file of the application, not input


def _no_store_wanted() -> bool:
    if request.endpoint == "static":
        # Stylesheets say nothing about anyone; and asking who is logged in would cost a
        # database query for every file.
        return False
    if request.blueprint in NO_STORE_PUBLIC_BLUEPRINTS:
        return True
    return current_user.is_authenticated


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    if current_app.config["VARNA_ENV"] == "production":
        headers["Strict-Transport-Security"] = HSTS
    if _no_store_wanted():
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.add_template_global(self_contained_stylesheet)
