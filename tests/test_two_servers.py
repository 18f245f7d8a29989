"""Two Värna servers on one PostgreSQL database, as in docs/deployment.md: a person's requests
alternate between them (a load balancer with one host name), and nothing may depend on which
server answered: attachments, the login throttle and the end of a session live in the database,
the session itself in a cookie signed with the same SECRET_KEY.

Runs only in the PostgreSQL pass (TEST_DATABASE_URL, e.g. scripts/with-throwaway-postgres.sh):
it makes its own database on that server, migrates it and loads the demo data with the real
`flask` commands, starts two gunicorn processes on loopback and talks HTTP to them.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.config import normalise_database_url
from tests.conftest import TEST_DATABASE_URL, free_port

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL,
    reason="two-server test needs PostgreSQL: set TEST_DATABASE_URL (scripts/with-throwaway-postgres.sh; "
           "the PostgreSQL pass of `make test` does)")

REPO = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n" + secrets.token_hex(16).encode()
PASSWORD = "demo"  # app/demo.py DEMO_PASSWORD


# --- a database of its own on the PostgreSQL server -------------------------------------------

def _admin_connection():
    import psycopg
    url = make_url(normalise_database_url(TEST_DATABASE_URL))
    return psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                           dbname=url.database, autocommit=True)


@pytest.fixture(scope="module")
def database_url():
    name = "varna_two_servers_" + secrets.token_hex(6)
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(normalise_database_url(TEST_DATABASE_URL)).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- two servers --------------------------------------------------------------------------------

class Server:
    def __init__(self, name: str, url: str, process: subprocess.Popen, log_path: str):
        self.name, self.url, self.process, self.log_path = name, url, process, log_path

    def log_tail(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()[-3000:]


def _run(args: list[str], env: dict, log) -> None:
    done = subprocess.run([sys.executable, "-m", *args], cwd=REPO, env=env, stdout=log,
                          stderr=subprocess.STDOUT, timeout=120, check=False)
    if done.returncode != 0:
        log.flush()
        with open(log.name, encoding="utf-8", errors="replace") as f:
            raise RuntimeError(f"`{' '.join(args)}` failed:\n{f.read()[-3000:]}")


def _wait_until_up(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling a process that is starting
    raise RuntimeError(f"server {server.name} did not answer on {server.url}:\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def servers(database_url):
    """Servers A and B: one database, the same keys, attachments in the database, and each its
    own (unused) attachment folder, so that the folder backend could not pass by accident."""
    tmp_dir = tempfile.mkdtemp(prefix="varna-two-servers-")
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("FLASK_", "E2E_")) and k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    base.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "AUDIT_KEY": secrets.token_urlsafe(48),
        "VARNA_ENV": "development",  # two-factor login offered, not required
        "ATTACHMENT_STORAGE": "database",
        "MAIL_TRANSPORT": "outbox",
        "PYTHONUNBUFFERED": "1",
    })
    processes: list[subprocess.Popen] = []
    try:
        found = {}
        ports = {free_port()}
        while len(ports) < 2:  # the OS could hand out A's port again before A has bound it
            ports.add(free_port())
        for name, port in zip(("A", "B"), sorted(ports), strict=True):
            env = dict(base, ATTACHMENT_DIR=os.path.join(tmp_dir, name, "attachments"),
                       OUTBOX_DIR=os.path.join(tmp_dir, name, "outbox"), BASE_URL=f"http://127.0.0.1:{port}")
            log_path = os.path.join(tmp_dir, f"server-{name}.log")
            with open(log_path, "w", encoding="utf-8") as log:
                if name == "A":
                    _run(["flask", "--app", "wsgi", "db", "upgrade"], env, log)
                    _run(["flask", "--app", "wsgi", "demo", "load"], env, log)
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--workers", "1", "--threads", "4",
                     "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5", "wsgi:app"],
                    cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
            processes.append(process)
            found[name] = Server(name, f"http://127.0.0.1:{port}", process, log_path)
        for server in found.values():
            _wait_until_up(server)
        yield found
        for name in ("A", "B"):
            folder = os.path.join(tmp_dir, name, "attachments")
            assert not os.path.isdir(folder) or not os.listdir(folder), f"server {name} wrote to its folder"
    finally:
        for process in processes:
            _stop(process)
        shutil.rmtree(tmp_dir, ignore_errors=True)


# --- one browser behind a load balancer -------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path


class Browser:
    """One person's browser. The cookies are kept here, not per server: both servers stand for
    one host name, so every cookie either server sets goes with the next request to either."""

    def __init__(self, servers: dict):
        self.servers = servers
        self.cookies: dict[str, str] = {}
        self._opener = urllib.request.build_opener(_NoRedirect)

    def request(self, server: str, path: str, data: bytes | None = None, content_type: str | None = None) -> Response:
        headers = {"Accept-Language": "sv"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.servers[server].url + path, data=data, headers=headers)  # noqa: S310 - loopback
        try:
            with self._opener.open(req, timeout=30) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as answer:
            response = Response(answer.code, answer.headers, answer.read())
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        assert response.status < 500, f"server {server}: {path} answered {response.status}:\n" \
                                      f"{self.servers[server].log_tail()}"
        return response

    def get(self, server: str, path: str) -> Response:
        return self.request(server, path)

    def post(self, server: str, path: str, fields: list[tuple[str, str]]) -> Response:
        return self.request(server, path, urllib.parse.urlencode(fields).encode(),
                            "application/x-www-form-urlencoded")

    def post_multipart(self, server: str, path: str, fields: list[tuple[str, str]],
                       files: list[tuple[str, str, bytes]]) -> Response:
        boundary = "varna" + secrets.token_hex(12)
        body = b""
        for name, value in fields:
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n").encode()
        for name, filename, content in files:
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(server, path, body, f"multipart/form-data; boundary={boundary}")

    def log_in(self, server: str, username: str, password: str = PASSWORD) -> Response:
        token = form_values(self.get(server, "/logga-in").text)["csrf_token"]
        return self.post(server, "/logga-in", [("csrf_token", token), ("username", username), ("password", password)])


class _Form(HTMLParser):
    """The values a browser would send from a page's forms: hidden and text inputs, the selected
    option of each select, and the first checkbox of each group (the first choice)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                self.values.setdefault(a["name"], a.get("value") or "y")
            elif kind not in ("submit", "file"):
                self.values.setdefault(a["name"], a.get("value") or "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_values(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.values


def assert_logged_in(browser: Browser, server: str, username: str) -> None:
    page = browser.get(server, "/mina-rapporter")
    assert page.status == 200, f"server {server} does not see {username} as logged in: {page.status} {page.location}"


def assert_logged_out(browser: Browser, server: str) -> None:
    page = browser.get(server, "/mina-rapporter")
    assert page.status == 302 and page.location == "/logga-in", (server, page.status, page.location)


# --- the journey --------------------------------------------------------------------------------

def test_a_report_with_an_attachment_filed_on_one_server_is_downloaded_and_triaged_on_the_other(servers):
    anna = Browser(servers)
    assert anna.log_in("A", "anna").status == 302
    assert_logged_in(anna, "B", "anna")  # the session cookie from A is good on B

    # Filed on A; the form (and its CSRF token) came from B.
    form = form_values(anna.get("B", "/rapportera/avvikelse").text)
    assert form["unit_id"] and form["category_ids"], "anna's unit is preselected; a category is offered"
    description = "Två servrar: dörren till medicinskåpet stod öppen " + secrets.token_hex(4)
    filed = anna.post_multipart("A", "/rapportera/avvikelse", [
        ("csrf_token", form["csrf_token"]), ("unit_id", form["unit_id"]),
        ("category_ids", form["category_ids"]), ("occurred_on", date.today().isoformat()),
        ("description", description)], [("attachments", "protokoll.pdf", PDF)])
    assert filed.status == 302 and filed.location.startswith("/rapportera/kvitto/"), filed.text[-2000:]
    reference = filed.location.rsplit("/", 1)[1]
    assert reference in anna.get("B", filed.location).text  # the receipt, from the other server

    # Erik, in another browser, finds the case in his queue on B, downloads the file there,
    # and decides on B that it is to be investigated.
    erik = Browser(servers)
    assert erik.log_in("B", "erik").status == 302
    assert reference in erik.get("B", "/arenden").text
    case_page = erik.get("B", f"/arenden/{reference}").text
    links = re.findall(r'href="/bilagor/(\d+)"', case_page)
    assert len(links) == 1, "the attachment is listed on the case page"
    for server in ("B", "A"):
        download = erik.get(server, f"/bilagor/{links[0]}")
        assert download.status == 200 and download.body == PDF, server
    triage = form_values(erik.get("A", f"/arenden/{reference}/beslut-om-utredning").text)
    decided = erik.post("B", f"/arenden/{reference}/beslut-om-utredning", [
        ("csrf_token", triage["csrf_token"]), ("version", triage["version"]), ("decision", "investigate")])
    assert decided.status == 302, decided.text[-2000:]

    # A shows the decision, to erik and to the reporter, and anna's download from A is the file too.
    assert "Under utredning" in erik.get("A", f"/arenden/{reference}").text
    assert reference in anna.get("A", "/mina-rapporter").text
    assert anna.get("A", f"/bilagor/{links[0]}").body == PDF


def test_failed_logins_alternating_between_the_servers_lock_the_account_on_both(servers):
    guesser = Browser(servers)
    for attempt in range(5):  # LOGIN_MAX_FAILURES
        refused = guesser.log_in("AB"[attempt % 2], "ulla", "fel-losenord")
        assert refused.status == 422 and "Fel användarnamn eller lösenord." in refused.text, attempt
    for server in ("A", "B"):
        ulla = Browser(servers)
        locked = ulla.log_in(server, "ulla")
        assert locked.status == 422 and "För många misslyckade inloggningar." in locked.text, server
        assert_logged_out(ulla, "A")
        assert_logged_out(ulla, "B")
    # Another account is not affected, on either server.
    sara = Browser(servers)
    assert sara.log_in("B", "sara").status == 302
    assert_logged_in(sara, "A", "sara")


def test_logging_out_on_one_server_ends_the_session_on_the_other(servers):
    anna = Browser(servers)
    assert anna.log_in("B", "anna").status == 302
    assert_logged_in(anna, "A", "anna")
    copied = dict(anna.cookies)  # the same session in a second tab, or in a thief's hands

    page = form_values(anna.get("A", "/mina-rapporter").text)
    assert anna.post("A", "/logga-ut", [("csrf_token", page["csrf_token"])]).location == "/logga-in"
    assert_logged_out(anna, "A")
    assert_logged_out(anna, "B")

    replay = Browser(servers)
    replay.cookies = copied
    assert_logged_out(replay, "B")  # the signed cookie is intact, but its session token is not current
    assert_logged_out(replay, "A")
