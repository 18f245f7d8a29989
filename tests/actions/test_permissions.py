"""Who may do what with actions, for every role, through the real routes.

The case is a deviation in Vuxna › Boendestöd reported by anna (staff). erik
investigates Vuxna, ulla investigates Unga, sara is the lex Sarah officer and
admin administers. Adding and changing actions follow WORK_CASE on the case; the
person responsible for an action may also see it and start or complete it.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.actions.models import CaseAction
from app.extensions import db
from tests.actions.conftest import SOON, action_type, add, make_case, user
from tests.conftest import login

ROLES = ("anna", "erik", "ulla", "sara", "admin")


def _add_form(case) -> dict:
    return {"action-type_id": action_type("Ny rutin").id, "action-description": "Ny rutin för nycklar.",
            "action-responsible_id": user("erik").id, "action-due_on": "2026-04-01"}


def _done(action):
    with clock.frozen(SOON):
        from app.actions import services
        services.update_action_status(user("erik"), action.id, "done", completed_on=date(2026, 3, 9),
                                      expected_version=action.version)


# what, method, path, form data (from the action), setup, {role: status}
# 302 means done (redirected); 403 refused.
TABLE = [
    ("case actions page", "GET", "/arenden/{ref}/atgarder", None, None,
     {"anna": 403, "erik": 200, "ulla": 403, "sara": 200, "admin": 200}),
    ("add an action", "POST", "/arenden/{ref}/atgarder", "add", None,
     {"anna": 403, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("see an action", "GET", "/atgarder/{id}", None, None,
     {"anna": 403, "erik": 200, "ulla": 403, "sara": 200, "admin": 200}),
    ("see one's own action without seeing the case", "GET", "/atgarder/{id}", None, "anna",
     {"anna": 200, "erik": 200, "ulla": 403, "sara": 200, "admin": 200}),
    ("edit page", "GET", "/atgarder/{id}/andra", None, None,
     {"anna": 403, "erik": 200, "ulla": 403, "sara": 200, "admin": 403}),
    ("re-plan", "POST", "/atgarder/{id}/andra", "edit", None,
     {"anna": 403, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("start", "POST", "/atgarder/{id}/status", {"status": "in_progress"}, None,
     {"anna": 403, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("start one's own", "POST", "/atgarder/{id}/status", {"status": "in_progress"}, "anna",
     {"anna": 302, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("complete one's own", "POST", "/atgarder/{id}/status", {"status": "done", "completed_on": "2026-03-09"},
     "anna", {"anna": 302, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("cancel one's own", "POST", "/atgarder/{id}/status", {"status": "cancelled", "cancel_reason": "Behövs ej."},
     "anna", {"anna": 403, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("follow up", "POST", "/atgarder/{id}/uppfoljning",
     {"result": "yes", "text": "Fungerar.", "followed_up_on": "2026-03-10"}, "done",
     {"anna": 403, "erik": 302, "ulla": 403, "sara": 302, "admin": 403}),
    ("mine", "GET", "/atgarder", None, None, {"anna": 200, "erik": 200, "ulla": 200, "sara": 200, "admin": 200}),
    ("my units'", "GET", "/atgarder/enheter", None, None,
     {"anna": 403, "erik": 200, "ulla": 200, "sara": 200, "admin": 200}),
    ("overdue", "GET", "/atgarder/forsenade", None, None,
     {"anna": 200, "erik": 200, "ulla": 200, "sara": 200, "admin": 200}),
    ("awaiting follow-up", "GET", "/atgarder/uppfoljning", None, None,
     {"anna": 200, "erik": 200, "ulla": 200, "sara": 200, "admin": 200}),
    ("action types", "GET", "/admin/atgardstyper", None, None,
     {"anna": 403, "erik": 403, "ulla": 403, "sara": 403, "admin": 200}),
    ("add an action type", "POST", "/admin/atgardstyper", {"name": "Handledning"}, None,
     {"anna": 403, "erik": 403, "ulla": 403, "sara": 403, "admin": 302}),
]


@pytest.mark.parametrize(("what", "method", "path", "data", "setup", "expected"), TABLE,
                         ids=[row[0] for row in TABLE])
def test_every_role(demo, what, method, path, data, setup, expected):
    assert set(expected) == set(ROLES)
    wrong = []
    for role in ROLES:
        case = make_case()
        action = add(case, responsible="anna" if setup == "anna" else "erik")
        if setup == "done":
            _done(action)
        before = (action.version, db.session.scalar(select(func.count()).select_from(CaseAction)))
        form = data
        if data == "add":
            form = _add_form(case)
        elif data == "edit":
            form = {"type_id": action.type_id, "description": "Omplanerad.", "responsible_id": user("erik").id,
                    "due_on": "2026-04-20", "version": action.version}
        client = demo.test_client()
        assert login(client, role).status_code == 302
        url = path.format(ref=case.reference, id=action.id)
        with clock.frozen(SOON):
            response = client.get(url) if method == "GET" else client.post(url, data=form)
        if response.status_code != expected[role]:
            wrong.append(f"{role}: {method} {url} gave {response.status_code}, expected {expected[role]}")
        if response.status_code == 403 and method == "POST":
            db.session.expire_all()
            after = (db.session.get(CaseAction, action.id).version,
                     db.session.scalar(select(func.count()).select_from(CaseAction)))
            if after != before:
                wrong.append(f"{role}: refused, but something changed")
    assert not wrong, "\n".join(wrong)


def test_an_investigator_does_not_see_actions_of_a_report_that_bypassed_the_manager(demo, login_as):
    case = make_case("lex_sarah", bypass_manager=True, lex_sarah_type="risk")
    action = add(case, by="sara", responsible="sara")
    erik = login_as("erik")
    assert erik.get(f"/atgarder/{action.id}").status_code == 403
    assert erik.get(f"/arenden/{case.reference}/atgarder").status_code == 403


def test_a_disqualified_investigator_may_see_but_not_change(demo, login_as):
    # The reporter never handles their own case (jäv), even as an investigator of its unit.
    case = make_case(reporter="erik")
    action = add(case, by="sara", responsible="sara")
    erik = login_as("erik")
    assert erik.get(f"/arenden/{case.reference}/atgarder").status_code == 200
    assert erik.post(f"/atgarder/{action.id}/status", data={"status": "in_progress"}).status_code == 403
    assert erik.post(f"/arenden/{case.reference}/atgarder", data=_add_form(case)).status_code == 403


def test_unknown_things_are_404(demo, login_as):
    erik = login_as("erik")
    assert erik.get("/atgarder/999999").status_code == 404
    assert erik.get("/arenden/AV-1999-0001/atgarder").status_code == 404
    assert erik.post("/atgarder/999999/status", data={"status": "done"}).status_code == 404


def test_a_deactivated_responsible_person_loses_access(demo, login_as):
    case = make_case()
    action = add(case, responsible="anna")
    anna = login_as("anna")
    assert anna.get(f"/atgarder/{action.id}").status_code == 200
    user("anna").active = False
    db.session.commit()
    assert anna.get(f"/atgarder/{action.id}").status_code == 302  # sent to log in
