"""Speed of the queue page and its search, in statements and in work done once rather than per
request (a timed test fails on a busy machine). What a person sees must not change."""

import re

import pytest

from tests.cases.helpers import file_case
from tests.statements import statements as counted


def references(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return re.findall(r'<h2><a href="/arenden/([A-Z]{2}-\d{4}-\d{4})">', response.get_data(as_text=True))


@pytest.fixture
def erik(login_as):
    return login_as("erik")


def test_a_search_the_index_finds_nothing_for_reads_no_cases(erik):
    """Nothing found in the search index: the page, the counts and the cards are known to be
    empty without asking. (Counting an empty id list per open status read every open case of
    the person's units on SQLite: 3.6 ms of a million cases.)"""
    file_case(summary="Fallolycka i badrummet")
    with counted(fresh_session=True) as seen:
        response = erik.get("/arenden?q=vattenkokare&status=all")
    assert references(response) == []
    html = response.get_data(as_text=True)
    assert "Inga ärenden matchar urvalet." in html
    assert re.search(r"Alla öppna <strong>0</strong>", html)
    text = "\n".join(seen)
    assert sum("cases_search MATCH" in s or "to_tsvector" in s for s in seen) == 1, text
    assert not any(s.startswith(("SELECT cases.", "SELECT anon_")) for s in seen), text
    assert "vattenkokare" in html  # the search field keeps the text


def test_the_years_are_kept_in_the_process_and_a_new_year_shows_at_once(erik):
    from datetime import datetime
    file_case(at=datetime(2025, 6, 1, 12, 0))
    erik.get("/arenden")
    with counted(fresh_session=True) as seen:
        html = erik.get("/arenden").get_data(as_text=True)
    assert not any("min(cases.received_at)" in s for s in seen), "\n".join(seen)
    assert '<option value="2025">2025</option>' in html and '"2023"' not in html
    # A case this process files forgets them: the next page offers its year.
    file_case(at=datetime(2023, 3, 1, 12, 0))
    html = erik.get("/arenden").get_data(as_text=True)
    assert '<option value="2023">2023</option>' in html


def test_the_filter_form_is_rendered_once_per_choices_and_values(erik, monkeypatch):
    from app.cases.queue import routes
    from app.org.models import Unit
    from tests.cases.helpers import unit
    routes._FILTER_FORMS.clear()
    rendered = []
    original = routes._fill_choices
    monkeypatch.setattr(routes, "_fill_choices", lambda *a: rendered.append(1) or original(*a))
    file_case()
    first = erik.get("/arenden").get_data(as_text=True)
    assert erik.get("/arenden").get_data(as_text=True) == first
    assert len(rendered) == 1
    # Other values are another form, with what was asked for selected and kept.
    html = erik.get("/arenden?kind=deviation&q=%3Cb%3Efall").get_data(as_text=True)
    assert '<option selected value="deviation">' in html and 'value="&lt;b&gt;fall"' in html
    assert len(rendered) == 2
    # The cursor is not part of the form: the next page reuses it.
    erik.get("/arenden?kind=deviation&q=%3Cb%3Efall&efter=x")
    assert len(rendered) == 2
    # A renamed unit is offered under its new name on the next page.
    renamed = unit("Boendestöd")
    renamed.name = "Boendestöd norr"
    from app.extensions import db
    db.session.commit()
    assert db.session.get(Unit, renamed.id).name == "Boendestöd norr"
    assert "Boendestöd norr</option>" in erik.get("/arenden").get_data(as_text=True)
    assert len(rendered) == 3
