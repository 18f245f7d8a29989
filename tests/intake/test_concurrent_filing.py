"""20 filings in parallel against a running server get 20 distinct, consecutive references.

A real threaded HTTP server (werkzeug) serves the app on loopback against the
test database; 20 logged-in clients post at the same moment.
"""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select
from werkzeug.serving import make_server

from app.cases.models import Case
from app.clock import today_local
from app.extensions import db
from tests.intake.conftest import valid_form

FILINGS = 20


def _client():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def _post(opener, url: str, data: dict):
    body = urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - our own loopback server
    with opener.open(request, timeout=120) as response:
        return response.geturl(), response.status


def test_twenty_parallel_filings_get_distinct_consecutive_references(demo):
    server = make_server("127.0.0.1", 0, demo, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        clients = [_client() for _ in range(FILINGS)]
        for opener in clients:
            final_url, status = _post(opener, f"{base}/logga-in", {"username": "anna", "password": "demo"})
            assert status == 200 and not final_url.endswith("/logga-in")
        form = valid_form("deviation", occurred_on=today_local().isoformat(), occurred_time="")
        start = threading.Barrier(FILINGS)

        def file_one(opener):
            start.wait()
            return _post(opener, f"{base}/rapportera/avvikelse", form)

        with ThreadPoolExecutor(max_workers=FILINGS) as pool:
            results = list(pool.map(file_one, clients))
    finally:
        server.shutdown()
        thread.join()

    # Each client landed on its own receipt (redirect followed), which names its reference.
    receipts = [re.search(r"/rapportera/kvitto/(AV-\d{4}-\d{4})$", url) for url, _status in results]
    assert all(receipts), results
    references = sorted(match.group(1) for match in receipts)
    year = today_local().year
    assert references == [f"AV-{year}-{n:04d}" for n in range(1, FILINGS + 1)]
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Case.reference))) == references
