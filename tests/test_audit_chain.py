"""The audit log's HMAC chain: every row sealed at commit, one chain however many write at once,
and `flask audit verify` naming the first row that was changed, deleted or inserted."""

import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

from app import audit, audit_chain
from app.audit import AuditChainHead, AuditEvent
from app.auth.models import User
from app.config import ConfigError
from app.extensions import db
from tests.conftest import make_config
from tests.test_app import STRONG_AUDIT_KEY, STRONG_KEY

ROOT = Path(__file__).resolve().parent.parent
TABLE = AuditEvent.__table__


def _write(n: int, actor=None, action: str = "case.viewed") -> None:
    for i in range(n):
        audit.record(action, actor=actor, object_type="case", object_id=i, detail={"n": i, "reference": f"A-{i}"})
        db.session.commit()


def _ids() -> list[int]:
    return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def _verify(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    db.session.expire_all()
    return result


def test_every_row_is_sealed_and_the_chain_verifies(app):
    _write(5)
    rows = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [r.id for r in rows] == [1, 2, 3, 4, 5]
    previous = ""
    for row in rows:
        assert row.mac == audit.compute_mac(b"dev-only-audit-key", previous, row)
        previous = row.mac
    head = db.session.get(AuditChainHead, 1)
    assert (head.last_id, head.last_mac, head.start_id) == (5, rows[-1].mac, 1)
    report = audit_chain.verify_all()
    assert report.ok and report.checked == 5 and report.up_to == 5


def test_several_events_in_one_transaction_are_chained_in_order(app):
    for i in range(3):
        audit.record("case.viewed", object_type="case", object_id=i)
    db.session.commit()
    assert _ids() == [1, 2, 3]
    assert audit_chain.verify_all().ok


def test_a_rolled_back_event_leaves_no_gap(app):
    _write(2)
    audit.record("case.viewed", object_type="case", object_id=99)
    db.session.rollback()
    audit.record("case.viewed", object_type="case", object_id=99)
    db.session.rollback()  # with nothing else in the transaction: the queue must still be emptied
    _write(2)
    assert _ids() == [1, 2, 3, 4]
    assert db.session.scalar(select(AuditEvent.object_id).where(AuditEvent.id == 3)) == "0"
    assert audit_chain.verify_all().ok


def test_the_detail_is_stored_as_sealed(app):
    detail = {"units": (1, 2), "name": "Öppenvård"}
    audit.record("unit.updated", object_type="unit", object_id=1, detail=detail)
    detail["name"] = "changed after recording"
    db.session.commit()
    db.session.expire_all()
    row = db.session.scalar(select(AuditEvent))
    assert row.detail == {"units": [1, 2], "name": "Öppenvård"}
    assert audit_chain.verify_all().ok


def test_intact_chain_verifies_and_the_result_is_stored(app):
    _write(10)
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "OK: 10 rows verified, 1 to 10." in result.output
    stored = audit_chain.last_full_verification()
    assert stored.detail["ok"] is True and stored.detail["up_to"] == 10
    # The stored result is itself a row of the chain.
    assert audit_chain.verify_all().up_to == stored.id == 11


def test_a_changed_row_is_named(app):
    _write(10)
    db.session.execute(update(TABLE).where(TABLE.c.id == 4).values(user_name="Someone Else"))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "BROKEN: row 4 was changed" in result.output
    assert "Rows 1 to 3 are intact." in result.output


def test_a_changed_detail_is_named(app):
    _write(10)
    db.session.execute(update(TABLE).where(TABLE.c.id == 7).values(detail={"n": 7, "reference": "A-X"}))
    db.session.commit()
    assert "BROKEN: row 7 was changed" in _verify(app).output


def test_a_changed_time_is_named(app):
    _write(3)
    db.session.execute(update(TABLE).where(TABLE.c.id == 2).values(at=datetime(2020, 1, 1)))
    db.session.commit()
    assert "BROKEN: row 2 was changed" in _verify(app).output


def test_a_recomputed_mac_without_the_key_does_not_help(app):
    _write(5)
    row = db.session.get(AuditEvent, 3)
    row_content = {c.name: getattr(row, c.name) for c in TABLE.columns}
    row_content["user_name"] = "Forged"
    forged = type("Row", (), row_content)
    previous = db.session.get(AuditEvent, 2).mac
    db.session.execute(update(TABLE).where(TABLE.c.id == 3)
                       .values(user_name="Forged", mac=audit.compute_mac(b"a guessed key", previous, forged)))
    db.session.commit()
    assert "BROKEN: row 3 was changed" in _verify(app).output


def test_a_deleted_row_is_named(app):
    _write(10)
    db.session.execute(delete(TABLE).where(TABLE.c.id == 6))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "BROKEN: row 6 was missing (deleted)" in result.output
    assert "Rows 1 to 5 are intact." in result.output


def test_deleting_the_newest_rows_is_named(app):
    _write(10)
    db.session.execute(delete(TABLE).where(TABLE.c.id >= 9))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "BROKEN: row 9 was missing (deleted)" in result.output


def test_deleting_the_first_row_is_named(app):
    _write(3)
    db.session.execute(delete(TABLE).where(TABLE.c.id == 1))
    db.session.commit()
    assert "BROKEN: row 1 was missing (deleted)" in _verify(app).output


def test_an_inserted_row_is_named(app):
    _write(10)
    db.session.execute(insert(TABLE).values(id=11, at=datetime(2026, 3, 1), user_id=None, user_name="Nobody",
                                            action="case.viewed", object_type="case", object_id="1", ip="",
                                            detail={}, mac="0" * 64))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert "BROKEN: row 11 was inserted" in result.output


def test_a_row_inserted_in_place_of_a_deleted_one_is_named(app):
    _write(10)
    copy = db.session.execute(select(TABLE).where(TABLE.c.id == 5)).mappings().one()
    db.session.execute(delete(TABLE).where(TABLE.c.id == 5))
    db.session.execute(insert(TABLE).values({**copy, "object_id": "77"}))
    db.session.commit()
    assert "BROKEN: row 5 was changed" in _verify(app).output


def test_another_key_does_not_verify(app):
    _write(3)
    app.config["AUDIT_KEY"] = "another key, of at least thirty-two characters"
    assert "BROKEN: row 1 was changed" in _verify(app).output


def test_rows_from_before_the_chain_are_said_to_be_uncovered(app):
    # As after migration 0013: rows without a MAC, and a head that starts after them.
    for i in range(1, 4):
        db.session.execute(insert(TABLE).values(id=i, at=datetime(2025, 1, 1), user_id=None, user_name="",
                                                action="login.success", object_type="user", object_id="1",
                                                ip="", detail={}))
    db.session.add(AuditChainHead(id=1, last_id=3, last_mac="", start_id=4))
    db.session.commit()
    _write(2)
    assert _ids() == [1, 2, 3, 4, 5]
    result = _verify(app)
    assert result.exit_code == 0
    assert "OK: 2 rows verified, 4 to 5. Rows before 4 were written before the chain existed" in result.output


def test_the_head_is_created_after_rows_that_have_no_mac(app):
    db.session.execute(insert(TABLE).values(id=7, at=datetime(2025, 1, 1), user_id=None, user_name="",
                                            action="login.success", object_type="user", object_id="1",
                                            ip="", detail={}))
    db.session.commit()
    _write(1)
    head = db.session.get(AuditChainHead, 1)
    assert (head.start_id, head.last_id) == (8, 8)
    assert audit_chain.verify_all().ok


def test_the_live_check_looks_at_the_newest_rows_only(app):
    _write(30)
    db.session.execute(update(TABLE).where(TABLE.c.id == 5).values(user_name="X"))
    db.session.commit()
    recent = audit_chain.verify_recent(rows=20)
    assert recent.ok and (recent.first_id, recent.up_to, recent.checked) == (11, 30, 20)
    db.session.execute(update(TABLE).where(TABLE.c.id == 25).values(user_name="X"))
    db.session.commit()
    recent = audit_chain.verify_recent(rows=20)
    assert not recent.ok and recent.broken_id == 25 and recent.problem == "changed"
    assert not audit_chain.verify_all().ok and audit_chain.verify_all().broken_id == 5


def test_the_live_check_notices_a_deleted_row_just_before_its_window(app):
    _write(30)
    db.session.execute(delete(TABLE).where(TABLE.c.id == 10))
    db.session.commit()
    recent = audit_chain.verify_recent(rows=20)
    assert not recent.ok and recent.broken_id == 10 and recent.problem == "missing"


# --- concurrent writers --------------------------------------------------------------------

def test_concurrent_writers_do_not_fork_the_chain(app):
    """Two connections in two threads, 200 committed rows each, interleaving: one chain."""
    _write(1)  # the head exists, as in any running installation
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(name: str):
        try:
            with app.app_context():
                user = User(username=name, full_name=name.title(), role="staff", password_hash="x")
                db.session.add(user)
                db.session.commit()
                barrier.wait()
                for i in range(200):
                    audit.record("case.viewed", actor=user, object_type="case", object_id=i, detail={"i": i})
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert _ids() == list(range(1, 402))
    writers = [row.user_name for row in db.session.execute(select(AuditEvent.user_name).order_by(AuditEvent.id))]
    assert writers.count("First") == writers.count("Second") == 200
    report = audit_chain.verify_all()
    assert report.ok and report.checked == 401, report.describe()


# --- the key in production -----------------------------------------------------------------

def _production(_session_dir, **overrides):
    from app import create_app
    return create_app(make_config(_session_dir, VARNA_ENV="production", SECRET_KEY=STRONG_KEY, **overrides))


@pytest.mark.parametrize("key", [None, "", "dev-only-audit-key", "short", "a" * 40, STRONG_KEY])
def test_production_refuses_a_missing_default_short_or_reused_audit_key(_session_dir, key):
    overrides = {} if key is None else {"AUDIT_KEY": key}
    with pytest.raises(ConfigError, match="AUDIT_KEY"):
        _production(_session_dir, **overrides)


def test_production_starts_with_its_own_audit_key(_session_dir):
    assert _production(_session_dir, AUDIT_KEY=STRONG_AUDIT_KEY).config["AUDIT_KEY"] == STRONG_AUDIT_KEY


def test_production_without_an_audit_key_stops_with_what_to_fix(tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/unused.db", "VARNA_ENV": "production",
                   "SECRET_KEY": STRONG_KEY, "AUDIT_KEY": ""}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "routes"], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "Error: VARNA_ENV=production needs AUDIT_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_audit_key_is_read_from_the_environment(monkeypatch, _session_dir):
    from app import create_app
    monkeypatch.setenv("AUDIT_KEY", "k" * 40)
    assert create_app(make_config(_session_dir)).config["AUDIT_KEY"] == "k" * 40
