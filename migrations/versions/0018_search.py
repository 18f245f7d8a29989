"""free-text search: FTS5 on SQLite (kept current by triggers), Swedish full text and trigram indexes on PostgreSQL

Revision ID: 0018_search
Revises: 0017_api_token_expiry
Create Date: 2026-12-05 08:00:00

The statements are copied from app/cases/queue/search.py as it was written (a migration must not
import the application). SQLite: a later batch_alter_table on `cases` copies the table into
a new one and drops the old one, and the three triggers go with it: such a migration must
create them again (the CREATE TRIGGER statements below) and rebuild the index.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018_search'
down_revision = '0017_api_token_expiry'
branch_labels = None
depends_on = None

INDEXED = "reference, summary, description, client_name"
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE cases_search USING fts5({INDEXED}, content='cases', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN "
    f"INSERT INTO cases_search(rowid, {INDEXED}) "
    "VALUES (new.id, new.reference, new.summary, new.description, new.client_name); END",
    f"CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN "
    f"INSERT INTO cases_search(cases_search, rowid, {INDEXED}) "
    "VALUES ('delete', old.id, old.reference, old.summary, old.description, old.client_name); END",
    f"CREATE TRIGGER cases_search_update AFTER UPDATE OF {INDEXED} ON cases BEGIN "
    f"INSERT INTO cases_search(cases_search, rowid, {INDEXED}) "
    "VALUES ('delete', old.id, old.reference, old.summary, old.description, old.client_name); "
    f"INSERT INTO cases_search(rowid, {INDEXED}) "
    "VALUES (new.id, new.reference, new.summary, new.description, new.client_name); END",
    # The cases already there.
    "INSERT INTO cases_search(cases_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_search_update",
    "DROP TRIGGER IF EXISTS cases_search_delete",
    "DROP TRIGGER IF EXISTS cases_search_insert",
    "DROP TABLE IF EXISTS cases_search",
]
# pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
POSTGRESQL_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_cases_fulltext ON cases USING gin (to_tsvector('swedish', summary || ' ' || description))",
    "CREATE INDEX ix_cases_reference_trgm ON cases USING gin (reference gin_trgm_ops)",
    "CREATE INDEX ix_cases_client_name_trgm ON cases USING gin (client_name gin_trgm_ops)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS ix_cases_client_name_trgm",
    "DROP INDEX IF EXISTS ix_cases_reference_trgm",
    "DROP INDEX IF EXISTS ix_cases_fulltext",
    # The extension stays: another schema in the database may use it.
]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    _run(SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_UP)


def downgrade():
    _run(SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_DOWN)
