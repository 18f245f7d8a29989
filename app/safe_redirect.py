"""The one check for where a page sends a person back to (`next`): a path on this site.

A browser reads more into a Location header than the server does: it drops tabs and line
breaks ("/\\t/evil.example" becomes "//evil.example", another host), reads a backslash as a
slash, and a line break in a header is a server error. So only a plain local path passes:
it starts with a single "/", has no scheme, no "//" or "/\\" at its start, no backslash, and
no control character or white space anywhere, neither as sent nor once percent-decoded (the
path is decoded until it no longer changes, so "/%252F/evil" is caught as well). In the
query string a decoded space is fine ("?q=trasig%20dörr" is a search); a decoded control
character is not. Anything else gives the fallback, the start page unless told otherwise.
"""

import unicodedata
from urllib.parse import quote, unquote

from flask import request, url_for

# Nobody encodes a link back more than twice; deeper nesting is someone trying something.
_MAX_DECODINGS = 4


def safe_next(value: str | None, default: str | None = None) -> str:
    """`value` if it is a plain local path, else `default` (the start page when None)."""
    fallback = url_for("main.start") if default is None else default
    if not isinstance(value, str):
        return fallback
    path, _mark, query = value.partition("?")
    if not (_starts_local(path) and _plain(path) and _plain(query)):
        return fallback
    for _round in range(_MAX_DECODINGS):
        decoded_path, decoded_query = unquote(path), unquote(query)
        if not (_starts_local(decoded_path) and _plain(decoded_path)
                and _plain(decoded_query, decoded_query=True)):
            return fallback
        if (decoded_path, decoded_query) == (path, query):
            return value
        path, query = decoded_path, decoded_query
    return fallback


def _starts_local(path: str) -> bool:
    return path.startswith("/") and not path.startswith(("//", "/\\"))


def _plain(text: str, *, decoded_query: bool = False) -> bool:
    """No control or format character; no backslash or white space, except in a decoded query."""
    for character in text:
        category = unicodedata.category(character)
        if category[0] == "C":  # control, format (bidi overrides), surrogates, unassigned
            return False
        if not decoded_query and (character == "\\" or character.isspace() or category[0] == "Z"):
            return False
    return True


def current_path() -> str:
    """This request's path and query, as sent (percent-encoded), for a form that brings the person
    back here (the language switch's hidden `next`): never the scheme or host, and only what
    `safe_next` accepts, else the start page. So the form never carries a value the POST would
    refuse, nor a control character or backslash the person's own URL smuggled in."""
    path = quote(request.path, safe="/!$&'()*+,;=:@-._~")
    query = request.query_string.decode("ascii", "replace")
    return safe_next(path + ("?" + query if query else ""))
