"""The officer's desk: each step shows while it is pending, counted in the database."""

from datetime import date, datetime

import pytest

from app import clock
from app.auth.permissions import PermissionDenied
from app.lexsarah import desk as officers_desk
from app.lexsarah import judgment, notification, protection
from tests.lexsarah.helpers import JUDGED, NOT_SERIOUS, draft, judge, loaded, make_case, notify, set_provider, user

TODAY = datetime(2026, 3, 25, 9, 0)


def _desk(**kwargs):
    with clock.frozen(TODAY):
        return officers_desk.desk(user("sara"), **kwargs)


def _refs(desk, name) -> list[str]:
    return [row["case"].reference for row in desk[name]["rows"]]


@pytest.fixture
def cases(demo):
    set_provider()
    waiting = make_case()
    proposed = make_case()
    with clock.frozen(JUDGED):
        judgment.propose_judgment(user("erik"), **loaded(proposed), **NOT_SERIOUS)
    serious = make_case()
    judge(serious, at=datetime(2026, 3, 18, 9, 0))
    not_serious = make_case()
    judge(not_serious, NOT_SERIOUS)
    notified = make_case()
    judge(notified)
    draft(notified)
    notify(notified, sent_on=date(2026, 3, 20))
    make_case("investigating")  # not the officer's turn yet
    return {"waiting": waiting, "proposed": proposed, "serious": serious, "notified": notified}


def test_each_pending_step_is_listed(cases):
    desk = _desk()
    assert _refs(desk, "awaiting_judgment") == [cases["waiting"].reference, cases["proposed"].reference]
    assert desk["awaiting_judgment"]["rows"][1]["judgment"].proposed_outcome == "misconduct"
    assert _refs(desk, "not_notified") == [cases["serious"].reference]
    assert desk["not_notified"]["rows"][0]["days_since_judgment"] == 7
    assert _refs(desk, "investigation_due") == [cases["notified"].reference]
    assert desk["investigation_due"]["rows"][0]["days_left"] == (date(2026, 5, 20) - date(2026, 3, 25)).days
    assert _refs(desk, "decision_awaited") == [cases["notified"].reference]
    # The whole chain: none new (all are investigated), none with the immediate protection recorded,
    # one under investigation, the three judged ones still to inform.
    assert {name: desk[name]["count"] for name in officers_desk.DESK_LISTS} == {
        "new": 0, "protection_missing": 6, "under_investigation": 1, "position_proposed": 0, "awaiting_judgment": 2,
        "not_notified": 1,
        "investigation_due": 1, "supplement_due": 0, "decision_awaited": 1, "informing_open": 3}


def test_a_step_done_leaves_its_list(cases):
    with clock.frozen(TODAY):
        notification.record_not_notifying(user("sara"), **loaded(cases["serious"]), reason="Redan anmäld av regionen.")
        notification.record_investigation_sent(user("sara"), **loaded(cases["notified"]), sent_on=date(2026, 3, 24))
    desk = _desk()
    assert desk["not_notified"]["count"] == 0 and desk["investigation_due"]["count"] == 0
    assert desk["decision_awaited"]["count"] == 1
    with clock.frozen(TODAY):
        notification.record_ivo_decision(user("sara"), **loaded(cases["notified"]), outcome="no_criticism",
                                     decided_on=date(2026, 3, 25), text="Avslutas utan kritik.")
    assert _desk()["decision_awaited"]["count"] == 0


def test_the_lists_are_paged(cases):
    desk = _desk(pages={"awaiting_judgment": 2}, page_size=1)
    assert desk["awaiting_judgment"]["count"] == 2
    assert (desk["awaiting_judgment"]["page"], desk["awaiting_judgment"]["last_page"]) == (2, 2)
    assert _refs(desk, "awaiting_judgment") == [cases["proposed"].reference]


def test_the_page_links_each_row_to_the_case_and_to_the_lex_sarah_pages(cases, login_as):
    with clock.frozen(TODAY):
        page = login_as("sara").get("/lex-sarah").get_data(as_text=True)
    for key in ("waiting", "serious", "notified"):
        assert f'href="/arenden/{cases[key].reference}"' in page
    assert f'href="/lex-sarah/{cases["waiting"].reference}/bedomning"' in page
    assert f'href="/lex-sarah/{cases["serious"].reference}/anmalan"' in page
    assert f'href="/lex-sarah/{cases["notified"].reference}/anmalan#utredning"' in page
    assert "2026-05-20" in page and "om 56 dagar" in page


@pytest.mark.parametrize("who", ["anna", "erik", "admin"])
def test_the_desk_is_the_officers(demo, who):
    with pytest.raises(PermissionDenied):
        officers_desk.desk(user(who))


def test_the_way_there(demo, login_as):
    sara_start = login_as("sara").get("/").get_data(as_text=True)
    assert sara_start.count('href="/lex-sarah"') == 2  # the menu and the start page
    assert 'href="/lex-sarah"' not in login_as("erik").get("/").get_data(as_text=True)
    assert 'href="/lex-sarah/installningar"' in login_as("admin").get("/").get_data(as_text=True)


def test_the_desk_shows_every_report_from_the_moment_it_is_filed(demo, login_as):
    filed = make_case("received", reported=datetime(2026, 3, 24, 9, 0))  # 10:00 in Stockholm
    with clock.frozen(datetime(2026, 3, 25, 13, 0)):
        desk = officers_desk.desk(user("sara"))
        assert _refs(desk, "new") == [filed.reference]
        assert desk["new"]["rows"][0]["hours_since_filing"] == 28
        assert _refs(desk, "protection_missing") == [filed.reference]
        assert desk["protection_missing"]["rows"][0]["protection_due_on"] == date(2026, 3, 25)
        page = login_as("sara").get("/lex-sarah").get_data(as_text=True)
        assert "28 tim" in page and f"/lex-sarah/{filed.reference}/skydd" in page
        protection.record_protection(user("sara"), filed.reference, what="Annan personal tog över.",
                                     done_on=date(2026, 3, 24), done_by="Eva", expected_version=filed.version)
        assert officers_desk.desk(user("sara"))["protection_missing"]["count"] == 0
