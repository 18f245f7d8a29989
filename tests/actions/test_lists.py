"""The action lists: who sees what, filters, sorting, keyset paging, counts, overdue and follow-up."""

import re
from datetime import date, datetime, timedelta

import pytest

from app import clock
from app.actions import queries, services
from app.actions.models import CaseAction
from app.auth.permissions import Action, can
from app.extensions import db
from tests.actions.conftest import action_type, add, make_case, unit, user

TODAY = datetime(2026, 5, 4, 10, 0)  # a Monday; every due date below is relative to 2026-05-04


def _ids(page) -> list[int]:
    return [a.id for a in page.items]


def _list(username: str, scope: str, **filters) -> list[int]:
    with clock.frozen(TODAY):
        return _ids(queries.list_actions(user(username), scope, queries.Filters(**filters), page_size=500))


def _done(action, on: date):
    with clock.frozen(TODAY):
        services.update_action_status(user("erik"), action.id, "done", completed_on=on, expected_version=action.version)


@pytest.fixture
def world(demo):
    """Actions on cases in Vuxna (Boendestöd), in Unga (HVB Solrosen) and on a lex Sarah report
    whose reporter asked to bypass the nearest manager (only officers handle it)."""
    vuxna = make_case()
    unga = make_case("complaint", "HVB Solrosen", reporter=None)
    bypass = make_case("lex_sarah", "Socialpsykiatri", bypass_manager=True, lex_sarah_type="risk")
    return {
        "erik_overdue": add(vuxna, responsible="erik", due_on=date(2026, 5, 1), type_name="Ny rutin"),
        "anna_due_later": add(vuxna, responsible="anna", due_on=date(2026, 6, 1), type_name="Utbildning",
                              description="Utbildning i bemötande."),
        "erik_due_today": add(vuxna, responsible="erik", due_on=date(2026, 5, 4), type_name="Övrigt"),
        "ulla_unga": add(unga, by="ulla", responsible="ulla", due_on=date(2026, 4, 20),
                         type_name="Organisation"),
        "sara_bypass": add(bypass, by="sara", responsible="sara", due_on=date(2026, 4, 1),
                           type_name="Samtal med berörd personal"),
        "cases": {"vuxna": vuxna, "unga": unga, "bypass": bypass},
    }


def test_mine_is_what_i_am_responsible_for(world):
    assert _list("erik", "mine") == [world["erik_overdue"].id, world["erik_due_today"].id]
    assert _list("anna", "mine") == [world["anna_due_later"].id]
    assert _list("admin", "mine") == []


def test_my_units_follow_the_case_permission(world):
    w = world
    assert set(_list("erik", "units")) == {w["erik_overdue"].id, w["anna_due_later"].id, w["erik_due_today"].id}
    assert _list("ulla", "units") == [w["ulla_unga"].id]
    every = {w[k].id for k in ("erik_overdue", "anna_due_later", "erik_due_today", "ulla_unga", "sara_bypass")}
    assert set(_list("sara", "units")) == every
    # A report that bypassed the nearest manager is for the officers' eyes, not the admins'.
    assert set(_list("admin", "units")) == every - {w["sara_bypass"].id}
    assert _list("anna", "units") == []  # and the page refuses her; see test_pages


def test_the_lists_show_exactly_what_the_permission_function_lets_a_person_see(world):
    actions = list(db.session.scalars(db.select(CaseAction)))
    for username in ("anna", "erik", "ulla", "sara", "admin"):
        person = user(username)
        visible = set(_list(username, "mine", status="all")) | set(_list(username, "units", status="all"))
        assert visible == {a.id for a in actions if can(person, Action.VIEW_ACTION, a)}, username


def test_overdue_means_open_and_past_the_due_date(world):
    w = world
    assert _list("erik", "overdue") == [w["erik_overdue"].id]  # due today is not overdue yet
    assert _list("sara", "overdue") == [w["sara_bypass"].id, w["ulla_unga"].id, w["erik_overdue"].id]
    assert _list("anna", "overdue") == []
    _done(w["erik_overdue"], date(2026, 5, 4))
    with clock.frozen(TODAY):
        services.update_action_status(user("ulla"), w["ulla_unga"].id, "cancelled", cancel_reason="Inte aktuell.",
                                      expected_version=w["ulla_unga"].version)
    assert _list("sara", "overdue") == [w["sara_bypass"].id]
    # A day later, what was due today is overdue.
    with clock.frozen(TODAY + timedelta(days=1)):
        assert _ids(queries.list_actions(user("erik"), "overdue", queries.Filters())) == [w["erik_due_today"].id]


def test_only_mine_on_the_overdue_list(world):
    w = world
    assert _list("sara", "overdue", only_mine=True) == [w["sara_bypass"].id]


def test_waiting_for_follow_up_starts_after_the_configured_days(world):
    w = world
    _done(w["erik_overdue"], date(2026, 4, 3))    # 31 days before 2026-05-04
    _done(w["erik_due_today"], date(2026, 4, 4))  # 30 days: not yet "more than 30"
    assert _list("erik", "follow_up") == [w["erik_overdue"].id]
    with clock.frozen(TODAY):
        services.record_follow_up(user("erik"), w["erik_overdue"].id, result="yes", text="Rutinen följs.",
                                  followed_up_on=date(2026, 5, 4), expected_version=w["erik_overdue"].version)
    assert _list("erik", "follow_up") == []
    with clock.frozen(TODAY + timedelta(days=1)):
        assert _ids(queries.list_actions(user("erik"), "follow_up", queries.Filters())) == [
            w["erik_due_today"].id]


@pytest.mark.parametrize("app_config", [{"ACTION_FOLLOW_UP_DAYS": 7}])
def test_the_follow_up_days_are_a_setting(world):
    _done(world["erik_overdue"], date(2026, 4, 26))
    assert _list("erik", "follow_up") == [world["erik_overdue"].id]


def test_filters(world):
    w = world
    assert _list("sara", "units", type_id=action_type("Organisation").id) == [w["ulla_unga"].id]
    assert _list("sara", "units", unit_id=unit("Vuxna").id) == [
        w["sara_bypass"].id, w["erik_overdue"].id, w["erik_due_today"].id, w["anna_due_later"].id]
    assert _list("sara", "units", unit_id=unit("Boendestöd").id) == [
        w["erik_overdue"].id, w["erik_due_today"].id, w["anna_due_later"].id]
    assert _list("sara", "units", kind="complaint") == [w["ulla_unga"].id]
    assert _list("sara", "units", q="bemötande") == [w["anna_due_later"].id]
    assert _list("sara", "units", q=w["cases"]["unga"].reference) == [w["ulla_unga"].id]
    assert _list("sara", "units", q="100%_") == []  # LIKE wildcards are plain characters
    with clock.frozen(TODAY):
        services.update_action_status(user("erik"), w["erik_overdue"].id, "in_progress",
                                      expected_version=w["erik_overdue"].version)
    _done(w["erik_due_today"], date(2026, 5, 4))
    assert _list("erik", "mine", status="in_progress") == [w["erik_overdue"].id]
    assert _list("erik", "mine", status="done") == [w["erik_due_today"].id]
    assert _list("erik", "mine", status="open") == [w["erik_overdue"].id]
    assert set(_list("erik", "mine", status="all")) == {w["erik_overdue"].id, w["erik_due_today"].id}


def test_sorting(world):
    w = world
    by_due = [w["sara_bypass"].id, w["ulla_unga"].id, w["erik_overdue"].id, w["erik_due_today"].id,
              w["anna_due_later"].id]
    assert _list("sara", "units") == by_due
    assert _list("sara", "units", sort="due_desc") == by_due[::-1]
    created = [w[k].id for k in ("erik_overdue", "anna_due_later", "erik_due_today", "ulla_unga", "sara_bypass")]
    assert _list("sara", "units", sort="oldest") == created
    assert _list("sara", "units", sort="newest") == created[::-1]


@pytest.mark.parametrize("sort", queries.SORTS)
def test_keyset_pages_walk_forward_and_back_through_everything(demo, sort):
    case = make_case()
    for day in (3, 1, 2, 2, 5, 4, 2):  # equal due dates: the id breaks the tie
        add(case, due_on=date(2026, 4, day))
    filters = queries.Filters(sort=sort)
    everything = _ids(queries.list_actions(user("erik"), "mine", filters, page_size=100))
    pages, cursor = [], None
    while True:
        page = queries.list_actions(user("erik"), "mine", filters, after=cursor, page_size=3)
        assert page.total == 7
        pages.append(_ids(page))
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert [i for p in pages for i in p] == everything
    assert [len(p) for p in pages] == [3, 3, 1]
    # Back from the last page.
    back = queries.list_actions(user("erik"), "mine", filters, before=page.previous_cursor, page_size=3)
    assert _ids(back) == pages[1]
    assert back.next_cursor and back.previous_cursor


def test_a_bad_cursor_shows_the_first_page(world):
    with clock.frozen(TODAY):
        page = queries.list_actions(user("sara"), "units", queries.Filters(), after="not-a-cursor!", page_size=2)
    assert len(page.items) == 2 and page.previous_cursor is None


def test_counts(world):
    with clock.frozen(TODAY):
        assert queries.counts(user("erik")) == {"mine": 2, "units": 3, "overdue": 1, "follow_up": 0,
                                                "my_overdue": 1}
        assert queries.counts(user("anna")) == {"mine": 1, "units": 0, "overdue": 0, "follow_up": 0,
                                                "my_overdue": 0}
        assert queries.counts(user("sara"))["overdue"] == 3


# --- the pages ------------------------------------------------------------------------------

def _cards(html: str) -> list[str]:
    """The action links on a list page, in order."""
    return re.findall(r'<h2><a href="/atgarder/(\d+)">', html)


def test_the_pages_show_the_lists_with_counts(world, login_as):
    erik = login_as("erik")
    with clock.frozen(TODAY):
        mine = erik.get("/atgarder").get_data(as_text=True)
        overdue = erik.get("/atgarder/forsenade").get_data(as_text=True)
        units = erik.get("/atgarder/enheter?sort=newest&status=all").get_data(as_text=True)
    assert _cards(mine) == [str(world["erik_overdue"].id), str(world["erik_due_today"].id)]
    assert "Mina åtgärder <strong>2</strong>" in mine and "Försenade <strong>1</strong>" in mine
    assert _cards(overdue) == [str(world["erik_overdue"].id)]
    assert "⚠ Försenad" in overdue  # in words, not only a colour
    assert _cards(units) == [str(world[k].id) for k in ("erik_due_today", "anna_due_later", "erik_overdue")]
    assert "3 åtgärder" in units


def test_staff_see_their_own_actions_but_not_the_units_list(world, login_as):
    anna = login_as("anna")
    with clock.frozen(TODAY):
        assert _cards(anna.get("/atgarder").get_data(as_text=True)) == [str(world["anna_due_later"].id)]
        assert anna.get("/atgarder/enheter").status_code == 403
        assert anna.get("/atgarder/forsenade").status_code == 200


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}])
def test_the_pages_link_forward_and_back_keeping_the_filters(world, login_as):
    client = login_as("sara")
    seen, url = [], "/atgarder/enheter?sort=due&kind="
    with clock.frozen(TODAY):
        while url:
            html = client.get(url).get_data(as_text=True)
            assert "5 åtgärder" in html
            seen.append(_cards(html))
            found = re.search(r'href="([^"]+)" rel="next"', html)
            url = found.group(1).replace("&amp;", "&") if found else None
            if url:
                assert "sort=due" in url
        assert [len(p) for p in seen] == [2, 2, 1]
        back = re.search(r'href="([^"]+)" rel="prev"', html).group(1).replace("&amp;", "&")
        assert _cards(client.get(back).get_data(as_text=True)) == seen[1]
    assert [int(i) for p in seen for i in p] == _list("sara", "units")


def test_every_list_page_is_logged_with_what_it_showed(world, login_as):
    from app.audit import AuditEvent
    erik = login_as("erik")
    with clock.frozen(TODAY):
        erik.get("/atgarder/forsenade?q=&sort=due_desc")
    [logged] = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "action.listed")).all()
    assert logged.user_name == "Erik Eriksson"
    assert logged.detail["scope"] == "overdue" and logged.detail["action_ids"] == [world["erik_overdue"].id]
    assert logged.detail["filters"]["sort"] == "due_desc"


def test_the_start_page_counts_my_actions(world, login_as):
    with clock.frozen(TODAY):
        erik = login_as("erik").get("/").get_data(as_text=True)
        anna = login_as("anna").get("/").get_data(as_text=True)
        admin = login_as("admin").get("/").get_data(as_text=True)
    assert re.search(r'href="/atgarder"><strong>2</strong> öppna åtgärder där du är ansvarig', erik)
    assert re.search(r'href="/atgarder/forsenade"><strong>1</strong> försenade åtgärder', erik)
    assert re.search(r'href="/atgarder"><strong>1</strong> öppna åtgärder', anna)
    assert 'href="/admin/atgardstyper"' in admin
    assert 'href="/atgarder"' in erik.split("</nav>")[0]  # in the main menu
