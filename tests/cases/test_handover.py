"""Hand-overs between kinds, both ways: a lex Sarah report judged "none" goes on as a deviation,
a deviation or complaint becomes a lex Sarah report (the officers are e-mailed, on a real
SMTP server on loopback). The original is never rewritten; both cases are linked and journaled."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.cases.models import Case
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import error_for, file_case, reload, user
from tests.lexsarah.helpers import NONE, NOT_SERIOUS, inform_all, judge

NOW = datetime(2026, 3, 25, 9, 0)


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": "https://varna.example.se", **smtp_server.mail_config()}


def _judged(answers, **fields):
    with frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("lex_sarah", categories=("Dokumentation", "Sekretess"), client_name="Zlatan Zäta",
                         client_pin="191212121212", occurred_on=datetime(2026, 2, 27).date(), **fields)
    case.status = "awaiting_judgment"
    db.session.commit()
    judge(case, answers)
    inform_all(case)  # nothing closes a lex Sarah report, not even a hand-over, before informing is settled
    return reload(case)


def _post(client, case, path, **data):
    with frozen(NOW):
        return client.post(f"/arenden/{case.reference}/{path}", data={"version": reload(case).version, **data})


def _page(client, case) -> str:
    with frozen(NOW):
        return client.get(f"/arenden/{case.reference}").get_data(as_text=True)


def _new_cases(origin) -> list[Case]:
    return list(db.session.scalars(select(Case).where(Case.origin_case_id == origin.id)))


REASON = "Brukaren fick sina läkemedel en timme sent; ingen risk för hälsan. Hanteras som avvikelse."


# --- lex Sarah -> deviation ---------------------------------------------------------------------

def test_a_report_judged_none_is_handed_over_as_a_new_deviation(login_as):
    report = _judged(NONE)
    sara = login_as("sara")
    assert "overlamna-som-avvikelse" in _page(sara, report).split("Att göra")[1].split("</aside>")[0]
    response = _post(sara, report, "overlamna-som-avvikelse", reason=REASON)
    assert response.status_code == 302
    [deviation] = _new_cases(report)
    report = reload(report)
    # The new case: a deviation of its own, with what was reported.
    assert deviation.kind == "deviation" and deviation.reference.startswith("AV-2026-")
    assert (deviation.status, deviation.unit_id, deviation.reporter_id) == ("received", report.unit_id,
                                                                            report.reporter_id)
    assert (deviation.summary, deviation.description, deviation.client_pin, deviation.occurred_on) == (
        report.summary, report.description, report.client_pin, report.occurred_on)
    assert [(c.kind, c.name) for c in deviation.categories] == [("deviation", "Dokumentation"),
                                                                 ("deviation", "Sekretess")]
    assert deviation.handover is None and deviation.received_at == NOW
    # The original: closed per the workflow, records where it went, judgment untouched.
    assert (report.kind, report.status, report.handover, report.closing_summary) == (
        "lex_sarah", "closed", "to_deviation", REASON)
    assert report.closed_by_id == user("sara").id
    assert report.lex_sarah_judgment.outcome == "none"
    # Journaled on both, audited on both.
    assert (report.journal[-1].event, report.journal[-1].detail["new_reference"]) == ("handed_over",
                                                                                      deviation.reference)
    assert (deviation.journal[0].event, deviation.journal[0].actor_name) == ("filed", "Sara Svensson")
    assert report.reference in deviation.journal[0].text
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user("sara").id)))
    assert {"case.handed_over", "case.filed"} <= actions
    # Linked both ways on the pages.
    report_page, deviation_page = _page(sara, report), _page(sara, deviation)
    assert f'href="/arenden/{deviation.reference}"' in report_page.split("Överlämning mellan ärendetyper")[1]
    assert f'href="/arenden/{report.reference}"' in deviation_page.split("Överlämning mellan ärendetyper")[1]
    # The new deviation is in the unit's queue.
    erik = login_as("erik")
    assert deviation.reference in erik.get("/arenden").get_data(as_text=True)


def test_only_a_report_judged_none_is_handed_over(login_as):
    report = _judged(NOT_SERIOUS)
    response = _post(login_as("sara"), report, "overlamna-som-avvikelse", reason=REASON)
    assert response.status_code == 409
    assert "bedömningen att det inte är ett missförhållande" in response.get_data(as_text=True)
    assert _new_cases(report) == [] and reload(report).status == "judged"


def test_the_hand_over_waits_until_informing_is_settled(login_as):
    with frozen(datetime(2026, 3, 2, 9, 0)):
        report = file_case("lex_sarah")
    report.status = "awaiting_judgment"
    db.session.commit()
    judge(report, NONE)
    response = _post(login_as("sara"), report, "overlamna-som-avvikelse", reason=REASON)
    assert response.status_code == 409
    assert "arbetsgruppen har fått återkoppling" in response.get_data(as_text=True)
    assert _new_cases(report) == [] and reload(report).status == "judged"


def test_the_hand_over_needs_a_reason_and_stores_nothing_without_it(login_as):
    report = _judged(NONE)
    response = _post(login_as("sara"), report, "overlamna-som-avvikelse", reason=" ")
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "reason") == \
        "Skriv varför händelsen ska hanteras som en avvikelse."
    assert _new_cases(report) == [] and reload(report).handover is None
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1


# Only the lex Sarah officer closes a report, also by handing it over: the unit's manager (erik)
# may be the one the report is about.
@pytest.mark.parametrize(("username", "status"), [("erik", 403), ("sara", 302), ("anna", 403), ("ulla", 403),
                                                  ("admin", 403)])
def test_who_hands_over(login_as, username, status):
    report = _judged(NONE)
    assert _post(login_as(username), report, "overlamna-som-avvikelse", reason=REASON).status_code == status
    assert len(_new_cases(report)) == (1 if status == 302 else 0)


# --- deviation / complaint -> lex Sarah ----------------------------------------------------------

ESCALATION = {"lex_sarah_type": "risk", "reason": "Samma brist har lett till tre missade läkemedelsgivningar."}


def _open(kind, **fields):
    with frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case(kind, categories=("Bemötande",) if kind == "complaint" else ("Dokumentation",), **fields)
    case.status = "investigating"
    db.session.commit()
    return reload(case)


def test_a_deviation_is_escalated_to_a_new_lex_sarah_report_and_the_officers_are_told(login_as, smtp_server):
    deviation = _open("deviation", summary="Läkemedel gavs inte", description="Hemligt: detaljer om brukaren.")
    erik = login_as("erik")
    assert _post(erik, deviation, "gor-lex-sarah-rapport", **ESCALATION).status_code == 302
    [report] = _new_cases(deviation)
    deviation = reload(deviation)
    assert report.kind == "lex_sarah" and report.reference.startswith("LS-2026-")
    assert (report.status, report.lex_sarah_type, report.unit_id, report.description) == (
        "received", "risk", deviation.unit_id, deviation.description)
    assert [(c.kind, c.name) for c in report.categories] == [("lex_sarah", "Dokumentation")]
    assert (deviation.status, deviation.handover, deviation.kind) == ("closed", "to_lex_sarah", "deviation")
    assert deviation.journal[-1].event == "escalated"
    assert deviation.reference in report.journal[0].text
    # The officers get the reference, the kind and a link, never what happened.
    [mail] = smtp_server.to("sara@varna.example")
    assert report.reference in mail["Subject"] and "lex Sarah" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert f"https://varna.example.se/arenden/{report.reference}" in body
    assert "Hemligt" not in body and "Läkemedel" not in body
    assert smtp_server.to("erik@varna.example") == [] and smtp_server.to("anna@varna.example") == []
    # Linked both ways; the new report is in the officer's queue.
    assert f'href="/arenden/{report.reference}"' in _page(erik, deviation).split("Överlämning mellan ärendetyper")[1]
    sara = login_as("sara")
    assert f'href="/arenden/{deviation.reference}"' in _page(sara, report).split("Överlämning mellan ärendetyper")[1]
    assert report.reference in sara.get("/arenden?kind=lex_sarah").get_data(as_text=True)


def test_a_complaint_escalated_stays_open_for_its_answer_and_escalates_once(login_as, smtp_server):
    complaint = _open("complaint")
    erik = login_as("erik")
    assert _post(erik, complaint, "gor-lex-sarah-rapport", **ESCALATION).status_code == 302
    complaint = reload(complaint)
    [report] = _new_cases(complaint)
    assert (complaint.status, complaint.handover) == ("investigating", "to_lex_sarah")
    assert report.categories == [], "the complaint's categories have no namesake in the lex Sarah list"
    assert len(smtp_server.to("sara@varna.example")) == 1
    # It can still be answered, but it does not become a second report.
    page = _page(erik, complaint)
    assert "gor-lex-sarah-rapport" not in page and "/svar" in page
    again = _post(erik, complaint, "gor-lex-sarah-rapport", **ESCALATION)
    assert again.status_code == 409
    assert f"redan blivit en lex Sarah-rapport ({report.reference})" in again.get_data(as_text=True)
    with frozen(NOW):
        assert erik.get(f"/arenden/{complaint.reference}/gor-lex-sarah-rapport").status_code == 409
    assert len(_new_cases(complaint)) == 1 and len(smtp_server.to("sara@varna.example")) == 1


@pytest.mark.parametrize(("data", "field"), [({"lex_sarah_type": ""}, "lex_sarah_type"),
                                             ({"lex_sarah_type": "bad"}, "lex_sarah_type"),
                                             ({"reason": ""}, "reason")])
def test_an_escalation_needs_its_type_and_reason(login_as, smtp_server, data, field):
    deviation = _open("deviation")
    response = _post(login_as("erik"), deviation, "gor-lex-sarah-rapport", **{**ESCALATION, **data})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), field)
    assert _new_cases(deviation) == [] and smtp_server.messages == []


def test_a_lex_sarah_report_is_not_escalated(login_as):
    report = _open("lex_sarah")
    response = _post(login_as("erik"), report, "gor-lex-sarah-rapport", **ESCALATION)
    assert response.status_code == 409
    assert _new_cases(report) == []


@pytest.mark.parametrize(("username", "status"), [("erik", 302), ("sara", 302), ("anna", 403), ("ulla", 403),
                                                  ("admin", 403)])
def test_who_escalates(login_as, username, status):
    deviation = _open("deviation")
    assert _post(login_as(username), deviation, "gor-lex-sarah-rapport", **ESCALATION).status_code == status
    assert len(_new_cases(deviation)) == (1 if status == 302 else 0)


def test_the_statistics_columns_count_the_original_not_the_new_case(login_as):
    """What app.stats relies on: the original carries `handover`, the new case `origin_case_id`."""
    report = _judged(NONE)
    _post(login_as("sara"), report, "overlamna-som-avvikelse", reason=REASON)
    deviation = _open("deviation")
    _post(login_as("erik"), deviation, "gor-lex-sarah-rapport", **ESCALATION)
    rows = db.session.execute(select(Case.kind, Case.handover, Case.origin_case_id.is_not(None))
                              .order_by(Case.id)).all()
    assert [tuple(row) for row in rows] == [("lex_sarah", "to_deviation", False), ("deviation", None, True),
                                            ("deviation", "to_lex_sarah", False), ("lex_sarah", None, True)]
