"""When IVO opens a supervision case of its own about a lex Sarah report (issue 13 point 9), the lex
Sarah case shows the supervision case(s) linked to it, and the officer starts registering one from
there, prefilled with origin lex_sarah, IVO and this report linked (app/supervision's services)."""

import re
from datetime import date, datetime

import pytest

from app import clock
from tests.lexsarah.helpers import draft, judge, make_case, notify, set_provider
from tests.supervision import helpers as supervision

LATER = datetime(2026, 4, 6, 9, 0)


@pytest.fixture
def case(demo):
    set_provider()
    case = make_case()
    judge(case)
    draft(case)
    notify(case)
    return case


def _page(client, url):
    with clock.frozen(LATER):
        return client.get(url)


def test_the_officer_starts_a_prefilled_registration_from_the_report(case, login_as):
    sara = login_as("sara")
    page = _page(sara, f"/arenden/{case.reference}").get_data(as_text=True)
    start = f"/tillsyn/ny?ursprung=lex_sarah&amp;arende={case.reference}"
    assert start in page
    assert "Inga tillsynsärenden är kopplade till rapporten." in page
    form = _page(sara, start.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="lex_sarah"', form)
    assert re.search(r'<input checked [^>]*value="ivo"', form)
    assert f'value="{case.reference}"' in form
    assert re.search(rf'<input checked [^>]*value="{case.unit_id}"', form)


def test_a_linked_supervision_case_shows_on_the_report(case, login_as):
    registered = supervision.register(on=date(2026, 4, 1), units=("Boendestöd",), origin="lex_sarah",
                                      links=(case.reference,))
    page = _page(login_as("sara"), f"/arenden/{case.reference}").get_data(as_text=True)
    panel = page.split('id="lexsarah-supervision-heading"')[1].split("</section>")[0]
    assert f'href="/arenden/{registered.reference}"' in panel
    assert "3.5.1-01234/2026" in panel  # IVO's diarienummer


def test_only_the_officer_is_offered_to_register_from_the_report(case, login_as):
    page = _page(login_as("erik"), f"/arenden/{case.reference}").get_data(as_text=True)
    assert "/tillsyn/ny?ursprung=lex_sarah" not in page


@pytest.mark.parametrize("query", ["ursprung=okand&arende=LS-2026-0001", "ursprung=lex_sarah&arende=%3Cscript%3E",
                                   "ursprung=lex_sarah&arende=" + "LS-2026-0001," * 40])
def test_a_malformed_prefill_is_a_bad_request(case, login_as, query):
    assert _page(login_as("sara"), f"/tillsyn/ny?{query}").status_code == 400
