"""Benchmark: the statistics of one year with 1,000,000 cases, against the same GROUP BY queries
written by hand in raw SQL, in the same run; and the import of 100,000 CSV rows.

    .venv/bin/python scripts/stats_benchmark.py                        # SQLite (a temporary file)
    .venv/bin/python scripts/stats_benchmark.py --database-url postgresql+psycopg://varna@127.0.0.1:54329/bench
    TEST_DATABASE_URL=... .venv/bin/python scripts/stats_benchmark.py --both   # SQLite, then PostgreSQL

The database is emptied and filled with generated cases (10 years, 100,000 a year: 60 %
deviations, 25 % complaints, 15 % lex Sarah reports, with categories, judgments, IVO
notifications, complaint channels and answers, and actions), so never point it at a
database you want to keep: it refuses a non-empty one unless --reset is given.

For each round it times `app.stats.report.statistics(year)` (the queries SQLAlchemy
builds, plus turning their rows into the contract JSON) and the same eleven queries as
hand-written SQL strings (rows fetched, nothing else), alternating, and reports medians
and their ratio (the target is within 1.2x). Then it imports a generated 100,000-row CSV
file through app.imports.services.import_file (the target is under 60 seconds).
"""

import argparse
import os
import random
import statistics as pystats
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import insert, inspect, text

from app import create_app
from app.actions.models import DEFAULT_ACTION_TYPES, ActionType, CaseAction
from app.auth.models import User
from app.cases.models import Case, Category, ComplaintDetails, case_categories
from app.extensions import db
from app.lexsarah.models import LexSarahIvo, LexSarahJudgment
from app.org.models import Unit
from app.stats import queries
from app.stats.report import statistics

FIRST_YEAR, LAST_YEAR = 2016, 2025
DEPARTMENTS = {
    "Unga": ["Mottagning barn och familj", "Utredning barn och unga", "HVB Solrosen", "Familjehem"],
    "Vuxna": ["Vuxenstöd", "Boendestöd", "Socialpsykiatri", "Missbruk och beroende"],
    "Äldre": ["Hemtjänst Norr", "Hemtjänst Söder", "Särskilt boende Eken", "Korttidsboende"],
    "Stab": ["Administration", "Kvalitet och utveckling"],
}
DEVIATION_CATEGORIES = ["Brister i bemötande", "Utebliven insats", "Brister i utförande av insats",
                        "Bristande informationsöverföring", "Brister i rättssäkerhet/handläggning", "Dokumentation",
                        "Sekretess", "Fysisk miljö, utrustning, teknik", "Fysiska övergrepp", "Psykiska övergrepp"]
COMPLAINT_CATEGORIES = ["Bemötande", "Handläggning", "Kompetens", "Tillgänglighet", "Insatsens kvalitet"]
CHANNELS = ["web", "email", "letter", "phone", "visit", "ivo"]
GENDERS = ["female", "male", "other", "unknown", None]
CHUNK = 10_000


# --- the generated database ------------------------------------------------------------------------

def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11)


def seed(cases: int, rng: random.Random) -> None:
    """Fill an empty schema with `cases` generated cases spread over FIRST_YEAR..LAST_YEAR."""
    root = Unit(name="Socialförvaltningen", depth=0)
    db.session.add(root)
    db.session.flush()
    root.path = f"/{root.id}/"
    unit_ids = []
    for name, children in DEPARTMENTS.items():
        department = Unit(name=name, parent=root, depth=1)
        db.session.add(department)
        db.session.flush()
        department.path = f"{root.path}{department.id}/"
        unit_ids.append(department.id)
        for child in children:
            unit = Unit(name=child, parent=department, depth=2)
            db.session.add(unit)
            db.session.flush()
            unit.path = f"{department.path}{unit.id}/"
            unit_ids.append(unit.id)
    categories = {}
    for kind, names in (("deviation", DEVIATION_CATEGORIES), ("lex_sarah", DEVIATION_CATEGORIES),
                        ("complaint", COMPLAINT_CATEGORIES)):
        rows = [Category(kind=kind, name=n, position=i) for i, n in enumerate(names)]
        db.session.add_all(rows)
        db.session.flush()
        categories[kind] = [c.id for c in rows]
    types = [ActionType(name=n, position=i) for i, n in enumerate(DEFAULT_ACTION_TYPES)]
    db.session.add_all(types)
    officer = User(username="bench", full_name="Bench Officer", role="officer", password_hash="!")
    db.session.add(officer)
    db.session.commit()
    type_ids = [t.id for t in types]

    span = (datetime(LAST_YEAR + 1, 1, 1) - datetime(FIRST_YEAR, 1, 1)).total_seconds()
    start = datetime(FIRST_YEAR, 1, 1)
    next_id = 1
    for offset in range(0, cases, CHUNK):
        batch = []
        links, details, judgments, notices, actions = [], [], [], [], []
        for _ in range(min(CHUNK, cases - offset)):
            case_id = next_id
            next_id += 1
            roll = rng.random()
            kind = "deviation" if roll < 0.60 else "complaint" if roll < 0.85 else "lex_sarah"
            received = start + timedelta(seconds=rng.random() * span)
            triage_roll = rng.random()
            triage = "not_investigate" if triage_roll < 0.15 else "investigate" if triage_roll < 0.85 else None
            handover = None
            if kind == "deviation" and rng.random() < 0.01:
                handover = "to_lex_sarah"
            reason = None
            if triage == "not_investigate" and kind != "complaint":
                reason = rng.choice(("not_own_service", "already_investigated",
                                     "not_caused_by_service" if kind == "deviation" else "no_misconduct"))
            # Version 2: some cases were made by a hand-over (an earlier case as origin) and count as received.
            origin = rng.randint(1, case_id - 1) if case_id > 1 and kind != "complaint" and rng.random() < 0.02 \
                else None
            row = {"id": case_id, "reference": f"B-{case_id:08d}", "kind": kind, "status": "closed",
                   "unit_id": rng.choice(unit_ids), "received_at": received, "summary": "Genererat ärende",
                   "description": "", "client_gender": rng.choice(GENDERS), "triage_decision": triage,
                   "triage_reason": reason, "handover": handover, "origin_case_id": origin, "imported": False,
                   "version": 1}
            for category_id in rng.sample(categories[kind], rng.choice((0, 1, 1, 2))):
                links.append({"case_id": case_id, "category_id": category_id})
            if kind == "complaint":
                answered = received + timedelta(days=rng.randint(2, 45)) if rng.random() < 0.7 else None
                details.append({"case_id": case_id, "channel": rng.choice(CHANNELS), "answered_at": answered,
                                "complaint_type": "suggestion" if rng.random() < 0.2 else "complaint"})
            if kind == "lex_sarah" and triage != "not_investigate" and rng.random() < 0.8:
                outcome = rng.choices(("misconduct", "risk", "none"), (4, 2, 4))[0]
                serious = None if outcome == "none" else rng.random() < 0.3
                if outcome == "none" and rng.random() < 0.3:
                    row["handover"] = "to_deviation"
                judgments.append({"case_id": case_id, "outcome": outcome, "serious": serious, "rationale": "R",
                                  "decided_by_id": officer.id,
                                  "decided_at": received + timedelta(days=rng.randint(3, 60)),
                                  "proposed_answers": {}})
                if serious and rng.random() < 0.8:
                    sent = (received + timedelta(days=rng.randint(1, 20))).date()
                    notices.append({"case_id": case_id, "decision": "notified", "decided_by_id": officer.id,
                                    "decided_at": _noon(sent), "sent_via": "e_service", "sent_on": sent,
                                    "ivo_reference": "IVO-1", "document_html": "<p>A</p>", "document_pdf": b"%PDF",
                                    "html_sha256": "0" * 64, "pdf_sha256": "0" * 64, "investigation_due_on": sent,
                                    "version": 1, **({"ivo_outcome": rng.choice(("no_criticism", "criticism",
                                                                                 "demands")),
                                                      "ivo_decided_on": sent, "ivo_decision_text": "Beslut"}
                                                     if rng.random() < 0.6 else
                                                     {"ivo_outcome": None, "ivo_decided_on": None,
                                                      "ivo_decision_text": ""})})
            if rng.random() < 0.2:
                status = rng.choice(("planned", "in_progress", "done", "done", "cancelled"))
                followed = rng.choice(("yes", "partly", "no")) if status == "done" and rng.random() < 0.5 else None
                actions.append({"case_id": case_id, "type_id": rng.choice(type_ids), "description": "Åtgärd",
                                "responsible_id": officer.id, "due_on": received.date(), "status": status,
                                "follow_up_result": followed, "origin": "case", "version": 1})
            batch.append(row)
        db.session.execute(insert(Case.__table__), batch)
        for table, values in ((case_categories, links), (ComplaintDetails.__table__, details),
                              (LexSarahJudgment.__table__, judgments), (LexSarahIvo.__table__, notices),
                              (CaseAction.__table__, actions)):
            if values:
                db.session.execute(insert(table), values)
        db.session.commit()
        print(f"\r  seeded {offset + len(batch):,} cases", end="", flush=True)
    print()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
        db.session.commit()
    analyze()


def analyze() -> None:
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()


# --- the same queries, by hand ----------------------------------------------------------------------

def raw_queries(dialect: str) -> list[str]:
    """The fifteen queries of app.stats.report.statistics (app.stats.queries), written by hand."""
    if dialect == "sqlite":
        def days(end: str, start: str) -> str:
            return f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)"
    else:
        def days(end: str, start: str) -> str:
            return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"
    kinds = "c.kind IN ('deviation', 'lex_sarah', 'complaint')"
    base = f"{kinds} AND c.received_at >= :start AND c.received_at < :end"

    def median(inner: str) -> str:
        return ("SELECT avg(days) FROM (SELECT days, row_number() OVER (ORDER BY days) AS position, "
                f"count(*) OVER () AS total FROM ({inner}) AS measured) AS ranked "
                "WHERE position = (total + 1) / 2 OR position = (total + 2) / 2")

    trend_year = ("CASE WHEN c.received_at < :y1 THEN :first WHEN c.received_at < :y2 THEN :first + 1 "
                  "WHEN c.received_at < :y3 THEN :first + 2 WHEN c.received_at < :y4 THEN :first + 3 "
                  "ELSE :first + 4 END")
    trend_base = f"{kinds} AND c.received_at >= :trend_start AND c.received_at < :end"
    return [
        "SELECT c.kind, c.client_gender, count(*), "
        "sum(CASE WHEN c.triage_decision = 'not_investigate' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.handover = 'to_deviation' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.handover = 'to_lex_sarah' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN c.origin_case_id IS NOT NULL THEN 1 ELSE 0 END) "
        f"FROM cases c WHERE {base} GROUP BY c.kind, c.client_gender",

        f"SELECT c.kind, min(c.received_at) FROM cases c WHERE {kinds} GROUP BY c.kind",
        "SELECT kind, year FROM statistics_data_from",

        "SELECT c.kind, c.triage_reason, count(*) FROM cases c "
        f"WHERE {base} AND c.triage_decision = 'not_investigate' GROUP BY c.kind, c.triage_reason",

        "SELECT sum(CASE WHEN j.outcome = 'misconduct' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN j.outcome = 'risk' THEN 1 ELSE 0 END), sum(CASE WHEN j.outcome = 'none' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN j.outcome IN ('misconduct', 'risk') AND j.serious IS TRUE THEN 1 ELSE 0 END), "
        "sum(CASE WHEN i.decision = 'notified' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN i.ivo_outcome = 'no_criticism' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN i.ivo_outcome = 'criticism' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN i.ivo_outcome = 'demands' THEN 1 ELSE 0 END) "
        "FROM cases c LEFT JOIN lex_sarah_judgments j ON j.case_id = c.id "
        f"LEFT JOIN lex_sarah_ivo i ON i.case_id = c.id WHERE {base} AND c.kind = 'lex_sarah'",

        "SELECT d.channel, d.complaint_type, count(*), sum(CASE WHEN d.answered_at IS NOT NULL THEN 1 ELSE 0 END) "
        f"FROM cases c JOIN complaint_details d ON d.case_id = c.id WHERE {base} AND c.kind = 'complaint' "
        "GROUP BY d.channel, d.complaint_type",

        "SELECT dep.name, x.kind, sum(x.n) FROM (SELECT c.unit_id, c.kind, count(*) AS n FROM cases c "
        f"WHERE {base} GROUP BY c.kind, c.unit_id) x JOIN units u ON u.id = x.unit_id "
        "JOIN units dep ON (dep.depth = 1 AND u.path LIKE dep.path || '%') OR (u.depth = 0 AND dep.id = u.id) "
        "GROUP BY dep.name, x.kind",

        "SELECT c.kind, cat.name, count(*) FROM cases c JOIN case_categories cc ON cc.case_id = c.id "
        f"JOIN categories cat ON cat.id = cc.category_id WHERE {base} GROUP BY c.kind, cat.name",

        "SELECT t.name, count(*) FROM actions a JOIN cases c ON c.id = a.case_id "
        f"JOIN action_types t ON t.id = a.type_id WHERE {kinds} AND c.received_at >= :start AND c.received_at < :end "
        "AND a.status <> 'cancelled' GROUP BY t.name",
        "SELECT a.follow_up_result, count(*) FROM actions a JOIN cases c ON c.id = a.case_id "
        f"WHERE {base} AND a.follow_up_result IS NOT NULL GROUP BY a.follow_up_result",

        median(f"SELECT {days('j.decided_at', 'c.received_at')} AS days FROM cases c "
               f"JOIN lex_sarah_judgments j ON j.case_id = c.id WHERE {base} AND c.kind = 'lex_sarah' "
               "AND j.outcome IS NOT NULL AND c.imported IS FALSE"),
        median(f"SELECT {days('i.sent_on', 'c.received_at')} AS days FROM cases c "
               f"JOIN lex_sarah_ivo i ON i.case_id = c.id WHERE {base} AND c.kind = 'lex_sarah' "
               "AND i.decision = 'notified' AND i.sent_on IS NOT NULL"),
        median(f"SELECT {days('d.answered_at', 'c.received_at')} AS days FROM cases c "
               f"JOIN complaint_details d ON d.case_id = c.id WHERE {base} AND c.kind = 'complaint' "
               "AND d.answered_at IS NOT NULL"),

        f"SELECT year, kind, count(*) FROM (SELECT {trend_year} AS year, c.kind FROM cases c "
        f"WHERE {trend_base}) AS rows GROUP BY year, kind",
        f"SELECT year, count(*) FROM (SELECT {trend_year} AS year FROM lex_sarah_ivo i "
        f"JOIN cases c ON c.id = i.case_id WHERE i.decision = 'notified' AND c.kind = 'lex_sarah' "
        f"AND {trend_base}) AS rows GROUP BY year",
    ]


def raw_parameters(year: int) -> dict:
    first = year - 4
    return {"start": queries.year_start(year), "end": queries.year_start(year + 1),
            "trend_start": queries.year_start(first), "first": first,
            **{f"y{n}": queries.year_start(first + n) for n in range(1, 5)}}


def run_raw(statements: list[str], parameters: dict) -> int:
    rows = 0
    with db.engine.connect() as conn:
        for statement in statements:
            rows += len(conn.execute(text(statement), parameters).fetchall())
    return rows


# --- the import ------------------------------------------------------------------------------------

def import_csv(rows: int, rng: random.Random) -> bytes:
    import csv
    import io

    from app.imports.services import COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    departments = list(DEPARTMENTS)
    for n in range(rows):
        kind = rng.choice(("deviation", "deviation", "complaint", "lex_sarah"))
        received = date(2015, 1, 1) + timedelta(days=rng.randint(0, 364))
        department = rng.choice(departments)
        unit = rng.choice(DEPARTMENTS[department] + [""])
        categories = ";".join(rng.sample(COMPLAINT_CATEGORIES if kind == "complaint" else DEVIATION_CATEGORIES,
                                         rng.choice((0, 1, 2))))
        channel = rng.choice(CHANNELS) if kind == "complaint" else ""
        triage = rng.choice(("investigate", "investigate", "not_investigated", ""))
        judgment = serious = ivo = handed = ""
        if kind == "lex_sarah" and triage != "not_investigated":
            judgment = rng.choice(("misconduct", "risk", "none", ""))
            if judgment in ("misconduct", "risk"):
                serious = rng.choice(("yes", "no"))
                if serious == "yes" and rng.random() < 0.7:
                    ivo = (received + timedelta(days=rng.randint(1, 20))).isoformat()
            elif judgment == "none":
                handed = rng.choice(("yes", "no"))
        closed = (received + timedelta(days=rng.randint(5, 90))).isoformat()
        writer.writerow([f"IMP-{n:07d}", kind, received.isoformat(), department, unit, "", categories,
                         channel, triage, judgment, serious, ivo, handed, closed,
                         rng.choice(("female", "male", "other", "unknown", ""))])
    return out.getvalue().encode()


# --- the run --------------------------------------------------------------------------------------

def run(url: str, *, cases: int, rounds: int, import_rows: int, reset: bool) -> dict:
    app = create_app({"VARNA_ENV": "development", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark",
                      "TESTING": False, "OUTBOX_DIR": tempfile.mkdtemp()})
    with app.app_context():
        dialect = db.engine.dialect.name
        if inspect(db.engine).get_table_names() and not reset:
            sys.exit(f"{url}: the database has tables; the benchmark empties it only with --reset.")
        print(f"== {dialect}: {url}")
        db.drop_all()
        db.create_all()
        rng = random.Random(7)
        started = time.perf_counter()
        seed(cases, rng)
        print(f"  seeding took {time.perf_counter() - started:.0f} s")
        year = LAST_YEAR - 1
        statements, parameters = raw_queries(dialect), raw_parameters(year)
        statistics(year), run_raw(statements, parameters)  # warm the caches
        if os.environ.get("BENCH_EACH"):
            with db.engine.connect() as conn:
                for statement in statements:
                    t0 = time.perf_counter()
                    conn.execute(text(statement), parameters).fetchall()
                    print(f"    {(time.perf_counter() - t0) * 1000:7.1f} ms  {statement[:90]}")
        orm_times, raw_times = [], []
        for _ in range(rounds):
            t0 = time.perf_counter()
            data = statistics(year)
            db.session.rollback()
            t1 = time.perf_counter()
            run_raw(statements, parameters)
            t2 = time.perf_counter()
            orm_times.append(t1 - t0)
            raw_times.append(t2 - t1)
        orm, raw = pystats.median(orm_times), pystats.median(raw_times)
        print(f"  statistics({year}): {orm * 1000:.0f} ms (median of {rounds}); the same queries in raw SQL: "
              f"{raw * 1000:.0f} ms; ratio {orm / raw:.2f}")
        print(f"  ({data['deviations']['received']:,} deviations, {data['complaints']['received']:,} complaints, "
              f"{data['lex_sarah']['received']:,} lex Sarah reports in {year})")
        result = {"dialect": dialect, "cases": cases, "orm_ms": orm * 1000, "raw_ms": raw * 1000,
                  "ratio": orm / raw}
        if import_rows:
            from app.imports.services import import_file
            payload = import_csv(import_rows, random.Random(11))
            t0 = time.perf_counter()
            outcome = import_file(payload, source="benchmark.csv")
            elapsed = time.perf_counter() - t0
            assert outcome.ok, [str(p) for p in outcome.problems[:5]]
            print(f"  import of {import_rows:,} CSV rows: {elapsed:.1f} s ({outcome.created:,} cases created)")
            result["import_s"] = elapsed
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--both", action="store_true", help="SQLite, then TEST_DATABASE_URL (PostgreSQL)")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--reset", action="store_true", help="empty a database that already has tables")
    args = parser.parse_args()
    urls = []
    if args.database_url:
        urls.append(args.database_url)
    else:
        urls.append("sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="varna-bench-"), "bench.db"))
        if args.both:
            if not os.environ.get("TEST_DATABASE_URL"):
                sys.exit("--both needs TEST_DATABASE_URL (e.g. from scripts/with-throwaway-postgres.sh).")
            urls.append(os.environ["TEST_DATABASE_URL"])
    results = [run(url, cases=args.cases, rounds=args.rounds, import_rows=args.import_rows,
                   reset=args.reset or url.startswith("sqlite") or url == os.environ.get("TEST_DATABASE_URL"))
               for url in urls]
    print()
    print("| database | cases | statistics of one year | same queries, raw SQL | ratio | import of "
          f"{args.import_rows:,} rows |")
    print("|---|---|---|---|---|---|")
    for r in results:
        imported = f"{r['import_s']:.1f} s" if "import_s" in r else "–"
        print(f"| {r['dialect']} | {r['cases']:,} | {r['orm_ms']:.0f} ms | {r['raw_ms']:.0f} ms | {r['ratio']:.2f} | "
              f"{imported} |")


if __name__ == "__main__":
    main()
