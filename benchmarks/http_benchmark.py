"""How fast is Värna over HTTP, compared with the smallest Flask page? A measurement, not a test.

Serves Värna with gunicorn in production settings (VARNA_ENV=production, freshly generated
strong SECRET_KEY and AUDIT_KEY, TWO_FACTOR_REQUIRED=0 so that the benchmark can log in
with a password) and, side by side, a bare Flask "hello world" (benchmarks/hello_app.py)
from the same venv with the same gunicorn settings. Then it takes turns with `wrk`
(Debian: `apt-get install wrk`) on loopback: hello world, then each Värna page, round
after round, and reports each page's requests per second as a share of hello world's in
the same round (the median over the rounds), its median and 99th percentile latency, and
the CPU time the application's workers (and PostgreSQL's backends) spent per request.

    .venv/bin/python benchmarks/http_benchmark.py                       # everything (about an hour)
    .venv/bin/python benchmarks/http_benchmark.py --sizes 100000 --databases sqlite --rounds 2 --seconds 5

The databases are built once under --dir (default /tmp/varna-bench) with the bulk loader
of benchmarks/queue_benchmark.py and reused (and migrated to the newest schema) on the
next run. PostgreSQL: a server of its own under --dir (Debian's `postgresql` package, run
as the `postgres` user when started by root), or --postgresql-url for one of yours
(its databases varna_bench_<size> are created and filled).

The pages, as in the issue: /healthz; the public complaint form /klagomal; the queue
/arenden as erik (investigator of ten of the fifty units); a case page of his; a free-text
search that matches nothing over every status; and filings (staff POSTing the deviation
form, anna), counted afterwards in the database: every filing wrk saw answered must be there;
and the start page / as erik (every staff member's first page: its numbers).

Beside them, "floor", "floor_case" and "floor_filing": benchmarks/floor_app.py on the same
database, the least an audited, logged-in list of fifty cases (or one case with its actions
and journal, or a filing with a gapless number) must do in this stack (load the person, read
or write the rows, write and commit one audit row, render them), with none of Värna's
features. Where hello world is the ceiling, these are the floor: what the queue, the case
page and the filing could reach if Värna added nothing.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
NO_MATCH = "vattenkokare"  # in no generated case



@dataclass
class Page:
    name: str
    label: str
    path: str
    user: str | None = None       # who is logged in; None: nobody
    post: bool = False            # the filing: a form POST
    floor: bool = False           # served by benchmarks/floor_app.py, not Värna


def pages_for(reference: str) -> list[Page]:
    return [
        Page("healthz", "/healthz", "/healthz"),
        Page("public_form", "/klagomal (public form)", "/klagomal"),
        Page("queue", "/arenden as erik", "/arenden", "erik"),
        Page("floor", "floor: audited list of 50, no Värna", "/arenden", "erik", floor=True),
        Page("case", "case page as erik", f"/arenden/{reference}", "erik"),
        Page("floor_case", "floor: audited case page, no Värna", f"/arenden/{reference}", "erik", floor=True),
        Page("search", "search, no match, every status", f"/arenden?q={NO_MATCH}&status=all", "erik"),
        Page("filing", "filing a deviation (POST, anna)", "/rapportera/avvikelse", "anna", post=True),
        Page("floor_filing", "floor: durable filing, no Värna", "/rapportera", "anna", post=True, floor=True),
        Page("start", "start page / as erik", "/", "erik"),
    ]


# --- databases --------------------------------------------------------------------------------

def sqlite_url(folder: str, size: int) -> str:
    return "sqlite:///" + os.path.join(folder, f"sqlite-{size}.db")


class Postgres:
    """A PostgreSQL server of the benchmark's own, kept under the folder between runs. Its
    settings are the package's defaults (fsync and synchronous commit on: filings must be
    durable) with more shared buffers."""

    def __init__(self, folder: str, port: int):
        self.dir = os.path.join(folder, "pg")
        self.data = os.path.join(self.dir, "data")
        self.port = port
        bindirs = sorted((d for d in os.listdir("/usr/lib/postgresql")), key=lambda v: int(v.split(".")[0])) \
            if os.path.isdir("/usr/lib/postgresql") else []
        if not bindirs:
            sys.exit("PostgreSQL is not installed (as root: apt-get install postgresql).")
        self.bin = f"/usr/lib/postgresql/{bindirs[-1]}/bin"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def _run(self, *command, check=True):
        return subprocess.run([*self.as_user, *command], cwd=self.dir, check=check, capture_output=True, text=True)

    def start(self) -> None:
        os.makedirs(self.dir, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        if not os.path.exists(os.path.join(self.data, "PG_VERSION")):
            self._run(f"{self.bin}/initdb", "-D", self.data, "-A", "trust", "-U", "varna", "-E", "UTF8",
                      "--no-locale")
        if self._run(f"{self.bin}/pg_ctl", "-D", self.data, "status", check=False).returncode == 0:
            return
        self._run(f"{self.bin}/pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w", "-t", "120",
                  "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c shared_buffers=512MB "
                        "-c max_connections=100", "start")

    def url(self, size: int) -> str:
        name = f"varna_bench_{size}"
        exists = subprocess.run([*self.as_user, f"{self.bin}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                                 "varna", "-d", "postgres", "-tAc",
                                 f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                                cwd=self.dir, capture_output=True, text=True, check=True).stdout.strip()
        if not exists:
            self._run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "varna", name)
        return f"postgresql+psycopg://varna@127.0.0.1:{self.port}/{name}"

    def backend_pids(self) -> list[int]:
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return [int(f.readline())]


def _build_app(url: str, folder: str):
    from app import create_app
    return create_app({
        "VARNA_ENV": "development", "SECRET_KEY": "benchmark-build", "SQLALCHEMY_DATABASE_URI": url,
        "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1, "MAIL_TRANSPORT": "outbox",
        "OUTBOX_DIR": os.path.join(folder, "outbox"), "ATTACHMENT_DIR": os.path.join(folder, "attachments"),
    })


def prepare(url: str, size: int, folder: str) -> str:
    """Migrate the database to the newest schema, fill it if it is new; the reference of
    the case page to measure (erik's newest case under investigation)."""
    import queue_benchmark as bulk
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from app.cases.models import Case
    from app.extensions import db
    from app.org.models import Unit

    app = _build_app(url, folder)
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
        count = db.session.scalar(select(func.count()).select_from(Case))
        if count == 0:
            seconds = bulk.bulk_load(bulk.Generator(bulk.organisation()), size)
            print(f"  {url}: {size:,} cases loaded in {seconds:.0f} s", flush=True)
            if db.engine.dialect.name == "postgresql":
                db.session.commit()
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
            else:
                db.session.execute(text("ANALYZE"))
                db.session.commit()
        vuxna = db.session.scalar(select(Unit.id).where(Unit.name == "Vuxna"))
        units = select(Unit.id).where(Unit.parent_id == vuxna)
        reference = db.session.scalar(
            select(Case.reference).where(Case.kind == "deviation", Case.status == "investigating",
                                         Case.unit_id.in_(units), Case.assigned_to_id.is_not(None))
            .order_by(Case.received_at.desc()).limit(1))
        db.session.remove()
        db.engine.dispose()
    return reference


def count_cases(url: str, folder: str) -> int:
    from sqlalchemy import func, select

    from app.cases.models import Case
    from app.extensions import db
    app = _build_app(url, folder)
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Case))
        db.session.remove()
        db.engine.dispose()
    return n


# --- servers ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, app: str, env: dict, workers: int, chdir: str, log: str):
        self.port = free_port()
        self.log = open(log, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--chdir", chdir, "--access-logfile", "/dev/null", app],
            env=env, stdout=self.log, stderr=self.log, start_new_session=True)
        self._wait()

    def _wait(self) -> None:
        for _ in range(300):
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped (exit {self.process.returncode}); see {self.log.name}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    time.sleep(1)  # let every worker boot
                    return
            except OSError:
                time.sleep(0.2)
        sys.exit("gunicorn did not start")

    def pids(self) -> list[int]:
        """The master and its workers."""
        try:
            with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
                return [self.process.pid, *map(int, f.read().split())]
        except OSError:
            return [self.process.pid]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def cpu_seconds(root_pids: list[int]) -> float:
    """utime + stime of the processes and their children (including reaped ones)."""
    total = 0
    seen = set()
    todo = list(root_pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return total / CLOCK_TICKS


# --- logging in -------------------------------------------------------------------------------

def _cookie(headers, name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0]
    return None


def floor_login(port: int, username: str) -> tuple[str, str]:
    """A session cookie of benchmarks/floor_app.py, which logs in by name, and its filing's form."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"/login/{username}")
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 302:
        sys.exit(f"floor login as {username} failed: {response.status}")
    form = urllib.parse.urlencode({"unit_id": "1", "description": "Brukaren fick fel dos av sin medicin."})
    return _cookie(response.getheaders(), "session"), form


def login(port: int, username: str) -> tuple[str, str]:
    """A session cookie for the user (password `demo`) and the CSRF token of that session."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/logga-in")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = _cookie(response.getheaders(), "varna_session")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": "demo"})
    connection.request("POST", "/logga-in", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        sys.exit(f"login as {username} failed: {response.status}")
    cookie = _cookie(response.getheaders(), "varna_session") or cookie
    connection.request("GET", "/rapportera/avvikelse", headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    cookie = _cookie(response.getheaders(), "varna_session") or cookie  # now with the form's CSRF secret
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    unit = re.search(r'<option selected value="(\d+)"', page)
    category = re.search(r'name="category_ids" type="checkbox" value="(\d+)"', page)
    connection.close()
    form = None
    if token and unit and category:
        form = urllib.parse.urlencode({
            "csrf_token": token.group(1), "unit_id": unit.group(1), "occurred_on": time.strftime("%Y-%m-%d"),
            "description": "Brukaren fick fel dos av sin medicin vid kvällsmedicineringen.",
            "category_ids": category.group(1)})
    return cookie, form


# --- wrk --------------------------------------------------------------------------------------

@dataclass
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int          # non-2xx/3xx answers and socket errors
    cpu_ms: float     # application CPU per request
    db_cpu_ms: float = 0.0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * _UNITS[unit]


def run_wrk(url: str, seconds: int, connections: int, *, cookie: str | None = None, body: str | None = None,
            cpu_pids: list[int], db_pids: list[int] | None = None) -> Sample:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    script = None
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if body is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        script.write('wrk.method = "POST"\n'
                     f"wrk.body = {json.dumps(body)}\n"
                     'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
        script.close()
        command += ["-s", script.name]
    before, before_db = cpu_seconds(cpu_pids), cpu_seconds(db_pids or [])
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    cpu, db_cpu = cpu_seconds(cpu_pids) - before, cpu_seconds(db_pids or []) - before_db
    if script is not None:
        os.unlink(script.name)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors:
        bad += sum(int(n) for n in errors.groups())
    per = max(requests, 1)
    return Sample(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                  p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
                  p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
                  requests=requests, bad=bad, cpu_ms=cpu * 1000 / per, db_cpu_ms=db_cpu * 1000 / per)


def drain(port: int) -> None:
    """Wait until the workers have answered what wrk left behind: sync workers keep serving
    the requests already sent when wrk stops, and a slow page's backlog would otherwise eat
    into the next page's round."""
    connection = HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", "/healthz")
    connection.getresponse().read()
    connection.close()


# --- the run ----------------------------------------------------------------------------------

@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)   # hello world rps / page rps, per round
    filed: int | None = None                            # filings found in the database
    answered: int = 0                                   # filings wrk saw answered (2xx/3xx)


def server_env(url: str, folder: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VARNA_ENV", "DATABASE_URL")}
    env.update({
        "VARNA_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "AUDIT_KEY": secrets.token_urlsafe(48),
        "TWO_FACTOR_REQUIRED": "0", "DATABASE_URL": url, "OUTBOX_DIR": os.path.join(folder, "outbox"),
        "ATTACHMENT_DIR": os.path.join(folder, "attachments"), "LOG_FORMAT": "json",
        "PUBLIC_RATE_LIMIT_PER_HOUR": "1000000", "PUBLIC_LOOKUP_LIMIT_PER_HOUR": "1000000",
    })
    return env


def start_mail_worker(env: dict, log: str) -> subprocess.Popen:
    """`flask mail worker` beside gunicorn, as docs/deployment.md runs it (MAIL_DELIVERY=worker)."""
    return subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "wsgi", "mail",
                             "worker", "--interval", "2"], cwd=ROOT, env=env, stdout=open(log, "a"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def measure(args, hello: Server, url: str, reference: str, db_pids: list[int] | None) -> dict[str, Result]:
    env = server_env(url, args.dir)
    env["MAIL_DELIVERY"] = args.mail_delivery
    server = Server("wsgi:app", env, args.workers, ROOT, os.path.join(args.dir, "gunicorn.log"))
    worker = start_mail_worker(env, os.path.join(args.dir, "mail-worker.log")) \
        if args.mail_delivery == "worker" else None
    mail_pids = [worker.pid] if worker else []
    pages = [p for p in pages_for(reference) if p.name in args.pages]
    floor = None
    if any(p.floor for p in pages):
        import floor_app
        floor_app.create_tables(url)
        floor = Server("floor_app:app", {**env, "MAIL_DELIVERY": ""}, args.workers, HERE,
                       os.path.join(args.dir, "floor.log"))
    results = {p.name: Result() for p in pages}
    try:
        for round_number in range(1, args.rounds + 1):
            sessions = {user: login(server.port, user) for user in {p.user for p in pages if p.user and not p.floor}}
            floor_sessions = {user: floor_login(floor.port, user) for user in {p.user for p in pages if p.floor}}
            for page in pages:
                served = floor if page.floor else server
                reference_sample = run_wrk(f"http://127.0.0.1:{hello.port}/", args.seconds, args.connections,
                                           cpu_pids=hello.pids())
                cookie, form = (floor_sessions if page.floor else sessions).get(page.user, (None, None))
                count = (lambda: floor_app.count_filings(url)) if page.floor else (lambda: count_cases(url, args.dir))
                before = count() if page.post else 0
                sample = run_wrk(f"http://127.0.0.1:{served.port}{page.path}", args.seconds, args.connections,
                                 cookie=cookie, body=form if page.post else None,
                                 cpu_pids=served.pids() + ([] if page.floor else mail_pids), db_pids=db_pids)
                drain(served.port)
                result = results[page.name]
                if page.post:
                    time.sleep(1)  # requests wrk gave up on at the end may still be committing
                    result.filed = (result.filed or 0) + count() - before
                    result.answered += sample.requests - sample.bad
                result.samples.append(sample)
                result.shares.append(reference_sample.rps / max(sample.rps, 0.001))
                print(f"    round {round_number} {page.label:<34} {sample.rps:8.1f}/s "
                      f"(hello {reference_sample.rps:7.1f}/s, 1/{result.shares[-1]:.1f})  "
                      f"p50 {sample.p50_ms:6.1f} ms  p99 {sample.p99_ms:7.1f} ms  "
                      f"CPU {sample.cpu_ms:5.1f}+{sample.db_cpu_ms:.1f} ms  bad {sample.bad}", flush=True)
    finally:
        server.stop()
        if floor is not None:
            floor.stop()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return results


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def machine() -> str:
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs ({model})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, for both apps")
    parser.add_argument("--pages", default="healthz,public_form,queue,floor,case,floor_case,search,filing,floor_filing,"
                                             "start")
    parser.add_argument("--dir", default="/tmp/varna-bench", help="where the databases are kept between runs")
    parser.add_argument("--postgresql-url", help="a server of yours (postgresql+psycopg://user@host:port); "
                                                 "default: one of the benchmark's own under --dir")
    parser.add_argument("--postgresql-port", type=int, default=54410)
    parser.add_argument("--mail-delivery", default="worker", choices=("worker", "request"),
                        help="MAIL_DELIVERY of the served app; worker: a `flask mail worker` runs beside it "
                             "(its CPU counted with the application's)")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    args.pages = set(args.pages.split(","))
    args.dir = os.path.abspath(args.dir)
    os.makedirs(args.dir, exist_ok=True)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = args.databases.split(",")
    os.environ["VARNA_ENV"] = "development"  # for building; the served app gets production
    postgres = None
    if "postgresql" in databases and not args.postgresql_url:
        postgres = Postgres(args.dir, args.postgresql_port)
        postgres.start()

    def url_for(database: str, size: int) -> str:
        if database == "sqlite":
            return sqlite_url(args.dir, size)
        if args.postgresql_url:
            return f"{args.postgresql_url.rstrip('/')}/varna_bench_{size}"
        return postgres.url(size)

    configurations = []
    for database in databases:
        for size in sizes:
            url = url_for(database, size)
            print(f"preparing {database} with {size:,} cases", flush=True)
            configurations.append((database, size, url, prepare(url, size, args.dir)))

    print(f"\n{machine()}; load average before: {loadavg()}", flush=True)
    hello = Server("hello_app:app", dict(os.environ), args.workers, HERE, os.path.join(args.dir, "hello.log"))
    all_results = {}
    loads = [loadavg()]
    try:
        for database, size, url, reference in configurations:
            print(f"\n  {database}, {size:,} cases (case page {reference})", flush=True)
            db_pids = postgres.backend_pids() if database == "postgresql" and postgres else None
            all_results[(database, size)] = measure(args, hello, url, reference, db_pids)
            loads.append(loadavg())
    finally:
        hello.stop()
    report(args, all_results, loads)
    return 0


def report(args, all_results, loads) -> None:
    print(f"\n{machine()}; load average (1, 5, 15 min) before and after each database: {' | '.join(loads)}")
    print(f"gunicorn {args.workers} sync workers each; wrk 2 threads, {args.connections} connections, "
          f"{args.rounds} rounds of {args.seconds} s; share = page's requests/s ÷ hello world's in the same round "
          "(median); p50/p99 = median over rounds; CPU = application (+ PostgreSQL) CPU per request\n")
    print("| database | cases | page | share of hello world | requests/s | p50 ms | p99 ms | CPU ms/request | failed |")
    print("|---|---|---|---|---|---|---|---|---|")
    data = {}
    for (database, size), results in all_results.items():
        for name, result in results.items():
            share = statistics.median(result.shares)
            samples = result.samples
            rps = statistics.median(s.rps for s in samples)
            p50 = statistics.median(s.p50_ms for s in samples)
            p99 = statistics.median(s.p99_ms for s in samples)
            cpu = statistics.median(s.cpu_ms for s in samples)
            db_cpu = statistics.median(s.db_cpu_ms for s in samples)
            bad = sum(s.bad for s in samples)
            cpu_text = f"{cpu:.1f}" + (f" + {db_cpu:.1f}" if database == "postgresql" else "")
            extra = ""
            if result.filed is not None:
                extra = f" (filed {result.filed}, answered {result.answered}" \
                        f"{', LOST ' + str(result.answered - result.filed) if result.filed < result.answered else ''})"
            print(f"| {database} | {size:,} | {name} | 1/{share:.1f} | {rps:.0f} | {p50:.1f} | {p99:.1f} | "
                  f"{cpu_text} | {bad}{extra} |")
            data[f"{database}/{size}/{name}"] = {"share": share, "rps": rps, "p50_ms": p50, "p99_ms": p99,
                                                 "cpu_ms": cpu, "db_cpu_ms": db_cpu, "bad": bad,
                                                 "filed": result.filed, "answered": result.answered}
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"loads": loads, "results": data}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
