"""The floor of benchmarks/http_benchmark.py: the least a page like Värna's queue must do, in
the same stack, with none of Värna's features. A yardstick, never deployed.

Where hello world (hello_app.py) is the ceiling of a Flask page, this is the floor of a
logged-in, audited list of cases: Flask-Login loads the person from the signed session
cookie with one statement; one statement reads the fifty newest cases of the person's units
(the same index Värna's queue uses); one INSERT records who read what and the transaction is
committed (as durable as Värna's audit entry, but without its chain or MAC); a Jinja template
(autoescaped) writes a page with a short menu and the fifty rows. No CSRF token, no
permissions, no filters, no counts, no translations, no security headers, no log line.

The same for a case page (the case, its actions and journal) and a filing (the form's two
fields checked, a gapless number from a counter row locked to the commit, the filing and its
audit row committed, a redirect). If these pages cannot reach a share of hello world, neither
can Värna's: they are what is left when everything Värna adds is taken away.

    gunicorn --chdir benchmarks floor_app:app    # DATABASE_URL, SECRET_KEY from the environment
"""

import os
from datetime import UTC, datetime

from flask import Flask, abort, redirect, request
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, bindparam, func, insert, select, text, update

metadata = MetaData()
users = Table("users", metadata, Column("id", Integer, primary_key=True), Column("username", String),
              Column("full_name", String))
cases = Table("cases", metadata, Column("id", Integer, primary_key=True), Column("reference", String),
              Column("summary", String), Column("description", String), Column("status", String),
              Column("kind", String), Column("unit_id", Integer), Column("received_at", DateTime))
journal = Table("journal_events", metadata, Column("id", Integer, primary_key=True), Column("case_id", Integer),
                Column("at", DateTime), Column("actor_name", String), Column("event", String),
                Column("text", String))
actions = Table("actions", metadata, Column("id", Integer, primary_key=True), Column("case_id", Integer),
                Column("description", String), Column("due_on", DateTime), Column("status", String))
memberships = Table("user_units", metadata, Column("user_id", Integer), Column("unit_id", Integer))
units = Table("units", metadata, Column("id", Integer, primary_key=True), Column("path", String))
# The floor's own audit, counter and filings: created by create_tables(), beside Värna's tables.
reads = Table("benchmark_floor_reads", metadata, Column("id", Integer, primary_key=True),
              Column("at", DateTime), Column("user_id", Integer), Column("path", String(200)))
counter = Table("benchmark_floor_counter", metadata, Column("id", Integer, primary_key=True),
                Column("last", Integer, nullable=False))
filings = Table("benchmark_floor_filings", metadata, Column("id", Integer, primary_key=True),
                Column("reference", String(20), unique=True), Column("at", DateTime), Column("user_id", Integer),
                Column("unit_id", Integer), Column("description", String))

FIND_USER = select(users.c.id, users.c.username, users.c.full_name).where(users.c.id == bindparam("id"))
FIND_BY_NAME = select(users.c.id).where(users.c.username == bindparam("username"))
# The person's units and every unit below them, as Värna's queue scopes an investigator.
_theirs = units.alias("theirs")
UNITS_OF = (select(units.c.id).select_from(memberships.join(_theirs, _theirs.c.id == memberships.c.unit_id))
            .where(memberships.c.user_id == bindparam("user_id"), units.c.path.startswith(_theirs.c.path)))
RECORD_READ = insert(reads)
# Gapless numbers as Värna's references: the row stays locked until the filing commits.
NEXT_NUMBER = update(counter).where(counter.c.id == 1).values(last=counter.c.last + 1).returning(counter.c.last)
FILE = insert(filings)
ONE_CASE = select(cases).where(cases.c.reference == bindparam("reference"))
ITS_JOURNAL = select(journal).where(journal.c.case_id == bindparam("case_id")).order_by(journal.c.at, journal.c.id)
ITS_ACTIONS = select(actions).where(actions.c.case_id == bindparam("case_id")).order_by(actions.c.id)
NEWEST_FIFTY = (select(cases.c.reference, cases.c.summary, cases.c.status, cases.c.received_at)
                .where(cases.c.unit_id.in_(bindparam("units", expanding=True)))
                .order_by(cases.c.received_at.desc(), cases.c.id.desc()).limit(50))

PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Ärenden</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><header><nav><a href="/">Start</a> <a href="/arenden">Ärenden</a> <a href="/rapportera">Rapportera</a>
<a href="/statistik">Statistik</a> <span>{{ current_user.full_name }}</span></nav></header>
<main><h1>Ärenden</h1><ul>
{% for case in cases %}<li><a href="/arenden/{{ case.reference }}">{{ case.reference }}</a>
{{ case.summary }} <span>{{ case.status }}</span> <time>{{ case.received_at }}</time></li>
{% endfor %}</ul></main></body></html>"""
CASE_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ case.reference }}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><header><nav><a href="/">Start</a> <a href="/arenden">Ärenden</a> <a href="/rapportera">Rapportera</a>
<a href="/statistik">Statistik</a> <span>{{ current_user.full_name }}</span></nav></header>
<main><h1>{{ case.reference }} {{ case.summary }}</h1><p>{{ case.status }} {{ case.kind }} {{ case.received_at }}</p>
<p>{{ case.description }}</p><h2>Åtgärder</h2><ul>
{% for action in actions %}<li>{{ action.description }} {{ action.due_on }} {{ action.status }}</li>{% endfor %}
</ul><h2>Händelser</h2><ol>
{% for event in journal %}<li><time>{{ event.at }}</time> {{ event.actor_name }} {{ event.event }} {{ event.text }}</li>
{% endfor %}</ol></main></body></html>"""


class Person(UserMixin):
    def __init__(self, row):
        self.id, self.username, self.full_name = row


def create_tables(url: str) -> None:
    """Before the servers start (two workers creating them at once would race on PostgreSQL)."""
    from sqlalchemy import create_engine
    engine = create_engine(url)
    for table in (reads, counter, filings):
        table.create(engine, checkfirst=True)
    with engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(counter)) == 0:
            connection.execute(insert(counter).values(id=1, last=0))
    engine.dispose()


def count_filings(url: str) -> int:
    from sqlalchemy import create_engine
    engine = create_engine(url)
    with engine.connect() as connection:
        n = connection.scalar(select(func.count()).select_from(filings))
    engine.dispose()
    return n


app = Flask(__name__)
app.config.update(SECRET_KEY=os.environ.get("SECRET_KEY", "floor"),
                  SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite://"))
db = SQLAlchemy(app)
# Compiled once, as Flask does for template files.
queue_page, case_page = app.jinja_env.from_string(PAGE), app.jinja_env.from_string(CASE_PAGE)
login_manager = LoginManager(app)

if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
    from sqlalchemy import event

    with app.app_context():
        @event.listens_for(db.engine, "connect")
        def _pragmas(dbapi_connection, _record):  # as Värna's: a write-ahead log
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = NORMAL")


@login_manager.user_loader
def load_user(user_id):
    row = db.session.execute(FIND_USER, {"id": int(user_id)}).first()
    return Person(row) if row else None


@app.get("/login/<username>")
def login(username):
    """The benchmark logs in by name: a yardstick, never deployed."""
    user_id = db.session.execute(FIND_BY_NAME, {"username": username}).scalar()
    if user_id is None:
        abort(404)
    login_user(load_user(user_id))
    return redirect("/arenden")


@app.get("/arenden")
@login_required
def queue():
    units = [row[0] for row in db.session.execute(UNITS_OF, {"user_id": current_user.id})]
    page = db.session.execute(NEWEST_FIFTY, {"units": units}).all()
    db.session.execute(RECORD_READ, {"at": datetime.now(UTC), "user_id": current_user.id,
                                     "path": "/arenden"})
    db.session.commit()
    return queue_page.render(cases=page, current_user=current_user)


@app.get("/arenden/<reference>")
@login_required
def case(reference):
    """A case of the person's units with its actions and journal; none of what else Värna's shows."""
    found = db.session.execute(ONE_CASE, {"reference": reference}).first()
    units = {row[0] for row in db.session.execute(UNITS_OF, {"user_id": current_user.id})}
    if found is None or found.unit_id not in units:
        abort(404)
    its_actions = db.session.execute(ITS_ACTIONS, {"case_id": found.id}).all()
    its_journal = db.session.execute(ITS_JOURNAL, {"case_id": found.id}).all()
    db.session.execute(RECORD_READ, {"at": datetime.now(UTC), "user_id": current_user.id,
                                     "path": f"/arenden/{reference}"})
    db.session.commit()
    return case_page.render(case=found, actions=its_actions, journal=its_journal, current_user=current_user)


@app.post("/rapportera")
@login_required
def file_report():
    """A filing: the form checked, a gapless number taken, the filing and its audit row written and
    committed durably, then the redirect (no CSRF, categories, deadline, journal or notices)."""
    description = request.form.get("description", "").strip()
    unit_id = request.form.get("unit_id", "")
    if not description or not unit_id.isdigit():
        abort(400)
    number = db.session.execute(NEXT_NUMBER).scalar_one()
    now = datetime.now(UTC)
    reference = f"FL-{now.year}-{number:04d}"
    db.session.execute(FILE, {"reference": reference, "at": now, "user_id": current_user.id,
                              "unit_id": int(unit_id), "description": description})
    db.session.execute(RECORD_READ, {"at": now, "user_id": current_user.id, "path": f"/rapportera/{reference}"})
    db.session.commit()
    return redirect(f"/rapportera/kvitto/{reference}")


@app.get("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return "ok"
