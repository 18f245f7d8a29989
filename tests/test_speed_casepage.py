"""The case page in statements rather than seconds (a timed test fails on a busy machine): what it
shows is read in a fixed number of statements, however many journal entries, actions (each with
its own type and responsible person), attachments, feedback, jäv declarations, concerned staff,
investigation entries, linked and handed-over cases the case has; and no statement is spent on
what the page does not show."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.actions.models import ActionType, CaseAction
from app.auth import services as accounts
from app.auth.models import User
from app.cases import journal
from app.cases.models import (
    Attachment,
    Case,
    CaseCauses,
    CaseLink,
    CaseRisk,
    ConcernedStaff,
    Disqualification,
    Feedback,
    InvestigationEntry,
)
from app.clock import utcnow
from app.extensions import db
from app.workflow import Status
from tests.cases.helpers import case_page_statements, file_case, unit, user
from tests.statements import statements as counted

# Every logged-in page's own (the person, the audit entry of the read with its chain) and the case
# page's: the case with its unit and people, jäv (two), the open actions (the workflow's facts), the
# categories, the record, causes and risk, links and hand-overs, the journal, the actions, the
# responsible people, the attachments, the feedback.
CASE_PAGE_STATEMENTS = 17


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def _being_investigated(**fields):
    case = file_case(**fields)
    case.status = Status.INVESTIGATING
    case.triage_decision = "investigate"
    case.assigned_to = user("erik")
    db.session.commit()
    return case.reference


def _case(reference: str) -> Case:
    return db.session.scalar(select(Case).where(Case.reference == reference))


_people = [0]


def _person(role: str = "staff") -> User:
    _people[0] += 1
    person = User(username=f"person{_people[0]}", full_name=f"Person {_people[0]}", title="Undersköterska",
                  role=role, units=[unit("Boendestöd")],
                  password_hash=accounts.hash_password("demo", enforce_policy=False))
    db.session.add(person)
    db.session.flush()
    return person


def _add_records(reference: str, n: int, first: int = 0) -> list[str]:
    """n more of every kind of record the page shows, each naming people and things of its own; the
    references of the cases handed over to."""
    case = _case(reference)
    erik = user("erik")
    handed = []
    for i in range(first, first + n):
        journal.add_event(case, "feedback_given", erik, text=f"Händelse {i}")
        kind = ActionType(name=f"Åtgärdstyp {case.id}-{_people[0]}-{i}")
        db.session.add(kind)
        db.session.flush()
        db.session.add(CaseAction(case_id=case.id, type_id=kind.id, description=f"Åtgärd {i}",
                                  responsible_id=_person().id, due_on=date.today() + timedelta(days=7),
                                  status="done" if i % 2 else "planned",
                                  completed_on=date.today() if i % 2 else None, created_by_id=erik.id))
        db.session.add(Attachment(case_id=case.id, original_name=f"bilaga{i}.pdf",
                                  stored_name=f"s{case.id}-{_people[0]}-{i}", content_type="application/pdf",
                                  size=2048, sha256="0" * 64, uploaded_by_id=erik.id))
        db.session.add(Feedback(case_id=case.id, at=utcnow(), author_id=erik.id, author_name=erik.full_name,
                                text=f"Återkoppling {i}"))
        db.session.add(Disqualification(case_id=case.id, user_id=_person("investigator").id, reason=f"Jäv {i}"))
        db.session.add(ConcernedStaff(case_id=case.id, user_id=_person().id, added_by_id=erik.id,
                                      added_at=utcnow()))
        db.session.add(InvestigationEntry(case_id=case.id, entry_date=date.today(), source="Samtal",
                                          section="what_happened" if case.kind == "lex_sarah" else None,
                                          nature="fact", text=f"Anteckning {i}", author_id=erik.id,
                                          author_name=erik.full_name))
        other = file_case(summary=f"Liknande {i}")
        db.session.add(CaseLink(case_id=case.id, linked_case_id=other.id, linked_by_id=erik.id))
        handed.append(file_case(summary=f"Överlämnat {i}", origin_case_id=case.id).reference)
    db.session.commit()
    return handed


def test_a_case_being_investigated_is_read_in_a_fixed_number_of_statements(erik):
    reference = _being_investigated()
    case_page_statements(erik, reference)  # what is kept in the process (rules, action types) is read
    _text, seen = case_page_statements(erik, reference)
    assert len(seen) <= CASE_PAGE_STATEMENTS, "\n".join(seen)
    # The people the page names come with the case, not one statement each.
    assert not any(s.startswith("SELECT users.") and "WHERE users.id = ?" in s for s in seen[1:]), "\n".join(seen)


@pytest.mark.parametrize("kind", ["deviation", "complaint", "lex_sarah"])
def test_the_statements_do_not_grow_with_what_the_case_holds(erik, kind):
    reference = _being_investigated(kind=kind)
    _add_records(reference, 1)
    case_page_statements(erik, reference)
    text, one = case_page_statements(erik, reference)
    assert "Åtgärd 0" in text and "bilaga0.pdf" in text and "Anteckning 0" in text
    handed = _add_records(reference, 4, first=1)
    case_page_statements(erik, reference)  # the action types kept in the process are read again (new ones were added)
    text, five = case_page_statements(erik, reference)
    # Everything added is on the page: the actions with their types and people, the jäv and the
    # concerned staff by name, the attachments, the feedback, the record, links and hand-overs.
    for shown in ("Åtgärd 4", "bilaga4.pdf", "Återkoppling 4", "Jäv 4", "Anteckning 4", "Liknande 4",
                  "Åtgärdstyp", *handed):
        assert shown in text, shown
    names = db.session.scalars(select(User.full_name).where(User.username.like("person%"))).all()
    assert all(name in text for name in names), [n for n in names if n not in text]
    assert len(five) == len(one), "\n".join(five)


def test_no_statement_for_what_a_deviation_does_not_have(erik):
    reference = _being_investigated()
    case_page_statements(erik, reference)
    _text, seen = case_page_statements(erik, reference)
    text = "\n".join(seen)
    # A deviation has no IVO notification; no causes means no cause areas; the deadlines' start is
    # taken from the journal the page reads anyway; the causes and the risk are one statement.
    assert "FROM lex_sarah_ivo" not in text, text
    assert "FROM case_cause_areas" not in text, text
    assert "max(journal_events.at)" not in text, text
    assert sum("FROM case_risks" in s or "JOIN case_risks" in s for s in seen) == 1, text
    assert sum("FROM case_links" in s for s in seen) == 1, text


def test_causes_risk_and_areas_are_shown_as_before(erik):
    reference = _being_investigated()
    case = _case(reference)
    db.session.add(CaseCauses(case_id=case.id, text="Rutinen saknades", recorded_by_name="Erik"))
    db.session.add(CaseRisk(case_id=case.id, probability=3, consequence=2, text="Kan hända igen",
                            recorded_by_name="Erik"))
    from app.cases.models import case_cause_areas
    db.session.execute(case_cause_areas.insert().values(case_id=case.id, area="processes"))
    db.session.commit()
    text, _seen = case_page_statements(erik, reference)
    assert "Rutinen saknades" in text and "Kan hända igen" in text
    assert "Sannolikhet 3 × konsekvens 2 =" in text


def test_the_suggested_similar_cases_are_read_in_a_fixed_number_of_statements(erik):
    def ask(n: int) -> list[str]:
        for i in range(n):
            file_case(summary=f"Liknande fall {i}", categories=("Dokumentation",))
        with counted(fresh_session=True) as seen:
            response = erik.get(f"/arenden/{reference}?liknande=1")
        assert response.status_code == 200
        return seen

    reference = _being_investigated(categories=("Dokumentation",))
    ask(0)  # what is kept in the process is read
    one, five = ask(1), ask(4)
    assert len(five) == len(one), "\n".join(five)
