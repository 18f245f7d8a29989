"""Refusing an unsafe production configuration on the command line: a clear message, no traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "q8Zr1-Vx_LpT4mWcK0yHs9dNfB2aJ6gUeR7iO3tYh5kQwXzE"


def _flask(tmp_path, *args, **env):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/unused.db", **env}
    environment = {name: value for name, value in environment.items() if value is not None}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


def test_production_without_a_secret_key_stops_with_what_to_fix(tmp_path):
    # An empty SECRET_KEY in the environment overrides any instance/config.py on this machine.
    result = _flask(tmp_path, "routes", VARNA_ENV="production", SECRET_KEY="")
    assert result.returncode == 1
    assert "Error: VARNA_ENV=production needs SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_debug_on_stops_with_what_to_fix(tmp_path):
    result = _flask(tmp_path, "routes", VARNA_ENV="production", SECRET_KEY=STRONG_KEY, FLASK_DEBUG="1")
    assert result.returncode == 1
    assert "Error: VARNA_ENV=production must not run with debug on." in result.stderr
    assert "Traceback" not in result.stderr


def test_without_varna_env_it_starts_as_production_and_stops_without_a_secret_key(tmp_path):
    # gunicorn started without VARNA_ENV must not fall back to the development key.
    result = _flask(tmp_path, "routes", VARNA_ENV=None, SECRET_KEY="")
    assert result.returncode == 1
    assert "Error: VARNA_ENV=production needs SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr
