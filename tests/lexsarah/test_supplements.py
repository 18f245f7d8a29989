"""IVO may ask for more than one supplement (komplettering) on a notified report (issue 13 point 9):
each request with its own deadline and reply; the desk and the officers' digest list the open ones."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.lexsarah import desk as officers_desk
from app.lexsarah import supplement
from app.lexsarah.models import LexSarahSupplement
from tests.cases.helpers import error_for
from tests.lexsarah.helpers import draft, judge, loaded, make_case, notify, reload, set_provider, user

LATER = datetime(2026, 4, 6, 9, 0)


@pytest.fixture
def case(demo):
    set_provider()
    case = make_case()
    judge(case)
    draft(case)
    notify(case)
    return reload(case)


def _request(client, case, requested_on, due_on, text="Rutinen för läkemedel."):
    with clock.frozen(LATER):
        return client.post(f"/lex-sarah/{case.reference}/anmalan/komplettering",
                           data={"supp-version": reload(case).version, "supp-requested_on": requested_on,
                                 "supp-due_on": due_on, "supp-text": text})


def _reply(client, case, supplement_id, answered_on):
    with clock.frozen(LATER):
        return client.post(f"/lex-sarah/{case.reference}/anmalan/komplettering-skickad",
                           data={"reply-version": reload(case).version, "reply-supplement_id": str(supplement_id),
                                 "reply-answered_on": answered_on})


def _supplements(case) -> list[LexSarahSupplement]:
    db.session.expire_all()
    return list(db.session.scalars(select(LexSarahSupplement).where(LexSarahSupplement.case_id == case.id)
                                   .order_by(LexSarahSupplement.id)))


def _desk_rows():
    with clock.frozen(LATER):
        desk = officers_desk.desk(user("sara"))
    return [(row["case"].reference, row["supplement"].due_on) for row in desk["supplement_due"]["rows"]]


def test_two_requests_each_with_its_deadline_and_reply(case, login_as):
    sara = login_as("sara")
    assert _request(sara, case, "2026-04-01", "2026-04-15").status_code == 302
    assert _request(sara, case, "2026-04-03", "2026-04-10", text="Journalanteckningarna.").status_code == 302
    first, second = _supplements(case)
    assert [(s.requested_on, s.due_on, s.answered_on) for s in (first, second)] == [
        (date(2026, 4, 1), date(2026, 4, 15), None), (date(2026, 4, 3), date(2026, 4, 10), None)]
    # The desk and the digest list each open request, the nearest deadline first.
    assert _desk_rows() == [(case.reference, date(2026, 4, 10)), (case.reference, date(2026, 4, 15))]
    assert [d for d in officers_desk.due_duties(LATER.date(), 30) if d[0] == "supplement"] == [
        ("supplement", case.reference, date(2026, 4, 10)), ("supplement", case.reference, date(2026, 4, 15))]
    with clock.frozen(LATER):
        page = sara.get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
    assert "Rutinen för läkemedel." in page and "Journalanteckningarna." in page
    assert "senast 2026-04-10" in page and "senast 2026-04-15" in page
    # The second is answered first; the first is still open.
    assert _reply(sara, case, second.id, "2026-04-05").status_code == 302
    assert [s.answered_on for s in _supplements(case)] == [None, date(2026, 4, 5)]
    assert _desk_rows() == [(case.reference, date(2026, 4, 15))]
    assert _reply(sara, case, first.id, "2026-04-06").status_code == 302
    assert _desk_rows() == []
    events = [e.event for e in reload(case).journal]
    assert events.count("ivo_supplement_requested") == 2 and events.count("ivo_supplement_sent") == 2


def test_a_reply_names_an_open_request_of_this_case(case, login_as):
    sara = login_as("sara")
    assert _request(sara, case, "2026-04-01", "2026-04-15").status_code == 302
    [only] = _supplements(case)
    other = make_case()
    judge(other)
    draft(other)
    notify(other)
    assert _request(sara, reload(other), "2026-04-01", "2026-04-15").status_code == 302
    [foreign] = _supplements(other)
    for wrong in (foreign.id, 999999, "x"):
        response = _reply(sara, case, wrong, "2026-04-05")
        assert response.status_code == 422
        assert error_for(response.get_data(as_text=True), "reply-supplement_id") == \
            "Välj vilken begäran från IVO kompletteringen svarar på."
    before = _reply(sara, case, only.id, "2026-03-31")
    assert before.status_code == 422
    assert "före IVO:s begäran" in error_for(before.get_data(as_text=True), "reply-answered_on")
    assert _supplements(case)[0].answered_on is None
    assert _reply(sara, case, only.id, "2026-04-05").status_code == 302
    # Answered: no second reply to the same request.
    again = _reply(sara, case, only.id, "2026-04-06")
    assert again.status_code == 409  # no request left open: the move is refused (the contract's 409)
    assert _supplements(case)[0].answered_on == date(2026, 4, 5)


def test_the_service_without_an_id_answers_the_only_open_request(case):
    with clock.frozen(LATER):
        supplement.record_supplement_request(user("sara"), **loaded(case), requested_on=date(2026, 4, 1),
                                             due_on=date(2026, 4, 15), text="Rutinen.")
        supplement.record_supplement_reply(user("sara"), **loaded(reload(case)), answered_on=date(2026, 4, 2))
    assert _supplements(case)[0].answered_on == date(2026, 4, 2)


def test_the_desks_link_to_an_open_request_leads_to_its_reply_before_a_new_request(case, login_as):
    """The desk's "Komplettering" link (#komplettering) is followed to record the reply: in that part of the
    page the reply form comes first, so a keyboard user's first Tab is there, not in the form for
    registering another request from IVO."""
    sara = login_as("sara")
    assert _request(sara, case, "2026-04-01", "2026-04-15").status_code == 302
    with clock.frozen(LATER):
        page = sara.get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
    section = page[page.index('id="komplettering"'):]
    reply = section.index(f'action="/lex-sarah/{case.reference}/anmalan/komplettering-skickad"')
    another = section.index(f'action="/lex-sarah/{case.reference}/anmalan/komplettering"')
    assert reply < another


def _chosen(page: str) -> list[str]:
    """The values of the reply form's chosen request (WTForms writes `checked` before the value)."""
    return re.findall(r'<input checked [^>]*name="reply-supplement_id"[^>]*value="(\d+)"', page)


def test_the_desks_link_chooses_the_request_it_names(case, login_as):
    """With two open requests, the desk's "Komplettering" link of one leads to the reply form with that
    one chosen; a request no longer open chooses nothing, and a malformed one is a bad request."""
    sara = login_as("sara")
    _request(sara, case, "2026-04-01", "2026-04-15")
    _request(sara, case, "2026-04-03", "2026-04-10", text="Journalanteckningarna.")
    first, second = _supplements(case)
    with clock.frozen(LATER):
        desk_page = sara.get("/lex-sarah").get_data(as_text=True)
        for request_ in (first, second):
            assert f"/lex-sarah/{case.reference}/anmalan?begaran={request_.id}#komplettering" in desk_page
        page = sara.get(f"/lex-sarah/{case.reference}/anmalan?begaran={second.id}").get_data(as_text=True)
        unchosen = sara.get(f"/lex-sarah/{case.reference}/anmalan").get_data(as_text=True)
        for malformed in ("x", "", "²", "-1"):
            assert sara.get(f"/lex-sarah/{case.reference}/anmalan?begaran={malformed}").status_code == 400
    assert _chosen(page) == [str(second.id)]
    assert _chosen(unchosen) == []
    assert _reply(sara, case, second.id, "2026-04-05").status_code == 302
    with clock.frozen(LATER):
        page = sara.get(f"/lex-sarah/{case.reference}/anmalan?begaran={second.id}").get_data(as_text=True)
    assert f'value="{second.id}"' not in page
