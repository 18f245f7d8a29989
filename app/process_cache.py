"""Small lists read from the database and kept in the worker process for a short while.

The public complaint form offered the departments and topics read anew on every request,
which was a third of its cost; they change a few times a year. A `ProcessCache` keeps
what its loader returned (plain values, never ORM objects, which belong to one session):

- forgotten as soon as a transaction of this process that wrote one of its tables commits
  (an ORM flush or a Core INSERT/UPDATE/DELETE through the session), so the person who made
  the change, and everyone on the same worker, sees it on the next page;
- and at the latest after `seconds`, for the other worker processes and servers, which do
  not see this process's commits (and for writes outside the session).

Use it only where a short delay on the other workers is acceptable: a choice on a form
that the service checks again when the form comes back. Never for who may see what.
"""

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_CHANGED = "process_cache_tables"  # session.info: the watched tables this transaction wrote
_CACHES: list["ProcessCache"] = []


class ProcessCache:
    def __init__(self, tables: tuple[str, ...], load: Callable[[], Any], seconds: float = 30.0):
        self.tables = frozenset(tables)
        self.load = load
        self.seconds = seconds
        self._values: dict[Any, tuple[float, int, Any]] = {}  # per engine: (read at, generation, value)
        self._generation = 0
        _CACHES.append(self)

    def get(self) -> Any:
        from app.extensions import db
        engine = db.engine  # one process may serve apps on different databases (the tests do)
        now = time.monotonic()
        kept = self._values.get(engine)
        if kept is not None and now - kept[0] < self.seconds and kept[1] == self._generation:
            return kept[2]
        generation = self._generation
        value = self.load()
        if generation == self._generation:  # nothing committed a change while it was read
            self._values[engine] = (now, generation, value)
        return value

    def forget(self) -> None:
        self._generation += 1
        self._values.clear()


def _note(session: Session, tables) -> None:
    watched = {name for name in tables if any(name in cache.tables for cache in _CACHES)}
    if watched:
        session.info.setdefault(_CHANGED, set()).update(watched)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    tables = set()
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(instance), "__tablename__", None)
        if table:
            tables.add(table)
    _note(session, tables)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        name = getattr(table, "name", None)
        if name:
            _note(state.session, {name})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    tables = session.info.pop(_CHANGED, None)
    if tables:
        for cache in _CACHES:
            if cache.tables & tables:
                cache.forget()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous) -> None:
    if not session.in_transaction():
        session.info.pop(_CHANGED, None)
