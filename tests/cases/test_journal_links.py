"""The journal panel names linked cases only to those who may know of them, reading them in one statement."""

from app.cases import journal
from app.extensions import db
from tests.cases.helpers import file_case, reload, user
from tests.statements import statements


def test_the_linked_cases_are_read_in_one_statement(demo):
    case = file_case()
    linked = [file_case(unit_name=name) for name in ("Vuxenstöd", "Socialpsykiatri", "Boendestöd")]
    hidden = file_case("lex_sarah", unit_name="Vuxenstöd", bypass_manager=True)
    for other in [*linked, hidden]:
        journal.add_event(case, "case_linked", user("erik"), linked_case_id=other.id)
    db.session.commit()
    case = reload(case)
    erik = user("erik")
    _ = case.journal  # the events are the case page's own; what is counted is reading the cases they name
    with statements() as seen:
        unknown = journal.unknown_linked_case_ids(erik, case)
    assert unknown == {hidden.id}
    assert len(seen) == 1, "\n".join(seen)
    assert journal.unknown_linked_case_ids(user("sara"), case) == set()
