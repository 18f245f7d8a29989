"""Speed, in statements rather than seconds (a timed test fails on a busy machine): the pages
under load (benchmarks/http_benchmark.py) must not go back to reading the same rows twice or
one row at a time, and the work saved must not change what a person sees."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.cases import queue
from app.extensions import db
from tests.cases.helpers import file_case


@contextmanager
def statements():
    """The SQL statements run inside the block, on a fresh session (as each request in
    production starts: the tests keep one session for the whole test)."""
    db.session.remove()
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def references(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return re.findall(r'<h2><a href="/arenden/([A-Z]{2}-\d{4}-\d{4})">', response.get_data(as_text=True))


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def test_queue_page_reads_each_thing_once(erik):
    for _ in range(3):
        file_case()
    with statements() as seen:
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
    with statements() as before:
        assert erik.get(path).status_code == 200
    for n in range(5):
        _colleague(f"kollega{n}")
    with statements() as after:
        page = erik.get(path)
    assert page.status_code == 200
    assert "Kollega4" in page.get_data(as_text=True)  # a choice of the actions' responsible person
    # Each colleague's units were read one by one (for the permission function).
    assert len(after) == len(before), "\n".join(after)
    assert not any(s.startswith("SELECT count(*) AS count_1 FROM actions") for s in after), \
        "the open actions are counted from the actions read"
