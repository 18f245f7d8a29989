"""Immediate protection ("omedelbart"): its own step, the first thing to do until it is recorded."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.extensions import db
from tests.cases.helpers import error_for
from tests.lexsarah.helpers import make_case, reload, user

NOW = datetime(2026, 3, 2, 12, 0)  # the day the report came in
WHAT = "Medarbetaren flyttades från brukaren direkt; sjuksköterskan tillkallades."


@pytest.fixture
def case(demo):
    return make_case("received")


def _post(client, case, **data):
    with clock.frozen(NOW):
        return client.post(f"/lex-sarah/{case.reference}/skydd", data={"version": reload(case).version, **data})


def _todo(client, case) -> str:
    with clock.frozen(NOW):
        page = client.get(f"/arenden/{case.reference}").get_data(as_text=True)
    return page.split('id="actions-heading"')[1].split("</ul>")[0]


def test_protection_is_the_first_thing_to_do_until_it_is_recorded(case, login_as):
    erik = login_as("erik")
    todo = _todo(erik, case)
    assert todo.index("/skydd") < todo.index("beslut-om-utredning")
    assert "senast 2026-03-03" in todo
    response = _post(erik, case, what=WHAT, done_on="2026-03-02", done_by="Eva Enhetschef")
    assert response.status_code == 302
    protection = reload(case).lex_sarah_protection
    assert (protection.what, protection.done_on, protection.done_by) == (WHAT, date(2026, 3, 2), "Eva Enhetschef")
    assert protection.recorded_by_id == user("erik").id
    assert reload(case).journal[-1].event == "protection_recorded"
    assert "lexsarah.protection_recorded" in set(db.session.scalars(select(AuditEvent.action)))
    assert "/skydd" not in _todo(erik, case)
    with clock.frozen(NOW):
        assert WHAT in erik.get(f"/arenden/{case.reference}").get_data(as_text=True)
    # Recorded once.
    assert _post(erik, case, what=WHAT, done_on="2026-03-02", done_by="Eva").status_code == 409


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"what": " "}, "what", "Beskriv vad som gjordes för att skydda den enskilde."),
    ({"done_on": ""}, "done_on", "Ange när det gjordes."),
    ({"done_on": "2 mars"}, "done_on", "Ange datumet som ÅÅÅÅ-MM-DD."),
    ({"done_on": "2026-03-03"}, "done_on", "Datumet kan inte ligga i framtiden."),
    ({"done_by": ""}, "done_by", "Ange vem som gjorde det."),
])
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_stored(case, login_as, data, field, message):
    response = _post(login_as("sara"), case, **{"what": WHAT, "done_on": "2026-03-02", "done_by": "Eva", **data})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), field) == message
    assert reload(case).lex_sarah_protection is None


@pytest.mark.parametrize("who", ["anna", "ulla", "admin"])
def test_only_those_who_handle_the_report_record_it(case, login_as, who):
    assert _post(login_as(who), case, what=WHAT, done_on="2026-03-02", done_by="Eva").status_code == 403
    assert reload(case).lex_sarah_protection is None


def test_a_stale_form_is_the_conflict_and_keeps_the_text(case, login_as):
    loaded_version = reload(case).version
    case.summary = "Ändrad av en kollega"  # someone saves the case after the page was loaded
    db.session.commit()
    with clock.frozen(NOW):
        response = login_as("erik").post(f"/lex-sarah/{case.reference}/skydd", data={
            "version": loaded_version, "what": WHAT, "done_on": "2026-03-02", "done_by": "Eva Enhetschef"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet under tiden" in page and WHAT in page
    assert f'value="{reload(case).version}"' in page  # ready to send again against the new version
    assert reload(case).lex_sarah_protection is None
