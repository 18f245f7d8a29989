"""Deadlines: working-day arithmetic over weekends and Swedish holidays, each kind's steps as
the case moves, the queue's overdue filter and deadline sort, the admin's settings, and the
acknowledgement of a complaint."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases.deadlines import services as deadlines
from app.cases.deadlines.services import Rule, add_working_days, due_on, end_of_day, is_working_day
from app.cases.models import NO_DEADLINE, DeadlineSetting
from app.clock import frozen
from app.extensions import db
from tests.cases.helpers import error_for, file_case, reload, user
from tests.lexsarah.helpers import complete_record, protect

# --- arithmetic -----------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "count", "expected"), [
    (date(2026, 3, 4), 1, date(2026, 3, 5)),    # Wednesday -> Thursday
    (date(2026, 3, 6), 1, date(2026, 3, 9)),    # Friday -> Monday, over the weekend
    (date(2026, 3, 7), 1, date(2026, 3, 9)),    # received on a Saturday: Monday
    (date(2026, 6, 18), 1, date(2026, 6, 22)),  # midsommarafton (Fri), midsommardagen (Sat), Sunday
    (date(2026, 1, 5), 1, date(2026, 1, 7)),    # trettondedag jul (Tue 6 January)
    (date(2026, 4, 2), 1, date(2026, 4, 7)),    # långfredagen, the Easter weekend, annandag påsk
    (date(2026, 12, 23), 1, date(2026, 12, 28)),  # julafton, juldagen, the weekend
    (date(2026, 12, 30), 1, date(2027, 1, 4)),  # nyårsafton, nyårsdagen, the weekend
    (date(2026, 6, 15), 5, date(2026, 6, 23)),  # five working days across midsommar
    (date(2026, 4, 30), 1, date(2026, 5, 4)),   # första maj (Fri)
])
def test_working_days_skip_weekends_and_swedish_holidays(start, count, expected):
    assert add_working_days(start, count) == expected
    assert due_on(start, Rule(count, "working_days")) == expected


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 6, 18), True), (date(2026, 6, 19), False), (date(2026, 6, 6), False),
    (date(2026, 1, 6), False), (date(2026, 12, 24), False), (date(2026, 12, 31), False),
    (date(2026, 5, 14), False),  # Kristi himmelsfärdsdag
    (date(2026, 5, 15), True),   # the "klämdag" after it is a working day
    (date(2026, 3, 8), False),   # a Sunday
])
def test_which_days_are_working_days(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(("start", "days", "expected"), [
    (date(2026, 3, 2), 14, date(2026, 3, 16)),    # a Monday
    (date(2026, 1, 2), 30, date(2026, 2, 2)),     # ends on Sunday 1 February: the next working day
    (date(2026, 5, 22), 28, date(2026, 6, 22)),   # ends on midsommarafton: the next working day
    (date(2026, 12, 10), 14, date(2026, 12, 28)),  # ends on julafton
])
def test_a_deadline_in_calendar_days_that_ends_on_a_holiday_moves_to_the_next_working_day(start, days, expected):
    assert due_on(start, Rule(days, "days")) == expected


def test_a_deadline_is_the_end_of_its_day_in_sweden():
    assert end_of_day(date(2026, 1, 7)) == datetime(2026, 1, 7, 22, 59, 59)   # CET
    assert end_of_day(date(2026, 6, 22)) == datetime(2026, 6, 22, 21, 59, 59)  # CEST


# --- each kind's steps as the case moves --------------------------------------------------------

THURSDAY_BEFORE_MIDSOMMAR = datetime(2026, 6, 18, 8, 0)  # 10:00 in Stockholm


def _post(client, case, path, at, **data):
    with frozen(at):
        return client.post(f"/arenden/{case.reference}/{path}", data={"version": reload(case).version, **data})


def _due_day(case) -> date | None:
    value = reload(case).next_deadline_at
    return None if value == NO_DEADLINE else deadlines.due_day_of(value)


def test_a_lex_sarah_report_is_triaged_in_a_working_day_and_investigated_in_14_days(login_as):
    report = file_case("lex_sarah", at=THURSDAY_BEFORE_MIDSOMMAR)
    # The immediate protection comes first: the day after receipt, midsommarafton or not (issue 13).
    assert _due_day(report) == date(2026, 6, 19), "the immediate protection: the next day"
    protect(report)
    assert _due_day(report) == date(2026, 6, 22), "triage: the first working day after midsommar"
    assert reload(report).next_deadline_at == datetime(2026, 6, 22, 21, 59, 59)
    erik = login_as("erik")
    assert _post(erik, report, "beslut-om-utredning", datetime(2026, 6, 18, 12), decision="investigate").status_code \
        == 302
    assert _due_day(report) == date(2026, 7, 2), "the investigation: 14 days from receipt"
    _post(erik, report, "utredning/anteckning", datetime(2026, 6, 25, 12), section="what_happened",
          entry_date="2026-06-25", source="Samtal", nature="fact", text="Det som hände.")
    complete_record(report, at=datetime(2026, 6, 25, 12))
    assert _post(erik, report, "utredning/slutfor", datetime(2026, 6, 25, 12)).status_code == 302
    assert _due_day(report) is None, "no deadline runs while the officer judges"


def test_a_complaint_is_acknowledged_in_5_working_days_and_answered_in_28_days(login_as):
    complaint = file_case("complaint", at=datetime(2026, 6, 15, 8, 0))
    assert _due_day(complaint) == date(2026, 6, 23)
    erik = login_as("erik")
    with frozen(datetime(2026, 6, 16, 8)):
        page = erik.get(f"/arenden/{complaint.reference}").get_data(as_text=True)
    assert "Mottagandet bekräftat till klaganden" in page and "/bekraftelse" in page
    response = _post(erik, complaint, "bekraftelse", datetime(2026, 6, 16, 8), acknowledged_on="2026-06-16",
                     channel="letter")
    assert response.status_code == 302
    complaint = reload(complaint)
    assert complaint.complaint.acknowledged_at is not None
    assert (complaint.journal[-1].event, complaint.journal[-1].detail["channel"]) == ("acknowledged", "letter")
    assert _due_day(complaint) == date(2026, 7, 13), "then the answer: 28 days, 13 July (a Monday)"
    _post(erik, complaint, "beslut-om-utredning", datetime(2026, 6, 17, 8), decision="investigate")
    assert _due_day(complaint) == date(2026, 7, 13)
    _post(erik, complaint, "svar", datetime(2026, 7, 1, 8), text="Svar.", answered_on="2026-07-01", channel="letter")
    assert reload(complaint).status == "answered" and _due_day(complaint) is None


def test_a_complaint_from_the_public_form_was_acknowledged_by_its_receipt(login_as):
    complaint = file_case("complaint", at=datetime(2026, 6, 15, 8, 0), complaint={"channel": "web"})
    assert _due_day(complaint) == date(2026, 7, 13)
    response = _post(login_as("erik"), complaint, "bekraftelse", datetime(2026, 6, 16, 8),
                     acknowledged_on="2026-06-16", channel="letter")
    assert response.status_code == 409
    assert "behöver ingen mottagningsbekräftelse" in response.get_data(as_text=True)


def test_an_anonymous_complaint_cannot_be_acknowledged(demo):
    complaint = file_case("complaint", at=datetime(2026, 6, 15, 8, 0),
                          complaint={"anonymous": True, "complainant_name": "", "relation": "anonymous"})
    steps = {d.step: d.state for d in deadlines.step_deadlines(reload(complaint))}
    assert steps == {"acknowledgement": "not_needed", "answer": "running"}


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"acknowledged_on": "2026-06-17"}, "acknowledged_on", "Datumet kan inte vara senare än i dag."),
    ({"acknowledged_on": "2026-06-14"}, "acknowledged_on", "Datumet kan inte vara före den dag klagomålet kom in."),
    ({"channel": ""}, "channel", "Välj hur bekräftelsen lämnades."),
])
def test_a_bad_acknowledgement_is_not_saved(login_as, data, field, message):
    complaint = file_case("complaint", at=datetime(2026, 6, 15, 8, 0))
    response = _post(login_as("erik"), complaint, "bekraftelse", datetime(2026, 6, 16, 8),
                     **{"acknowledged_on": "2026-06-16", "channel": "phone", **data})
    assert response.status_code == 422
    assert error_for(response.get_data(as_text=True), field) == message
    assert reload(complaint).complaint.acknowledged_at is None


@pytest.mark.parametrize(("username", "status"), [("erik", 302), ("sara", 302), ("anna", 403), ("ulla", 403),
                                                  ("admin", 403)])
def test_who_acknowledges(login_as, username, status):
    complaint = file_case("complaint", at=datetime(2026, 6, 15, 8, 0))
    assert _post(login_as(username), complaint, "bekraftelse", datetime(2026, 6, 16, 8),
                 acknowledged_on="2026-06-16", channel="phone").status_code == status


def test_a_deviation_has_30_days_and_a_reopened_case_counts_from_the_reopening(login_as):
    deviation = file_case("deviation", at=datetime(2026, 1, 2, 9, 0))
    assert _due_day(deviation) == date(2026, 2, 2)
    erik, sara = login_as("erik"), login_as("sara")
    _post(erik, deviation, "beslut-om-utredning", datetime(2026, 1, 5, 9), decision="investigate")
    _post(erik, deviation, "avsluta", datetime(2026, 1, 20, 9), summary="Klart.")
    assert _due_day(deviation) is None
    assert _post(sara, deviation, "oppna-igen", datetime(2026, 4, 1, 9), reason="Det hände igen.").status_code == 302
    assert _due_day(deviation) == date(2026, 5, 4), "30 days from 1 April is 1 May, a holiday; then the weekend"
    # Recomputed later (a settings change), it still counts from the reopening.
    deadlines.recompute_open_cases()
    db.session.commit()
    assert _due_day(deviation) == date(2026, 5, 4)


# --- the queue ----------------------------------------------------------------------------------

REFERENCE = re.compile(r'<h2><a href="/arenden/([A-Z]{2}-\d{4}-\d{4})">')


def _listed(client, query, at) -> list[str]:
    with frozen(at):
        response = client.get("/arenden" + query)
    assert response.status_code == 200
    return REFERENCE.findall(response.get_data(as_text=True))


@pytest.fixture
def mixed(demo):
    return {
        # received first, due last
        "deviation": file_case("deviation", at=datetime(2026, 3, 2, 9), summary="Avvikelse"),     # due 1 April
        "complaint": file_case("complaint", at=datetime(2026, 3, 4, 9), summary="Klagomål"),      # ack 11 March
        "lex_sarah": file_case("lex_sarah", at=datetime(2026, 3, 6, 9), summary="Lex Sarah"),     # triage 9 March
        "closed": file_case("deviation", at=datetime(2026, 3, 3, 9), summary="Avslutad"),
    }


def test_the_deadline_sort_puts_the_nearest_deadline_first(login_as, mixed):
    mixed["closed"].status = "closed"
    db.session.commit()
    order = _listed(login_as("erik"), "?sort=deadline&status=all", datetime(2026, 3, 6, 12))
    assert order == [mixed[name].reference for name in ("lex_sarah", "complaint", "deviation", "closed")]
    received = _listed(login_as("erik"), "?sort=oldest&status=all", datetime(2026, 3, 6, 12))
    assert received != order


def test_overdue_cases_are_filtered_and_say_so_in_words(login_as, mixed):
    erik = login_as("erik")
    on_10_march = datetime(2026, 3, 10, 9)
    assert _listed(erik, "?overdue=y", on_10_march) == [mixed["lex_sarah"].reference]
    assert set(_listed(erik, "?overdue=y", datetime(2026, 3, 12, 9))) == {mixed["lex_sarah"].reference,
                                                                          mixed["complaint"].reference}
    with frozen(on_10_march):
        page = erik.get("/arenden").get_data(as_text=True)
    cards = dict(re.findall(r'<li class="case-card[^"]*">\s*<h2><a href="/arenden/([^"]+)">[^<]*</a>(.*?)</h2>',
                            page, re.S))
    assert "Försenad" in cards[mixed["lex_sarah"].reference]
    assert "Försenad" not in cards[mixed["deviation"].reference]
    with frozen(on_10_march):
        case_page = erik.get(f"/arenden/{mixed['lex_sarah'].reference}").get_data(as_text=True)
    deadline_section = case_page.split('id="deadlines-heading"')[1].split("</section>")[0]
    assert re.search(r"Beslut om utredning</span>:\s*senast <time[^>]*>2026-03-09</time>\s*"
                     r'<span class="badge badge--overdue">⚠ Försenad</span>', deadline_section)


# --- the admin's settings -----------------------------------------------------------------------

def _settings_data(**changes) -> dict:
    data = {}
    for (kind, step), rule in deadlines.DEFAULTS.items():
        data[f"{kind}__{step}__amount"] = str(rule.amount)
        data[f"{kind}__{step}__unit"] = rule.unit
    data.update(changes)
    return data


@pytest.mark.parametrize(("username", "status"), [("admin", 200), ("anna", 403), ("erik", 403), ("sara", 403)])
def test_only_the_admin_sets_deadlines(login_as, username, status):
    client = login_as(username)
    assert client.get("/arenden/tidsfrister").status_code == status
    response = client.post("/arenden/tidsfrister", data=_settings_data(lex_sarah__triage__amount="3"))
    assert response.status_code == (302 if status == 200 else 403)
    assert (db.session.get(DeadlineSetting, ("lex_sarah", "triage")) is not None) == (status == 200)


def test_the_settings_page_shows_the_defaults(login_as):
    page = login_as("admin").get("/arenden/tidsfrister").get_data(as_text=True)
    assert re.search(r'id="lex_sarah__triage__amount"[^>]*value="1"|value="1"[^>]*id="lex_sarah__triage__amount"', page)
    assert re.search(r'<select[^>]*id="complaint__answer__unit"[^>]*>.*?<option selected value="days">',
                     page, re.S)
    assert "Mottagandet bekräftat till klaganden" in page


def test_changing_a_deadline_recomputes_the_open_cases_without_a_new_version(login_as):
    report = protect(file_case("lex_sarah", at=THURSDAY_BEFORE_MIDSOMMAR))  # so that the triage is next
    closed = file_case("lex_sarah", at=THURSDAY_BEFORE_MIDSOMMAR)
    closed.status = "closed"
    db.session.commit()
    version = reload(report).version
    admin = login_as("admin")
    response = admin.post("/arenden/tidsfrister", data=_settings_data(lex_sarah__triage__amount="3"))
    assert response.status_code == 302
    assert "1 öppna ärenden fick en ny tidsfrist" in admin.get("/arenden/tidsfrister").get_data(as_text=True)
    assert _due_day(report) == date(2026, 6, 24), "three working days after midsommar's Thursday"
    assert reload(report).version == version, "nobody's open form becomes a conflict"
    assert reload(closed).next_deadline_at == NO_DEADLINE
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "deadlines.updated"))
    assert event.user_id == user("admin").id
    assert event.detail["changed"] == {"lex_sarah.triage": {"from": [1, "working_days"], "to": [3, "working_days"]}}
    # A new case follows the new setting too.
    later = protect(file_case("lex_sarah", at=THURSDAY_BEFORE_MIDSOMMAR))
    assert _due_day(later) == date(2026, 6, 24)
    # Calendar days instead.
    admin.post("/arenden/tidsfrister", data=_settings_data(lex_sarah__triage__amount="3",
                                                           lex_sarah__triage__unit="days"))
    assert _due_day(report) == date(2026, 6, 22), "18 + 3 = 21 June, a Sunday: the next working day"


@pytest.mark.parametrize(("value", "message"), [("0", "Ange ett antal mellan 1 och 365."),
                                                ("366", "Ange ett antal mellan 1 och 365."),
                                                ("", "Ange ett antal dagar."),
                                                ("tre", "Ange antalet dagar med siffror, till exempel 14.")])
def test_a_bad_setting_saves_nothing_and_says_why(login_as, value, message):
    response = login_as("admin").post("/arenden/tidsfrister",
                                      data=_settings_data(deviation__handling__amount=value,
                                                          lex_sarah__triage__amount="2"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_for(page, "deviation__handling__amount") == message
    assert 'value="2"' in page, "what was typed is kept"
    assert db.session.scalar(select(DeadlineSetting)) is None


def test_without_settings_the_defaults_apply(demo):
    report = protect(file_case("lex_sarah", at=THURSDAY_BEFORE_MIDSOMMAR))
    assert db.session.scalar(select(DeadlineSetting)) is None
    assert deadlines.rules() == {**deadlines.DEFAULTS, **deadlines.FIXED}  # FIXED: the law's, not a setting
    assert _due_day(report) == date(2026, 6, 22)
