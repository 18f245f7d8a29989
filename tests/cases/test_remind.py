"""`flask remind`, the cases' part: each person's daily digest of overdue cases, against a real
SMTP server on loopback; once a day, whatever the number of runs."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.cases.models import Disqualification
from app.clock import frozen
from app.extensions import db
from app.reminders import ReminderLog
from tests.cases.helpers import file_case, reload, user
from tests.lexsarah.helpers import protect

SUBJECT = "Värna: försenade ärenden"


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": "https://varna.example.se", **smtp_server.mail_config()}


def _remind(app, day: str) -> str:
    year, month, date_ = (int(part) for part in day.split("-"))
    with frozen(datetime(year, month, date_, 5, 0)):  # 06:00 in Stockholm, when cron runs it
        result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    return result.output


def _digests(smtp_server, username) -> list:
    return [m for m in smtp_server.to(f"{username}@varna.example") if m["Subject"].startswith(SUBJECT)]


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def overdue(demo):
    erik = user("erik")
    cases = {
        # Boendestöd (Vuxna, erik's department): due 4 March
        "erik_s": file_case("deviation", at=datetime(2026, 2, 2, 9), summary="Hemligt A"),
        "unassigned": file_case("deviation", at=datetime(2026, 2, 2, 9), summary="Hemligt B"),
        # HVB Solrosen (Unga, ulla's department); lex Sarah: triage due 3 March
        # (protected at once, issue 13: its own reminder is tested in tests/lexsarah/test_duties_reminder.py)
        "unga_lex_sarah": protect(file_case("lex_sarah", unit_name="HVB Solrosen", at=datetime(2026, 3, 2, 9))),
        # filed by erik himself: he may not handle it, so the officers are told
        "filed_by_erik": file_case("deviation", reporter="erik", at=datetime(2026, 2, 2, 9)),
        "due_today": file_case("deviation", at=datetime(2026, 2, 18, 9)),       # due 20 March
        "due_yesterday": file_case("deviation", at=datetime(2026, 2, 17, 9)),   # due 19 March
        "closed": file_case("deviation", at=datetime(2026, 1, 5, 9)),
    }
    cases["erik_s"].assigned_to = erik
    cases["erik_s"].status = "investigating"
    cases["closed"].status = "closed"
    db.session.commit()
    return cases


def test_each_person_gets_one_digest_of_their_overdue_cases(app, overdue, smtp_server):
    output = _remind(app, "2026-03-20")
    assert "Cases: 3 digests queued, 3 sent, 0 failed" in output
    refs = {name: case.reference for name, case in overdue.items()}

    [erik] = _digests(smtp_server, "erik")
    assert erik["Subject"] == f"{SUBJECT} 2026-03-20"
    body = _body(erik)
    mine, unassigned = body.split("Ärenden utan handläggare")
    assert refs["erik_s"] in mine and "Ärenden där du är handläggare" in mine
    assert refs["unassigned"] in unassigned and refs["due_yesterday"] in unassigned
    assert f"https://varna.example.se/arenden/{refs['erik_s']}" in body
    assert "Avvikelsen utredd och avslutad senast 2026-03-04 (16 dagar sen)" in body
    for name in ("unga_lex_sarah", "filed_by_erik", "due_today", "closed"):
        assert refs[name] not in body, name
    assert "Hemligt" not in body, "never what the case is about"

    [ulla] = _digests(smtp_server, "ulla")
    assert refs["unga_lex_sarah"] in _body(ulla) and refs["unassigned"] not in _body(ulla)
    assert "Beslut om utredning senast 2026-03-03" in _body(ulla)

    [sara] = _digests(smtp_server, "sara")
    sara_body = _body(sara)
    assert refs["unga_lex_sarah"] in sara_body, "the officers are told of unassigned lex Sarah reports"
    assert refs["filed_by_erik"] in sara_body, "and of cases nobody in the unit may handle"
    assert refs["unassigned"] not in sara_body and refs["erik_s"] not in sara_body

    assert _digests(smtp_server, "anna") == [] and _digests(smtp_server, "admin") == []
    assert db.session.scalar(select(func.count()).select_from(ReminderLog).where(ReminderLog.section == "cases")) == 3


def test_running_twice_a_day_sends_once_and_the_next_day_again(app, overdue, smtp_server):
    _remind(app, "2026-03-20")
    assert len(smtp_server.messages) == 3
    second = _remind(app, "2026-03-20")
    assert "Cases: 0 digests queued, 0 sent, 0 failed, 3 skipped." in second
    assert len(smtp_server.messages) == 3
    _remind(app, "2026-03-21")
    assert len(_digests(smtp_server, "erik")) == 2
    assert [m["Subject"] for m in _digests(smtp_server, "erik")] == [f"{SUBJECT} 2026-03-20", f"{SUBJECT} 2026-03-21"]


def test_a_case_handled_in_time_leaves_the_digest(app, overdue, smtp_server, login_as):
    case = overdue["erik_s"]
    with frozen(datetime(2026, 3, 19, 12)):
        response = login_as("erik").post(f"/arenden/{case.reference}/avsluta",
                                         data={"version": reload(case).version, "summary": "Klart."})
    assert response.status_code == 302
    _remind(app, "2026-03-20")
    assert case.reference not in _body(_digests(smtp_server, "erik")[0])


def test_nothing_overdue_sends_nothing(app, demo, smtp_server):
    file_case("deviation", at=datetime(2026, 3, 18, 9))
    assert "Cases: nothing overdue." in _remind(app, "2026-03-20")
    assert smtp_server.messages == []


def test_a_handler_who_may_no_longer_handle_it_is_not_reminded(app, overdue, smtp_server):
    """Erik declared himself disqualified (jäv) after being assigned: the unit's others are told."""
    case = overdue["erik_s"]
    db.session.add(Disqualification(case_id=case.id, user_id=user("erik").id, reason="Närstående."))
    db.session.commit()
    _remind(app, "2026-03-20")
    assert case.reference not in _body(_digests(smtp_server, "erik")[0])
    assert case.reference in _body(_digests(smtp_server, "sara")[0])
