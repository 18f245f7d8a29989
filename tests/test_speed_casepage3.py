"""The case page's third round (issue 17): the case's rows the page shows are read by statements
built once, before the audit entry of the view is committed, and the workflow's fact "no open
actions" is counted from the actions the actions panel shows instead of a statement of its own."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.actions.models import ActionType, CaseAction
from app.cases.models import Case
from app.extensions import db
from app.facts import open_action_ids
from app.workflow import Status
from tests.cases.helpers import case_page_statements, file_case, user
from tests.statements import statements as counted

# Every logged-in page's own (the person, the audit entry of the read with its chain) and the case
# page's: the case with its unit and people, jäv (two), the attachments, the feedback, the journal,
# the actions, the categories, the record, causes and risk, links and hand-overs, the responsible
# people.
CASE_PAGE_STATEMENTS = 16


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def _being_investigated(**fields) -> Case:
    case = file_case(**fields)
    case.status = Status.INVESTIGATING
    case.triage_decision = "investigate"
    case.assigned_to = user("erik")
    db.session.commit()
    return case


def _add_action(case: Case, text: str, status: str, due_in: int) -> CaseAction:
    kind = db.session.scalar(select(ActionType).limit(1))
    if kind is None:
        kind = ActionType(name="Samtal")
        db.session.add(kind)
        db.session.flush()
    action = CaseAction(case_id=case.id, type_id=kind.id, description=text, responsible_id=user("erik").id,
                        due_on=date.today() + timedelta(days=due_in), status=status,
                        completed_on=date.today() if status == "done" else None, created_by_id=user("erik").id)
    db.session.add(action)
    db.session.commit()
    return action


@pytest.mark.parametrize("kind", ["deviation", "complaint", "lex_sarah"])
def test_the_case_page_is_read_in_sixteen_statements(erik, kind):
    reference = _being_investigated(kind=kind).reference
    case_page_statements(erik, reference)  # what is kept in the process is read
    _text, seen = case_page_statements(erik, reference)
    if kind == "deviation":
        assert len(seen) <= CASE_PAGE_STATEMENTS, "\n".join(seen)
    # The open actions are not read apart from the actions: one statement of the actions table.
    assert sum(" FROM actions " in f" {s} " for s in seen) == 1, "\n".join(seen)


def test_what_the_page_shows_of_the_case_is_read_before_the_audit_commit(erik):
    case = _being_investigated()
    _add_action(case, "Ring anhöriga", "planned", 3)
    erik.get(f"/arenden/{case.reference}")
    _text, seen = case_page_statements(erik, case.reference)
    audit = next(i for i, s in enumerate(seen) if "INSERT INTO audit_events" in s)
    for table in ("case_disqualifications", "case_concerned_staff", "attachments", "case_feedback",
                  "journal_events", "actions", "categories"):
        read = [i for i, s in enumerate(seen) if s.startswith(f"SELECT {table}.")]
        assert len(read) == 1 and read[0] < audit, (table, "\n".join(seen))


def test_the_actions_are_shown_in_the_panels_order(erik):
    """Open ones first by due date, then the others newest first: as the statement of its own ordered them."""
    case = _being_investigated()
    _add_action(case, "Klar först", "done", 1)
    _add_action(case, "Sent öppen", "planned", 9)
    _add_action(case, "Tidigt öppen", "in_progress", 2)
    _add_action(case, "Klar sist", "done", 5)
    text, _seen = case_page_statements(erik, case.reference)
    shown = sorted(("Klar först", "Sent öppen", "Tidigt öppen", "Klar sist"), key=text.index)
    assert shown == ["Tidigt öppen", "Sent öppen", "Klar sist", "Klar först"]


def test_the_open_actions_counted_from_the_loaded_actions_are_those_the_database_gives(erik):
    case = _being_investigated()
    later = _add_action(case, "Senare", "planned", 9)
    done = _add_action(case, "Klar", "done", 1)
    sooner = _add_action(case, "Tidigare", "in_progress", 2)
    case_id, ids = case.id, {"later": later.id, "done": done.id, "sooner": sooner.id}
    db.session.expunge_all()
    fresh = db.session.get(Case, case_id)
    from_database = open_action_ids(fresh)
    assert "actions" not in fresh.__dict__  # asked alone, the fact is a statement of its own
    assert from_database == [ids["later"], ids["sooner"]]
    fresh.actions  # noqa: B018 - loaded, as the case page loads them
    with counted() as seen:
        assert open_action_ids(fresh) == from_database
    assert seen == []
    assert ids["done"] not in from_database


def test_closing_asks_about_the_open_actions_after_a_view(erik):
    """The close form knows the case's open actions after the case page was viewed in the same session."""
    case = _being_investigated()
    asked = "Avsluta ärendet trots att åtgärder är planerade eller pågår"
    erik.get(f"/arenden/{case.reference}")
    assert asked not in erik.get(f"/arenden/{case.reference}/avsluta").get_data(as_text=True)
    erik.get(f"/arenden/{case.reference}")
    _add_action(case, "Ring anhöriga", "planned", 3)
    assert asked in erik.get(f"/arenden/{case.reference}/avsluta").get_data(as_text=True)
