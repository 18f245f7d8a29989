"""Throttling of failed logins per client address and across all addresses.

The per-account lock (services.is_locked) stops many guesses at one account; this stops
one address from guessing a few passwords at each of many accounts, and a crowd of
addresses from doing so together:

- per address: LOGIN_ADDRESS_MAX_FAILURES failures within LOGIN_ADDRESS_WINDOW_MINUTES
  block the address for LOGIN_ADDRESS_BLOCK_MINUTES; each further block within a day
  lasts twice as long as the one before (at most LOGIN_ADDRESS_BLOCK_MAX_MINUTES).
- global: LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE failures within a minute, from any
  addresses, refuse every login for LOGIN_GLOBAL_BLOCK_SECONDS.

Only failures count, and a blocked attempt is refused before any password is checked,
so a block cannot be used to test passwords. A successful login resets nothing here:
otherwise an attacker with one account of their own could clear their address's count.

The address is `request.remote_addr`, which is the client's own address behind the
TRUSTED_PROXIES reverse proxies (ProxyFix in create_app). The counters are rows of one
table (LoginThrottle), so every worker and server sees the same counts; "now" is
app.clock's, so tests move time instead of waiting.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, delete, select

from app.auth.models import LoginThrottle
from app.clock import utcnow
from app.extensions import db

GLOBAL = "global"
# After a day without a block, an address starts again at the shortest block.
BLOCK_MEMORY = timedelta(days=1)
# Rows untouched for this long can no longer matter (the longest block and the memory are shorter).
STALE = timedelta(days=2)


@dataclass(frozen=True)
class Refusal:
    scope: str  # "address" or "global"
    seconds: int  # until the block ends (for Retry-After)


@dataclass(frozen=True)
class _Rule:
    key: str
    limit: int
    window: timedelta
    first_block: timedelta
    longest_block: timedelta


def _rules(address: str | None) -> list[_Rule]:
    cfg = current_app.config
    rules = [_Rule(GLOBAL, int(cfg["LOGIN_GLOBAL_MAX_FAILURES_PER_MINUTE"]), timedelta(minutes=1),
                   timedelta(seconds=int(cfg["LOGIN_GLOBAL_BLOCK_SECONDS"])),
                   timedelta(seconds=int(cfg["LOGIN_GLOBAL_BLOCK_SECONDS"])))]
    if address:
        rules.append(_Rule(_address_key(address), int(cfg["LOGIN_ADDRESS_MAX_FAILURES"]),
                           timedelta(minutes=int(cfg["LOGIN_ADDRESS_WINDOW_MINUTES"])),
                           timedelta(minutes=int(cfg["LOGIN_ADDRESS_BLOCK_MINUTES"])),
                           timedelta(minutes=int(cfg["LOGIN_ADDRESS_BLOCK_MAX_MINUTES"]))))
    return rules


def _address_key(address: str) -> str:
    return "address:" + address[:64]


def refusal(address: str | None) -> Refusal | None:
    """Whether a login attempt from this address must be refused now (the global block first)."""
    now = utcnow()
    rules = _rules(address)
    rows = {row.key: row for row in db.session.scalars(
        select(LoginThrottle).where(LoginThrottle.key.in_([r.key for r in rules])))}
    for rule in rules:
        row = rows.get(rule.key)
        if row is not None and row.blocked_until is not None and row.blocked_until > now:
            seconds = math.ceil((row.blocked_until - now).total_seconds())
            return Refusal("global" if rule.key == GLOBAL else "address", max(seconds, 1))
    return None


def count_failure(address: str | None) -> None:
    """Count a failed login from this address (and globally), blocking when a limit is reached.

    Runs in the caller's transaction; the caller commits.
    """
    now = utcnow()
    for rule in _rules(address):
        _increment(rule, now)
        # The upsert holds the row's lock until the commit (PostgreSQL; SQLite has one
        # writer at a time), so this read and the block below see every other worker's count.
        row = db.session.get(LoginThrottle, rule.key, populate_existing=True)
        if row.failures >= rule.limit and not (row.blocked_until and row.blocked_until > now):
            recent = row.blocked_until is not None and now - row.blocked_until < BLOCK_MEMORY
            blocks = row.blocks if recent else 0
            length = min(rule.first_block * 2 ** min(blocks, 16), rule.longest_block)
            row.blocked_until = now + length
            row.blocks = blocks + 1
            row.failures = 0
            row.window_start = now
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.updated_at < now - STALE))


def _increment(rule: _Rule, now: datetime) -> None:
    table = LoginThrottle.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # A window that began more than `window` ago starts again with this failure.
    expired = table.c.window_start <= now - rule.window
    statement = insert(table).values(key=rule.key, failures=1, window_start=now, blocks=0, updated_at=now)
    statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
        "failures": case((expired, 1), else_=table.c.failures + 1),
        "window_start": case((expired, now), else_=table.c.window_start),
        "updated_at": now,
    })
    db.session.execute(statement)
