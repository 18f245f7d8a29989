"""The audit log page: filters and keyset pagination ("Äldre händelser")."""

import html as html_lib
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app import audit, clock
from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _ids_on(page_html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-event-id="(\d+)"', page_html)]


def _older_link(page_html: str) -> str | None:
    match = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Äldre händelser</a>', page_html)
    return html_lib.unescape(match.group(1)) if match else None


def _walk(client, url: str) -> tuple[list[int], int]:
    """Every event id on every page, following "Äldre händelser"; and the number of pages."""
    ids: list[int] = []
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        ids += _ids_on(page)
        pages += 1
        url = _older_link(page)
        assert pages < 50, "pagination does not end"
    return ids, pages


@pytest.fixture
def events(demo):
    """250 case reads by erik and ulla, plus a few other events, all committed."""
    erik, ulla = _user("erik"), _user("ulla")
    with clock.frozen(datetime(2026, 3, 1, 9, 0)):
        for i in range(250):
            audit.record("case.viewed", actor=erik if i % 2 else ulla, object_type="case", object_id=i % 7)
        audit.record("case.triaged", actor=erik, object_type="case", object_id=3, detail={"status": "triage"})
        audit.record("unit.updated", actor=_user("admin"), object_type="unit", object_id=5, detail={"name": "X"})
    db.session.commit()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).all()


def test_all_events_are_paged_newest_first_without_duplicates_or_gaps(login_as, events):
    admin = login_as("admin")
    # The admin's own login comes on top of the fixture's events.
    expected = [e.id for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()))]
    assert len(expected) > 250

    ids, pages = _walk(admin, "/admin/logg")

    assert ids == expected
    assert pages == (len(expected) + 99) // 100


def test_paging_keeps_the_filter(login_as, events):
    admin = login_as("admin")
    erik = _user("erik")
    expected = [e.id for e in events if e.action == "case.viewed" and e.user_id == erik.id]
    assert len(expected) == 125

    ids, pages = _walk(admin, "/admin/logg?action=case.viewed&user=Erik")

    assert ids == expected
    assert pages == 2


def test_events_written_while_paging_do_not_shift_the_pages(login_as, events):
    admin = login_as("admin")
    first = admin.get("/admin/logg?action=case.").get_data(as_text=True)
    seen = _ids_on(first)
    audit.record("case.viewed", actor=_user("erik"), object_type="case", object_id=1)
    db.session.commit()
    rest, _ = _walk(admin, _older_link(first))
    everything = seen + rest
    assert len(everything) == len(set(everything)) == 251
    assert everything == sorted(everything, reverse=True)


def test_filter_by_person(login_as, events):
    admin = login_as("admin")
    page = admin.get("/admin/logg?user=ulla").get_data(as_text=True)  # the username works too
    shown = _ids_on(page)
    ulla = _user("ulla")
    assert shown == [e.id for e in events if e.user_id == ulla.id][:100]
    assert "Erik Eriksson" not in page.split("<tbody>")[1]
    by_name = _ids_on(admin.get("/admin/logg?user=ULLA+ULLS").get_data(as_text=True))
    assert by_name == shown


def test_filter_by_person_folds_swedish_capitals(login_as, events):
    admin = login_as("admin")
    orjan = User(username="orjan", full_name="Örjan Åkesson", role="staff", password_hash="x")
    db.session.add(orjan)
    db.session.flush()
    audit.record("case.viewed", actor=orjan, object_type="case", object_id=1)
    db.session.commit()
    for query in ("örjan", "ÖRJAN", "åkesson", "Örjan Åkesson"):
        page = admin.get("/admin/logg", query_string={"user": query}).get_data(as_text=True)
        assert len(_ids_on(page)) == 1, query


def test_filter_by_action_prefix(login_as, events):
    admin = login_as("admin")
    ids = _ids_on(admin.get("/admin/logg?action=case.tri").get_data(as_text=True))
    assert ids == [e.id for e in events if e.action == "case.triaged"]
    unit_ids = _ids_on(admin.get("/admin/logg?action=unit").get_data(as_text=True))
    assert unit_ids == [e.id for e in events if e.action.startswith("unit")]
    logins = _ids_on(admin.get("/admin/logg?action=login.").get_data(as_text=True))
    assert logins and all(e.action.startswith("login.") for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.id.in_(logins))))


@pytest.mark.parametrize("prefix", ["case_", "c%", "%viewed", "case\\"])
def test_like_wildcards_in_the_action_prefix_are_plain_characters(login_as, events, prefix):
    admin = login_as("admin")
    response = admin.get("/admin/logg", query_string={"action": prefix})
    assert response.status_code == 200
    assert _ids_on(response.get_data(as_text=True)) == []
    assert "Inga händelser matchar filtret." in response.get_data(as_text=True)


def test_filter_by_object(login_as, events):
    admin = login_as("admin")
    ids = _ids_on(admin.get("/admin/logg?object_type=case&object_id=3").get_data(as_text=True))
    assert ids == [e.id for e in events if e.object_type == "case" and e.object_id == "3"]
    assert len(ids) == len([i for i in range(250) if i % 7 == 3]) + 1
    units = _ids_on(admin.get("/admin/logg?object_type=unit").get_data(as_text=True))
    assert units == [e.id for e in events if e.object_type == "unit"]


def test_filters_combine(login_as, events):
    admin = login_as("admin")
    erik = _user("erik")
    ids = _ids_on(admin.get("/admin/logg?user=erik&action=case&object_type=case&object_id=3")
                  .get_data(as_text=True))
    assert ids == [e.id for e in events if e.user_id == erik.id and e.object_id == "3" and e.object_type == "case"]


def test_filter_values_are_kept_in_the_form(login_as, events):
    page = login_as("admin").get("/admin/logg?user=erik&action=case.&object_type=case&object_id=3")
    html = page.get_data(as_text=True)
    assert 'value="erik"' in html and 'value="case."' in html and 'value="3"' in html
    assert re.search(r'<option selected value="case">|<option value="case" selected>', html)


def test_stray_query_parameters_do_not_break_the_older_link(login_as, events):
    # Every parameter used to be passed on to url_for(), which refuses "endpoint" (a 500).
    admin = login_as("admin")
    response = admin.get("/admin/logg?endpoint=x&_external=1&_anchor=y&values=z")
    assert response.status_code == 200
    link = _older_link(response.get_data(as_text=True))
    assert link.startswith("/admin/logg?") and "endpoint" not in link and "_external" not in link


def test_a_bad_page_marker_shows_the_newest(login_as, events):
    admin = login_as("admin")
    newest = _ids_on(admin.get("/admin/logg").get_data(as_text=True))
    # Reading the log is itself logged: the first visit's entry is now the newest.
    visit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "audit.viewed"))
    assert visit.id == newest[0] + 1
    assert _ids_on(admin.get("/admin/logg?fore=abc").get_data(as_text=True)) == [visit.id, *newest[:-1]]


def test_times_are_shown_in_stockholm_time(login_as, events):
    page = login_as("admin").get("/admin/logg?action=unit").get_data(as_text=True)
    assert "2026-03-01 10:00:00" in page  # 09:00 UTC in winter


def test_only_admins_read_the_log(login_as, events):
    for username in ("anna", "erik", "sara"):
        assert login_as(username).get("/admin/logg").status_code == 403


def test_details_are_readable(login_as, events):
    page = login_as("admin").get("/admin/logg?action=unit.updated").get_data(as_text=True)
    assert "name: X" in page
    audit.record("unit.updated", actor=_user("admin"), object_type="unit", object_id=5,
                 detail={"name": "Öppenvård", "active": False, "units": [1, 2]})
    db.session.commit()
    page = login_as("admin").get("/admin/logg?action=unit.updated").get_data(as_text=True)
    assert "name: Öppenvård; active: false; units: [1, 2]" in page
