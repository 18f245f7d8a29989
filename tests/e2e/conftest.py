"""Browser tests: Debian's Chromium, driven by Playwright, against Värna served by a real
server process on loopback with its own fresh database.

- The server (tests/e2e/serve.py) gets a temporary SQLite file, migrated with
  `flask db upgrade`, the demo data from `flask demo load`, and an outbox folder for its
  e-mail; it is started once for the session and stopped at the end.
- Chromium is /usr/bin/chromium (CHROMIUM_PATH to change it), never a downloaded one.
  Without it the browser tests are skipped with a clear reason; with CI=true they fail.
- Every page a person reaches is checked with axe-core (see pages.py) and photographed
  to tests/screenshots/<journey>/ (git-ignored).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import free_port
from tests.e2e import pages

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SCREENSHOTS = REPO / "tests" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Chromium must not reach for Google's services: this machine (and CI) has no internet,
# and without these flags it keeps retrying in the background.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A page is there when its navigation has finished; this is the margin for a slow CI machine.
expect.set_options(timeout=10_000)
NO_CHROMIUM = (f"browser tests skipped: Chromium is not installed at {CHROMIUM} "
               "(as root: apt-get install chromium)")


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: browser test against a real server (Chromium); `-m 'not e2e'` skips")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def pytest_terminal_summary(terminalreporter):
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if NO_CHROMIUM in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"NOTE: {len(skipped)} {NO_CHROMIUM}.", yellow=True, bold=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures see whether the test failed (for the screenshots of a failure).
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# --- the browser ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_path():
    if not os.access(CHROMIUM, os.X_OK):
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}: .ci/run installs it "
                        "(apt-get install -y chromium).", pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    """pytest-playwright's launch options (--headed, --slowmo still work), with Debian's Chromium."""
    args = list(CHROMIUM_ARGS)
    if browser_type_launch_args.get("headless") is False:
        args.remove("--headless")
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": args}


# --- the server -----------------------------------------------------------------------------

class Varna:
    """The running application: its address and its outbox."""

    def __init__(self, url: str, tmp_dir: str, log_path: str):
        self.url = url
        self.tmp_dir = tmp_dir
        self.log_path = log_path
        self.outbox_dir = os.path.join(tmp_dir, "outbox")

    def outbox(self) -> list:
        """Every e-mail the server has sent so far, parsed, oldest first."""
        if not os.path.isdir(self.outbox_dir):
            return []
        messages = []
        for name in sorted(os.listdir(self.outbox_dir)):
            if name.endswith(".eml"):
                with open(os.path.join(self.outbox_dir, name), "rb") as f:
                    messages.append(message_from_bytes(f.read(), policy=policy.default))
        return messages

    def mail_to(self, address: str, subject_contains: str = "") -> list:
        return [m for m in self.outbox() if address in str(m["To"]) and subject_contains in str(m["Subject"])]

    def log_tail(self, lines: int = 40) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])


def _flask(args: list[str], env: dict, log) -> None:
    command = [sys.executable, "-m", "flask", "--app", "tests.e2e.serve", *args]
    done = subprocess.run(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=120,
                          check=False)
    if done.returncode != 0:
        log.flush()
        with open(log.name, encoding="utf-8", errors="replace") as f:
            raise RuntimeError(f"`flask {' '.join(args)}` failed for the browser tests' server:\n{f.read()[-3000:]}")


def _wait_until_up(url: str, process: subprocess.Popen, log_path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling a process that is starting, not waiting for the app
    with open(log_path, encoding="utf-8", errors="replace") as f:
        raise RuntimeError(f"The browser tests' server did not answer on {url}:\n{f.read()[-3000:]}")


@pytest.fixture(scope="session")
def varna(chromium_path):
    """Värna in its own process on 127.0.0.1, on a fresh database with the demo data."""
    with serve_varna() as running:
        yield running


@contextmanager
def serve_varna(**extra_env):
    """Start Värna as the `varna` fixture does; `extra_env` adds E2E_* settings (tests/e2e/serve.py),
    e.g. E2E_SMTP_PORT for a journey that reads its e-mail from a real SMTP server."""
    tmp_dir = tempfile.mkdtemp(prefix="varna-e2e-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update({
        "E2E_TMP_DIR": tmp_dir,
        "E2E_DATABASE_URL": "sqlite:///" + os.path.join(tmp_dir, "varna.db"),
        "E2E_SECRET_KEY": os.urandom(24).hex(),
        "E2E_BASE_URL": url,
        "PYTHONUNBUFFERED": "1",
        **extra_env,
    })
    log_path = os.path.join(tmp_dir, "server.log")
    process = None
    try:
        with open(log_path, "w", encoding="utf-8") as log:
            _flask(["db", "upgrade"], env, log)
            _flask(["demo", "load"], env, log)
            process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "tests.e2e.serve", "run", "--host", "127.0.0.1",
                 "--port", str(port), "--no-reload", "--no-debugger", "--with-threads"],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
            _wait_until_up(url, process, log_path)
            yield Varna(url, tmp_dir, log_path)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(tmp_dir, ignore_errors=True)


# --- the people -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def accessibility_log():
    """Every axe finding of any impact, written to tests/screenshots/axe-findings.txt at the end."""
    findings: list[str] = []
    yield findings
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "axe-findings.txt").write_text(
        "\n".join(findings) + "\n" if findings else "No axe findings of any impact.\n", encoding="utf-8")


@pytest.fixture
def journey(request, browser, varna, accessibility_log):
    """A Journey: people with their own browser (context) on Värna, and where to put screenshots.

    At the end, every page each person reached must have been checked with axe (so no
    navigation slipped past), and no response was a server error.
    """
    name = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    folder = SCREENSHOTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    trip = pages.Journey(browser, varna, folder, accessibility_log)
    yield trip
    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    try:
        if failed:
            trip.photograph_everyone("FAILED")
        else:
            trip.assert_every_page_checked()
    finally:
        trip.close()
