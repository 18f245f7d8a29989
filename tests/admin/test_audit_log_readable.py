"""The audit log page for the person who must answer for the data: Swedish labels, case
references, person and date filters, and whether the log's chain is intact."""

import re
from datetime import datetime
from html import escape

import pytest
from sqlalchemy import select, update

from app import audit, clock
from app.admin.services import parse_day
from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db
from tests.actions.conftest import make_case

TABLE = AuditEvent.__table__


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _ids_on(page_html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-event-id="(\d+)"', page_html)]


def _rows(page_html: str) -> str:
    return page_html.split("<tbody>")[1].split("</tbody>")[0]


def _at(moment: datetime, action: str, actor=None, **kwargs) -> None:
    with clock.frozen(moment):
        audit.record(action, actor=actor, **kwargs)
    db.session.commit()


# --- labels and targets ------------------------------------------------------------------------

def test_events_have_swedish_labels_and_the_raw_name(login_as):
    _at(datetime(2026, 3, 1, 9), "unit.deactivated", _user("admin"), object_type="unit", object_id=1)
    rows = _rows(login_as("admin").get("/admin/logg?action=unit.").get_data(as_text=True))
    assert "Enhet inaktiverad" in rows and "<code class=\"muted\">unit.deactivated</code>" in rows


def test_an_unknown_action_is_shown_as_stored(login_as, monkeypatch):
    from app import audit_labels
    with monkeypatch.context() as older_version:  # which knew the name (audit.record refuses an unknown one)
        older_version.setitem(audit_labels.LABELS, "something.from_an_older_version", "Något")
        _at(datetime(2026, 3, 1, 9), "something.from_an_older_version")
    rows = _rows(login_as("admin").get("/admin/logg?action=something").get_data(as_text=True))
    assert rows.count("something.from_an_older_version") == 2  # as the label and as the name


def test_the_english_interface_shows_english_labels(login_as):
    admin = login_as("admin")
    with admin.session_transaction() as session:
        session["language"] = "en"
    rows = _rows(admin.get("/admin/logg?action=login.success").get_data(as_text=True))
    assert "Login" in rows and "Inloggning" not in rows


def test_a_case_is_shown_by_its_reference_with_a_link(login_as, demo):
    case = make_case()
    erik = _user("erik")
    _at(datetime(2026, 3, 3, 9), "case.viewed", erik, object_type="case", object_id=case.id)  # no reference
    _at(datetime(2026, 3, 3, 9), "case.closed", erik, object_type="case", object_id=case.id,
        detail={"reference": case.reference})
    rows = _rows(login_as("admin").get("/admin/logg?object_type=case&user=erik").get_data(as_text=True))
    assert rows.count(f'<a href="/arenden/{case.reference}">{case.reference}</a>') == 2
    assert f"Ärende {case.id}<" not in rows


def test_a_refusal_naming_a_reference_shows_it(login_as):
    _at(datetime(2026, 3, 3, 9), "permission.denied", _user("anna"), object_type="case", object_id="LS-2026-0001")
    rows = _rows(login_as("admin").get("/admin/logg?action=permission").get_data(as_text=True))
    assert '<a href="/arenden/LS-2026-0001">LS-2026-0001</a>' in rows and "Nekad åtkomst" in rows


def test_an_account_is_shown_by_its_name(login_as):
    erik = _user("erik")
    _at(datetime(2026, 3, 3, 9), "user.updated", _user("admin"), object_type="user", object_id=erik.id)
    rows = _rows(login_as("admin").get("/admin/logg?action=user.updated").get_data(as_text=True))
    assert "Användare Erik Eriksson (erik)" in rows


# --- filters -------------------------------------------------------------------------------------

@pytest.fixture
def spread(demo):
    """One case read a day by erik, 25 Feb – 5 Mar 2026 at 23:30 UTC (00:30 the next day in Stockholm)."""
    erik, ulla = _user("erik"), _user("ulla")
    for day in range(25, 29):
        _at(datetime(2026, 2, day, 23, 30), "case.viewed", erik, object_type="case", object_id=day)
    for day in range(1, 6):
        _at(datetime(2026, 3, day, 23, 30), "case.viewed", erik, object_type="case", object_id=day)
    _at(datetime(2026, 3, 2, 12, 0), "case.viewed", ulla, object_type="case", object_id=99)


def _object_ids(html: str) -> list[str]:
    ids = _ids_on(html)
    return [e.object_id for e in db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(ids))
                                                    .order_by(AuditEvent.id.desc()))]


def test_dates_are_stockholm_days_both_included(login_as, spread):
    admin = login_as("admin")
    html = admin.get("/admin/logg?action=case.viewed&user=erik&date_from=2026-03-02&date_to=2026-03-04")
    # 1 Mar 23:30 UTC is 2 Mar in Stockholm; 4 Mar 23:30 UTC is 5 Mar.
    assert _object_ids(html.get_data(as_text=True)) == ["3", "2", "1"]


@pytest.mark.parametrize("typed", ["2026-3-2", "2026/03/02", "20260302", "2/3 2026", "2.3.2026", " 2026-03-02 "])
def test_dates_are_read_leniently(login_as, spread, typed):
    html = login_as("admin").get("/admin/logg", query_string={"action": "case.viewed", "user": "erik",
                                                               "date_from": typed, "date_to": typed})
    assert html.status_code == 200
    assert _object_ids(html.get_data(as_text=True)) == ["1"]
    assert f'value="{escape(typed)}"' in html.get_data(as_text=True)  # the text is kept as typed


def test_a_month_means_the_whole_month(login_as, spread):
    html = login_as("admin").get("/admin/logg?action=case.viewed&user=erik&date_from=2026-02&date_to=2026-02")
    assert _object_ids(html.get_data(as_text=True)) == ["27", "26", "25"]  # 28 Feb 23:30 UTC is 1 Mar


def test_parse_day():
    assert parse_day("2026-02") == datetime(2026, 2, 1).date()
    assert parse_day("2026-02", last=True) == datetime(2026, 2, 28).date()
    assert parse_day("2024", last=True) == datetime(2024, 12, 31).date()
    for bad in ("2026-02-30", "igår", "2026-13-01", "1/13 2026", "", "99999999", "2026-03-01T10:00"):
        assert parse_day(bad) is None, bad


@pytest.mark.parametrize("field, value", [("date_from", "första mars"), ("date_to", "2026-02-30"),
                                          ("date_from", "<script>")])
def test_a_bad_date_gets_a_swedish_message_next_to_the_field(login_as, spread, field, value):
    response = login_as("admin").get("/admin/logg", query_string={field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and "Skriv ett datum som 2026-03-01 (år-månad-dag)." in html
    assert f'value="{escape(value)}"' in html
    assert "Rätta de markerade fälten i filtret." in html and _ids_on(html) == []


def test_an_end_before_the_start_is_refused(login_as, spread):
    html = login_as("admin").get("/admin/logg?date_from=2026-03-05&date_to=2026-03-01").get_data(as_text=True)
    assert 'id="date_to-error"' in html and "Slutdatumet ligger före startdatumet." in html
    assert 'value="2026-03-05"' in html and 'value="2026-03-01"' in html


def test_filter_by_chosen_person(login_as, spread):
    ulla = _user("ulla")
    admin = login_as("admin")
    html = admin.get(f"/admin/logg?person={ulla.id}").get_data(as_text=True)
    shown = db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(_ids_on(html)))).all()
    assert shown and {e.user_id for e in shown} == {ulla.id}
    assert re.search(rf'<option selected value="{ulla.id}">|<option value="{ulla.id}" selected>', html)
    assert "Ulla Ullsson (ulla)" in html


def test_a_malformed_person_is_a_message_not_an_error(login_as, spread):
    response = login_as("admin").get("/admin/logg?person=abc")
    assert response.status_code == 422
    assert "Välj en person i listan." in response.get_data(as_text=True)
    assert login_as("admin").get("/admin/logg?person=999999").status_code == 200  # nobody: no rows


def test_the_date_filter_survives_paging(login_as, demo):
    erik = _user("erik")
    with clock.frozen(datetime(2026, 3, 2, 9)):
        for i in range(120):
            audit.record("case.viewed", actor=erik, object_type="case", object_id=i)
    db.session.commit()
    _at(datetime(2026, 3, 5, 9), "case.viewed", erik, object_type="case", object_id=500)
    admin = login_as("admin")
    first = admin.get("/admin/logg?date_from=2026-03-02&date_to=2026-03-02").get_data(as_text=True)
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Äldre händelser</a>', first).group(1).replace("&amp;", "&")
    assert "date_from=2026-03-02" in link and "date_to=2026-03-02" in link
    second = admin.get(link).get_data(as_text=True)
    assert len(_ids_on(first)) == 100 and len(_ids_on(second)) == 20


# --- the chain --------------------------------------------------------------------------------

def test_an_intact_log_says_so_and_that_it_was_never_fully_checked(login_as):
    html = login_as("admin").get("/admin/logg").get_data(as_text=True)
    assert 'data-chain="recent-ok"' in html and "stämmer." in html
    assert 'data-chain="never"' in html and "flask --app wsgi audit verify" in html


def test_a_changed_row_is_named_on_the_page(login_as, demo):
    for i in range(5):
        _at(datetime(2026, 3, 1, 9), "case.viewed", _user("erik"), object_type="case", object_id=i)
    target = db.session.scalar(select(AuditEvent.id).where(AuditEvent.object_id == "2"))
    db.session.execute(update(TABLE).where(TABLE.c.id == target).values(user_name="Någon annan"))
    db.session.commit()
    html = login_as("admin").get("/admin/logg").get_data(as_text=True)
    assert 'data-chain="recent-broken"' in html
    assert f"Rad {target} har ändrats efter att den skrevs." in html


def test_the_last_full_verification_is_shown(login_as, app):
    for i in range(3):
        _at(datetime(2026, 3, 1, 9), "case.viewed", object_type="case", object_id=i)
    with clock.frozen(datetime(2026, 3, 2, 2, 0)):
        assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
    html = login_as("admin").get("/admin/logg").get_data(as_text=True)
    assert 'data-chain="full-ok"' in html
    assert "Senaste kontroll av hela loggen, 2026-03-02 03:00: den stämmer till och med rad 3." in html
    assert "Loggens kedja kontrollerad" in html


def test_a_broken_full_verification_is_shown(login_as, app):
    for i in range(3):
        _at(datetime(2026, 3, 1, 9), "case.viewed", object_type="case", object_id=i)
    db.session.execute(update(TABLE).where(TABLE.c.id == 1).values(ip="10.0.0.1"))
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 1
    html = login_as("admin").get("/admin/logg").get_data(as_text=True)
    assert 'data-chain="full-broken"' in html and "rad 1 har ändrats efter att den skrevs." in html


def test_the_live_check_is_capped(login_as, demo, monkeypatch):
    from app import audit_chain
    monkeypatch.setattr(audit_chain, "LIVE_ROWS", 10)
    for i in range(30):
        audit.record("case.viewed", object_type="case", object_id=i)
    db.session.commit()
    db.session.execute(update(TABLE).where(TABLE.c.id == 3).values(ip="10.0.0.1"))  # outside the window
    db.session.commit()
    html = login_as("admin").get("/admin/logg").get_data(as_text=True)
    assert 'data-chain="recent-ok"' in html and "De senaste 10 raderna" in html
