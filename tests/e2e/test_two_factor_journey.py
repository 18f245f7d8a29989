"""Journey 5: two-factor login. ulla (investigator) turns it on from the link in the header:
she reads the key on the page (as someone who cannot scan types it into the app), confirms with
a code, gets her recovery codes, logs out, and logs in again with the password and a code.
The admin then resets her enrolment (a lost phone), which ends her session.

The codes are computed here with pyotp from the key the page shows, as her phone would."""

import re
import time

import pyotp
from playwright.sync_api import expect


def test_ulla_enrols_logs_out_and_logs_in_with_a_code(journey):
    ulla = journey.investigator("ulla")

    ulla.go(ulla.page.locator("header").get_by_role("link", name="Tvåstegsverifiering").click, shot="account")
    ulla.expect_heading("Tvåstegsverifiering")
    ulla.follow("Aktivera tvåstegsverifiering", shot="enrol")
    expect(ulla.main.locator(".qr-code-box img")).to_be_visible()
    secret = ulla.main.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    totp = pyotp.TOTP(secret)

    # A wrong code first: the error is tied to the field.
    right = totp.now()
    ulla.field("Kod från appen").fill(str((int(right) + 1) % 1_000_000).zfill(6))
    ulla.press("Aktivera", shot="enrol-error")
    ulla.assert_error_announced("#code", "Koden stämmer inte.")
    ulla.field("Kod från appen").fill(totp.now())
    ulla.press("Aktivera", shot="recovery-codes")
    ulla.expect_heading("Dina reservkoder")
    expect(ulla.main.locator(".recovery-codes li")).to_have_count(10)
    ulla.follow("Jag har sparat koderna")
    ulla.expect_heading("Hej Ulla")

    ulla.go(ulla.page.get_by_role("button", name="Logga ut").click)
    ulla.field("Användarnamn").fill("ulla")
    ulla.field("Lösenord").fill("demo")
    ulla.press("Logga in", shot="code")
    ulla.expect_heading("Tvåstegsverifiering")
    # The code of the next time step: the one typed at enrolment (this step's) is spent, and
    # the next one is inside the accepted window of one step either side.
    ulla.field("Kod").fill(totp.at(time.time() + 30))
    ulla.press("Logga in", shot="start")
    ulla.expect_heading("Hej Ulla")

    # She lost her phone: the admin resets her enrolment, and her session ends.
    admin = journey.admin()
    admin.follow(admin.menu_link("Administration"))
    admin.follow("Ulla Ullsson")
    admin.press("Återställ tvåstegsverifiering", shot="reset")
    admin.expect_flash("Tvåstegsverifieringen för ulla är återställd.")
    ulla.open("/arenden")
    ulla.expect_heading("Logga in i Värna")
