"""The legal line of the notification is data chosen by the date of the event, in the HTML and the PDF;
the paragraphs of socialtjänstlagen (2025:400) are printed only once an admin has confirmed them."""

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from app import clock
from app.lexsarah import common, notification, provider
from app.lexsarah.legal import legal_basis
from tests.lexsarah.helpers import draft, judge, make_case, reload, set_provider, user

VALID = {"board_name": "Socialnämnden i Exempelby", "org_number": "212000-0142",
         "address": "Box 100, 123 45 Exempelby", "contact_name": "", "contact_title": "", "contact_phone": "",
         "contact_email": ""}


def _texts(case) -> tuple[str, str]:
    with clock.frozen(datetime(2026, 3, 20, 9, 0)):
        html, _frozen = notification.notification_document(reload(case), user("sara"), "html")
        pdf, _frozen = notification.notification_document(reload(case), user("sara"), "pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return html, " ".join(text.split())


def test_the_old_act_for_an_event_before_1_july_2025():
    assert legal_basis(date(2025, 6, 30), "9 kap. 1 §").line.startswith(
        "Socialtjänstlagen (2001:453) 14 kap. 3–7 §§")
    assert "SOSFS 2011:5" in legal_basis(date(2025, 6, 30), None).line


def test_the_new_act_without_paragraphs_until_they_are_confirmed():
    assert legal_basis(date(2025, 7, 1), None).line.startswith("Socialtjänstlagen (2025:400); lagen (1993:387)")
    assert "14 kap." not in legal_basis(date(2025, 7, 1), None).line
    assert legal_basis(date(2025, 7, 1), "X kap. 1–5 §§").line.startswith("Socialtjänstlagen (2025:400) X kap. 1–5 §§")


@pytest.mark.parametrize(("occurred", "expected", "absent"), [
    (date(2025, 6, 20), "Socialtjänstlagen (2001:453) 14 kap. 3–7 §§", "2025:400"),
    (date(2026, 2, 27), "Socialtjänstlagen (2025:400);", "2001:453"),
])
def test_the_document_prints_the_line_for_the_date_of_the_event(demo, occurred, expected, absent):
    set_provider()
    case = make_case(occurred_on=occurred)
    judge(case)
    draft(case)
    html, pdf = _texts(case)
    assert expected in html and expected in pdf
    assert absent not in html and absent not in pdf


def test_confirmed_paragraphs_are_printed_and_only_an_admin_confirms_them(demo):
    set_provider()
    with pytest.raises(common.LexSarahError) as refused:
        provider.save_provider_settings(user("sara"), **VALID, sol_2025_paragraphs="X kap. 1–5 §§")
    assert refused.value.errors == {"sol_2025_paragraphs": "Bara en administratör kan bekräfta paragraferna."}
    with pytest.raises(common.LexSarahError) as refused:
        provider.save_provider_settings(user("admin"), **VALID, sol_2025_paragraphs="fel")
    assert set(refused.value.errors) == {"sol_2025_paragraphs"}
    provider.save_provider_settings(user("admin"), **VALID, sol_2025_paragraphs="X kap. 1–5 §§")
    provider.save_provider_settings(user("sara"), **VALID, sol_2025_paragraphs="X kap. 1–5 §§")  # unchanged: fine
    case = make_case(occurred_on=date(2026, 2, 27))
    judge(case)
    draft(case)
    html, pdf = _texts(case)
    assert "Socialtjänstlagen (2025:400) X kap. 1–5 §§" in html and "Socialtjänstlagen (2025:400) X kap. 1–5 §§" in pdf
