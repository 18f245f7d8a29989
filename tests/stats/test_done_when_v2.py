"""Done when (issue 15), tried as a new user would: an admin imports two earlier years saved from
Swedish Excel, a complaint this year becomes a lex Sarah report that is judged serious and notified
to IVO, the officer writes the analysis, and the printed chapter's figures match the cases and its
sentences can be adopted as they stand."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from app import clock
from app.cases.handover import services as handover
from app.lexsarah import judgment, notification
from tests.cases.helpers import user
from tests.lexsarah.helpers import DRAFT, SERIOUS, loaded, set_provider
from tests.stats.test_year_through_services import _at, _file, _fresh, _investigate_to_judgment, _triage

pytestmark = pytest.mark.usefixtures("demo")
HEADER = ("reference;kind;received_date;department;unit;summary;categories;channel;triage;judgment;serious;"
          "ivo_notified_date;handled_as_deviation;closed_date;client_gender;complaint_type;triage_reason")


def _excel_file(year: int, lex_sarah: int, complaints: int) -> bytes:
    """What Swedish Excel saves as "CSV (semikolonavgränsad)": semicolons, Windows-1252, CRLF."""
    rows = [HEADER]
    for n in range(1, lex_sarah + 1):
        notified = f"{year}-03-{n + 1:02d}" if n == 1 else ""
        rows.append(f"LS-{year}-{n:04d};lex_sarah;{year}-02-{n:02d};Vuxna;Boendestöd;Fallolycka på natten;"
                    f"Sekretess;;investigate;misconduct;{'yes' if n == 1 else 'no'};{notified};;{year}-05-01;female;;")
    for n in range(1, complaints + 1):
        rows.append(f"KL-{year}-{n:04d};complaint;{year}-04-{n:02d};Äldreomsorg;;Bemötande i hemtjänsten;"
                    f"Bemötande;letter;;;;;;;male;{'suggestion' if n == 1 else 'complaint'};")
    rows.append(f"AV-{year}-0001;deviation;{year}-06-01;Unga;;;;;not_investigated;;;;;;;;not_own_service")
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_new_user_gets_a_chapter_the_namnd_can_adopt(login_as):
    set_provider()
    admin = login_as("admin")
    for year, lex_sarah, complaints in ((2023, 3, 2), (2024, 2, 2)):
        response = admin.post("/admin/import/", content_type="multipart/form-data", data={
            "file": (io.BytesIO(_excel_file(year, lex_sarah, complaints)), f"register {year}.csv"),
            "create_units": "y"})
        assert response.status_code == 200, _text(response.get_data(as_text=True))[-600:]

    # This year: a complaint reveals a misconduct; the lex Sarah report made from it is judged serious and notified.
    complaint = _file("complaint", _at(3, 2), categories=("Bemötande",), channel="letter", relation="relative",
                      complainant_name="Karin Klagare", complainant_email="karin@example.se", answer_wanted="y")
    _triage(complaint, "erik", _at(3, 3))
    with clock.frozen(_at(3, 4)):
        report = handover.escalate_to_lex_sarah(user("erik"), complaint.reference, lex_sarah_type="misconduct",
                                                reason="Brukaren lämnades utan tillsyn.",
                                                expected_version=_fresh(complaint).version)
    report = _investigate_to_judgment(report, _at(3, 5))
    with clock.frozen(_at(3, 12)):
        judgment.record_judgment(user("sara"), **loaded(report), **SERIOUS)
        notification.save_notification_draft(user("sara"), **loaded(_fresh(report)),
                                             **{**DRAFT, "investigation_expected_on": date(2025, 5, 1),
                                                "client_informed_on": date(2025, 3, 12)})
        notification.finalise_notification(user("sara"), **loaded(_fresh(report)))  # signed, then sent (issue 13)
        notification.notify_ivo(user("sara"), **loaded(_fresh(report)), sent_via="e_service", sent_on=date(2025, 3, 12),
                                ivo_reference="8.5.1-300/2025")

    officer = login_as("sara")
    assert officer.post("/statistik/2025/texter?avsnitt=lex_sarah", data={
        "lex_sarah-analysis": "Vid analys framkommer inga tydliga mönster.",
        "lex_sarah-improvement": ""}).status_code == 302

    data = officer.get("/api/v1/statistics/2025").get_json()
    assert data["complaints"]["received"] == 1 and data["complaints"]["escalated_to_lex_sarah"] == 1
    assert data["lex_sarah"]["received"] == 1 and data["lex_sarah"]["from_handover"] == 1
    assert data["lex_sarah"]["notified_to_ivo"] == 1 and data["lex_sarah"]["serious"] == 1
    assert [row["lex_sarah"] for row in data["trend"]] == [None, None, 3, 2, 1]
    assert [row["notified_to_ivo"] for row in data["trend"]] == [None, None, 1, 1, 1]
    assert [row["deviations"] for row in data["trend"]] == [None, None, 1, 1, 0]
    assert officer.get("/api/v1/statistics/2024").get_json()["complaints"]["by_type"] == {
        "complaint": 1, "suggestion": 1}

    html = officer.get("/statistik/2025/kvalitetsberattelse").get_data(as_text=True)
    text = _text(html)
    assert "Avvikelser, klagomål, lex Sarah och tillsyn 2025" in text
    assert ("Under 2025 har totalt en lex Sarah-rapport inkommit till socialnämnden. "
            "Det är en minskning med en rapport jämfört med föregående år.") in text
    assert ("Till Inspektionen för vård och omsorg (IVO) har en rapport anmälts. "
            "Antalet är oförändrat jämfört med föregående år.") in text
    assert "I ett fall har klagomålet lett till en lex Sarah-rapport." in text
    assert "Vid analys framkommer inga tydliga mönster." in text
    assert "ökning med" not in text.split("Utveckling över fem år")[1].split("Synpunkter och klagomål")[0]
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(re.findall(r"<p>([^<]*)</p>", html))):
        assert sentence and not sentence[0].isdigit() and "(0)" not in sentence, sentence

    pdf = officer.get("/statistik/2025/kvalitetsberattelse.pdf")
    pdf_text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "Till Inspektionen för vård och omsorg (IVO) har en rapport anmälts." in pdf_text
