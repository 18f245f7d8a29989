"""Cases for the tests, filed the way every filing is (app.cases.filing.open_case)."""

import re
from datetime import datetime

from sqlalchemy import select

from app.auth.models import User
from app.cases.filing import open_case
from app.cases.models import Case, Category, ComplaintDetails
from app.clock import frozen
from app.extensions import db
from app.org.models import Unit


def unit(name: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.name == name))


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def category(kind: str, name: str) -> Category:
    return db.session.scalar(select(Category).where(Category.kind == kind, Category.name == name))


def file_case(kind: str = "deviation", *, unit_name: str = "Boendestöd", reporter: str | None = "anna",
              at: datetime | None = None, categories: tuple[str, ...] = (), complaint: dict | None = None,
              **fields) -> Case:
    """File and commit one case; `at` (naive UTC) is when it was received."""
    values = {"summary": "Uteblivet besök hos brukare", "description": "Hemtjänsten kom inte på kvällen."}
    if kind == "lex_sarah":
        values["lex_sarah_type"] = "misconduct"
    values.update(fields)
    chosen = [category(kind, name) for name in categories]

    def create():
        case = open_case(kind=kind, unit=unit(unit_name), reporter=user(reporter) if reporter else None,
                         categories=chosen, **values)
        if kind == "complaint":
            details = {"channel": "letter", "complainant_name": "Karin Klagare", "relation": "relative"}
            details.update(complaint or {})
            db.session.add(ComplaintDetails(case=case, **details))
        return case

    if at is None:
        case = create()
    else:
        with frozen(at):
            case = create()
    db.session.commit()
    return case


def reload(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def version_on(html: str) -> int:
    """The version a case form was loaded with, as the page put it in the form."""
    match = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html)
    assert match, "the page has no version field"
    return int(match.group(1) or match.group(2))


def error_for(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return match.group(1).strip() if match else ""


def queue_references(response) -> list[str]:
    """The references of the cards on a queue page, in order."""
    assert response.status_code == 200, response.status_code
    return re.findall(r'<h2><a href="/arenden/([A-Z]{2}-\d{4}-\d{4})">', response.get_data(as_text=True))


def case_page_statements(client, reference: str) -> tuple[str, list[str]]:
    """The case page's HTML and the statements it ran, read in a fresh session."""
    from tests.statements import statements as counted
    with counted(fresh_session=True) as seen:
        response = client.get(f"/arenden/{reference}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True), seen
