"""Journey: a citizen on a phone (390×844) files a complaint, gets the receipt e-mail on a real SMTP
server on loopback (aiosmtpd, not the outbox), follows its link; the answer is published and she
follows the link in the second e-mail to read it. This module runs its own Värna server, sending
to that SMTP server. (The folded phone menu with the keyboard only: test_phone_menu_journey.py.)"""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.conftest import SmtpServer
from tests.e2e.conftest import serve_varna
from tests.e2e.pages import PHONE

MEAL = ("Min mamma på boendet fick ingen kvällsmat i söndags eftersom ingen personal kom. "
        "Hon ringde på larmet flera gånger.")
ANSWER = ("Tack för att du hörde av dig. Passet var obemannat efter ett schemafel; schemat kontrolleras nu "
          "av två personer. Vi ber om ursäkt.")
EMAIL = "maria.persson@example.se"


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def varna(chromium_path, smtp):
    """This module's own Värna, which sends its e-mail to `smtp`."""
    with serve_varna(E2E_SMTP_PORT=str(smtp.port)) as running:
        yield running


def _wait_for_mail(smtp: SmtpServer, address: str, subject: str, timeout: float = 10):
    """The e-mail goes out after the commit; give the server process a moment to deliver it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp.to(address) if subject in str(m["Subject"])]
        if found:
            return found
        time.sleep(0.1)  # polling another process's delivery
    raise AssertionError(f"no e-mail to {address} about {subject!r}; got {[str(m['Subject']) for m in smtp.messages]}")


def _link(mail, varna) -> str:
    body = mail.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+", body).group(0)
    assert link.startswith(varna.url), link
    return link.removeprefix(varna.url)


def test_a_citizen_files_on_a_phone_and_follows_the_links_in_her_e_mails(journey, varna, smtp):
    maria = journey.citizen("maria", phone=True)
    assert maria.page.viewport_size == PHONE
    reference, code = maria.citizen_files_complaint(MEAL, department="Vuxna", name="Maria Persson", email=EMAIL)

    # The receipt arrives on the SMTP server: reference, answer date and a link; never the code or the text.
    [receipt] = _wait_for_mail(smtp, EMAIL, reference)
    body = receipt.get_body(("plain",)).get_content()
    assert code not in body and code.replace("-", "") not in body and MEAL[:30] not in body
    maria.open(_link(receipt, varna), shot="status-from-receipt-mail")
    expect(maria.field("Diarienummer")).to_have_value(reference)
    expect(maria.field("Personlig kod")).to_have_value("")

    erik = journey.investigator("erik")
    erik.investigator_finds_in_queue(reference, MEAL)
    erik.investigator_triages()
    erik.investigator_answers_complaint(reference, ANSWER)

    # Told that the answer can be read; she follows the link, types her code and reads it.
    [notice] = _wait_for_mail(smtp, EMAIL, f"Svar på ditt klagomål {reference}")
    assert ANSWER[:40] not in notice.get_body(("plain",)).get_content()
    maria.open(_link(notice, varna))
    expect(maria.field("Diarienummer")).to_have_value(reference)
    maria.field("Personlig kod").fill(code.replace("-", "").lower())
    maria.press("Visa", shot="answer-from-mail")
    expect(maria.main).to_contain_text("Status: Besvarat.")
    expect(maria.main.locator(".answer-text")).to_have_text(ANSWER)
