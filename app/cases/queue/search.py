"""Free-text search of cases, answered from an index instead of reading every summary.

SQLite: an FTS5 table, `cases_search`, over the case's reference, summary, description
and client name (external content: it holds only the index, the text stays in `cases`).
Triggers on `cases` keep it current in the same transaction as the change, whoever makes
it (the services, the CSV import, a bulk load). The words are matched as prefixes,
without folding å, ä, ö into a, o (they are letters of their own in Swedish).

PostgreSQL: a GIN index on `to_tsvector('swedish', summary || ' ' || description)`
(Swedish stemming: "medicinen" finds "medicin") and pg_trgm GIN indexes on the reference
and the client name, which answer `ILIKE '%…%'` fragments. Indexes are kept current by
PostgreSQL itself.

A search asks the index first for at most FEW + 1 matching ids (find): when they are few,
the queue looks them up by id, sorts and counts only those; when there are more, the text
is common and the queue's walk in order checks each case and finds a page early.

The same DDL is run by migrations/versions/0018_search.py (real databases) and by the
listeners below (create_all: the test suite). A query of punctuation only ("%", "_") has no
words to look up and falls back to a substring match, as before.
"""

import re
from dataclasses import dataclass

from sqlalchemy import DDL, event, literal_column, or_, select, text

from app.cases.models import Case

SQLITE_TABLE = "cases_search"
# The FTS5 table and the shadow tables SQLite keeps for it: not models, so Alembic's
# comparison with the models must leave them alone (migrations/env.py, tests/test_migrations.py).
SQLITE_TABLES = frozenset({SQLITE_TABLE, *(f"{SQLITE_TABLE}_{part}" for part in
                                            ("data", "idx", "content", "docsize", "config"))})
SQLITE_DDL = [  # written out (no string building): the same text as in 0018_search
    "CREATE VIRTUAL TABLE IF NOT EXISTS cases_search USING fts5(reference, summary, description, client_name, "
    "content='cases', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS cases_search_insert AFTER INSERT ON cases BEGIN "
    "INSERT INTO cases_search(rowid, reference, summary, description, client_name) "
    "VALUES (new.id, new.reference, new.summary, new.description, new.client_name); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_delete AFTER DELETE ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, reference, summary, description, client_name) "
    "VALUES ('delete', old.id, old.reference, old.summary, old.description, old.client_name); END",
    "CREATE TRIGGER IF NOT EXISTS cases_search_update "
    "AFTER UPDATE OF reference, summary, description, client_name ON cases BEGIN "
    "INSERT INTO cases_search(cases_search, rowid, reference, summary, description, client_name) "
    "VALUES ('delete', old.id, old.reference, old.summary, old.description, old.client_name); "
    "INSERT INTO cases_search(rowid, reference, summary, description, client_name) "
    "VALUES (new.id, new.reference, new.summary, new.description, new.client_name); END",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS cases_search"]  # its triggers go with the cases table

# The query must compute the document exactly as the index does, or the index is not used.
PG_DOCUMENT = "to_tsvector('swedish', summary || ' ' || description)"
PG_INDEXES = frozenset({"ix_cases_fulltext", "ix_cases_reference_trgm", "ix_cases_client_name_trgm"})
PG_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS ix_cases_fulltext ON cases USING gin ({PG_DOCUMENT})",
    "CREATE INDEX IF NOT EXISTS ix_cases_reference_trgm ON cases USING gin (reference gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_cases_client_name_trgm ON cases USING gin (client_name gin_trgm_ops)",
]
PG_QUERY_DOCUMENT = "to_tsvector('swedish', cases.summary || ' ' || cases.description)"

WORD = re.compile(r"[^\W_]+")
MIN_FRAGMENT = 3  # pg_trgm finds fragments of three characters or more from the index


def include_name(name, type_, _parent_names) -> bool:
    """For Alembic's comparison with the models: the search structures are not models (SQLAlchemy
    cannot describe an FTS5 table, and the indexes exist on one database only)."""
    return not ((type_ == "table" and name in SQLITE_TABLES) or (type_ == "index" and name in PG_INDEXES))


def _sqlite_match(text_: str) -> str | None:
    """FTS5 query: every whitespace-separated term a phrase of its words, the last one a
    prefix ("AV-2026-001" → "av 2026 001"*), all terms required. Only letters and digits
    reach the query, so nothing the person typed is FTS5 syntax."""
    terms = []
    for term in text_.split():
        words = WORD.findall(term)
        if words:
            terms.append('"' + " ".join(words) + '"*')
    return " AND ".join(terms) or None


def _pg_tsquery(text_: str) -> str | None:
    """tsquery: every word required, as a prefix, stemmed by the Swedish configuration."""
    words = WORD.findall(text_)
    return " & ".join(f"'{w}':*" for w in words) or None


# At most this many matches are read from the index as ids (one small read) and then looked
# up by id: the page sorts and counts only those. A text found in more cases than this is
# common, so walking the queue in order finds a page of matches early (see find).
FEW = 2000


@dataclass(frozen=True)
class Found:
    """The cases a free text matches: `ids` when they are few (at most FEW), else None and
    `condition` checks each walked case (the queue then walks its index ranges in order)."""

    condition: object
    ids: tuple[int, ...] | None


def find(text_: str) -> Found | None:
    """The cases the free text matches, limited early: first at most FEW + 1 ids from the
    search index. None when the text has no word at all; the caller then matches it as a
    substring.

    Before, the match was a subquery in every index range of the queue's walk: with nothing
    found, each range read every case of its unit (SQLite) or the whole match was
    materialized and its every row rechecked (PostgreSQL: seconds for a common word)."""
    from app.extensions import db
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        match = _sqlite_match(text_)
        if match is None:
            return None
        ids = tuple(db.session.scalars(
            text("SELECT rowid FROM cases_search WHERE cases_search MATCH :search_match LIMIT :few"),
            {"search_match": match, "few": FEW + 1}))
        if len(ids) <= FEW:
            return Found(Case.id.in_(ids), ids)
        matching = select(literal_column("rowid")).select_from(text(SQLITE_TABLE)).where(
            text(f"{SQLITE_TABLE} MATCH :search_match").bindparams(search_match=match))
        return Found(Case.id.in_(matching), None)
    if dialect == "postgresql":
        indexed = _pg_conditions(text_, indexed=True)
        if indexed is None:
            return None
        ids = tuple(db.session.scalars(select(Case.id).where(indexed).limit(FEW + 1)))
        if len(ids) <= FEW:
            return Found(Case.id.in_(ids), ids)
        # Many matches: checked row by row on the walk, which finds a page early. Written so
        # that no index answers it (`|| ''`): from the indexes the planner would read every
        # match and recompute each one's document (a prefix match is rechecked row by row).
        return Found(_pg_conditions(text_, indexed=False), None)
    return None


def text_condition(text_: str):
    """SQL: the case matches the free text. None when the text has no word at all."""
    found = find(text_)
    return None if found is None else found.condition


def _pg_conditions(text_: str, *, indexed: bool):
    query = _pg_tsquery(text_)
    document = PG_QUERY_DOCUMENT if indexed else PG_QUERY_DOCUMENT[:-1] + " || '')"
    conditions = []
    if query is not None:
        conditions.append(text(f"{document} @@ to_tsquery('swedish', :search_query)")
                          .bindparams(search_query=query))
    if len(text_) >= MIN_FRAGMENT:
        # ILIKE, not lower(...) LIKE: that is what the trigram indexes answer.
        pattern = "%" + re.sub(r"([/%_])", r"/\1", text_) + "%"
        reference, client = (Case.reference, Case.client_name) if indexed else \
            (Case.reference.concat(""), Case.client_name.concat(""))
        if _may_be_in_a_reference(text_):
            conditions.append(reference.ilike(pattern, escape="/"))
        conditions.append(client.ilike(pattern, escape="/"))
    return or_(*conditions) if conditions else None


def _may_be_in_a_reference(text_: str) -> bool:
    """Whether the text can be a fragment of a reference: two letters, the year and a number
    (app/cases/references.py; the CSV import checks the same form). A word of three letters or
    more, a space or any other sign is in none, and asking the trigram index for it cost half
    of a no-match search's time in PostgreSQL."""
    return REFERENCE_CHARACTERS.fullmatch(text_) is not None and THREE_LETTERS.search(text_) is None


REFERENCE_CHARACTERS = re.compile(r"[A-Za-z0-9-]+")
THREE_LETTERS = re.compile(r"[A-Za-z]{3}")


def _register() -> None:
    table = Case.__table__
    for statement in SQLITE_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))
    for statement in PG_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


_register()
