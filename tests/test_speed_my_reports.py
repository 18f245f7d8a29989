""""Mina rapporter" in statements: the person's reports are read once, with their feedback, and
not again after the audit entry of the listing is committed (the commit expired what was read,
so the page read the cases, their feedback and the person a second time)."""

from tests.cases.helpers import file_case
from tests.statements import statements as counted


def test_my_reports_reads_the_reports_once(login_as):
    anna = login_as("anna")
    references = [file_case(reporter="anna").reference for _ in range(3)]
    with counted(fresh_session=True) as seen:
        page = anna.get("/mina-rapporter")
    assert page.status_code == 200
    assert all(reference in page.get_data(as_text=True) for reference in references)
    cases = [s for s in seen if s.startswith("SELECT") and " FROM cases" in s and "audit" not in s]
    assert len(cases) == 1, "\n".join(cases)
    people = [s for s in seen if s.startswith("SELECT users.") or s.startswith("SELECT users_1.")]
    assert len(people) <= 1, "\n".join(people)
