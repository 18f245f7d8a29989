"""`make run` on another port: the links in e-mails must point at the port Värna is served on."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_on_another_port_sends_links_to_that_port():
    # -n prints the recipe without running it; the flask commands must carry the port's BASE_URL
    # (demo cases queue e-mails with links, and the server builds links for the ones it sends).
    printed = subprocess.run(["make", "-n", "run", "PORT=5101"], cwd=ROOT, capture_output=True, text=True,
                             timeout=60, check=True).stdout
    flask_lines = [line for line in printed.splitlines() if "flask --app wsgi" in line]
    assert flask_lines, printed
    for line in flask_lines:
        assert "http://127.0.0.1:5101" in line, line
