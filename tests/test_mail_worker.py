"""`flask mail worker`: several processes deliver the one queue, and no message is sent twice.

Two workers, each a thread with its own app context and so its own session and connection,
deliver 50 queued messages to a real SMTP server on loopback (aiosmtpd). On PostgreSQL the
claim reads with FOR UPDATE SKIP LOCKED; on SQLite the write lock serialises the claims.
"""

import asyncio
import contextlib
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import frozen, utcnow
from app.extensions import db
from app.mailer import LEASE, OutgoingMail, backoff, claim, deliver_queued, queue_email, run_worker
from tests.conftest import SmtpServer, free_port

COUNT = 50


class SlowSmtpServer(SmtpServer):
    """Takes a moment per message, as a real relay does, so the two workers overlap. With
    `hold_until_second_peer`, holds the first message until a second connection delivers, so that
    on a loaded machine one worker cannot empty the queue before the other has started."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hold_until_second_peer = False
        self.peers: set = set()
        self.second_peer: asyncio.Event | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.hold_until_second_peer:
            if self.second_peer is None:  # made here, inside the server's event loop
                self.second_peer = asyncio.Event()
            self.peers.add(session.peer)
            if len(self.peers) >= 2:
                self.second_peer.set()
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.second_peer.wait(), timeout=10)
        await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp():
    server = SlowSmtpServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp):
    return smtp.mail_config()


def _queue(count: int) -> None:
    for number in range(count):
        # Left to the worker (not delivered by the commit), which is what these tests are about.
        queue_email([f"person{number % 7}@varna.example"], f"Meddelande {number}", "Ett nytt ärende väntar.",
                    deliver="by_worker")
    db.session.commit()


def test_two_workers_deliver_each_message_exactly_once(app, smtp):
    smtp.hold_until_second_peer = True
    _queue(COUNT)
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def worker(name: str) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                results[name] = run_worker(once=True, batch_size=3)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - the main thread reports it
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    subjects = Counter(str(message["Subject"]) for message in smtp.messages)
    assert subjects == Counter({f"Meddelande {n}": 1 for n in range(COUNT)})
    assert sum(sent for sent, _failed in results.values()) == COUNT
    assert all(failed == 0 for _sent, failed in results.values())
    # Both took part: the claims divided the queue between them.
    assert all(sent > 0 for sent, _failed in results.values()), results
    db.session.expire_all()
    rows = db.session.scalars(select(OutgoingMail)).all()
    assert all(m.sent_at is not None and m.attempts == 1 and m.claimed_until is None for m in rows)


def test_the_worker_command_once(app, smtp):
    _queue(3)
    result = app.test_cli_runner().invoke(args=["mail", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 3, failed 0." in result.output
    assert len(smtp.messages) == 3
    again = app.test_cli_runner().invoke(args=["mail", "worker", "--once"])
    assert "Sent 0, failed 0." in again.output and len(smtp.messages) == 3


def test_a_claimed_message_is_left_alone_until_its_lease_ends(app, smtp):
    _queue(1)
    assert len(claim()) == 1  # claimed by "another worker"
    assert deliver_queued() == (0, 0)
    assert smtp.messages == []
    # That worker died: after the lease the message is delivered by someone else.
    with frozen(utcnow() + LEASE + timedelta(seconds=1)):
        assert deliver_queued() == (1, 0)
    assert len(smtp.messages) == 1


def test_a_failed_message_waits_for_its_backoff_but_mail_retry_does_not(app, smtp):
    _queue(1)
    smtp.stop()
    assert deliver_queued() == (0, 1)
    assert deliver_queued() == (0, 0)  # the worker's next pass waits
    message = db.session.scalar(select(OutgoingMail))
    assert message.attempts == 1 and message.last_error and message.next_attempt_at is not None
    smtp.start()
    with frozen(utcnow() + backoff(1) + timedelta(seconds=1)):
        assert deliver_queued() == (1, 0)
    assert len(smtp.messages) == 1


def test_mail_retry_sends_now_and_each_message_once(app, smtp):
    _queue(2)
    smtp.stop()
    assert deliver_queued() == (0, 2)
    smtp.start()
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert result.exit_code == 0 and "Sent 2, failed 0." in result.output
    assert len(smtp.messages) == 2


def test_backoff_grows_to_an_hour():
    assert [backoff(n).total_seconds() // 60 for n in (1, 2, 3, 7, 10)] == [1, 2, 4, 60, 60]
