"""Lost updates: two people load the same form and both save. Exactly one wins; the other
sees a conflict page (409) with the case as it is now and their unsaved text."""

import re

from sqlalchemy import func, select, update

from app.audit import AuditEvent
from app.cases.casework import services
from app.cases.models import Case, Feedback
from app.extensions import db
from tests.cases.helpers import file_case, reload, user, version_on


def _investigating(**fields):
    case = file_case("deviation", **fields)
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    return reload(case)


def _load(client, case, path) -> int:
    response = client.get(f"/arenden/{case.reference}/{path}")
    assert response.status_code == 200
    return version_on(response.get_data(as_text=True))


def test_two_close_the_same_case_and_exactly_one_wins(login_as):
    case = _investigating()
    erik, sara = login_as("erik"), login_as("sara")
    erik_version, sara_version = _load(erik, case, "avsluta"), _load(sara, case, "avsluta")
    assert erik_version == sara_version
    first = erik.post(f"/arenden/{case.reference}/avsluta",
                      data={"version": erik_version, "summary": "Eriks sammanfattning."})
    second = sara.post(f"/arenden/{case.reference}/avsluta",
                       data={"version": sara_version, "summary": "Saras sammanfattning, som inte får försvinna."})
    assert (first.status_code, second.status_code) == (302, 409)
    page = second.get_data(as_text=True)
    assert "Ärendet har ändrats medan du arbetade" in page
    assert "Saras sammanfattning, som inte får försvinna." in page, "the unsaved text is shown"
    assert "Avslutad" in page and "Eriks sammanfattning." in page, "and the case as it is now"
    case = reload(case)
    assert (case.status, case.closing_summary, case.closed_by_id) == ("closed", "Eriks sammanfattning.",
                                                                       user("erik").id)
    # Closing twice does not fit a closed case: the form is not offered again.
    assert 'action="/arenden/' not in page.split("Ärendet nu")[1]
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.viewed",
                                                        AuditEvent.user_id == user("sara").id))
    assert [e.detail["page"] for e in views] == ["close", "conflict"], "the conflict page is a view too"


def test_two_assign_and_the_second_does_not_overwrite_the_first(login_as):
    case = _investigating()
    erik, sara = login_as("erik"), login_as("sara")
    version = _load(erik, case, "tilldela")
    assert _load(sara, case, "tilldela") == version
    assert erik.post(f"/arenden/{case.reference}/ta", data={"version": version}).status_code == 302
    late = sara.post(f"/arenden/{case.reference}/tilldela",
                     data={"version": version, "assignee": str(user("erik").id)})
    assert late.status_code == 409
    assert reload(case).assigned_to_id == user("erik").id
    assert [e.event for e in reload(case).journal].count("assigned") == 1


def test_the_loser_can_send_their_text_again_against_the_new_version(login_as):
    case = _investigating()
    erik, sara = login_as("erik"), login_as("sara")
    version = _load(erik, case, "aterkoppling")
    _load(sara, case, "aterkoppling")
    erik.post(f"/arenden/{case.reference}/aterkoppling", data={"version": version, "text": "Från Erik."})
    conflict = sara.post(f"/arenden/{case.reference}/aterkoppling", data={"version": version, "text": "Från Sara."})
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="text"[^>]*>\s*Från Sara\.</textarea>', page), "the form, filled in"
    new_version = version_on(page)
    assert new_version == reload(case).version > version
    assert sara.post(f"/arenden/{case.reference}/aterkoppling",
                     data={"version": new_version, "text": "Från Sara."}).status_code == 302
    assert [f.text for f in db.session.scalars(select(Feedback).order_by(Feedback.id))] == ["Från Erik.",
                                                                                           "Från Sara."]


def test_a_change_that_only_adds_a_row_still_bumps_the_version(login_as):
    case = _investigating()
    before = case.version
    login_as("erik").post(f"/arenden/{case.reference}/aterkoppling", data={"version": before, "text": "Hej."})
    assert reload(case).version == before + 1


def test_a_save_racing_a_commit_between_check_and_write_is_a_conflict(demo):
    """The version check in the service and the versioned UPDATE: a colleague's commit that
    lands after the check (here: from another connection) still fails the save."""
    case = _investigating()
    loaded = db.session.get(Case, case.id)  # the session now holds version N
    with db.engine.begin() as other:
        other.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1, summary="Ändrad"))
    try:
        services.close_case(user("erik"), case.reference, summary="Klart.", expected_version=loaded.version)
    except services.CaseConflict as conflict:
        assert conflict.case.summary == "Ändrad" and conflict.case.status == "investigating"
    else:
        raise AssertionError("the stale save went through")
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "investigating"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "case.closed")) == 0


def test_a_move_the_state_machine_refuses_is_409_with_a_clear_message(login_as):
    case = _investigating()
    response = login_as("erik").post(f"/arenden/{case.reference}/beslut-om-utredning",
                                     data={"version": case.version, "decision": "investigate"})
    assert response.status_code == 409
    assert "”Inled utredning” går inte när ärendet har status ”Under utredning”." in response.get_data(as_text=True)


def test_two_save_the_causes_and_the_second_keeps_their_ticks_and_text(login_as):
    case = _investigating()
    erik, sara = login_as("erik"), login_as("sara")
    erik_version, sara_version = _load(erik, case, "utredning/orsaker"), _load(sara, case, "utredning/orsaker")
    assert erik_version == sara_version
    first = erik.post(f"/arenden/{case.reference}/utredning/orsaker",
                      data={"version": erik_version, "areas": ["processes"], "text": "Eriks orsaker."})
    second = sara.post(f"/arenden/{case.reference}/utredning/orsaker",
                       data={"version": sara_version, "areas": ["communication", "technology"],
                             "text": "Saras orsaker, som inte får försvinna."})
    assert (first.status_code, second.status_code) == (302, 409)
    page = second.get_data(as_text=True)
    assert "Ärendet har ändrats medan du arbetade" in page
    yours = page[page.index('id="yours-heading"'):page.index('id="now-heading"')]
    assert "Kommunikation och information" in yours and "Teknik och utrustning" in yours
    assert "Processer, rutiner och riktlinjer" not in yours, "only what she ticked"
    assert "Saras orsaker, som inte får försvinna." in yours
    # The form to send again keeps her ticks and her text.
    form = page[page.index('id="now-heading"'):]
    ticked = set(re.findall(r'<input[^>]*checked[^>]*value="(\w+)"|<input[^>]*value="(\w+)"[^>]*checked', form))
    assert {a or b for a, b in ticked} == {"communication", "technology"}
    assert "Saras orsaker, som inte får försvinna." in form
