"""Informing: the client, the guardian or god man, the client's own file, the reporter."""

from datetime import date, datetime

import pytest

from app import clock
from app.auth.permissions import PermissionDenied
from app.lexsarah import common, informing
from app.lexsarah.informing import InformingItem
from tests.lexsarah.helpers import denials, loaded, make_case, reload, user

NOW = datetime(2026, 3, 25, 9, 0)


@pytest.fixture
def case(demo):
    return make_case("judged")


def _record(case, who="erik", **items):
    with clock.frozen(NOW):
        return informing.record_informing(user(who), **loaded(case), items=items)


def test_each_item_is_a_date_or_not_applicable_with_a_reason(case):
    _record(case, client=InformingItem(on=date(2026, 3, 10)),
            guardian=InformingItem(not_applicable=True, reason="Brukaren har ingen god man."),
            case_file=InformingItem(on=date(2026, 3, 11)))
    informing = reload(case).lex_sarah_informing
    assert informing.item("client") == (date(2026, 3, 10), "")
    assert informing.item("guardian") == (None, "Brukaren har ingen god man.")
    assert informing.item("reporter") == (None, "")
    assert not informing.complete
    _record(case, client=InformingItem(on=date(2026, 3, 10)),
            guardian=InformingItem(not_applicable=True, reason="Brukaren har ingen god man."),
            case_file=InformingItem(on=date(2026, 3, 11)), reporter=InformingItem(on=date(2026, 3, 24)))
    assert not reload(case).lex_sarah_informing.complete  # the work group is still to be told
    _record(case, client=InformingItem(on=date(2026, 3, 10)),
            guardian=InformingItem(not_applicable=True, reason="Brukaren har ingen god man."),
            case_file=InformingItem(on=date(2026, 3, 11)), reporter=InformingItem(on=date(2026, 3, 24)),
            work_group=InformingItem(on=date(2026, 3, 24)))
    assert reload(case).lex_sarah_informing.complete
    assert [e.event for e in reload(case).journal].count("informing_recorded") == 3


@pytest.mark.parametrize(("item", "field"), [
    (InformingItem(not_applicable=True), "client_reason"),
    (InformingItem(on=date(2026, 3, 10), not_applicable=True, reason="Skäl."), "client_on"),
    (InformingItem(on=date(2026, 3, 26)), "client_on"),   # in the future
    (InformingItem(on=date(2026, 3, 1)), "client_on"),    # before the report
])
def test_bad_items_are_refused_and_nothing_is_stored(case, item, field):
    with pytest.raises(common.LexSarahError) as refused:
        _record(case, client=item, reporter=InformingItem(on=date(2026, 3, 20)))
    assert set(refused.value.errors) == {field}
    assert reload(case).lex_sarah_informing is None


@pytest.mark.parametrize("who", ["anna", "ulla", "admin"])
def test_only_those_who_work_the_case_record_informing(case, who):
    with pytest.raises(PermissionDenied):
        _record(case, who=who, client=InformingItem(on=date(2026, 3, 10)))


def test_the_form(case, login_as):
    erik = login_as("erik")
    with clock.frozen(NOW):
        response = erik.post(f"/lex-sarah/{case.reference}/information",
                             data={"version": reload(case).version, "client_on": "10/3", "guardian_not_applicable": "y",
                                   "guardian_reason": ""})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Ange datumet som ÅÅÅÅ-MM-DD." in page and "Skriv varför det inte är aktuellt." in page
        assert 'value="10/3"' in page  # what the person typed is kept
        response = erik.post(f"/lex-sarah/{case.reference}/information",
                             data={"version": reload(case).version, "client_on": "2026-03-10",
                                   "guardian_not_applicable": "y",
                                   "guardian_reason": "Ingen god man."})
        assert response.status_code == 302
        page = erik.get(f"/lex-sarah/{case.reference}/information").get_data(as_text=True)
    assert 'value="2026-03-10"' in page and "Ingen god man." in page
    assert login_as("ulla").post(f"/lex-sarah/{case.reference}/information",
                                 data={"client_on": "2026-03-10"}).status_code == 403
    assert [d.user_id for d in denials()] == [user("ulla").id]


def test_the_error_summary_names_the_item_whose_reason_is_missing(case, login_as):
    with clock.frozen(NOW):
        response = login_as("sara").post(f"/lex-sarah/{case.reference}/information", data={
            "version": reload(case).version,
            "client_on": "2026-03-10", "guardian_not_applicable": "y", "guardian_reason": ""})
    assert response.status_code == 422
    summary = response.get_data(as_text=True).split('id="error-summary"')[1].split("</div>")[0]
    assert "Vårdnadshavare, god man eller förvaltare har informerats – varför inte aktuellt" in summary
    assert reload(case).lex_sarah_informing is None


# --- the command contract: the case's version the form was loaded with --------------------------

def test_the_form_carries_the_cases_version(case, login_as):
    page = login_as("erik").get(f"/lex-sarah/{case.reference}/information").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{case.version}"' in page


def test_a_stale_form_is_the_conflict_and_keeps_the_text(case, login_as):
    loaded_version = case.version
    _record(case, who="sara", client=InformingItem(on=date(2026, 3, 10)))  # a colleague saves first
    with clock.frozen(NOW):
        response = login_as("erik").post(f"/lex-sarah/{case.reference}/information", data={
            "version": loaded_version, "guardian_not_applicable": "y", "guardian_reason": "Ingen god man åäö."})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet under tiden" in page and "Ingen god man åäö." in page
    assert f'value="{reload(case).version}"' in page
    assert reload(case).lex_sarah_informing.item("guardian") == (None, "")


def test_a_form_without_the_version_is_a_bad_request(case, login_as):
    response = login_as("erik").post(f"/lex-sarah/{case.reference}/information", data={"client_on": "2026-03-10"})
    assert response.status_code == 400
    assert reload(case).lex_sarah_informing is None
