"""Hand-made cases for the statistics tests: filed through open_case (tests.cases.helpers.file_case),
then the columns and rows a counting rule reads are set directly."""

from datetime import date, datetime

from sqlalchemy import select

from app.actions.models import ActionType, CaseAction
from app.cases.models import Case
from app.extensions import db
from app.lexsarah.models import LexSarahIvo, LexSarahJudgment
from tests.cases.helpers import file_case, user


def at(year: int, month: int = 6, day: int = 15) -> datetime:
    """Midday UTC of a day: well inside the Swedish day of the same date."""
    return datetime(year, month, day, 10, 0)


def case(kind: str = "deviation", year: int = 2018, *, unit_name: str = "Boendestöd", **fields) -> Case:
    received = fields.pop("received", None) or at(year)
    return file_case(kind, unit_name=unit_name, at=received, **fields)


def set_columns(target: Case, **columns) -> Case:
    for name, value in columns.items():
        setattr(target, name, value)
    db.session.commit()
    return target


def judge(target: Case, outcome: str, serious: bool | None = None, *, on: datetime | None = None) -> LexSarahJudgment:
    judgment = LexSarahJudgment(case_id=target.id, outcome=outcome, serious=serious, rationale="Motivering.",
                                decided_by_id=user("sara").id, decided_at=on or target.received_at)
    db.session.add(judgment)
    target.status = "judged"
    db.session.commit()
    return judgment


def notify(target: Case, sent_on: date) -> LexSarahIvo:
    """A notification to IVO recorded as sent (every column the CHECK constraints ask for)."""
    ivo = LexSarahIvo(case_id=target.id, decision="notified", decided_by_id=user("sara").id,
                      decided_at=datetime(sent_on.year, sent_on.month, sent_on.day, 10), sent_via="e_service",
                      finalised_at=datetime(sent_on.year, sent_on.month, sent_on.day, 9),
                      sent_on=sent_on, ivo_reference="3.5.1-00001/2018", document_html="<p>Anmälan</p>",
                      document_pdf=b"%PDF-1.4", html_sha256="0" * 64, pdf_sha256="1" * 64,
                      investigation_due_on=sent_on)
    db.session.add(ivo)
    db.session.commit()
    return ivo


def not_notifying(target: Case) -> LexSarahIvo:
    ivo = LexSarahIvo(case_id=target.id, decision="not_notified", decided_by_id=user("sara").id,
                      decided_at=target.received_at, not_notifying_reason="Risken är undanröjd.")
    db.session.add(ivo)
    db.session.commit()
    return ivo


def add_action(target: Case, type_name: str, status: str = "planned") -> CaseAction:
    action_type = db.session.scalar(select(ActionType).where(ActionType.name == type_name))
    action = CaseAction(case_id=target.id, type_id=action_type.id, description="Ny rutin för överlämning.",
                        responsible_id=user("erik").id, due_on=date(2030, 1, 1), status=status,
                        cancel_reason="Behövs inte." if status == "cancelled" else "")
    db.session.add(action)
    db.session.commit()
    return action
