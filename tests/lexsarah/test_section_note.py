"""'Nothing to record' for a section of the investigation record: a command on the case."""

from datetime import datetime

from app import clock
from app.extensions import db
from tests.lexsarah.helpers import make_case, reload

NOW = datetime(2026, 3, 20, 9, 0)
REASON = "Inget liknande i enhetens rapporter sedan 2023 åäö."


def test_a_stale_form_is_the_conflict_and_keeps_the_text(demo, login_as):
    case = make_case("investigating")
    loaded_version = case.version
    case.summary = "Ändrad av en kollega"  # someone saves the case after the page was loaded
    db.session.commit()
    with clock.frozen(NOW):
        response = login_as("erik").post(f"/lex-sarah/{case.reference}/utredning/other/inget-att-anteckna",
                                         data={"version": loaded_version, "reason": REASON})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Någon annan har ändrat ärendet under tiden" in page and REASON in page
    assert f'value="{reload(case).version}"' in page
    assert reload(case).journal[-1].event != "section_nothing_to_record"
