"""The supervision case's facts for app/workflow.py (app/facts.py: facts_for asks this)."""

from app.workflow import Kind

NAMES = ("request_open", "requests_answered", "report_back_owed", "report_back_settled")


def supervision_facts(case) -> dict[str, bool]:
    """All False for another kind, so a mistaken use refuses.

    - request_open: a request (or the report-back) is still unanswered;
    - requests_answered: no request of the authority is unanswered (the report-back aside);
    - report_back_owed: the decision demanded measures and they are not yet reported back;
    - report_back_settled: the decision is recorded and nothing is owed any more.
    """
    details = case.supervision if case.kind == Kind.SUPERVISION else None
    if details is None:
        return dict.fromkeys(NAMES, False)
    requests = details.requests if case.id is not None else []
    open_requests = [r for r in requests if r.is_open]
    report_back_open = any(r.purpose == "report_back" for r in open_requests)
    return {
        "request_open": bool(open_requests),
        "requests_answered": not any(r.purpose != "report_back" for r in open_requests),
        "report_back_owed": report_back_open,
        "report_back_settled": details.decision is not None and not report_back_open,
    }
