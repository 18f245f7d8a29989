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

The same DDL is run by migrations/versions/0018_search.py (real databases) and by the
listeners below (create_all: the test suite). A query of punctuation only ("%", "_") has no
words to look up and falls back to a substring match, as before.
"""

import re

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


def text_condition(text_: str):
    """SQL: the case matches the free text. None when the text has no word at all; the caller
    then matches it as a substring."""
    from app.extensions import db
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        match = _sqlite_match(text_)
        if match is None:
            return None
        matching = select(literal_column("rowid")).select_from(text(SQLITE_TABLE)).where(
            text(f"{SQLITE_TABLE} MATCH :search_match").bindparams(search_match=match))
        return Case.id.in_(matching)
    if dialect == "postgresql":
        query = _pg_tsquery(text_)
        conditions = []
        if query is not None:
            conditions.append(text(f"{PG_QUERY_DOCUMENT} @@ to_tsquery('swedish', :search_query)")
                              .bindparams(search_query=query))
        if len(text_) >= MIN_FRAGMENT:
            # ILIKE, not lower(...) LIKE: that is what the trigram indexes answer.
            pattern = "%" + re.sub(r"([/%_])", r"/\1", text_) + "%"
            conditions += [Case.reference.ilike(pattern, escape="/"), Case.client_name.ilike(pattern, escape="/")]
        if not conditions:
            return None
        # Found first, from the indexes, then narrowed to the queue's scope and page: left
        # to itself the planner walks each unit's cases in order and computes the document
        # of every row (seconds at a million cases when nothing matches).
        found = select(Case.id.label("id")).where(or_(*conditions)).cte("search_found").prefix_with("MATERIALIZED")
        return Case.id.in_(select(found.c.id))
    return None


def _register() -> None:
    table = Case.__table__
    for statement in SQLITE_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in SQLITE_DROP:
        event.listen(table, "before_drop", DDL(statement).execute_if(dialect="sqlite"))
    for statement in PG_DDL:
        event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))


_register()
