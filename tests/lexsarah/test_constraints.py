"""The database itself refuses inconsistent lex Sarah rows (CHECK constraints), whatever code writes them.

Each refused row is inserted directly, past the services; a consistent row next to it is
accepted, so each check can fail.
"""

from datetime import date, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.lexsarah.models import LexSarahInforming, LexSarahIvo, LexSarahJudgment, ProviderSettings
from tests.lexsarah.helpers import make_case, user

AT = datetime(2026, 3, 20, 9, 0)


@pytest.fixture
def ids(demo):
    case = make_case()
    return {"case_id": case.id, "sara": user("sara").id, "erik": user("erik").id}


def _insert(model, **values) -> None:
    with db.session.begin_nested():
        db.session.execute(insert(model.__table__).values(**values))


def _refused(model, **values) -> None:
    with pytest.raises(IntegrityError):
        _insert(model, **values)


def _judged(ids, **changes) -> dict:
    return {"case_id": ids["case_id"], "outcome": "misconduct", "serious": True, "rationale": "Motivering.",
            "decided_by_id": ids["sara"], "decided_at": AT, **changes}


@pytest.mark.parametrize("changes", [
    {"decided_by_id": None},                      # judged without a decider
    {"decided_at": None},                         # judged without a date
    {"rationale": ""},                            # judged without a rationale
    {"outcome": None},                            # a decider and a date, but no outcome (and serious set)
    {"outcome": "none"},                          # serious set with "none"
    {"outcome": "risk", "serious": None},         # risk without saying whether it is serious
    {"outcome": "maybe"},                         # an outcome that does not exist
    {"outcome": None, "serious": None, "decided_by_id": None, "decided_at": None},  # an empty row
])
def test_an_inconsistent_judgment_is_refused(ids, changes):
    _refused(LexSarahJudgment, **_judged(ids, **changes))


@pytest.mark.parametrize("changes", [
    {}, {"outcome": "risk", "serious": False}, {"outcome": "none", "serious": None},
])
def test_a_consistent_judgment_is_accepted(ids, changes):
    _insert(LexSarahJudgment, **_judged(ids, **changes))


def _proposed(ids, **changes) -> dict:
    return {"case_id": ids["case_id"], "proposed_outcome": "risk", "proposed_serious": False,
            "proposed_rationale": "Förslag.", "proposed_by_id": ids["erik"], "proposed_at": AT,
            "proposed_answers": {}, **changes}


@pytest.mark.parametrize("changes", [
    {"proposed_by_id": None}, {"proposed_at": None}, {"proposed_rationale": ""},
    {"proposed_outcome": "none"},                 # serious set with "none"
    {"proposed_serious": None},                   # risk without seriousness
    {"serious": True},                            # a judgment's seriousness without its outcome
])
def test_an_inconsistent_proposal_is_refused(ids, changes):
    _refused(LexSarahJudgment, **_proposed(ids, **changes))


def test_a_proposal_alone_is_accepted(ids):
    _insert(LexSarahJudgment, **_proposed(ids))


def _notified(ids, **changes) -> dict:
    return {"case_id": ids["case_id"], "decision": "notified", "decided_by_id": ids["sara"], "decided_at": AT,
            "sent_via": "e_service", "sent_on": date(2026, 3, 20), "ivo_reference": "8.5.1-1/2026",
            "document_html": "<html></html>", "document_pdf": b"%PDF-1.4", "html_sha256": "a" * 64,
            "pdf_sha256": "b" * 64, "investigation_due_on": date(2026, 5, 20), "finalised_at": AT, **changes}


@pytest.mark.parametrize("changes", [
    {"sent_via": "email"},                        # never by e-mail
    # Sent only once finalised (signed); IVO's reference may come later (see the accepted rows).
    {"sent_on": None}, {"finalised_at": None},
    {"document_html": None}, {"document_pdf": None}, {"pdf_sha256": None},  # notified, but nothing frozen
    {"investigation_due_on": None},
    {"decided_by_id": None},
    {"decision": "perhaps"},
    {"decision": "not_notified"},                 # not notified without a reason
    {"ivo_outcome": "criticism", "ivo_decided_on": None, "ivo_decision_text": "Kritik."},
    {"ivo_outcome": "praise", "ivo_decided_on": date(2026, 6, 1), "ivo_decision_text": "Beröm."},
])
def test_an_inconsistent_ivo_decision_is_refused(ids, changes):
    _refused(LexSarahIvo, **_notified(ids, **changes))


def test_follow_up_without_a_notification_is_refused(ids):
    _refused(LexSarahIvo, case_id=ids["case_id"], investigation_sent_on=date(2026, 4, 1))
    _refused(LexSarahIvo, case_id=ids["case_id"], decision="not_notified", decided_by_id=ids["sara"],
             decided_at=AT, not_notifying_reason="Skäl.", ivo_outcome="criticism", ivo_decided_on=date(2026, 6, 1),
             ivo_decision_text="Kritik.")


@pytest.mark.parametrize("values", [
    {},                                            # a draft only
    {"decision": "not_notified", "not_notifying_reason": "Skäl."},
    "notified",
    "notified, IVO's reference to come",
])
def test_consistent_ivo_rows_are_accepted(ids, values):
    if values == "notified":
        row = _notified(ids, ivo_outcome="demands", ivo_decided_on=date(2026, 6, 1), ivo_decision_text="Krav.")
    elif values == "notified, IVO's reference to come":
        row = _notified(ids, ivo_reference="")
    else:
        row = {"case_id": ids["case_id"], **values}
        if values:
            row.update(decided_by_id=ids["sara"], decided_at=AT)
    _insert(LexSarahIvo, **row)


def test_informing_is_a_date_or_a_reason_never_both(ids):
    _refused(LexSarahInforming, case_id=ids["case_id"], client_on=date(2026, 3, 5), client_na_reason="Skäl.")
    _insert(LexSarahInforming, case_id=ids["case_id"], client_on=date(2026, 3, 5), guardian_na_reason="Ingen god man.")


def test_there_is_one_row_of_provider_settings(ids):
    _refused(ProviderSettings, id=2, board_name="Annan nämnd")
    _insert(ProviderSettings, id=1, board_name="Socialnämnden")
