"""Everything a person typed is shown as text, never as markup (OWASP ASVS 5.3.3)."""

from datetime import date, datetime

from app.cases import investigation
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import file_case, reload, user

SCRIPT = "<script>alert(1)</script>"
BREAKER = "\"'><img src=x onerror=alert(1)>"


def test_an_entry_offered_for_correction_is_escaped(login_as):
    # The "corrects entry" option labels carry the start of each entry's text.
    with frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("deviation")
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    with frozen(datetime(2026, 3, 12, 9, 0)):
        investigation.add_entry(user("erik"), case.reference, section=None, entry_date=date(2026, 3, 10),
                                source=BREAKER, nature="fact", text=SCRIPT,
                                expected_version=reload(case).version)
        page = login_as("sara").get(f"/arenden/{case.reference}/utredning/anteckning").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
