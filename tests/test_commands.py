"""The command contract (app/commands.py) and what create_app makes of it, and mail after commit."""

import pytest
from sqlalchemy import select

from app.commands import Conflict, NotFound, Refused
from app.extensions import db
from app.mailer import OutgoingMail, queue_email
from app.workflow import MoveRefused


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.mail_config()


def _answer(app, error):
    with app.test_request_context("/arenden/AV-2026-0001"):
        return app.make_response(app.handle_user_exception(error))


def test_a_refusal_no_route_handled_is_a_409_with_its_message(app):
    response = _answer(app, Refused("Ärendet är redan avslutat.", "summary"))
    assert response.status_code == 409 and "Ärendet är redan avslutat." in response.get_data(as_text=True)


def test_a_refused_move_and_a_conflict_are_409_and_not_found_is_404(app):
    assert _answer(app, MoveRefused("wrong_status", "close", "deviation", "received")).status_code == 409
    assert _answer(app, Conflict()).status_code == 409
    assert _answer(app, NotFound()).status_code == 404


def test_every_feature_error_is_a_refused_or_a_conflict():
    from app.actions.services import ActionConflict, ActionError
    from app.api.tokens import TokenError
    from app.auth.services import AccountError
    from app.cases.casework.services import CaseConflict, CaseNotFound, CaseWorkError
    from app.intake.services import IntakeError
    from app.intake.services import NotFound as IntakeNotFound
    from app.lexsarah.common import LexSarahConflict, LexSarahError
    from app.org.services import UnitError
    from app.public.services import ComplaintError
    for refused in (ActionError, TokenError, AccountError, CaseWorkError, IntakeError,
                    LexSarahError, UnitError, ComplaintError):
        assert issubclass(refused, Refused), refused
    for conflict in (ActionConflict, CaseConflict, LexSarahConflict):
        assert issubclass(conflict, Conflict), conflict
    assert issubclass(CaseNotFound, NotFound) and issubclass(IntakeNotFound, NotFound)
    # Caught as a conflict before a refusal (the app's handlers look along the class's MRO).
    assert LexSarahConflict.__mro__.index(Conflict) < LexSarahConflict.__mro__.index(Refused)


def test_mail_goes_out_after_the_commit_and_never_after_a_rollback(app, smtp_server):
    queue_email(["rolled@varna.example"], "Rullas tillbaka", "x")
    db.session.rollback()
    queue_email(["sent@varna.example"], "Skickas", "x")
    assert smtp_server.to("sent@varna.example") == []  # not before the commit
    db.session.commit()
    assert len(smtp_server.to("sent@varna.example")) == 1
    assert smtp_server.to("rolled@varna.example") == []
    [row] = db.session.scalars(select(OutgoingMail)).all()
    assert row.sent_at is not None


def test_a_savepoint_does_not_send_the_mail_of_the_transaction_around_it(app, smtp_server):
    queue_email(["later@varna.example"], "Senare", "x")
    with db.session.begin_nested():
        pass
    assert smtp_server.to("later@varna.example") == []
    db.session.commit()
    assert len(smtp_server.to("later@varna.example")) == 1


def test_mail_left_to_the_worker_stays_queued(app, smtp_server):
    queue_email(["worker@varna.example"], "Arbetaren", "x", deliver="by_worker")
    db.session.commit()
    assert smtp_server.to("worker@varna.example") == []
    assert db.session.scalar(select(OutgoingMail.sent_at)) is None
