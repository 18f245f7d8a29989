"""A person made responsible for an action is told: an e-mail when made responsible (a real SMTP
server on loopback), the action on their start page, and in the daily digest a week before it is
due and on the day."""

import re
from datetime import date, datetime

import pytest

from app import clock
from app.actions import services
from app.reminders import run_reminders
from tests.actions.conftest import SOON, add, make_case, user

SECRET = "Hemlig beskrivning som inte får stå i e-post."
BASE = "https://varna.example.se"


@pytest.fixture
def app_config(smtp_server):
    return {"BASE_URL": BASE, **smtp_server.mail_config()}


def _body(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_the_person_made_responsible_gets_an_email_without_the_description(demo, smtp_server):
    case = make_case()
    action = add(case, by="erik", responsible="anna", type_name="Ny rutin", due_on=date(2026, 4, 1),
                 description=SECRET)
    [mail] = smtp_server.to("anna@varna.example")
    body = _body(mail)
    assert case.reference in mail["Subject"]
    assert "Ny rutin" in body and "2026-04-01" in body and "Erik Eriksson" in body
    assert f"{BASE}/atgarder/{action.id}" in body
    assert SECRET not in body and SECRET not in mail["Subject"]
    assert smtp_server.to("erik@varna.example") == []


def test_nobody_is_mailed_about_an_action_they_gave_themselves(demo, smtp_server):
    add(make_case(), by="erik", responsible="erik")
    assert smtp_server.messages == []


def test_re_planning_to_another_person_tells_the_new_one_only(demo, smtp_server):
    case = make_case()
    action = add(case, by="erik", responsible="anna")
    smtp_server.messages.clear()
    with clock.frozen(SOON):
        services.update_action(user("erik"), action.id, type_id=action.type_id, description=action.description,
                               responsible_id=user("anna").id, due_on=date(2026, 4, 15),
                               expected_version=action.version)
    assert smtp_server.messages == []  # the same person: nothing new to tell
    with clock.frozen(SOON):
        services.update_action(user("erik"), action.id, type_id=action.type_id, description=action.description,
                               responsible_id=user("sara").id,
                               due_on=date(2026, 4, 15), expected_version=action.version)
    [mail] = smtp_server.messages
    assert "sara@varna.example" in mail.envelope_recipients and "2026-04-15" in _body(mail)


def test_the_start_page_lists_my_open_actions_soonest_first(demo, login_as):
    case = make_case()
    later = add(case, responsible="anna", type_name="Utbildning", due_on=date(2026, 4, 20))
    sooner = add(case, responsible="anna", type_name="Ny rutin", due_on=date(2026, 4, 2))
    done = add(case, responsible="anna", type_name="Teknik och utrustning", due_on=date(2026, 4, 1))
    with clock.frozen(SOON):
        services.update_action_status(user("anna"), done.id, "done", completed_on=date(2026, 3, 10),
                                      expected_version=done.version)
    with clock.frozen(SOON):
        html = login_as("anna").get("/").get_data(as_text=True)
    listing = html.split('id="my-actions"', 1)[1].split("</ul>", 1)[0]
    assert listing.index(f'href="/atgarder/{sooner.id}"') < listing.index(f'href="/atgarder/{later.id}"')
    assert f'href="/atgarder/{done.id}"' not in listing
    assert case.reference in listing and "2026-04-02" in listing and "Ny rutin" in listing
    assert re.search(r"Åtgärder där du är ansvarig", html)


def _digest_lines(smtp_server, address: str) -> str:
    return "\n".join(_body(m) for m in smtp_server.to(address))


@pytest.mark.parametrize("day, told", [(date(2026, 3, 25), True),   # a week before
                                       (date(2026, 4, 1), True),    # on the day
                                       (date(2026, 3, 28), False),  # in between: the e-mail and the list did
                                       (date(2026, 4, 2), False)])  # overdue: the overdue section's turn
def test_the_digest_tells_a_week_before_and_on_the_day(demo, smtp_server, day, told):
    case = make_case()
    action = add(case, by="erik", responsible="anna", type_name="Ny rutin", due_on=date(2026, 4, 1),
                 description=SECRET)
    smtp_server.messages.clear()
    with clock.frozen(datetime(day.year, day.month, day.day, 5, 0)):
        run_reminders(today=day, only=("actions_due",))
    body = _digest_lines(smtp_server, "anna@varna.example")
    line = f"- {case.reference}, Ny rutin, ska vara klar 2026-04-01: {BASE}/atgarder/{action.id}"
    assert (line in body) is told, body
    assert SECRET not in body


def test_a_finished_action_is_not_in_the_digest(demo, smtp_server):
    action = add(make_case(), by="erik", responsible="anna", due_on=date(2026, 4, 1))
    with clock.frozen(SOON):
        services.update_action_status(user("anna"), action.id, "done", completed_on=date(2026, 3, 10),
                                      expected_version=action.version)
    smtp_server.messages.clear()
    run_reminders(today=date(2026, 4, 1), only=("actions_due",))
    assert smtp_server.messages == []
