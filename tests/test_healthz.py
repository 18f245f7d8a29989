"""/healthz for the load balancer and monitoring: the database, the mail queue's depth and when
`flask remind` last ran; two cheap queries, no login, nothing about a person."""

from datetime import datetime

from app.clock import frozen
from app.extensions import db
from app.mailer import queue_email
from tests.statements import statements


def test_healthz_tells_the_mail_queue_and_the_last_reminder_run(app, client):
    # Left to the worker (not delivered by the commit): the queue the health check reports.
    queue_email(["anna@varna.example"], "AV-2026-0001", "Ett nytt ärende.", deliver="by_worker")
    queue_email(["erik@varna.example"], "AV-2026-0002", "Ett nytt ärende.", deliver="by_worker")
    db.session.commit()
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "mail_queue": 2,
                                                 "remind_last_run": None}

    with frozen(datetime(2026, 3, 2, 5, 0, 7)):
        result = app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output
    body = client.get("/healthz").get_json()
    assert body["remind_last_run"] == "2026-03-02T05:00:07Z"
    with frozen(datetime(2026, 3, 3, 5, 0, 0)):
        app.test_cli_runner().invoke(args=["remind"])
    assert client.get("/healthz").get_json()["remind_last_run"] == "2026-03-03T05:00:00Z"

    sent = app.test_cli_runner().invoke(args=["mail", "worker", "--once"])
    assert "Sent 2" in sent.output
    assert client.get("/healthz").get_json()["mail_queue"] == 0


def test_healthz_costs_two_queries(app, client):
    client.get("/healthz")  # warm up
    with statements() as seen:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert len(seen) == 2, seen
