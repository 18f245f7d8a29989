"""The yardstick of benchmarks/http_benchmark.py: the smallest Flask page, in the same venv,
under the same gunicorn settings as Värna. Värna's pages are reported as a share of it."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
