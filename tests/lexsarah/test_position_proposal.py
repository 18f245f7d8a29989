"""An investigator proposes the ställningstagande (issue 13, point 1: "an investigator may propose it").

The proposal is journaled, the officers are told (the desk's list and an e-mail with the reference
and a link only), and the officer's page is prefilled from it; only the officer decides. The officer
may decline it with a reason, and the investigator is told.
"""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.audit import AuditEvent
from app.cases.investigation import services as investigation
from app.extensions import db
from app.lexsarah import desk as officers_desk
from app.mailer import OutgoingMail
from tests.cases.helpers import error_for
from tests.lexsarah.helpers import inform_all, make_case, reload, user

NOW = datetime(2026, 3, 20, 9, 0)
TEXT = "Brukaren hade själv tackat nej till kvällsbesöket; inget missförhållande och ingen risk."


@pytest.fixture
def case(demo):
    return make_case("investigating")


def _propose(client, case, **data):
    with clock.frozen(NOW):
        return client.post(f"/lex-sarah/{case.reference}/stallningstagande/forslag",
                           data={"version": reload(case).version, **data})


def _decline(client, case, reason):
    with clock.frozen(NOW):
        return client.post(f"/lex-sarah/{case.reference}/stallningstagande/forslag/avboj",
                           data={"decline-version": reload(case).version, "decline-reason": reason})


def _mails() -> list[OutgoingMail]:
    return list(db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)))


def _desk_refs():
    with clock.frozen(NOW):
        desk = officers_desk.desk(user("sara"))
    return [row["case"].reference for row in desk["position_proposed"]["rows"]]


def test_an_investigator_proposes_and_the_officer_is_told_and_finds_it_prefilled(case, login_as):
    erik = login_as("erik")
    with clock.frozen(NOW):
        page = erik.get(f"/lex-sarah/{case.reference}/stallningstagande/forslag")
    assert page.status_code == 200 and "Föreslå ställningstagande" in page.get_data(as_text=True)
    before = len(_mails())
    response = _propose(erik, case, reason="not_own_service", text=TEXT, passed_to="Hemtjänst AB")
    assert response.status_code == 302
    case = reload(case)
    assert case.status == "investigating"  # only the officer decides
    assert case.journal[-1].event == "position_proposed"
    assert "lexsarah.position_proposed" in set(db.session.scalars(select(AuditEvent.action)))
    [mail] = _mails()[before:]
    assert "sara@" in mail.recipients and "erik@" not in mail.recipients
    assert case.reference in mail.body and f"/lex-sarah/{case.reference}/stallningstagande" in mail.body
    assert TEXT not in mail.body and "Hemtjänst" not in mail.body  # reference and link only
    assert _desk_refs() == [case.reference]
    sara = login_as("sara")
    with clock.frozen(NOW):
        html = sara.get(f"/lex-sarah/{case.reference}/stallningstagande").get_data(as_text=True)
    assert TEXT in html and 'value="Hemtjänst AB"' in html
    assert re.search(r"<input checked [^>]*value=\"not_own_service\"", html)
    assert "Erik Eriksson" in html  # who proposed it


def test_the_officer_decides_from_the_proposal(case, login_as):
    assert _propose(login_as("erik"), case, reason="no_misconduct", text=TEXT).status_code == 302
    with clock.frozen(NOW):
        for section in ("what_happened", "decision"):
            investigation.add_entry(user("erik"), case.reference, section=section, entry_date=date(2026, 3, 10),
                                    source="Samtal", nature="fact", text="Uppgift.",
                                    expected_version=reload(case).version)
    inform_all(case, at=NOW)
    sara = login_as("sara")
    with clock.frozen(NOW):
        response = sara.post(f"/lex-sarah/{case.reference}/stallningstagande",
                             data={"version": reload(case).version, "reason": "no_misconduct", "text": TEXT})
    assert response.status_code == 302
    assert reload(case).status == "closed"
    assert _desk_refs() == []  # adopted: no longer waiting for the officer


def test_the_officer_declines_with_a_reason_and_the_investigator_is_told(case, login_as):
    assert _propose(login_as("erik"), case, reason="no_misconduct", text=TEXT).status_code == 302
    sara = login_as("sara")
    missing = _decline(sara, case, " ")
    assert missing.status_code == 422
    assert error_for(missing.get_data(as_text=True), "decline-reason") == "Skriv varför förslaget avböjs."
    assert _desk_refs() == [reload(case).reference]
    before = len(_mails())
    assert _decline(sara, case, "Händelsen ska utredas fullt ut.").status_code == 302
    case = reload(case)
    assert case.status == "investigating"
    assert case.journal[-1].event == "position_proposal_declined"
    [mail] = _mails()[before:]
    assert "erik@" in mail.recipients and case.reference in mail.body
    assert "utredas fullt ut" not in mail.body
    assert _desk_refs() == []
    with clock.frozen(NOW):
        html = sara.get(f"/lex-sarah/{case.reference}/stallningstagande").get_data(as_text=True)
    assert TEXT not in html  # a declined proposal no longer fills the form
    # A new proposal may then be made.
    assert _propose(login_as("erik"), case, reason="no_misconduct", text=TEXT).status_code == 302


def test_one_open_proposal_at_a_time(case, login_as):
    erik = login_as("erik")
    assert _propose(erik, case, reason="no_misconduct", text=TEXT).status_code == 302
    response = _propose(erik, case, reason="no_misconduct", text=TEXT)
    assert response.status_code == 409
    assert "redan ett förslag" in response.get_data(as_text=True)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"reason": "", "text": TEXT}, "reason", "Välj skälet till ställningstagandet."),
    ({"reason": "no_misconduct", "text": " "}, "text", "Skriv ställningstagandet och vad det grundar sig på."),
    ({"reason": "not_own_service", "text": TEXT}, "passed_to", "Ange vem ärendet har lämnats över till."),
    ({"reason": "health_care", "text": TEXT, "passed_on": "igår"}, "passed_on", "Ange datumet som ÅÅÅÅ-MM-DD."),
    ({"reason": "already_investigated", "text": TEXT, "linked_reference": "LS-2026-9999"}, "linked_reference",
     "Det finns inget ärende LS-2026-9999 som du har tillgång till."),
])
def test_a_bad_proposal_is_shown_next_to_the_field_and_nothing_is_stored(case, login_as, data, field, message):
    response = _propose(login_as("erik"), case, **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_for(html, field) == message
    if data["text"].strip():
        assert TEXT in html
    assert reload(case).journal[-1].event != "position_proposed"
    assert _desk_refs() == []


@pytest.mark.parametrize(("who", "status"), [("anna", 403), ("ulla", 403), ("admin", 403)])
def test_who_may_not_propose(case, login_as, who, status):
    assert _propose(login_as(who), case, reason="no_misconduct", text=TEXT).status_code == status
    assert _desk_refs() == []


def test_only_the_officer_declines(case, login_as):
    erik = login_as("erik")
    assert _propose(erik, case, reason="no_misconduct", text=TEXT).status_code == 302
    assert _decline(erik, case, "Nej.").status_code == 403
    assert _desk_refs() == [reload(case).reference]


def test_nothing_to_decline_is_refused(case, login_as):
    response = _decline(login_as("sara"), case, "Nej.")
    assert response.status_code == 409


def test_a_stale_proposal_is_the_conflict_and_keeps_the_text(case, login_as):
    loaded_version = reload(case).version
    case.summary = "Ändrad av en kollega"  # someone saves the case after the page was loaded
    db.session.commit()
    with clock.frozen(NOW):
        response = login_as("erik").post(f"/lex-sarah/{case.reference}/stallningstagande/forslag", data={
            "version": loaded_version, "reason": "no_misconduct", "text": TEXT})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet under tiden" in page and TEXT in page
    assert f'value="{reload(case).version}"' in page
    assert _desk_refs() == []
