"""CPU time per request, in-process: the figure to compare before and after a change on a shared
machine, where wall-clock rates swing with the other processes. Not a test.

Serves the pages of http_benchmark.py through the Flask test client of an app in production
settings (fresh keys, CSRF on, the database given), logged in the way a browser is, and reports
the process CPU time (time.process_time) per request, the median of several batches, and the
number of SQL statements per request. With --profile PAGE it prints a cProfile of that page.

    .venv/bin/python benchmarks/http_benchmark.py --sizes 10000 --databases sqlite --pages healthz \
        --rounds 1 --seconds 1                                    # builds the database once
    .venv/bin/python benchmarks/cpu_per_request.py --db sqlite:////tmp/varna-bench/sqlite-10000.db
    .venv/bin/python benchmarks/cpu_per_request.py --db ... --pages queue --profile queue
    .venv/bin/python benchmarks/cpu_per_request.py --db ... --pages shell,start --profile shell

"shell" is what every logged-in page pays before its own work, alone: a page of the benchmark's
own (registered here, not part of Värna) that renders base.html with an empty content block and
writes and commits one audit entry of a read, as erik. "start" is the start page as erik.

Filing (a POST of the deviation form) adds cases to the database given: use a copy.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)


def make_app(url: str, folder: str, mail_delivery: str = "request"):
    from http_benchmark import server_env
    os.environ.update(server_env(url, folder))
    os.environ["MAIL_DELIVERY"] = mail_delivery
    os.environ["LOG_FORMAT"] = "json"
    from app import create_app
    app = create_app()
    import logging
    logging.getLogger().setLevel(logging.WARNING)  # keep the access log off the terminal
    return app


SHELL_PATH = "/_benchmark/shell"


def add_shell_page(app) -> None:
    """The fixed cost of a logged-in, audited page without a page's own work: the guard, the
    person, the session, one audit entry of a read and its commit, base.html, the log line and
    the headers. Registered before the first request; only this benchmark has it."""
    from flask import render_template
    from flask_login import current_user

    from app import audit, commands

    template = app.jinja_env.from_string('{% extends "base.html" %}{% block title %}Skal{% endblock %}'
                                         '{% block content %}<h1>Skal</h1>{% endblock %}')

    def shell():
        audit.record("case.listed", actor=current_user, object_type="case", object_id="", detail={"case_ids": []})
        commands.commit_keeping_loaded()  # as the queue and the case page commit their reads
        return render_template(template)

    app.add_url_rule(SHELL_PATH, "benchmark_shell", shell)


def login(client, username: str) -> str | None:
    page = client.get("/logga-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/logga-in", data={"csrf_token": token, "username": username, "password": "demo"})
    assert response.status_code == 302, response.status_code
    page = client.get("/rapportera/avvikelse").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    unit = re.search(r'<option selected value="(\d+)"', page)
    category = re.search(r'name="category_ids" type="checkbox" value="(\d+)"', page)
    if not (token and unit and category):
        return None
    return {"csrf_token": token.group(1), "unit_id": unit.group(1), "occurred_on": time.strftime("%Y-%m-%d"),
            "description": "Brukaren fick fel dos av sin medicin vid kvällsmedicineringen.",
            "category_ids": category.group(1)}


def package_of(filename: str) -> str:
    """The package a profiled function belongs to: site-packages' top-level name, "app" for
    Värna's own code and templates, "stdlib" for Python's library, "built-in" otherwise."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0].split(".", 1)[0]
    if "/app/" in filename:
        return "app (templates)" if "/templates/" in filename else "app"
    if filename.startswith("<") or filename == "~":
        return "built-in"
    return "stdlib"


def print_by_package(stats: pstats.Stats) -> None:
    """Own time (tottime) summed per package: where the time really goes."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        package = package_of(filename)
        totals[package] = totals.get(package, 0.0) + tottime
    whole = sum(totals.values()) or 1.0
    print(f"{'package':<20} {'own time s':>10} {'share':>6}")
    for package, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{package:<20} {seconds:10.3f} {seconds / whole:6.1%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="an SQLAlchemy URL of a database built by http_benchmark.py")
    parser.add_argument("--pages", default="healthz,public_form,queue,case,search,filing",
                        help="also: shell (base.html and one audited read, nothing else); start, the start "
                             "page, is one of http_benchmark.py's pages")
    parser.add_argument("--requests", type=int, default=40, help="requests per batch")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--profile", help="a page to profile with cProfile (after the measurement)")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--mail-delivery", default="request", choices=("request", "worker"),
                        help="MAIL_DELIVERY: with worker, a filing's mail is left to `flask mail worker` "
                             "(not counted here)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="varna-cpu-")

    from http_benchmark import Page, pages_for
    from sqlalchemy import event, select

    from app.extensions import db
    app = make_app(args.db, folder, args.mail_delivery)
    add_shell_page(app)
    with app.app_context():
        from app.cases.models import Case
        from app.org.models import Unit
        vuxna = db.session.scalar(select(Unit.id).where(Unit.name == "Vuxna"))
        reference = db.session.scalar(
            select(Case.reference).where(Case.kind == "deviation", Case.status == "investigating",
                                         Case.unit_id.in_(select(Unit.id).where(Unit.parent_id == vuxna)),
                                         Case.assigned_to_id.is_not(None))
            .order_by(Case.received_at.desc()).limit(1))
        db.session.remove()
        statements = [0]
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))

    wanted = args.pages.split(",")
    extra = [Page("shell", "shell (base.html + audited read)", SHELL_PATH, "erik")]
    pages = [p for p in pages_for(reference) + extra if p.name in wanted]
    clients, forms = {}, {}
    for page in pages:
        if page.user not in clients:
            client = app.test_client()
            clients[page.user] = client
            if page.user:
                forms[page.user] = login(client, page.user)

    def request(page):
        client = clients[page.user]
        if page.post:
            response = client.post(page.path, data=forms[page.user])
        else:
            response = client.get(page.path)
        assert response.status_code in (200, 302), (page.path, response.status_code)

    print(f"{'page':<34} {'CPU ms/request':>15} {'statements':>11}")
    for page in pages:
        for _ in range(3):
            request(page)  # warm: compiled templates, statement caches
        timings = []
        statements[0] = 0
        for _ in range(args.batches):
            start = time.process_time()
            for _ in range(args.requests):
                request(page)
            timings.append((time.process_time() - start) * 1000 / args.requests)
        per = statements[0] / (args.batches * args.requests)
        print(f"{page.label:<34} {statistics.median(timings):15.2f} {per:11.1f}", flush=True)

    if args.profile:
        page = next(p for p in pages if p.name == args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests * 2):
            request(page)
        profiler.disable()
        stats = pstats.Stats(profiler)
        if os.environ.get("PROFILE_OUT"):
            stats.dump_stats(os.environ["PROFILE_OUT"])
        stats.sort_stats(args.sort).print_stats(45)
        print_by_package(stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
