"""The start page of those who work the queue shows what is theirs and what nobody has taken."""

import re

from app.extensions import db
from tests.cases.helpers import file_case, user


def _tiles(page: str) -> dict[str, int]:
    return {label: int(n) for n, label in re.findall(r"<strong>(\d+)</strong> ([^<]+)</a>", page)}


def test_counts_on_the_start_page(login_as):
    erik = user("erik")
    mine = file_case("deviation")
    mine.assigned_to = erik
    file_case("deviation")
    file_case("complaint", unit_name="Socialpsykiatri", reporter=None)
    file_case("deviation", unit_name="HVB Solrosen", reporter=None)  # Unga: not erik's
    closed = file_case("deviation")
    closed.status = "closed"
    db.session.commit()
    tiles = _tiles(login_as("erik").get("/").get_data(as_text=True))
    assert tiles["öppna ärenden tilldelade mig"] == 1
    assert tiles["öppna ärenden utan handläggare"] == 2
    assert _tiles(login_as("sara").get("/").get_data(as_text=True))["öppna ärenden utan handläggare"] == 3
    assert "öppna ärenden" not in login_as("anna").get("/").get_data(as_text=True)
