"""Free-text search in the queue (app.cases.queue.search): from an index on both databases (FTS5 on
SQLite, Swedish full text and trigrams on PostgreSQL), never showing a case the person may
not see, over every status too, and kept current in the same transaction as the case."""

import pytest
from sqlalchemy import delete, text

from app.cases.models import Case
from app.extensions import db
from tests.cases.helpers import file_case
from tests.cases.test_queue import listed


@pytest.fixture
def cases(demo):
    found = {
        "medicine": file_case("deviation", summary="Fel dos vid kvällsmedicineringen",
                              description="Brukaren fick fel dos av sin medicin."),
        "fall": file_case("lex_sarah", unit_name="Vuxenstöd", summary="Fallolycka i badrummet",
                          description="Brukaren halkade på det våta golvet och bröt handleden.",
                          client_name="Gunnel Åström"),
        "closed": file_case("deviation", summary="Nyckel borttappad",
                            description="Nyckeln till lägenheten försvann under helgen."),
        # Another department's case, and one that bypassed the nearest manager: erik sees neither.
        "elsewhere": file_case("deviation", unit_name="HVB Solrosen", summary="Fel dos på HVB",
                               description="Fel dos av medicin på boendet."),
        "bypass": file_case("lex_sarah", summary="Fel dos, chefen inblandad",
                            description="Chefen gav fel dos av medicin.", bypass_manager=True),
    }
    found["closed"].status = "closed"
    db.session.commit()
    return found


def _search(client, text: str, status: str = "") -> set[str]:
    return set(listed(client.get("/arenden", query_string={"q": text, **({"status": status} if status else {})})))


def test_search_finds_words_of_the_summary_and_the_description(login_as, cases):
    erik = login_as("erik")
    assert _search(erik, "badrummet") == {cases["fall"].reference}        # the summary
    assert _search(erik, "handleden") == {cases["fall"].reference}        # only in the description
    assert _search(erik, "HANDLEDEN golvet") == {cases["fall"].reference}  # every word, any case
    assert _search(erik, "handleden medicin") == set()                   # every word must be there
    assert _search(erik, "medicin") == {cases["medicine"].reference}
    assert _search(erik, "vattenkokare") == set()


def test_search_matches_the_beginning_of_words_and_keeps_å_ä_ö(login_as, cases):
    erik = login_as("erik")
    assert _search(erik, "fallolyck") == {cases["fall"].reference}
    assert _search(erik, "Åström") == {cases["fall"].reference}   # the client's name
    if db.session.scalar(text("SELECT lower('Å') = 'å'")):  # not a PostgreSQL database in the C locale
        assert _search(erik, "åström") == {cases["fall"].reference}   # case folded beyond A-Z
    assert _search(erik, "Astrom") == set()                        # ö is not o in Swedish


def test_search_finds_a_fragment_of_the_reference(login_as, cases):
    erik = login_as("erik")
    reference = cases["fall"].reference  # LS-2026-0001 (LS-2026-0002 bypassed the manager)
    assert _search(erik, reference[:7]) == {reference}       # LS-2026
    assert _search(erik, reference[:10]) == {reference}      # LS-2026-00
    assert _search(erik, reference[3:]) == {reference, cases["medicine"].reference}  # 2026-0001: AV too
    assert _search(erik, reference.lower()) == {reference}


def test_search_never_shows_a_case_the_person_may_not_see(login_as, cases):
    erik = login_as("erik")
    for status in ("", "all"):
        found = _search(erik, "dos", status) | _search(erik, "medicin", status) | _search(erik, "fel", status)
        assert cases["elsewhere"].reference not in found
        assert cases["bypass"].reference not in found
    # The officer sees the bypassing lex Sarah report; the other department's investigator the HVB case.
    assert cases["bypass"].reference in _search(login_as("sara"), "chefen", "all")
    assert _search(login_as("ulla"), "medicin", "all") == {cases["elsewhere"].reference}


def test_search_over_every_status_includes_closed_cases(login_as, cases):
    erik = login_as("erik")
    assert _search(erik, "nyckeln") == set()  # open cases only by default
    assert _search(erik, "nyckeln", "all") == {cases["closed"].reference}
    assert _search(erik, "nyckeln", "closed") == {cases["closed"].reference}


def test_the_index_follows_changes_and_removals_in_the_same_transaction(login_as, cases):
    erik = login_as("erik")
    case = cases["medicine"]
    case.description = "Brukaren fick sin kvällsmedicin två timmar för sent."
    case.summary = "Försenad medicinering"
    db.session.commit()
    assert _search(erik, "timmar") == {case.reference}
    assert _search(erik, "kvällsmedicineringen") == set()
    db.session.execute(delete(Case).where(Case.id == cases["closed"].id))
    db.session.commit()
    assert _search(erik, "nyckeln", "all") == set()


def test_a_query_without_words_still_matches_as_a_substring(login_as, cases):
    erik = login_as("erik")
    file_case("deviation", summary="Rapporterat 100% fel")
    assert len(_search(erik, "%")) == 1
    assert _search(erik, "_") == set()


def test_postgresql_stems_swedish_words(login_as, cases):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 has no Swedish stemmer; it matches the beginnings of words")
    erik = login_as("erik")
    # "medicinen", "medicinerna": other forms of "medicin" (Swedish snowball stemmer).
    assert _search(erik, "medicinerna") == {cases["medicine"].reference}
    assert _search(erik, "golv") == {cases["fall"].reference}
