"""Logging: one JSON object per line in production (LOG_FORMAT=json), plain text in development.

Every request gets an id: the caller's X-Request-Id when it is well formed (nginx or the load
balancer can set one, so a request can be followed from proxy to application), otherwise a new
one; it is echoed in the response's X-Request-Id and carried by every log line of the request.

In JSON mode each request ends with one line: request id, the person's user id (never a name,
an e-mail address or anything else about them), the route as its endpoint name (the URL's path
and query string can carry a personnummer or a search term, so they are not logged), method,
status and time in milliseconds.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-Id"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# The fields a record may carry besides its message; anything else a caller passes is dropped.
_FIELDS = ("request_id", "user_id", "route", "method", "status", "duration_ms")

log = logging.getLogger("varna.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        entry = {
            "time": moment.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None and has_request_context():
            record.request_id = g.get("request_id")
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (gunicorn and pytest replace it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def _install_json_handler() -> None:
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, _StderrHandler):
            return  # create_app runs more than once in a process (tests); one handler is enough
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # The development server's access line holds the full URL with its query string.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def remove_json_handler() -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)


def configure_logging(app: Flask) -> None:
    json_lines = app.config["LOG_FORMAT"] == "json"
    if json_lines:
        _install_json_handler()
    else:
        logging.basicConfig(level=logging.INFO)

    @app.before_request
    def start_request():
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        if json_lines and "request_started" in g:
            log.info("request", extra={
                "request_id": request_id, "user_id": _user_id(), "route": request.endpoint or "-",
                "method": request.method, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1)})
        return response


def _user_id() -> int | None:
    # Only a user already loaded for this request: logging must not cost a query of its own.
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
