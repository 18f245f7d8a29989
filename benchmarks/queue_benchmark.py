"""How fast is the case queue with a lot of cases? Not a test: a measurement to run by hand.

Fills two fresh SQLite databases, one with 10,000 and one with 1,000,000 cases spread
over ten years and fifty units (bulk inserts, portable SQL through SQLAlchemy Core), then
asks for the queue page through the Flask test client, logged in as an investigator, with
the default filter and three others, and reports the median (and 90th percentile) over a
number of requests per page and size, the two sizes taking turns.

    .venv/bin/python benchmarks/queue_benchmark.py                # 10,000 and 1,000,000 cases
    .venv/bin/python benchmarks/queue_benchmark.py --large 200000 --requests 10
    .venv/bin/python benchmarks/queue_benchmark.py --dir /tmp/queue-bench   # keep the databases

Target (issue 4): a median under 50 ms per page at 1,000,000 cases, and no more than
1.5 times the median at 10,000 cases. Each page view also writes its audit entry and
commits, as in production; the database uses the application's own settings (no PRAGMA
is changed for the measurement, only for the bulk load).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, insert, select

from app import create_app
from app.auth import services as accounts
from app.auth.models import User
from app.cases.deadlines import services as deadlines
from app.cases.models import REFERENCE_PREFIXES, Case, Category, ReferenceCounter, case_categories
from app.clock import to_local, utcnow
from app.demo import load_demo_data
from app.extensions import db
from app.org import services as org
from app.org.models import Unit

YEARS = 10
UNITS = 50
KINDS = ("deviation", "deviation", "deviation", "complaint", "complaint", "lex_sarah")  # roughly 3:2:1
# More units, so that the organisation has fifty (the demo data has seven).
EXTRA_UNITS = {
    "Vuxna": [f"Vuxenenhet {n}" for n in range(1, 8)],
    "Unga": [f"Ungdomsenhet {n}" for n in range(1, 8)],
    "Stab": ["Kvalitet", "Ekonomi"],
    "Äldreomsorg": [f"Hemtjänst {n}" for n in range(1, 16)],
    "Funktionsstöd": [f"Gruppbostad {n}" for n in range(1, 13)],
}
# The pages measured, as erik (investigator of the department Vuxna: ten units).
PAGES = [
    ("default: open cases, newest first", "/arenden"),
    ("one kind, every status", "/arenden?kind=deviation&status=all"),
    ("overdue only", "/arenden?overdue=y"),
    ("unassigned, nearest deadline first", "/arenden?assigned=none&sort=deadline"),
]


def make_app(path: str):
    folder = os.path.dirname(path)
    return create_app({
        "VARNA_ENV": "development", "SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": "sqlite:///" + path,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1, "MAIL_TRANSPORT": "outbox",
        "OUTBOX_DIR": os.path.join(folder, "outbox"), "ATTACHMENT_DIR": os.path.join(folder, "attachments"),
    })


def organisation() -> list[int]:
    """The demo organisation, users and categories, grown to fifty units; the units' ids."""
    load_demo_data("benchmark")
    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)))
    for department, names in EXTRA_UNITS.items():
        parent = db.session.scalar(select(Unit).where(Unit.name == department))
        if parent is None:
            parent = org.create_unit(None, name=department, parent_id=root.id)
        for name in names:
            org.create_unit(None, name=name, parent_id=parent.id)
    db.session.commit()
    leaves = [u.id for u in db.session.scalars(select(Unit).where(Unit.depth == 2).order_by(Unit.id))]
    assert len(leaves) == UNITS, len(leaves)
    # An investigator per department, so that open cases everywhere have handlers.
    for department in db.session.scalars(select(Unit).where(Unit.depth == 1)):
        db.session.add(User(username=f"utredare{department.id}", full_name=f"Utredare {department.name}",
                            role="investigator", units=[department],
                            password_hash=accounts.hash_password("demo", enforce_policy=False)))
    db.session.commit()
    return leaves


class Generator:
    """Cases at random moments over the last ten years, with the statuses a real queue has:
    nearly everything older than a few months is closed, a few stragglers are not."""

    def __init__(self, units: list[int], seed: int = 4):
        self.random = random.Random(seed)  # noqa: S311 - made-up data, repeatable
        self.units = units
        self.now = utcnow()
        self.start = self.now - timedelta(days=365 * YEARS)
        self.numbers: dict[tuple[str, int], int] = {}
        self.categories = {kind: list(db.session.scalars(select(Category.id).where(Category.kind == kind)))
                           for kind in REFERENCE_PREFIXES}
        units_by_id = {u.id: u for u in db.session.scalars(select(Unit))}
        handlers = {}
        for person in db.session.scalars(select(User).where(User.role == "investigator")):
            for unit in person.units:
                handlers.setdefault(unit.id, []).append(person.id)
        self.handlers = {u: [h for a in units_by_id[u].ancestor_ids for h in handlers.get(a, [])] for u in units}
        self.reporter = db.session.scalar(select(User.id).where(User.username == "anna"))
        self.rules = deadlines.rules()
        self.deadline_cache: dict = {}

    def _status(self, kind: str, age_days: float) -> str:
        r = self.random.random()
        if age_days > 120:
            return "closed" if r < 0.998 else "investigating"
        if age_days > 30:
            if r < 0.7:
                return "closed"
            return {"lex_sarah": "judged", "complaint": "answered"}.get(kind, "investigating") if r < 0.85 \
                else "investigating"
        if r < 0.4:
            return "received"
        if kind == "lex_sarah" and r < 0.6:
            return "awaiting_judgment"
        return "investigating"

    def _deadline(self, kind: str, status: str, received: datetime) -> datetime:
        key = (kind, status, to_local(received).date())
        if key not in self.deadline_cache:
            details = SimpleNamespace(channel="letter", anonymous=False, acknowledged_at=None)
            # No immediate protection recorded yet (a lex Sarah report's first step runs).
            case = SimpleNamespace(kind=kind, status=status, complaint=details if kind == "complaint" else None,
                                   lex_sarah_protection=None)
            self.deadline_cache[key] = deadlines.next_deadline_for(case, self.rules, received)
        return self.deadline_cache[key]

    def rows(self, count: int) -> tuple[list[dict], list[tuple[str, int]]]:
        """`count` cases in received order, and for each its reference and one category."""
        span = (self.now - self.start).total_seconds()
        moments = sorted(self.start + timedelta(seconds=self.random.random() * span) for _ in range(count))
        cases, categories = [], []
        for received in moments:
            kind = self.random.choice(KINDS)
            year = to_local(received).year
            number = self.numbers[(kind, year)] = self.numbers.get((kind, year), 0) + 1
            reference = f"{REFERENCE_PREFIXES[kind]}-{year}-{number:05d}"
            age = (self.now - received).total_seconds() / 86400
            status = self._status(kind, age)
            unit = self.random.choice(self.units)
            handlers = self.handlers[unit]
            assigned = (self.random.choice(handlers) if handlers and (status == "closed" or self.random.random() < 0.6)
                        else None)
            cases.append({
                "reference": reference, "kind": kind, "status": status, "unit_id": unit,
                "reporter_id": self.reporter if self.random.random() < 0.5 else None, "assigned_to_id": assigned,
                "received_at": received, "summary": f"Händelse {number} i {kind}", "description": "Beskrivning.",
                "noticed_how": "", "consequences": "", "immediate_measures": "", "client_name": "", "client_pin": "",
                "lex_sarah_type": "misconduct" if kind == "lex_sarah" else None,
                "bypass_manager": kind == "lex_sarah" and self.random.random() < 0.02,
                "triage_text": "", "closing_summary": "", "imported": False, "version": 1,
                "closed_at": received + timedelta(days=20) if status == "closed" else None,
                "next_deadline_at": self._deadline(kind, status, received),
            })
            categories.append((reference, self.random.choice(self.categories[kind])))
        return cases, categories


def bulk_load(generator: Generator, count: int, batch: int = 20000) -> float:
    """Insert `count` cases (and a category each) in batches; returns the seconds it took."""
    began = time.perf_counter()
    connection = db.session.connection()
    # This connection only: the load, not the measurement (benchmarks/http_benchmark.py loads PostgreSQL too).
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA synchronous = OFF")
        connection.exec_driver_sql("PRAGMA cache_size = -200000")
    else:
        connection.exec_driver_sql("SET synchronous_commit = off")
    done = 0
    while done < count:
        cases, categories = generator.rows(min(batch, count - done))
        before = db.session.scalar(select(func.max(Case.id))) or 0
        db.session.execute(insert(Case.__table__), cases)
        ids = dict(db.session.execute(select(Case.reference, Case.id).where(Case.id > before)).all())
        db.session.execute(insert(case_categories), [{"case_id": ids[ref], "category_id": cat}
                                                     for ref, cat in categories])
        db.session.commit()
        done += len(cases)
        print(f"\r  {done:,} cases", end="", flush=True)
    print()
    record_numbers(generator.numbers)
    return time.perf_counter() - began


def record_numbers(numbers: dict[tuple[str, int], int]) -> None:
    """The reference counters past the generated numbers: the app's next filing of a kind and
    year would otherwise take a number the load used (AV-2026-10000 is the generated 10000th,
    written with five digits), and the benchmark's filings would fail from then on."""
    for (kind, year), last in numbers.items():
        row = db.session.get(ReferenceCounter, (kind, year))
        if row is None:
            db.session.add(ReferenceCounter(kind=kind, year=year, last=last))
        else:
            row.last = max(row.last, last)
    db.session.commit()


def _login(app):
    client = app.test_client()
    response = client.post("/logga-in", data={"username": "erik", "password": "demo"})
    assert response.status_code == 302, response.status_code
    return client


def measure(apps: dict[int, object], requests: int, rounds: int = 5) -> dict[int, dict]:
    """Per database size and page: (median ms, 90th percentile ms, median CPU ms, cases shown).

    The sizes take turns, a few requests each, page by page, so that whatever else the
    machine is doing falls on both alike. The CPU time of the process (the test client runs
    the request in it, SQLite included) is shown beside the wall-clock time: on a shared
    machine it tells the page's own cost apart from time spent waiting for the processor."""
    clients = {}
    for size, app in apps.items():
        with app.app_context():
            clients[size] = _login(app)
    results = {size: {} for size in apps}
    for label, url in PAGES:
        samples = {size: ([], []) for size in apps}
        shown = {}
        for size, app in apps.items():
            with app.app_context():
                for _ in range(3):  # warm the caches
                    clients[size].get(url)
        per_round = max(1, requests // rounds)
        for _ in range(rounds):
            for size, app in apps.items():
                with app.app_context():
                    for _ in range(per_round):
                        began, began_cpu = time.perf_counter(), time.process_time()
                        response = clients[size].get(url)
                        samples[size][0].append((time.perf_counter() - began) * 1000)
                        samples[size][1].append((time.process_time() - began_cpu) * 1000)
                        assert response.status_code == 200, response.status_code
                    shown[size] = response.get_data(as_text=True).count('class="case-card')
        for size, (times, cpu) in samples.items():
            times.sort()
            results[size][label] = (statistics.median(times), times[int(0.9 * (len(times) - 1))],
                                    statistics.median(cpu), shown[size])
    return results


def report(size: int, results) -> None:
    print(f"\n{size:,} cases")
    for label, (median, p90, cpu, shown) in results.items():
        print(f"  {label:<38} median {median:6.1f} ms   p90 {p90:6.1f} ms   CPU {cpu:6.1f} ms   "
              f"({shown} on the page)")


def build(path: str, count: int):
    """A database of `count` cases at `path`; the app for it. The same seed gives every
    size the same first cases, so the small database is the beginning of the large one."""
    app = make_app(path)
    with app.app_context():
        db.create_all()
        generator = Generator(organisation())
        seconds = bulk_load(generator, count)
        open_cases = db.session.scalar(select(func.count()).select_from(Case).where(Case.status != "closed"))
        print(f"{path}: {count:,} cases ({open_cases:,} open) loaded in {seconds:.1f} s")
        db.session.remove()
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20, help="per page and size (default 20)")
    parser.add_argument("--dir", help="where to create the two SQLite files and keep them "
                                      "(default: a temporary folder, removed afterwards)")
    args = parser.parse_args()
    folder = None
    if args.dir:
        where = os.path.abspath(args.dir)
        os.makedirs(where, exist_ok=True)
    else:
        folder = tempfile.TemporaryDirectory(prefix="varna-bench-")
        where = folder.name
    paths = {size: os.path.join(where, f"queue-{size}.db") for size in (args.small, args.large)}
    for path in paths.values():
        if os.path.exists(path):
            parser.error(f"{path} exists; remove it or give another --dir")
    apps = {size: build(path, size) for size, path in paths.items()}
    results = measure(apps, args.requests)
    for size in apps:
        report(size, results[size])
    print(f"\n({len(PAGES)} pages as erik, investigator of 10 of the 50 units; {args.requests} requests each)")
    small, large = results[args.small], results[args.large]
    ok = True
    print(f"\nTarget: median under 50 ms at {args.large:,} and at most 1.5 × the median at {args.small:,}")
    for label in large:
        ratio = large[label][0] / small[label][0]
        met = large[label][0] < 50 and ratio <= 1.5
        ok &= met
        print(f"  {label:<38} {small[label][0]:6.1f} → {large[label][0]:6.1f} ms  (× {ratio:.2f})  "
              f"{'met' if met else 'NOT MET'}")
    if folder is not None:
        folder.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
