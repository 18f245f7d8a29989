"""Small things a new user runs into (issue 16): the language switch returns to this page's path
and query only, always a path safe_next accepts; the public form's fallback error writes "10 000";
every field the public form refuses when empty says "(obligatorisk)"; the password form's repeat
field is marked; causes and risk each have their own journal label."""

import re
from datetime import datetime
from html import unescape

import pytest

from app import clock
from app.cases.investigation import services as investigation
from app.extensions import db
from app.public import services as public
from app.safe_redirect import safe_next
from tests.cases.helpers import file_case, reload, user


def _next_value(html: str) -> str:
    return unescape(re.search(r'<input type="hidden" name="next" value="([^"]*)">', html).group(1))


# --- the language switch ---------------------------------------------------------------------------

def test_the_language_switch_returns_to_the_path_and_query_as_sent(login_as):
    erik = login_as("erik")
    html = erik.get("/arenden?q=trasig%20d%C3%B6rr&status=received").get_data(as_text=True)
    assert _next_value(html) == "/arenden?q=trasig%20d%C3%B6rr&status=received"
    response = erik.post("/sprak", data={"language": "en", "next": _next_value(html)})
    assert response.headers["Location"] == "/arenden?q=trasig%20d%C3%B6rr&status=received"


def test_a_page_without_a_query_gets_its_path_alone(client, demo):
    assert _next_value(client.get("/klagomal").get_data(as_text=True)) == "/klagomal"


@pytest.mark.parametrize("raw", ["/%09/evil.example", "/%0A/evil.example", "/x%5C..%5Cevil", "/a?b=%0D%0Ac"])
def test_a_path_safe_next_would_refuse_is_never_put_in_the_form(client, demo, raw):
    html = client.get(raw).get_data(as_text=True)
    value = _next_value(html)
    assert safe_next(value, default="REFUSED") != "REFUSED"
    assert "\t" not in value and "\n" not in value and "\\" not in value


# --- the public complaint form ---------------------------------------------------------------------

def test_the_service_fallback_writes_10_000_not_10000(demo):
    from app.org.models import Unit
    unga = db.session.scalar(db.select(Unit).where(Unit.name == "Unga"))
    with pytest.raises(public.ComplaintError) as refused:
        public.submit_complaint(client_ip="127.0.0.1", department_id=unga.id, description="kort", anonymous=True,
                                relation="relative")
    assert refused.value.field == "description"
    assert "10 000" in refused.value.message and "10000" not in refused.value.message
    assert "20" in refused.value.message


def test_every_field_an_empty_public_complaint_is_refused_for_is_marked_obligatorisk(client, demo):
    form = client.get("/klagomal").get_data(as_text=True)
    marked = set()
    for mark in re.finditer(r"\(obligatorisk\)", form):
        field = form[form.rindex('<div class="field', 0, mark.start()):]
        marked.add(re.search(r'(?:for|id)="([a-z_]+?)(?:-\d+)?"', field).group(1))
    refused = set(re.findall(r'<p class="error" id="([a-z_]+)-error">',
                             client.post("/klagomal", data={}).get_data(as_text=True)))
    # E-post, telefon or postadress: "at least one of them", said by their fieldset, not one required field.
    assert marked == refused - {"email"}
    assert marked >= {"anonymous", "name", "relation", "department_id", "description"}


def test_the_repeated_password_is_marked_obligatorisk(login_as):
    html = login_as("anna").get("/konto/losenord").get_data(as_text=True)
    assert re.search(r'<label for="confirm">[^<]*</label>\s*<span class="req">\(obligatorisk\)</span>', html)


# --- the journal: causes and risk ------------------------------------------------------------------

def test_causes_and_risk_each_have_their_own_journal_label(login_as):
    with clock.frozen(datetime(2026, 3, 2, 9, 0)):
        case = file_case("deviation", unit_name="Boendestöd")
    case.status, case.triage_decision = "investigating", "investigate"
    db.session.commit()
    with clock.frozen(datetime(2026, 3, 10, 9, 0)):
        investigation.record_causes(user("erik"), case.reference, areas=["processes"], text="Rutinen saknades.",
                                    expected_version=reload(case).version)
        investigation.record_risk(user("erik"), case.reference, probability=3, consequence=2,
                                  text="Kan hända igen.", expected_version=reload(case).version)
    page = login_as("erik").get(f"/arenden/{case.reference}").get_data(as_text=True)
    labels = re.findall(r'<span class="what">([^<]*)</span>', page)
    assert "Orsakerna analyserades" in labels and "Risken att det händer igen bedömdes" in labels
    assert "Orsaker och risk bedömdes" not in labels
