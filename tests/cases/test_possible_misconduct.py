"""A deviation that may be a lex Sarah matter (issue 13 point 12): the case page shows why and
proposes the escalation to lex Sarah first. Which moves are possible is still the machine's
(app/workflow.py); what is proposed first follows the fact `possible_misconduct` (app/facts.py)."""

import pytest

from app import workflow
from app.facts import possible_misconduct
from tests.cases.helpers import category, file_case, reload

ESCALATE = "/gor-lex-sarah-rapport"


def _actions(html: str) -> str:
    """The "Att göra" list of the case page."""
    start = html.find('id="actions-heading"')
    return html[start:html.find("</aside>", start)]


def _order(html: str, case) -> list[str]:
    actions = _actions(html)
    places = {"escalate": actions.find(f"/arenden/{case.reference}{ESCALATE}"),
              "take": actions.find(f"/arenden/{case.reference}/ta"),
              "investigate": actions.find(f"/arenden/{case.reference}/beslut-om-utredning")}
    assert all(p >= 0 for p in places.values()), places
    return sorted(places, key=places.get)


@pytest.mark.parametrize(("fields", "categories"), [({"possible_misconduct": True}, ()),
                                                   ({}, ("Sexuella övergrepp",))],
                         ids=["ticked by the reporter", "abuse category"])
def test_the_escalation_is_proposed_first_and_explained(login_as, fields, categories):
    case = file_case("deviation", categories=categories, **fields)
    assert possible_misconduct(reload(case)) is True
    html = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert _order(html, case)[0] == "escalate"
    actions = _actions(html)
    assert "Föreslås först" in actions
    assert "Kan vara ett missförhållande" in actions
    # Offered once, not again among the others.
    assert actions.count(ESCALATE) == 1


def test_an_ordinary_deviation_offers_the_escalation_among_the_others(login_as):
    case = file_case("deviation", categories=("Dokumentation",))
    assert possible_misconduct(reload(case)) is False
    html = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert _order(html, case)[-1] == "escalate"
    assert "Föreslås först" not in html


def test_the_case_page_shows_why_it_may_be_a_misconduct(login_as):
    case = file_case("deviation", categories=("Fysiska övergrepp",), possible_misconduct=True)
    html = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    filed = html[html.find('id="filed-heading"'):]
    assert "Kan vara ett missförhållande (lex Sarah)" in filed
    assert "Rapportören har markerat att det kan vara ett missförhållande." in filed
    assert "Kategorin Fysiska övergrepp beskriver övergrepp." in filed


def test_the_proposal_goes_once_the_deviation_has_been_escalated(login_as, app):
    case = file_case("deviation", possible_misconduct=True)
    case.handover = "to_lex_sarah"
    case.status = "closed"
    from app.extensions import db
    db.session.commit()
    html = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    assert "Föreslås först" not in html  # the move is no longer possible, so nothing is proposed


def test_only_deviations_have_the_fact():
    assert workflow.PROPOSED_FIRST == {"possible_misconduct": "escalate_to_lex_sarah"}


def test_a_complaint_is_never_proposed_for_lex_sarah_by_its_categories(login_as, app):
    case = file_case("complaint", categories=("Bemötande",))
    abuse = category("complaint", "Bemötande")
    abuse.describes_abuse = True  # even if someone marked it by hand in the database
    assert possible_misconduct(reload(case)) is False


def test_the_triage_page_proposes_lex_sarah_before_its_own_form(login_as):
    flagged = file_case("deviation", categories=("Psykiska övergrepp",))
    ordinary = file_case("deviation", categories=("Dokumentation",))
    erik = login_as("erik")
    html = erik.get(f"/arenden/{flagged.reference}/beslut-om-utredning").get_data(as_text=True)
    assert "Föreslås först" in html
    assert html.find(f"/arenden/{flagged.reference}{ESCALATE}") < html.find('name="decision"')
    assert "Föreslås först" not in erik.get(f"/arenden/{ordinary.reference}/beslut-om-utredning").get_data(
        as_text=True)
    # The escalation's own page does not propose itself.
    assert "Föreslås först" not in erik.get(f"/arenden/{flagged.reference}{ESCALATE}").get_data(as_text=True)
