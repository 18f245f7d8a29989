"""What people write for the yearly chapter (issue 15): the analysis and improvement work per section
(officer or admin; who and when; audited; printed under the figures, empty ones left out), the adoption
details (admin), the nämnd's name, and "uppgifter finns från och med" (admin)."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from app.stats.models import ChapterText, DataFromYear
from tests.cases.helpers import user
from tests.lexsarah.helpers import set_provider
from tests.stats.helpers import case

pytestmark = pytest.mark.usefixtures("demo")
ANALYSIS = "Vid analys av årets lex Sarah-rapporter framkommer inga tydliga mönster."


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _save(client, section="lex_sarah", analysis=ANALYSIS, improvement=""):
    return client.post(f"/statistik/2018/texter?avsnitt={section}",
                       data={f"{section}-analysis": analysis, f"{section}-improvement": improvement})


def test_an_officer_writes_the_analysis_and_it_is_printed_under_the_figures(login_as):
    case("lex_sarah", 2018)
    officer = login_as("sara")
    assert officer.get("/statistik/2018/texter").status_code == 200
    response = _save(officer)
    assert response.status_code == 302
    row = db.session.get(ChapterText, (2018, "lex_sarah"))
    assert row.analysis == ANALYSIS and row.updated_by_id == user("sara").id and row.updated_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "statistics.text_saved"))
    assert event.detail == {"year": 2018, "section": "lex_sarah", "analysis_length": len(ANALYSIS),
                            "improvement_length": 0}

    html = login_as("admin").get("/statistik/2018/kvalitetsberattelse").get_data(as_text=True)
    lex_sarah = html.split('id="kapitel-lex_sarah"')[1].split("</section>")[0]
    assert "<h3>Analys</h3>" in lex_sarah and ANALYSIS in lex_sarah
    assert lex_sarah.index("<table>") < lex_sarah.index(ANALYSIS)  # under the figures
    assert "Förbättringsarbete" not in lex_sarah  # empty: left out
    pdf = login_as("admin").get("/statistik/2018/kvalitetsberattelse.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert ANALYSIS in text


def test_a_text_too_long_is_refused_next_to_the_field_and_kept(login_as):
    response = _save(login_as("sara"), improvement="x" * 20_001)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Skriv högst 20000 tecken." in html and ANALYSIS in html
    assert db.session.get(ChapterText, (2018, "lex_sarah")) is None


def test_an_unknown_section_is_not_found(login_as):
    assert _save(login_as("sara"), section="okänt").status_code == 404
    assert login_as("sara").get("/statistik/1800/texter").status_code == 404


def test_the_board_and_investigators_may_not_write(board_member, login_as):
    for username in ("nils", "erik"):
        assert _save(login_as(username)).status_code == 403
    assert db.session.get(ChapterText, (2018, "lex_sarah")) is None


def test_the_title_the_nämnd_and_the_adoption_details(login_as):
    set_provider()
    admin = login_as("admin")
    response = admin.post("/statistik/2018/faststallande",
                          data={"adopted_by": "Socialnämnden", "decided_on": "2019-02-26",
                                "diary_number": "SN 2019/14"})
    assert response.status_code == 302
    text = _text(admin.get("/statistik/2018/kvalitetsberattelse").get_data(as_text=True))
    assert "Avvikelser, klagomål, lex Sarah och tillsyn 2018" in text
    board = db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "statistics.adoption_saved"))
    assert board["diary_number"] == "SN 2019/14"
    assert "Fastställd av Socialnämnden Beslutsdatum 2019-02-26 Diarienummer SN 2019/14" in text
    from app.lexsarah.models import ProviderSettings
    assert db.session.get(ProviderSettings, 1).board_name in text


def test_a_bad_adoption_date_is_explained(login_as):
    response = login_as("admin").post("/statistik/2018/faststallande",
                                      data={"adopted_by": "Socialnämnden", "decided_on": "26/2 2019"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ange datumet som ÅÅÅÅ-MM-DD" in html and "Socialnämnden" in html
    early = login_as("admin").post("/statistik/2018/faststallande", data={"decided_on": "2017-12-01"})
    assert "Beslutet om 2018 kan inte vara fattat före 2018." in early.get_data(as_text=True)


def test_an_admin_sets_the_first_year_of_data(login_as):
    case("deviation", 2018)
    admin = login_as("admin")
    page = admin.get("/statistik/uppgifter-fran").get_data(as_text=True)
    assert "Första ärendet kom in 2018." in page
    assert admin.post("/statistik/uppgifter-fran", data={"deviation": "2016", "lex_sarah": "",
                                                         "complaint": ""}).status_code == 302
    assert db.session.get(DataFromYear, "deviation").year == 2016
    trend = admin.get("/api/v1/statistics/2018").get_json()["trend"]
    assert [row["deviations"] for row in trend] == [None, None, 0, 0, 1]

    bad = admin.post("/statistik/uppgifter-fran", data={"deviation": "sextio", "complaint": "1700"})
    assert bad.status_code == 422
    assert "Skriv ett årtal med fyra siffror, till exempel 2016." in bad.get_data(as_text=True)
    assert db.session.get(DataFromYear, "deviation").year == 2016  # nothing half-stored
