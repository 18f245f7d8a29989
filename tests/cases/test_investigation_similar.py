""""Has something similar happened before?": suggestions of the same unit and a shared category
from the last 24 months, linked by the investigator and shown on both cases."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app.cases.investigation import services as investigation
from app.cases.models import CaseLink
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import error_for, file_case, reload, user

NOW = datetime(2026, 3, 12, 9, 0)


@pytest.fixture
def cases(demo):
    made = {
        "this": file_case("deviation", at=datetime(2026, 3, 2, 9), categories=("Dokumentation",),
                          summary="Journalanteckning saknas"),
        "same": file_case("deviation", at=datetime(2025, 1, 10, 9), categories=("Dokumentation", "Sekretess"),
                          summary="Anteckning på fel brukare"),
        # Lex Sarah keeps its own list with the same words: matched by name.
        "lex_sarah": file_case("lex_sarah", at=datetime(2025, 6, 1, 9), categories=("Dokumentation",),
                               summary="Dokumentation saknades vid överlämning"),
        "just_inside": file_case("deviation", at=datetime(2024, 3, 2, 10), categories=("Dokumentation",),
                                 summary="Precis 24 månader"),
        "later": file_case("deviation", at=datetime(2026, 3, 10, 9), categories=("Dokumentation",),
                           summary="Senare"),
        "too_old": file_case("deviation", at=datetime(2024, 3, 1, 9), categories=("Dokumentation",),
                             summary="För gammal"),
        "other_category": file_case("deviation", at=datetime(2025, 5, 1, 9), categories=("Sekretess",),
                                    summary="Annan kategori"),
        "other_unit": file_case("deviation", unit_name="Vuxenstöd", at=datetime(2025, 5, 1, 9),
                                categories=("Dokumentation",), summary="Annan enhet"),
        "hidden": file_case("lex_sarah", at=datetime(2025, 7, 1, 9), categories=("Dokumentation",),
                            bypass_manager=True, summary="Förbi chefen"),
    }
    made["this"].status = "investigating"
    db.session.commit()
    return made


def _suggested(case, username="erik") -> list[str]:
    return [c.reference for c in investigation.similar_cases(user(username), reload(case))]


def test_suggestions_share_unit_and_category_within_24_months(cases):
    # Newest first; erik may not see the report that bypassed the nearest manager.
    assert _suggested(cases["this"]) == [cases[name].reference for name in ("later", "lex_sarah", "same",
                                                                            "just_inside")]
    # An officer also sees the report that bypassed the nearest manager.
    assert cases["hidden"].reference in _suggested(cases["this"], "sara")


def test_a_case_without_category_gets_no_suggestions(cases, login_as):
    bare = file_case("deviation", summary="Utan kategori")
    bare.status = "investigating"
    db.session.commit()
    assert _suggested(bare) == []
    with frozen(NOW):
        page = login_as("erik").get(f"/arenden/{bare.reference}?liknande=1").get_data(as_text=True)
    assert "Ärendet har ingen kategori, så det finns inga förslag." in page


def _link(client, case, other, path="utredning/liknande"):
    with frozen(NOW):
        return client.post(f"/arenden/{case.reference}/{path}",
                           data={"version": reload(case).version, "reference": other.reference})


def test_linking_a_suggestion_shows_the_link_on_both_cases(cases, login_as):
    this, same = cases["this"], cases["same"]
    erik = login_as("erik")
    with frozen(NOW):
        page = erik.get(f"/arenden/{this.reference}?liknande=1").get_data(as_text=True)
    suggestions = page.split("Förslag: samma enhet och kategori")[1]
    assert same.reference in suggestions and cases["too_old"].reference not in suggestions
    assert re.search(rf'name="reference" value="{same.reference}"', suggestions), "one click links it"
    assert _link(erik, this, same).status_code == 302
    link = db.session.scalar(select(CaseLink))
    assert (link.case_id, link.linked_case_id, link.linked_by_id) == (this.id, same.id, user("erik").id)
    assert reload(this).journal[-1].event == "case_linked"
    with frozen(NOW):
        this_page = erik.get(f"/arenden/{this.reference}?liknande=1").get_data(as_text=True)
        same_page = erik.get(f"/arenden/{same.reference}").get_data(as_text=True)
    linked_here = this_page.split("Kopplade liknande ärenden")[1].split("Förslag:")[0]
    assert f'href="/arenden/{same.reference}"' in linked_here
    assert same.reference not in this_page.split("Förslag:")[1].split("Koppla ett annat ärende")[0], \
        "a linked case is no longer suggested"
    linked_there = same_page.split("Kopplade liknande ärenden")[1]
    assert f'href="/arenden/{this.reference}"' in linked_there, "shown on the other case too"
    # Linking the same pair from the other side is refused: it is one link.
    again = _link(erik, same, this)
    assert again.status_code == 422
    assert error_for(again.get_data(as_text=True), "reference") == f"{this.reference} är redan kopplat till ärendet."


def test_unlinking_removes_it_from_both(cases, login_as):
    this, same = cases["this"], cases["same"]
    erik = login_as("erik")
    _link(erik, this, same)
    # Removed from the other case's page: the link is one, whichever side made it.
    assert _link(erik, same, this, "utredning/liknande/ta-bort").status_code == 302
    assert db.session.scalar(select(CaseLink)) is None
    assert reload(same).journal[-1].event == "case_unlinked"


@pytest.mark.parametrize(("reference", "message"), [
    ("AV-2020-0001", "Det finns inget ärende AV-2020-0001 som du har tillgång till."),
    ("this", "Ange ett annat ärende än det här."),
    ("hidden", "Det finns inget ärende {ref} som du har tillgång till."),  # exists, but erik may not see it
])
def test_only_a_visible_other_case_can_be_linked(cases, login_as, reference, message):
    ref = cases[reference].reference if reference in cases else reference
    with frozen(NOW):
        response = login_as("erik").post(f"/arenden/{cases['this'].reference}/utredning/liknande",
                                         data={"version": reload(cases["this"]).version, "reference": ref})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), "reference") == message.format(ref=ref)
    assert db.session.scalar(select(CaseLink)) is None


@pytest.mark.parametrize(("username", "status"), [("anna", 403), ("ulla", 403), ("admin", 403), ("sara", 302)])
def test_who_links(cases, login_as, username, status):
    assert _link(login_as(username), cases["this"], cases["same"]).status_code == status
    assert (db.session.scalar(select(CaseLink)) is not None) == (status == 302)


def test_suggestions_and_links_are_for_those_who_work_the_case(cases, login_as):
    with frozen(NOW):
        page = login_as("admin").get(f"/arenden/{cases['this'].reference}").get_data(as_text=True)
    assert "Förslag: samma enhet och kategori" not in page and "utredning/liknande" not in page
    with frozen(NOW):
        asked = login_as("admin").get(f"/arenden/{cases['this'].reference}?liknande=1").get_data(as_text=True)
    assert "Förslag: samma enhet och kategori" not in asked and "liknande=1" not in page


def test_suggestions_are_looked_for_only_when_asked(cases, login_as):
    """Looking for similar cases is a search: the case page offers it as a link instead of
    running it on every view."""
    erik = login_as("erik")
    with frozen(NOW):
        page = erik.get(f"/arenden/{cases['this'].reference}").get_data(as_text=True)
        asked = erik.get(f"/arenden/{cases['this'].reference}?liknande=1").get_data(as_text=True)
    assert "Förslag: samma enhet och kategori" not in page and cases["same"].reference not in page
    assert f'href="/arenden/{cases["this"].reference}?liknande=1#liknande"' in page
    assert cases["same"].reference in asked.split("Förslag: samma enhet och kategori")[1]
