"""The officer must not miss a lex Sarah deadline: the immediate protection not yet recorded and
IVO's request for a supplement come in the daily digest (`flask remind`), read from a real SMTP
server on loopback, like the investigation due to IVO."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.lexsarah import protection, supplement
from tests.lexsarah.helpers import draft, judge, loaded, make_case, notify, reload, set_provider, user

DAY = date(2026, 4, 8)
MORNING = datetime(2026, 4, 8, 4, 0)  # 06:00 in Stockholm


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": "https://varna.example.se", **smtp_server.mail_config()}


def _remind(app) -> str:
    with clock.frozen(MORNING):
        result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    return result.output


def _body(smtp_server, to="sara@varna.example") -> str:
    [message] = smtp_server.to(to)
    return message.get_body(("plain",)).get_content()


def test_protection_not_recorded_and_a_supplement_due_are_in_the_officers_digest(app, demo, smtp_server):
    set_provider()
    unprotected = make_case(status="investigating", reported=datetime(2026, 4, 7, 9, 0))
    asked = make_case()
    with clock.frozen(datetime(2026, 4, 1, 9, 0)):
        protection.record_protection(user("sara"), asked.reference, what="Annan personal tog över.",
                                     done_on=date(2026, 3, 2), done_by="Enhetschefen",
                                     expected_version=reload(asked).version)
    judge(asked)
    draft(asked)
    notify(asked)
    with clock.frozen(datetime(2026, 4, 1, 9, 0)):
        supplement.record_supplement_request(user("sara"), **loaded(reload(asked)), requested_on=date(2026, 4, 1),
                                               due_on=date(2026, 4, 10), text="Rutinen för läkemedel.")

    _remind(app)
    body = _body(smtp_server)
    assert "Det omedelbara skyddet av den enskilde är inte registrerat (1):" in body
    assert f"- {unprotected.reference}: senast 2026-04-08 (sista dagen i dag)" in body
    assert f"https://varna.example.se/lex-sarah/{unprotected.reference}" in body
    assert "Kompletteringar som IVO har begärt (1):" in body
    assert f"- {asked.reference}: senast 2026-04-10 (om 2 dagar)" in body
    # References and dates only: nothing the report says, nothing about the client.
    assert "Utebliven läkemedelsgivning" not in body and "Rutinen för läkemedel" not in body
    assert db_actions("lexsarah.duties_reminder_queued") == 1


def test_nothing_is_sent_once_the_protection_is_recorded(app, demo, smtp_server):
    case = make_case(status="investigating", reported=datetime(2026, 4, 7, 9, 0))
    with clock.frozen(datetime(2026, 4, 7, 12, 0)):
        protection.record_protection(user("sara"), case.reference, what="Annan personal tog över.",
                                     done_on=date(2026, 4, 7), done_by="Enhetschefen",
                                     expected_version=reload(case).version)
    output = _remind(app)
    assert "Lex Sarah duties: no protection or supplement due." in output
    assert not smtp_server.to("sara@varna.example")


def db_actions(action: str) -> int:
    from app.extensions import db
    return len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())
