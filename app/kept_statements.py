"""Statements built once per process and executed again and again (the queue's pages and
counts, the start page's numbers, the action tabs' counts).

Building a statement of a dozen conditions and computing its cache key (SQLAlchemy's key to the
compiled SQL) costs more CPU than a database spends answering a count from an index. A kept
statement object is built once per shape (the key: what it is built from) and its cache key is
computed once per object. Its codes, ids and paths are written into the SQL text: PostgreSQL then
plans the prepared statement once (a plan without parameters) instead of a custom plan on every
execution, which cost it as much as answering. Only the named parameters (the person's id,
today) are sent with each execution. Statements hold no data, only SQL; the limit keeps the
number of shapes small (a flood of searches included).
"""

from collections.abc import Callable, Hashable

from sqlalchemy import column, text
from sqlalchemy.sql import visitors

from app.extensions import db


class KeptStatements:
    def __init__(self, limit: int = 1024):
        self._statements: dict = {}
        self._limit = limit

    def get(self, key: Hashable, build: Callable, parameters: tuple[str, ...] = ()):
        """The statement kept under `key`, built by `build()` the first time. `parameters`: the
        names of the bindparams sent with each execution; every other value is written out."""
        statement = self._statements.get(key)
        if statement is None:
            if len(self._statements) >= self._limit:
                self._statements.clear()
            statement = self._statements[key] = literal_values(build(), parameters)
        return statement

    def clear(self) -> None:
        self._statements.clear()


def literal_values(statement, parameters: tuple[str, ...] = ()):
    """The statement with its values written into the SQL. Without parameters, written out once,
    now: the SQL text, with the result's column types (a date read from SQLite is still a
    datetime); values left to be written at each execution (literal_execute) were rendered anew
    every time, some forty of them a queue page. With parameters, those stay parameters and
    the others are written at each execution."""
    if not parameters:
        sql = statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}).string
        return text(sql).columns(*(column(c.name, c.type) for c in statement.selected_columns))
    keep = frozenset(parameters)

    def literal(bind):
        if bind.key not in keep:
            bind.literal_execute = True
    return visitors.cloned_traverse(statement, {}, {"bindparam": literal})
