"""Speed of what every logged-in page pays before its own work (the "shell"): the person, the
audit entry of the read and its chain, base.html. Held in statements and in calls counted, not
in seconds (a timed test fails on a busy machine); and what a person sees must not change."""

import re
from pathlib import Path

import pytest
from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from app import audit, audit_chain, commands
from app.audit import AuditEvent
from app.extensions import db
from tests.statements import statements as counted

SHELL = "/_test/skal"


@pytest.fixture
def app_config():
    # An app of this module's own (the apps are kept per configuration), so that the page
    # below can be added before its first request.
    return {"TEST_SPEED_SHELL": True}


@pytest.fixture
def shell_app(app):
    """A page that is nothing but the shell: base.html around a heading, and one audited read
    (as the queue and the case page record theirs), committed as they commit."""
    if "speed_shell" not in app.view_functions:
        template = app.jinja_env.from_string(
            '{% extends "base.html" %}{% block title %}Skal{% endblock %}'
            '{% block content %}<h1>Skal</h1><p id="units">{% for unit in current_user.units %}'
            '{{ unit.name }};{% endfor %}</p>{% endblock %}')

        def shell():
            audit.record("case.listed", actor=current_user, object_type="case", object_id="",
                         detail={"case_ids": [1, 2]})
            commands.commit_keeping_loaded()
            return render_template(template)

        app.add_url_rule(SHELL, "speed_shell", shell)
    return app


@pytest.fixture
def erik(shell_app, login_as):
    return login_as("erik")


def test_a_logged_in_audited_page_costs_four_statements_three_on_postgresql(erik):
    erik.get(SHELL)  # warm: the head exists, as in any running installation
    with counted(fresh_session=True) as seen:
        response = erik.get(SHELL)
    assert response.status_code == 200
    # The person with their units and whether any case concerns them (one statement); the
    # audit entry: lock and read the chain's head, insert the row, move the head (PostgreSQL:
    # the insert and the move in one statement).
    assert seen[0].startswith("SELECT users.") and "JOIN units" in seen[0] and "case_concerned_staff" in seen[0]
    assert "audit_chain_head" in seen[1]
    if db.engine.dialect.name == "postgresql":
        assert len(seen) == 3, "\n".join(seen)
        assert seen[2].startswith("WITH moved_head AS (UPDATE audit_chain_head")
        assert "INSERT INTO audit_events" in seen[2]
    else:
        assert len(seen) == 4, "\n".join(seen)
        assert seen[2].startswith("INSERT INTO audit_events") and "audit_chain_head" in seen[3]


def test_the_person_is_read_once_with_their_units(erik):
    with counted(fresh_session=True) as seen:
        page = erik.get(SHELL).get_data(as_text=True)
    assert sum(s.startswith("SELECT users.") for s in seen) == 1, "\n".join(seen)
    assert not any(s.startswith("SELECT units.") for s in seen), "the units were loaded apart"
    assert "Erik Eriksson" in page
    units = page.split('<p id="units">', 1)[1].split("</p>", 1)[0]
    assert units.count(";") >= 1


def test_the_audit_entries_of_pages_are_whole_and_chained(erik):
    for _ in range(3):
        erik.get(SHELL)
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.listed")
                              .order_by(AuditEvent.id)).all()
    assert len(rows) == 3
    erik_id = rows[0].user_id
    assert erik_id is not None
    for row in rows:
        assert (row.user_id, row.user_name, row.object_type, row.object_id, row.detail) == \
            (erik_id, "Erik Eriksson", "case", "", {"case_ids": [1, 2]})
        assert row.ip == "127.0.0.1" and len(row.mac) == 64 and row.at is not None
    report = audit_chain.verify_all()
    assert report.ok and report.up_to == rows[-1].id, report.describe()


def test_a_changed_session_token_still_ends_the_session(erik, shell_app):
    from app.auth.models import User
    assert erik.get(SHELL).status_code == 200
    user = db.session.scalar(select(User).where(User.username == "erik"))
    user.session_token = "another"
    db.session.commit()
    response = erik.get(SHELL)
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_the_seal_writes_rows_not_session_objects(app):
    """The entries and the head are written by statements, not by the unit of work (its
    bookkeeping cost more CPU than the statements): after the commit the session holds
    neither, and the rows read back exactly as sealed."""
    from app.audit import AuditChainHead
    event = audit.record("case.viewed", object_type="case", object_id=7, detail={"view": "full"})
    db.session.commit()
    assert event not in db.session
    assert not any(isinstance(o, (AuditEvent, AuditChainHead)) for o in db.session.identity_map.values())
    stored = db.session.scalar(select(AuditEvent).where(AuditEvent.id == event.id))
    assert (stored.mac, stored.object_id, stored.detail) == (event.mac, "7", {"view": "full"})
    assert stored.mac == audit.compute_mac(audit.audit_key(), "", stored)


def test_the_menu_asks_the_permission_function_once_per_entry(erik, monkeypatch):
    import app as varna
    from app.auth import permissions
    asked, built = [], []
    real_can, real_url_for = permissions.can, varna.url_for
    monkeypatch.setattr(permissions, "can", lambda user, action, case=None: asked.append(action)
                        or real_can(user, action, case))
    monkeypatch.setattr(varna, "url_for", lambda *a, **k: built.append(a) or real_url_for(*a, **k))
    template = Path(varna.__file__).with_name("templates").joinpath("base.html").read_text(encoding="utf-8")
    menu = sorted(permissions.Action[name] for name in set(re.findall(r"Action\.([A-Z_]+) in allowed", template)))
    assert len(menu) >= 7
    first = erik.get(SHELL).get_data(as_text=True)
    assert sorted(asked) == menu  # each entry's action once
    asked.clear(), built.clear()
    second = erik.get(SHELL).get_data(as_text=True)
    assert sorted(asked) == menu
    # The menu's, the account's and the footer's links are built once per process.
    assert built == []
    strip = lambda page: page.split('name="csrf_token" value="')[0]  # noqa: E731 - the token is the request's
    assert strip(first) == strip(second)
    for link in ("/arenden", "/", "/logga-ut", "/tillganglighet"):
        assert f'href="{link}"' in first or f'action="{link}"' in first, link


@pytest.mark.parametrize("username", ["anna", "erik", "sara", "admin"])
def test_the_menu_shows_what_the_permission_function_allows(shell_app, login_as, username):
    from app.auth.models import User
    from app.auth.permissions import Action, can
    page = login_as(username).get(SHELL).get_data(as_text=True)
    menu = page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    user = db.session.scalar(select(User).where(User.username == username))
    for action, link in ((Action.FILE_REPORT, "/rapportera"), (Action.VIEW_QUEUE, "/arenden"),
                         (Action.MANAGE_USERS, "/admin/anvandare")):
        assert (f'href="{link}"' in menu) == can(user, action), (username, action)


def test_a_stylesheet_does_not_read_the_person_and_a_page_still_refreshes_the_session(erik):
    erik.get(SHELL)
    with counted(fresh_session=True) as seen:
        response = erik.get("/static/css/varna.css")
    assert response.status_code == 200
    assert seen == []
    # The inactivity timeout: every page (and file) signs the session again, with a new expiry.
    page = erik.get(SHELL)
    assert "varna_session=" in page.headers.get("Set-Cookie", "") and "Expires=" in page.headers["Set-Cookie"]


def test_texts_without_variables_are_kept_per_language(erik, shell_app):
    swedish = erik.get(SHELL).get_data(as_text=True)
    assert ">Logga ut<" in swedish
    erik.post("/sprak", data={"language": "en", "next": SHELL})
    english = erik.get(SHELL).get_data(as_text=True)
    assert ">Log out<" in english and ">Logga ut<" not in english
    erik.post("/sprak", data={"language": "sv", "next": SHELL})
    assert ">Logga ut<" in erik.get(SHELL).get_data(as_text=True)


@pytest.mark.parametrize(("username", "path", "current"), [
    ("erik", "/", "/"), ("erik", "/arenden", "/arenden"), ("anna", "/mina-rapporter", "/mina-rapporter"),
    ("anna", "/rapportera", "/rapportera"), ("admin", "/admin/anvandare", "/admin/anvandare")])
def test_the_menu_marks_the_page_it_is_on(login_as, username, path, current):
    page = login_as(username).get(path).get_data(as_text=True)
    menu = page.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert menu.count('aria-current="page"') == 1, menu
    assert f'<a href="{current}" aria-current="page">' in menu, menu


def test_hooks_are_checked_for_coroutines_once_per_process(erik, monkeypatch):
    import flask.app
    asked = []
    real = flask.app.iscoroutinefunction
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda f: asked.append(f) or real(f))
    erik.get(SHELL)
    asked.clear()
    assert erik.get(SHELL).status_code == 200
    assert asked == []


def test_where_two_factor_is_required_the_enrolment_is_read_with_the_person(erik, shell_app):
    from app.auth.models import User
    from app.auth.twofactor import TwoFactor
    from app.clock import utcnow
    user = db.session.scalar(select(User).where(User.username == "erik"))
    db.session.add(TwoFactor(user_id=user.id, secret_encrypted="x", confirmed_at=utcnow()))
    db.session.commit()
    shell_app.config["TWO_FACTOR_REQUIRED"] = True  # the app fixture restores its configuration
    erik.get(SHELL)
    with counted(fresh_session=True) as seen:
        response = erik.get(SHELL)
    assert response.status_code == 200
    assert len(seen) == (3 if db.engine.dialect.name == "postgresql" else 4), "\n".join(seen)
    assert "two_factor" in seen[0] and not any(s.startswith("SELECT two_factor") for s in seen)


def test_where_two_factor_is_required_a_person_not_enrolled_must_enrol_first(erik, shell_app):
    shell_app.config["TWO_FACTOR_REQUIRED"] = True
    response = erik.get(SHELL)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tvastegsverifiering/aktivera"), response.headers["Location"]
