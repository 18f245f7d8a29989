""""My reports": what the person filed, newest first, a page at a time; nobody else's."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth.models import User
from app.cases.casework.services import give_feedback
from app.cases.models import Case
from app.clock import frozen
from app.extensions import db
from tests.intake.conftest import post_report, valid_form

NOW = datetime(2026, 3, 2, 15, 0)


@pytest.fixture
def app_config(tmp_path):
    return {"ATTACHMENT_DIR": str(tmp_path / "attachments"), "PAGE_SIZE": 2}


def _file(client, kind, minutes=0, **changes):
    with frozen(NOW + timedelta(minutes=minutes)):
        assert post_report(client, kind, valid_form(kind, **changes)).status_code == 302


def test_my_reports_lists_what_i_filed_newest_first_in_pages(login_as):
    anna, erik = login_as("anna"), login_as("erik")
    _file(anna, "deviation", 0, description="Första rapporten om ett uteblivet besök.")
    _file(anna, "lex_sarah", 1, description="Andra rapporten om en påtaglig risk.")
    _file(anna, "complaint", 2, description="Tredje: en anhörig ringde och klagade.")
    _file(erik, "deviation", 3, description="Eriks egen rapport som Anna inte ska se.")

    first = anna.get("/mina-rapporter")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert html.index("KL-2026-0001") < html.index("LS-2026-0001")
    assert "AV-2026-0001" not in html and "Första rapporten" not in html
    assert "Klagomål" in html and "Lex Sarah-rapport" in html
    assert "Mottagen" in html and "2026-03-02" in html
    assert "Ingen återkoppling än" in html
    assert "Eriks egen rapport" not in html and "AV-2026-0002" not in html

    older = db.session.scalar(select(Case.id).where(Case.reference == "LS-2026-0001"))
    assert f'href="/mina-rapporter?fore={older}"' in html
    second = anna.get(f"/mina-rapporter?fore={older}").get_data(as_text=True)
    assert "AV-2026-0001" in second and "Första rapporten" in second
    assert "LS-2026-0001" not in second and 'href="/mina-rapporter?fore=' not in second

    listed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case.listed_own")).all()
    assert [len(e.detail["case_ids"]) for e in listed] == [2, 1]


def test_the_status_label_follows_the_case(login_as):
    anna = login_as("anna")
    _file(anna, "deviation")
    case = db.session.scalar(select(Case))
    case.status = "investigating"
    db.session.commit()
    assert "Under utredning" in anna.get("/mina-rapporter").get_data(as_text=True)


def test_someone_who_filed_nothing_is_told_so(login_as):
    html = login_as("sara").get("/mina-rapporter").get_data(as_text=True)
    assert "Du har inte rapporterat något än." in html


def test_my_reports_needs_a_login(demo):
    response = demo.test_client().get("/mina-rapporter")
    assert response.status_code == 302 and "/logga-in" in response.headers["Location"]


def test_feedback_from_the_handler_shows_under_my_reports(login_as):
    anna = login_as("anna")
    _file(anna, "deviation")
    case = db.session.scalar(select(Case))
    erik = db.session.scalar(select(User).where(User.username == "erik"))
    with frozen(NOW + timedelta(days=1)):
        give_feedback(erik, case.reference, text="Tack! Vi har <b>gått igenom</b> rutinen.",
                      expected_version=case.version)
    html = anna.get("/mina-rapporter").get_data(as_text=True)
    assert "Tack! Vi har &lt;b&gt;gått igenom&lt;/b&gt; rutinen." in html
    assert "Ingen återkoppling än" not in html
