"""Speed, in statements rather than seconds (a timed test fails on a busy machine): the pages
under load (benchmarks/http_benchmark.py) must not go back to reading the same rows twice or
one row at a time, and the work saved must not change what a person sees."""

import re

import pytest

from app.cases.queue import services as queue
from app.extensions import db
from tests.cases.helpers import file_case
from tests.cases.helpers import queue_references as references
from tests.statements import statements as counted


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def test_queue_page_reads_each_thing_once(erik):
    for _ in range(3):
        file_case()
    with counted(fresh_session=True) as seen:
        assert len(references(erik.get("/arenden"))) == 3
    # The person with their units (one statement), every unit once (scope, unit filter and its
    # choices), the page, the counts, the audit entry (its chain: lock and read the head in
    # one statement, move it, insert), the cards, the categories, the years (min and max in one).
    assert len(seen) <= 10, "\n".join(seen)
    assert sum(s.startswith("SELECT units.") for s in seen) == 1, "\n".join(seen)
    assert not any(s.startswith("SELECT users.") for s in seen[1:]), "the person was read again"


def test_a_persons_first_page_is_built_once_and_still_shows_new_cases(erik, monkeypatch):
    queue._STATEMENTS.clear()
    built = []
    original = queue.page_query
    monkeypatch.setattr(queue, "page_query", lambda *a, **k: built.append(1) or original(*a, **k))
    first = file_case(summary="Det första")
    assert references(erik.get("/arenden")) == [first.reference]
    second = file_case(summary="Det andra")
    # The statement is kept; the rows are not: the new case is on the page.
    assert references(erik.get("/arenden")) == [second.reference, first.reference]
    assert len(built) == 1
    # Another filter is another statement, and a cursor page is built each time.
    erik.get("/arenden?kind=deviation")
    assert len(built) == 2


def test_kept_statements_are_per_scope(login_as):
    """Two people with different units, one after the other: each sees their own queue."""
    queue._STATEMENTS.clear()
    mine = file_case(unit_name="Boendestöd")
    other = file_case(unit_name="HVB Solrosen")
    assert references(login_as("erik").get("/arenden")) == [mine.reference]
    assert other.reference in references(login_as("sara").get("/arenden"))
    assert references(login_as("erik").get("/arenden")) == [mine.reference]


def _colleague(name: str) -> None:
    from app.auth import services as accounts
    from app.auth.models import User
    from tests.cases.helpers import unit
    db.session.add(User(username=name, full_name=name.title(), role="investigator", units=[unit("Boendestöd")],
                        password_hash=accounts.hash_password("demo", enforce_policy=False)))
    db.session.commit()


def test_case_page_statements_do_not_grow_with_the_colleagues(erik):
    case = file_case()
    path = f"/arenden/{case.reference}"
    assert erik.get(path).status_code == 200  # the rules and action types kept in the process are read
    with counted(fresh_session=True) as before:
        assert erik.get(path).status_code == 200
    for n in range(5):
        _colleague(f"kollega{n}")
    with counted(fresh_session=True) as after:
        page = erik.get(path)
    assert page.status_code == 200
    assert "Kollega4" in page.get_data(as_text=True)  # a choice of the actions' responsible person
    # Each colleague's units were read one by one (for the permission function).
    assert len(after) == len(before), "\n".join(after)
    assert not any(s.startswith("SELECT count(*) AS count_1 FROM actions") for s in after), \
        "the open actions are counted from the actions read"


# --- the public form's choices, kept in the process --------------------------------------------

def _department_names(client) -> list[str]:
    page = client.get("/klagomal")
    assert page.status_code == 200
    # The departments are radio buttons, each with its label (and the admin's sentence, if any).
    return re.findall(r'type="radio" name="department_id"[^>]*>\s*<label for="[^"]+">([^<]+)</label>',
                      page.get_data(as_text=True))


def test_public_form_reads_nothing_from_the_database_the_second_time(demo, client):
    client.get("/klagomal")
    with counted(fresh_session=True) as seen:
        assert client.get("/klagomal").status_code == 200
    assert seen == []


def test_a_department_or_topic_changed_here_is_on_the_form_at_once(demo, client):
    from app.auth.models import User
    from app.cases.categories import add_category, categories_for, update_category
    from app.org import services as org
    from tests.cases.helpers import unit
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    names = _department_names(client)
    assert "Unga" in names and "Familjerätt" not in names
    org.create_unit(admin, name="Familjerätt", parent_id=unit("Socialförvaltningen").id)
    assert "Familjerätt" in _department_names(client)
    unga = unit("Unga")
    org.update_unit(admin, unga, name="Barn och unga", parent_id=unga.parent_id)
    names = _department_names(client)
    assert "Barn och unga" in names and "Unga" not in names
    add_category(admin, "complaint", "Bemötande i telefon")
    assert "Bemötande i telefon" in client.get("/klagomal").get_data(as_text=True)
    topic = next(c for c in categories_for("complaint") if c.name == "Bemötande i telefon")
    update_category(admin, topic, name="Bemötande i telefon", active=False)
    assert "Bemötande i telefon" not in client.get("/klagomal").get_data(as_text=True)


def test_a_change_made_by_another_process_is_on_the_form_within_the_half_minute(demo, client, monkeypatch):
    from sqlalchemy import update

    from app import process_cache
    from app.org.models import Unit
    assert "Unga" in _department_names(client)
    # Another worker's commit: this process's session never sees it.
    with db.engine.begin() as connection:
        connection.execute(update(Unit).where(Unit.name == "Unga").values(name="Barn och unga"))
    assert "Unga" in _department_names(client)
    later = process_cache.time.monotonic() + 31
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    names = _department_names(client)
    assert "Barn och unga" in names and "Unga" not in names


def test_templates_translate_once_per_request_and_follow_force_locale(app):
    from flask import g, render_template_string, session
    from flask_babel import force_locale
    with app.test_request_context("/"):
        session["language"] = "en"
        assert render_template_string('{{ _("Ärenden") }}') == "Cases"
        with force_locale("sv"):
            assert render_template_string('{{ _("Ärenden") }}') == "Ärenden"
        assert render_template_string('{{ _("Ärenden") }}') == "Cases"
    g.pop("_flask_babel", None)  # a new request starts with an empty g (the tests keep one app context)
    with app.test_request_context("/"):
        assert render_template_string('{{ _("Ärenden") }}') == "Ärenden"


def test_a_filing_takes_its_number_claims_its_mail_and_redirects_without_reading_again(login_as):
    from app.cases.models import Case
    from app.mailer import OutgoingMail
    from tests.intake.conftest import post_report, valid_form
    anna = login_as("anna")
    assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302  # the year's counter exists
    with counted(fresh_session=True) as seen:
        response = post_report(anna, "deviation", valid_form("deviation"))
    assert response.status_code == 302
    reference = response.headers["Location"].rsplit("/", 1)[1]
    assert db.session.scalar(db.select(Case.reference).order_by(Case.id.desc()).limit(1)) == reference
    assert db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail)
                             .where(OutgoingMail.sent_at.is_(None))) == 0
    text = "\n".join(seen)
    # The number in the UPDATE itself (RETURNING), not read back with a SELECT.
    assert not any(s.startswith("SELECT reference_counters") for s in seen), text
    # Both notices claimed in one UPDATE, and no search for more after the last one.
    assert sum(s.startswith("UPDATE outgoing_mail SET claimed_until") for s in seen) == 1, text
    assert sum(s.startswith("SELECT outgoing_mail.id FROM") for s in seen) == 1, text
    # The redirect needs the reference only: the case and the person are not read again.
    inserted = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO cases"))
    assert not any(s.startswith(("SELECT cases.", "SELECT users.")) for s in seen[inserted:]), text


# --- free-text search: the matches from the index first, then the page --------------------------

def _search_page(client, query: str, status: str = "all") -> tuple[list[str], str]:
    response = client.get(f"/arenden?q={query}&status={status}")
    counts = re.search(r'class="status-counts".*?</nav>', response.get_data(as_text=True), re.S).group(0)
    return references(response), re.sub(r"\s+", " ", counts)


def test_a_search_reads_its_matches_once_and_pages_them_by_id(erik):
    mine = [file_case(summary=f"Fallolycka i badrummet {n}") for n in range(3)]
    file_case(summary="Fallolycka på HVB", unit_name="HVB Solrosen")  # not erik's
    file_case(summary="Uteblivet besök")
    expected = [c.reference for c in reversed(mine)]
    with counted(fresh_session=True) as seen:
        found, _ = _search_page(erik, "fallolycka")
    assert found == expected
    text = "\n".join(seen)
    # The index is asked once, for at most FEW + 1 ids; the page and the counts look those up by
    # id, one statement each, instead of a lookup in the index per unit and per status.
    probes = [s for s in seen if "cases_search MATCH" in s or "to_tsvector" in s]
    assert len(probes) == 1 and "LIMIT" in probes[0], text
    page = next(s for s in seen if s.startswith("SELECT cases.id, cases.received_at"))
    assert "UNION" not in page and "cases.id IN" in page, page
    assert sum(s.startswith("SELECT cases.status, count(*)") for s in seen) == 1, text


@pytest.mark.parametrize("status", ["all", "open"])
def test_a_text_found_in_many_cases_finds_what_a_rare_one_does(erik, monkeypatch, status):
    """Past search.FEW matches the queue walks its ranges and checks each case instead: the
    same page, the same counts, and still only the person's own cases."""
    from app.cases.queue import search
    for n in range(4):
        file_case(summary=f"Fallolycka i badrummet {n}")
    file_case(summary="Fallolycka på HVB", unit_name="HVB Solrosen")
    closed = file_case(summary="Fallolycka förra året")
    closed.status = "closed"
    db.session.commit()
    few = _search_page(erik, "fallolycka", status)
    monkeypatch.setattr(search, "FEW", 2)
    queue._STATEMENTS.clear()
    many = _search_page(erik, "fallolycka", status)
    assert many == few
    assert len(few[0]) == (5 if status == "all" else 4)
    assert _search_page(erik, "vattenkokare", status)[0] == []


# --- the case page: deadline rules and action types kept in the process --------------------------

def test_case_page_keeps_deadline_rules_and_action_types_and_shows_a_change_at_once(erik):
    from app.actions.types import add_action_type
    from app.auth.models import User
    from app.cases.deadlines.services import DEFAULTS, update_deadlines
    case = file_case()
    path = f"/arenden/{case.reference}"
    assert erik.get(path).status_code == 200
    with counted(fresh_session=True) as seen:
        page = erik.get(path)
    assert page.status_code == 200
    text = "\n".join(seen)
    assert not any("FROM deadline_settings" in s for s in seen), text
    assert not any("FROM action_types" in s for s in seen), text
    html = page.get_data(as_text=True)
    assert "frist: 30 kalenderdagar" in html and "Nyckelrutin i boendet" not in html
    admin = db.session.scalar(db.select(User).where(User.username == "admin"))
    add_action_type(admin, "Nyckelrutin i boendet")
    update_deadlines(admin, {key: ((21, "days") if key == ("deviation", "handling") else (r.amount, r.unit))
                             for key, r in DEFAULTS.items()})
    html = erik.get(path).get_data(as_text=True)
    assert "Nyckelrutin i boendet" in html
    assert "frist: 21 kalenderdagar" in html and "frist: 30 kalenderdagar" not in html


# --- mail: with a worker configured, a request only queues -------------------------------------

def test_with_a_mail_worker_a_filing_only_queues_its_notices(app, login_as, monkeypatch):
    from app import mailer
    from app.mailer import OutgoingMail
    from tests.intake.conftest import post_report, valid_form
    anna = login_as("anna")
    assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302
    monkeypatch.setitem(app.config, "MAIL_DELIVERY", "worker")
    unsent = db.select(db.func.count()).select_from(OutgoingMail).where(OutgoingMail.sent_at.is_(None))
    assert db.session.scalar(unsent) == 0
    with counted(fresh_session=True) as seen:
        assert post_report(anna, "deviation", valid_form("deviation")).status_code == 302
    text = "\n".join(seen)
    assert not any(s.startswith("UPDATE outgoing_mail") for s in seen), text
    waiting = db.session.scalar(unsent)
    assert waiting >= 1
    # The worker's pass sends them.
    assert mailer.run_worker(once=True) == (waiting, 0)
    assert db.session.scalar(unsent) == 0


def test_mail_delivery_is_request_or_worker():
    from app.config import ConfigError, finish
    with pytest.raises(ConfigError, match="MAIL_DELIVERY"):
        finish({"INACTIVITY_MINUTES": 30, "SQLALCHEMY_DATABASE_URI": "sqlite://", "VARNA_ENV": "development",
                "MAIL_DELIVERY": "cron"})
