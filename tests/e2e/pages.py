"""Page objects: what the people who use Värna do, one method per thing a person does.

Each person has their own browser context (their own cookies: a separate device).
Every page a person arrives at is checked with axe-core: a violation of impact
"serious" or "critical" fails the journey at once, naming the rule and the element;
findings of lower impact are written to tests/screenshots/axe-findings.txt. Pages
named with `shot=` are photographed to tests/screenshots/<journey>/.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect

from app.cases.models import RECORD_SECTIONS

# The policy Värna sends (app/security_headers.py); the browser tests run with it enforced,
# so a page that needs inline script or style shows up as a violation below.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}
_AXE = Axe()


def today() -> date:
    """The date the server calls today (it shows and stores dates in Europe/Stockholm)."""
    return datetime.now(ZoneInfo("Europe/Stockholm")).date()


class AccessibilityViolation(AssertionError):
    pass


class Journey:
    """The people of one journey, on one running Värna."""

    def __init__(self, browser: Browser, varna, folder: Path, findings: list[str]):
        self.browser = browser
        self.varna = varna
        self.folder = folder
        self.findings = findings
        self.people: list[Person] = []
        self.shots = 0

    def _add(self, person: Person) -> Person:
        self.people.append(person)
        return person

    def staff(self, username="anna", phone=False) -> Staff:
        return self._add(Staff(self, username, phone)).logs_in()

    def investigator(self, username="erik", phone=False) -> Investigator:
        return self._add(Investigator(self, username, phone)).logs_in()

    def officer(self, username="sara", phone=False) -> Officer:
        return self._add(Officer(self, username, phone)).logs_in()

    def admin(self, username="admin", phone=False) -> Admin:
        return self._add(Admin(self, username, phone)).logs_in()

    def citizen(self, name: str, phone=True) -> Citizen:
        return self._add(Citizen(self, name, phone))

    def keyboard_user(self, phone=False) -> KeyboardUser:
        return self._add(KeyboardUser(self, "tangentbord", phone))

    def next_shot(self, who: str, what: str) -> Path:
        self.shots += 1
        return self.folder / f"{self.shots:02d}-{who}-{what}.png"

    def assert_every_page_checked(self) -> None:
        for person in self.people:
            person.assert_settled()

    def photograph_everyone(self, prefix: str) -> None:
        for person in self.people:
            # A failure's photograph must not hide the failure itself.
            with contextlib.suppress(Exception):
                person.page.screenshot(path=self.folder / f"{prefix}-{person.name}.png", full_page=True)

    def close(self) -> None:
        for person in self.people:
            person.context.close()


class Person:
    """Someone with a browser: a phone (390×844, touch) or a desk (1280×900)."""

    def __init__(self, journey: Journey, name: str, phone: bool):
        self.journey = journey
        self.name = name
        self.context = journey.browser.new_context(
            viewport=PHONE if phone else DESK, is_mobile=phone, has_touch=phone, locale="sv-SE",
            timezone_id="Europe/Stockholm", base_url=journey.varna.url)
        self.context.set_default_timeout(15_000)
        self.page: Page = self.context.new_page()
        self.loads = 0
        self.checked = 0
        self.server_errors: list[str] = []
        self.policy_problems: list[str] = []
        self.page.on("load", self._loaded)
        self.page.on("response", self._response)
        self.page.on("console", self._console)

    # --- arriving at pages: every one is checked with axe -------------------------------------

    def _loaded(self, _page) -> None:
        self.loads += 1

    def _response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")
        if response.request.resource_type == "document":
            policy = response.headers.get("content-security-policy", "")
            # The two self-contained documents add their own stylesheet's hash to style-src.
            if policy.replace(policy[policy.find("style-src"):policy.find(";", policy.find("style-src"))],
                              "style-src 'self'") != CSP:
                self.policy_problems.append(f"{response.url}: Content-Security-Policy {policy!r}")

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.policy_problems.append(f"{self.page.url}: {message.text}")

    def arrive(self, shot: str | None = None) -> None:
        """The page has loaded: check it with axe, and photograph it if it is one of the main pages."""
        self.page.wait_for_load_state("load")
        assert not self.server_errors, f"{self.name} got a server error: {self.server_errors}"
        assert not self.policy_problems, f"{self.name}: {self.policy_problems}"
        results = _AXE.run(self.page)
        where = f"{self.journey.folder.name}, {self.name}, {self.page.url}"
        blocking = []
        for violation in results.response["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            line = f"{violation['impact']:>8}  {violation['id']}: {violation['help']} ({where}) {targets[:5]}"
            self.journey.findings.append(line)
            if violation["impact"] in BLOCKING_IMPACTS:
                blocking.append(line)
        if shot:
            self.page.screenshot(path=self.journey.next_shot(self.name, shot), full_page=True)
        if blocking:
            self.page.screenshot(path=self.journey.folder / f"AXE-{self.name}.png", full_page=True)
            raise AccessibilityViolation("axe found serious or critical problems:\n" + "\n".join(blocking))
        self.checked = self.loads

    def assert_settled(self) -> None:
        """Every page this person reached was checked, and nothing answered with a server error."""
        self.page.evaluate("1")  # lets any pending 'load' events arrive
        assert not self.server_errors, f"{self.name} got a server error: {self.server_errors}"
        assert not self.policy_problems, f"{self.name}: {self.policy_problems}"
        assert self.checked == self.loads, (
            f"{self.name} reached a page that was not checked with axe: {self.page.url} "
            f"({self.loads} pages loaded, checked up to {self.checked})")

    def open(self, path: str, shot: str | None = None) -> None:
        self.page.goto(path)
        self.arrive(shot)

    def go(self, action: Callable[[], object], shot: str | None = None) -> None:
        """Do something that loads a new page (follow a link, send a form), then arrive there."""
        with self.page.expect_navigation(wait_until="load"):
            action()
        self.arrive(shot)

    def follow(self, link: Locator | str, shot: str | None = None) -> None:
        locator = self.main.get_by_role("link", name=link, exact=True) if isinstance(link, str) else link
        self.go(locator.click, shot)

    def press(self, button: Locator | str, shot: str | None = None) -> None:
        locator = self.main.get_by_role("button", name=button, exact=True) if isinstance(button, str) else button
        self.go(locator.click, shot)

    def menu_link(self, name: str) -> Locator:
        """A link in the main menu; on a phone the menu is folded behind its button, so open it first."""
        toggle = self.page.locator(".site-header .menu-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")
        return self.page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=name)

    @property
    def main(self) -> Locator:
        return self.page.locator("main")

    def field(self, label: str, exact=True) -> Locator:
        return self.main.get_by_label(label, exact=exact)

    def expect_flash(self, text: str | re.Pattern) -> None:
        expect(self.page.locator(".flashes")).to_contain_text(text)

    def expect_heading(self, text: str | re.Pattern) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(text)

    # --- what a screen reader and a keyboard user get -----------------------------------------

    FOCUS = """() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const s = getComputedStyle(e), r = e.getBoundingClientRect();
        const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
        return {tag: e.tagName.toLowerCase(), id: e.id, type: e.type || '', label: label.trim(),
                text: (e.innerText || e.value || '').trim().slice(0, 80),
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? s.outlineStyle + ' '
                         + s.outlineWidth + ' ' + s.outlineColor : '',
                shadow: s.boxShadow !== 'none' ? s.boxShadow : '',
                inView: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth};
    }"""

    def focused(self) -> dict | None:
        return self.page.evaluate(self.FOCUS)

    def assert_focus_visible(self) -> dict:
        focus = self.focused()
        assert focus is not None, f"focus was lost (on the body) at {self.page.url}"
        assert focus["outline"] or focus["shadow"], f"focus is not visible on {focus}"
        assert focus["inView"], f"the focused element is outside the screen: {focus}"
        return focus

    def assert_tab_reaches(self, field_id: str) -> None:
        """Someone who arrived by a link to a part of the page (#…) and presses Tab is at its form:
        the next focus is this field, with the focus shown."""
        self.page.keyboard.press("Tab")
        focus = self.assert_focus_visible()
        assert focus["id"] == field_id, f"Tab from {self.page.url} went to {focus}, not #{field_id}"

    def assert_tab_passes(self, *texts: str) -> None:
        """Pressing Tab goes, one press each, to the controls with these texts, with the focus shown."""
        for text in texts:
            self.page.keyboard.press("Tab")
            focus = self.assert_focus_visible()
            assert focus["text"] == text, f"Tab from {self.page.url} went to {focus}, not {text!r}"

    def assert_error_announced(self, selector: str, message: str | re.Pattern | None = None) -> str:
        """The control is tied to its error message (aria-describedby), the way a screen reader reads it."""
        described = self.page.evaluate("""(selector) => {
            const e = document.querySelector(selector);
            if (!e) return null;
            const ids = (e.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
            return {invalid: e.getAttribute('aria-invalid'),
                    errors: ids.map(id => document.getElementById(id)).filter(d => d && d.matches('.error'))
                               .map(d => d.innerText.trim())};
        }""", selector)
        assert described is not None, f"{selector} is not on {self.page.url}"
        assert described["errors"], f"{selector} has no error message tied to it with aria-describedby"
        text = " ".join(described["errors"])
        if message is not None:
            assert (message.search(text) if isinstance(message, re.Pattern) else message in text), text
        return text

    def assert_error_summary_has_focus(self) -> None:
        """After a failed submit the list of what to correct is announced (role=alert) and focused,
        so the next Tab goes to its first link."""
        summary = self.page.locator("#error-summary")
        expect(summary).to_have_attribute("role", "alert")
        expect(summary).to_be_focused()
        focus = self.assert_focus_visible()
        assert focus["id"] == "error-summary", focus


class Employee(Person):
    FIRST_NAMES = {"anna": "Anna", "erik": "Erik", "ulla": "Ulla", "sara": "Sara", "admin": "Adam"}

    def __init__(self, journey: Journey, username: str, phone: bool):
        super().__init__(journey, username, phone)
        self.username = username

    def logs_in(self, password: str = "demo"):
        self.open("/logga-in")
        self.field("Användarnamn").fill(self.username)
        self.field("Lösenord").fill(password)
        self.press("Logga in", shot="start")
        self.expect_heading(f"Hej {self.FIRST_NAMES[self.username]}")
        return self

    def opens_case(self, reference: str, shot: str | None = None) -> None:
        self.open(f"/arenden/{reference}", shot)
        self.expect_heading(reference)

    @property
    def todo(self) -> Locator:
        """The case page's "Att göra" panel: the moves this person may make now."""
        return self.page.get_by_role("complementary", name="Att göra")

    def opens_risk_assessment(self, reference: str) -> None:
        """Point 6 of the investigation: the risk that it happens again (investigators and the officer)."""
        self.opens_case(reference)
        self.follow(self.main.get_by_role("link", name="Bedöm risken"), shot="risk-form")
        self.expect_heading("Risk att det händer igen")

    def assesses_risk(self, probability: int, consequence: int, why: str, shot: str | None = None) -> None:
        """Fills in the open risk form and saves it; where it lands is for the caller to check."""
        self.main.get_by_role("group", name=re.compile("Sannolikhet")).get_by_label(
            re.compile(f"^{probability} – ")).check()
        self.main.get_by_role("group", name=re.compile("Konsekvens")).get_by_label(
            re.compile(f"^{consequence} – ")).check()
        self.field("Motivering").fill(why)
        self.press("Spara riskbedömningen", shot=shot)

    def makes_move(self, label: str, shot: str | None = None) -> None:
        self.follow(self.todo.get_by_role("link", name=label, exact=True), shot)

    def expect_status(self, status: str) -> None:
        expect(self.page.locator(".case-header")).to_contain_text(f"Status: {status}")


class Staff(Employee):
    """anna, medarbetare: files reports, follows them under Mina rapporter."""

    def _fills_common_report(self, what: str, categories: list[str]) -> None:
        self.field("Vad hände?").fill(what)
        for category in categories:
            self.field(category).check()

    def _receipt(self, kind_label: str) -> str:
        self.expect_heading("Tack! Din rapport är registrerad")
        expect(self.main).to_contain_text(kind_label)
        reference = self.main.locator(".receipt-reference").inner_text().strip()
        assert re.fullmatch(r"(LS|AV)-\d{4}-\d{4}", reference), reference
        return reference

    def staff_files_lex_sarah(self, what: str, categories: list[str], misconduct: bool = True) -> str:
        """From the start page, as on a phone in a corridor: the big button, the short form, the receipt."""
        self.follow(self.main.get_by_role("link", name="Gör en lex Sarah-rapport"), shot="lex-sarah-form")
        self._fills_common_report(what, categories)
        self.field("Ett missförhållande har inträffat" if misconduct
                   else "Det finns en påtaglig risk för ett missförhållande").check()
        self.press("Skicka lex Sarah-rapporten", shot="lex-sarah-receipt")
        return self._receipt("Lex Sarah-rapport")

    def staff_files_deviation(self, what: str, categories: list[str]) -> str:
        self.follow(self.main.get_by_role("link", name="Rapportera en avvikelse"), shot="deviation-form")
        self._fills_common_report(what, categories)
        self.press("Skicka rapporten", shot="deviation-receipt")
        return self._receipt("Avvikelse")

    def staff_reports_abuse(self, what: str, categories: list[str]) -> str:
        """A deviation whose category describes abuse, filed from the deviation form. Issue 13, point 12:
        before it is stored the reporter is asked whether it may be a missförhållande and takes the offer
        to report it as lex Sarah; returns the reference of the lex Sarah report filed."""
        self.follow(self.main.get_by_role("link", name="Rapportera en avvikelse"), shot="deviation-form")
        self._fills_common_report(what, categories)
        self.press("Skicka rapporten", shot="deviation-sent")
        self.answer_misconduct_nudge(what, categories, as_lex_sarah=True)
        return self._receipt("Lex Sarah-rapport")

    NUDGE_HEADING = "Kan detta vara ett missförhållande?"

    def answer_misconduct_nudge(self, what: str, categories: list[str], as_lex_sarah: bool) -> None:
        """Issue 13, point 12: a deviation with an abuse category is not stored at once; the question
        "Kan detta vara ett missförhållande?" is asked (nothing typed is lost) with "Rapportera som lex Sarah"
        / "Skicka som avvikelse ändå". As lex Sarah, the lex Sarah form follows with the text and categories
        carried over; the reporter says it is a missförhållande that has happened and sends it."""
        # The nudge landed (issue 13 point 12): the question is demanded, no longer answered "if shown".
        nudge = self.page.get_by_role("region", name=self.NUDGE_HEADING)
        expect(nudge.get_by_role("heading", name=self.NUDGE_HEADING)).to_be_visible()
        expect(nudge).to_be_focused()
        expect(self.field("Vad hände?")).to_have_value(what)
        if not as_lex_sarah:
            self.press(nudge.get_by_role("button", name="Skicka som avvikelse ändå"), shot="nudge-answered")
            return
        self.press(nudge.get_by_role("button", name="Rapportera som lex Sarah"), shot="nudge-answered")
        self.expect_heading("Lex Sarah-rapport")
        self.expect_flash("Det du skrev i avvikelsen finns nu här")
        expect(self.field("Vad hände?")).to_have_value(what)
        for category in categories:
            expect(self.field(category)).to_be_checked()
        self.field("Ett missförhållande har inträffat").check()
        self.press("Skicka lex Sarah-rapporten", shot="lex-sarah-receipt")

    def staff_reads_my_reports(self, reference: str) -> Locator:
        self.follow(self.menu_link("Mina rapporter"),
                    shot="my-reports")
        # The row whose link is the reference (a deviation's row names the lex Sarah report it became).
        row = self.main.get_by_role("row").filter(has=self.page.get_by_role("link", name=reference, exact=True))
        expect(row).to_have_count(1)
        return row


class Investigator(Employee):
    """erik (Vuxna) or ulla (Unga), utredare: works the queue of their units."""

    def investigator_finds_in_queue(self, reference: str, summary: str) -> None:
        self.follow(self.menu_link("Ärenden"),
                    shot="queue")
        card = self.main.locator(".case-card").filter(has_text=reference)
        expect(card).to_contain_text(summary[:40])
        self.follow(card.get_by_role("link", name=re.compile(reference)), shot="case")
        self.expect_heading(reference)

    def investigator_takes_case(self) -> None:
        self.press(self.todo.get_by_role("button", name="Tilldela mig"))
        self.expect_flash("Du är nu handläggare för ärendet.")

    def investigator_triages(self) -> None:
        """Beslut om utredning: the case is investigated."""
        self.press(self.todo.get_by_role("button", name="Inled utredning"))
        self.expect_flash("Utredningen är inledd.")
        self.expect_status("Under utredning")

    def investigator_records_protection(self, what: str, done_by: str) -> None:
        """Lex Sarah (issue 13): what was done at once to protect the individual, the first thing under
        "Att göra" until it is recorded; done today, by the person named."""
        self.makes_move("Registrera omedelbart skydd", shot="protection-form")
        self.expect_heading("Omedelbart skydd")
        self.field("Vad gjordes för att skydda den enskilde?").fill(what)
        expect(self.field("När")).to_have_value(today().isoformat())
        self.field("Av vem").fill(done_by)
        self.press("Spara")
        self.expect_flash("Det omedelbara skyddet är registrerat.")
        panel = self.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
        expect(panel).to_contain_text(what)
        expect(self.todo.get_by_role("link", name="Registrera omedelbart skydd")).to_have_count(0)

    def investigator_documents(self, source: str, text: str, fact: bool = True, point: int = 1) -> None:
        """One entry under a point of SOSFS 2011:5, 5 kap. (by default point 1: what happened and its
        consequences), from the case page."""
        self.follow(self.main.get_by_role("link", name=f"Lägg till en anteckning under punkt {point}"),
                    shot="entry-form" if point == 1 else None)
        expect(self.field("Avsnitt i utredningen")).to_have_value(RECORD_SECTIONS[point - 1])
        self.field("Källa").fill(source)
        self.field("Fakta" if fact else "Bedömning").check()
        self.field("Anteckning").fill(text)
        self.press("Spara anteckningen")
        self.expect_flash("Anteckningen är sparad.")
        expect(self.main).to_contain_text(text)

    def investigator_notes_nothing_to_record(self, point: int, reason: str) -> None:
        """Lex Sarah (issue 13): a point of the investigation with nothing to record says so, with a reason."""
        self.follow(self.main.get_by_role("link", name=f"Inget att anteckna under punkt {point}"))
        self.expect_heading("Inget att anteckna")
        self.field("Varför finns det inget att anteckna?").fill(reason)
        self.press("Spara")
        self.expect_flash("Punkten är markerad: inget att anteckna.")
        expect(self.main.locator(f"#avsnitt-{RECORD_SECTIONS[point - 1]} + .section-note")).to_contain_text(reason)

    def investigator_records_causes(self, reference: str, areas: list[str], text: str) -> None:
        """The causes of what happened (point 4): the areas and a description."""
        self.opens_case(reference)
        self.follow(self.main.get_by_role("link", name="Ange orsaker", exact=True), shot="causes-form")
        self.expect_heading("Orsaker")
        for area in areas:
            self.field(area).check()
        self.field("Orsakerna").fill(text)
        self.press("Spara orsakerna")
        self.expect_flash("Orsakerna är sparade.")
        expect(self.main).to_contain_text(text)

    def finishing_checklist(self) -> Locator:
        """Lex Sarah (issue 13): the case page's list of what finishing the investigation still needs,
        found the way a screen reader's list of regions finds it: by its role and its heading."""
        return self.main.get_by_role("region", name="Innan utredningen kan slutföras")

    def investigator_proposes_judgment(self, reference: str, rationale: str) -> None:
        """The investigation's proposal: misconduct, serious (the officer decides)."""
        self.open(f"/arenden/{reference}")
        self.follow(self.main.get_by_role("link", name="Föreslå bedömning"), shot="proposal")
        self.field("Ja, ett missförhållande").check()
        self.main.get_by_role("group", name=re.compile("2. Är missförhållandet")).get_by_label("Ja").check()
        self.field("Sammanfattande motivering").fill(rationale)
        self.press("Spara förslaget")
        self.expect_flash("Förslaget till bedömning är sparat.")

    def investigator_finishes_investigation(self, reference: str) -> None:
        self.opens_case(reference)
        self.makes_move("Slutför utredningen")
        self.press("Slutför utredningen")
        self.expect_flash("Utredningen är slutförd och väntar på lex Sarah-ansvarigas bedömning.")
        self.expect_status("Väntar på bedömning")

    def records_informing(self, reference: str, informed: list[str], not_applicable: dict[str, str],
                          already: tuple[str, ...] = ()) -> None:
        """Lex Sarah (issue 13): who was told, on the page "Information och återkoppling": each item in
        `informed` today, each of `not_applicable` not applicable with its reason; the items in `already`
        were settled before (feedback to the reporter fills in its item) and are checked, not touched."""
        self.opens_case(reference)
        panel = self.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
        self.follow(panel.get_by_role("link", name="Information och återkoppling"), shot="informing-form")
        self.expect_heading("Information och återkoppling")
        for item in already:
            expect(self.field(item)).to_have_value(today().isoformat())
        for item in informed:
            self.field(item).fill(today().isoformat())
        for item, reason in not_applicable.items():
            group = self.main.get_by_role("group", name=item)
            group.get_by_label("Inte aktuellt", exact=True).check()
            group.get_by_label("Varför inte aktuellt", exact=True).fill(reason)
        self.press("Spara")
        self.expect_flash("Uppgifterna om information och återkoppling är sparade.")
        self.opens_case(reference)
        expect(panel.locator("dt:text-is('Information och återkoppling') + dd")).to_have_text("Klart")

    def investigator_adds_action(self, reference: str, kind: str, description: str, due: date) -> None:
        """On the case page's actions panel (erik is responsible for it himself)."""
        self.opens_case(reference)
        panel = self.page.get_by_role("region", name="Åtgärder")
        adding = panel.locator("details").filter(has=self.page.locator("summary", has_text="Lägg till en åtgärd"))
        if adding.get_attribute("open") is None:  # folded away once the case has actions
            adding.locator("summary").click()
        panel.get_by_label("Typ av åtgärd").select_option(label=kind)
        panel.get_by_label("Beskrivning").fill(description)
        panel.get_by_label("Ansvarig").select_option(label="Erik Eriksson, Enhetschef")
        panel.get_by_label("Klart senast").fill(due.isoformat())
        self.press(panel.get_by_role("button", name="Lägg till åtgärden"))
        self.expect_flash(f"Åtgärden är tillagd: {kind}, ansvarig Erik Eriksson")

    def investigator_completes_and_follows_up_action(self, reference: str, kind: str, result: str) -> None:
        self.opens_case(reference)
        panel = self.page.get_by_role("region", name="Åtgärder")
        self.follow(panel.get_by_role("link", name=kind), shot="action")
        self.expect_heading(f"{kind} – {reference}")
        self.field("Genomförd").check()
        expect(self.field("Genomförd den")).to_have_value(today().isoformat())
        self.press("Spara status")
        self.expect_flash("Åtgärden är nu: Genomförd.")
        self.field("Ja, åtgärden fick avsedd effekt").check()
        self.field("Vad visade uppföljningen?").fill(result)
        self.press("Registrera uppföljningen", shot="action-followed-up")
        self.expect_flash("Uppföljningen är registrerad.")
        expect(self.main).to_contain_text(result)

    def investigator_closes_case(self, reference: str, summary: str) -> None:
        self.opens_case(reference)
        self.makes_move("Avsluta ärendet")
        self.field("Sammanfattning vid avslut").fill(summary)
        self.press("Avsluta ärendet", shot="closed")
        self.expect_flash("Ärendet är avslutat.")
        self.expect_status("Avslutad")

    def investigator_gives_feedback(self, reference: str, text: str) -> None:
        self.opens_case(reference)
        self.makes_move("Ge återkoppling")
        self.field("Återkoppling till den som rapporterade").fill(text)
        self.press("Skicka återkopplingen")
        self.expect_flash("Återkopplingen är sparad")

    def investigator_escalates_to_lex_sarah(self, reference: str, reason: str) -> str:
        """A deviation that turns out to be a missförhållande: a linked lex Sarah report; returns its reference."""
        self.opens_case(reference)
        self.makes_move("Gör en lex Sarah-rapport", shot="escalate-form")
        self.field("Det finns en påtaglig risk för ett missförhållande").check()
        self.field("Vad gör att det är ett missförhållande eller en påtaglig risk?").fill(reason)
        self.press("Gör lex Sarah-rapporten", shot="escalated")
        flash = self.page.locator(".flashes").inner_text()
        found = re.search(r"Lex Sarah-rapporten har diarienummer (LS-\d{4}-\d{4})", flash)
        assert found, flash
        return found.group(1)

    def investigator_answers_complaint(self, reference: str, answer: str) -> None:
        self.opens_case(reference, shot="complaint-case")
        self.makes_move("Registrera svar", shot="answer-form")
        self.field("Svaret till klaganden").fill(answer)
        expect(self.field("Datum då svaret lämnades")).to_have_value(today().isoformat())
        self.field("Bara på uppföljningssidan").check()
        self.press("Spara svaret", shot="answered")
        self.expect_flash("Svaret är registrerat.")
        self.expect_status("Besvarad")


class Officer(Investigator):
    """sara, lex Sarah-ansvarig: judges, notifies IVO (she may also document and assess risk)."""

    def officer_judges(self, reference: str, serious: bool | None, none_because: str = "",
                       rationale: str = "") -> None:
        """From the lex Sarah desk: confirm the investigation's proposal (serious misconduct), or judge
        that it was no misconduct (serious=None) with the reason why."""
        self.follow(self.menu_link("Lex Sarah"),
                    shot="desk")
        waiting = self.main.get_by_role("table", name="Rapporter som väntar på bedömning")
        self.follow(waiting.get_by_role("row").filter(has_text=reference).get_by_role("link", name="Bedöm"),
                    shot="judgment-form")
        q1 = self.main.get_by_role("group", name=re.compile("1. Har utredningen"))
        if serious is None:
            q1.get_by_label("Nej", exact=True).check()
            self.field("Motivering om svaret är nej").first.fill(none_because)
        else:
            # Filled in from the proposal; the officer confirms it.
            expect(q1.get_by_label("Ja, ett missförhållande")).to_be_checked()
            expect(self.main.get_by_role("group", name=re.compile("2. Är missförhållandet"))
                   .get_by_label("Ja")).to_be_checked()
        if rationale:
            self.field("Sammanfattande motivering").fill(rationale)
        self.press("Spara bedömningen", shot="judged")

    def officer_prepares_ivo_notification(self, reference: str, measures: str) -> None:
        """Step 1 and 2 on the notification page: the notification's own fields, then the document."""
        self.expect_heading("Anmälan till IVO")
        self.expect_flash("Bedömningen är sparad: allvarligt. Anmäl till IVO snarast")
        self.fill_notification_fields(measures, attached=True)
        # The printable document, every field filled from the case, marked as a draft.
        self.follow(self.main.get_by_role("link", name="Visa anmälan (utskriftsvänlig webbsida)"),
                    shot="notification-document")
        expect(self.main.locator(".draft")).to_contain_text("UTKAST Inte skickat till IVO")
        for text in (reference, "Allvarligt missförhållande", "Socialnämnden i Exempelby kommun", measures,
                     "SN 2026/17", "Polisanmälan"):
            expect(self.page.locator("body")).to_contain_text(text)
        self.page.go_back()
        self.arrive()
        pdf = self.main.get_by_role("link", name="Hämta anmälan som PDF").get_attribute("href")
        response = self.context.request.get(pdf)
        assert response.ok and response.headers["content-type"] == "application/pdf", response.headers
        assert response.body().startswith(b"%PDF"), response.body()[:20]

    def officer_answers_the_rest_of_ivos_form(self) -> None:
        """IVO's form field by field (issue 13 point 6): the motivation, the municipality, the place and the
        place at the signature come filled in; the kind of activity, the other reports, the informing and the
        nämnd's diarienummer are the officer's to give."""
        expect(self.field("Varför missförhållandet eller risken är allvarlig")).not_to_have_value("")
        expect(self.field("Kommun där verksamheten finns")).to_have_value("Exempelby")
        expect(self.field("Ort vid underskriften")).to_have_value("Exempelby")
        self.field("Typ av verksamhet").select_option(
            label="Insatser för personer med funktionsnedsättning enligt SoL (t.ex. boendestöd)")
        for question in ("Har händelsen polisanmälts?", "Har händelsen anmälts till någon annan myndighet?"):
            self.main.get_by_role("group", name=question).get_by_label("Nej", exact=True).check()
        self.main.get_by_role("group", name="Har den enskilde eller en företrädare informerats om anmälan?") \
            .get_by_label("Ja", exact=True).check()
        self.field("Datum då den enskilde eller företrädaren informerades").fill(today().isoformat())
        self.field("Nämndens diarienummer").fill("SN 2026/17")

    def fill_notification_fields(self, measures: str, attached: bool, expected_on: date | None = None) -> None:
        """Step 1 on the notification page: the notification's own fields, saved. Either the finished
        investigation goes with it (`attached`), or the date it will follow (within two months)."""
        step1 = self.main.get_by_role("region", name="1. Uppgifter i anmälan")
        # Filled in from the board's details and the case; the officer checks them.
        expect(step1.get_by_label("Verksamhet", exact=True)).not_to_have_value("")
        expect(step1.get_by_label("Undertecknas av", exact=True)).to_have_value("Sara Svensson")
        self.field("Kontaktperson").fill("Sara Svensson")
        self.field("Telefon").fill("010-123 45 67")
        self.field("Åtgärder som planeras").fill(measures)
        if attached:
            self.field("Utredningen är klar och bifogas anmälan").check()
        else:
            self.field("Annars: datum då utredningen skickas till IVO").fill(expected_on.isoformat())
        self.officer_answers_the_rest_of_ivos_form()  # the rest of IVO's form (issue 13 point 6)
        self.press("Spara uppgifterna", shot="notification")
        self.expect_flash("Uppgifterna till anmälan är sparade.")

    def officer_opens_notification(self, reference: str, shot: str | None = None) -> None:
        """The notification page from the case page's lex Sarah panel."""
        self.opens_case(reference)
        self.follow(self.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
                    .get_by_role("link", name="Anmälan till IVO"), shot=shot)
        self.expect_heading("Anmälan till IVO")

    def officer_follows_desk(self, table: str, reference: str, link: str, shot: str | None = None) -> None:
        """From the lex Sarah desk: the link in the row of `reference` in the table captioned `table`."""
        self.follow(self.menu_link("Lex Sarah"), shot="desk")
        row = self.main.get_by_role("table", name=table).get_by_role("row").filter(has_text=reference)
        self.follow(row.get_by_role("link", name=re.compile(f"^{re.escape(link)}")), shot=shot)

    def officer_answers_the_three_questions(self, reference: str, not_serious_harm_because: str,
                                            rationale: str, investigation: tuple[str, ...] = ()) -> None:
        """The judgment, answered by the officer herself from the desk: (1) a missförhållande; (2) the
        harm itself not serious, with why; (3) but a påtaglig risk of something serious: serious."""
        self.officer_follows_desk("Rapporter som väntar på bedömning", reference, "Bedöm", shot="judgment-form")
        self.expect_heading("Bedömning")
        self.expect_investigation_beside_questions(investigation)
        questions = self.main.locator(".question")
        q1 = self.main.get_by_role("group", name=re.compile("^1. Har utredningen"))
        q2 = self.main.get_by_role("group", name=re.compile("^2. Är missförhållandet"))
        q3 = self.main.get_by_role("group", name=re.compile("^3. Fanns det en påtaglig risk"))
        q1.get_by_label("Ja, ett missförhållande", exact=True).check()
        q2.get_by_label("Nej", exact=True).check()
        questions.nth(1).get_by_label("Motivering om svaret är nej").fill(not_serious_harm_because)
        q3.get_by_label("Ja", exact=True).check()
        self.field("Sammanfattande motivering").fill(rationale)
        self.press("Spara bedömningen", shot="judged")
        self.expect_heading("Anmälan till IVO")
        self.expect_flash("Bedömningen är sparad: allvarligt. Anmäl till IVO snarast")

    def expect_investigation_beside_questions(self, texts: tuple[str, ...]) -> None:
        """Issue 13, point 5: the judgment page shows the investigation (entries by section with their
        provenance, causes, risk) beside the three questions: at a desk the record is the left column and
        the questions the right, both starting at the same height; the way to the case page is kept."""
        # The judgment page with the investigation landed: each of `texts` (an entry, the causes, the risk)
        # is in the record on this page, next to the questions.
        expect(self.main.get_by_role("link", name=re.compile("^Till ärendet "))).to_be_visible()
        record = self.main.get_by_role("region", name="Utredningen", exact=True)
        for text in texts:
            expect(record).to_contain_text(text)
        expect(record.get_by_role("heading", name="Riskbedömning")).to_be_visible()
        questions = self.main.locator("#bedomningen")
        expect(questions.get_by_role("group", name=re.compile("^1. Har utredningen"))).to_be_visible()
        left, right = record.bounding_box(), questions.bounding_box()
        assert left and right, "the record or the questions are not on the page"
        assert left["x"] + left["width"] <= right["x"], f"the record {left} is not beside the questions {right}"
        assert abs(left["y"] - right["y"]) < 2, f"the columns do not start at the same height: {left} {right}"

    def officer_signs_notification(self) -> None:
        """Lex Sarah (issue 13): step 2 on the notification page, the notification finalised and signed,
        which freezes the document; only then can it be recorded as sent."""
        step3 = self.main.get_by_role("region", name="3. Registrera att anmälan är skickad")
        expect(step3).to_contain_text("Slutför och signera anmälan i steg 2 först.")
        self.press("Slutför och signera anmälan", shot="notification-signed")
        self.expect_flash("Anmälan är slutförd och signerad.")
        expect(self.main.get_by_role("region", name="2. Granska, slutför och signera")).to_contain_text(
            "Dokumentet är sparat och ändras inte längre.")

    def officer_records_notification_sent(self, via: str = "IVO:s e-tjänst") -> None:
        """Step 3: how (IVO:s e-tjänst or Post) and when the signed notification went to IVO; IVO's number
        comes later (issue 13)."""
        self.field(via).check()
        expect(self.field("Datum då den skickades")).to_have_value(today().isoformat())
        self.press("Registrera som skickad", shot="notified")
        self.expect_flash("Anmälan är registrerad som skickad.")
        expect(self.main).to_contain_text("Anmäld till IVO")
        expect(self.main).to_contain_text("Väntar på IVO:s bekräftelse")

    def officer_adds_ivo_reference(self, reference: str, ivo_reference: str) -> None:
        """IVO's confirmation has come: its number, on the notification page."""
        self.opens_case(reference)
        self.follow(self.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
                    .get_by_role("link", name="Anmälan till IVO"))
        self.expect_heading("Anmälan till IVO")
        form = self.main.get_by_role("region", name="IVO:s diarienummer")
        form.get_by_label("IVO:s diarienummer").fill(ivo_reference)
        self.press(form.get_by_role("button", name="Spara diarienumret"), shot="ivo-reference")
        self.expect_flash("IVO:s diarienummer är registrerat.")
        expect(self.main).to_contain_text("Anmäld till IVO")
        expect(self.main).to_contain_text(ivo_reference)
        expect(self.main).not_to_contain_text("Väntar på IVO:s bekräftelse")

    def officer_records_investigation_sent(self, reference: str) -> None:
        """The investigation went to IVO after the notification (within two months): from the desk's list
        of investigations due, recorded today on the notification page."""
        self.officer_follows_desk("Utredningar som ska skickas till IVO", reference, "Registrera",
                                  shot="investigation-due")
        # The desk's link leads to this part of the page. Since the investigation document landed, its two
        # links (to review it before it is sent) come first in the section, then the date to record.
        self.assert_tab_passes("som webbsida", "som PDF")
        self.assert_tab_reaches("inv-sent_on")
        section = self.main.get_by_role("region", name="Utredningen till IVO")
        expect(section).to_contain_text("Utredningen ska komma in till IVO senast")
        # The investigation document landed: "Utredning enligt lex Sarah" is reviewed here as a preview
        # before it is recorded as sent; recording it freezes it with its checksum.
        self.officer_reads_investigation_document(section, reference, frozen=False)
        expect(section.get_by_label("Datum då utredningen skickades till IVO")).to_have_value(today().isoformat())
        self.press(section.get_by_role("button", name="Registrera att utredningen är skickad"),
                   shot="investigation-sent")
        self.expect_flash("Att utredningen skickats till IVO är registrerat.")
        section = self.main.get_by_role("region", name="Utredningen till IVO")
        expect(section).to_contain_text(f"Utredningen skickades till IVO {today().isoformat()}.")
        expect(section).to_contain_text("Kontrollsumman stämmer.")
        # The checksum shown is that of the PDF IVO got, which is the one served from now on.
        shown = section.locator(".checksum code").inner_text().strip()
        pdf = self.context.request.get(section.get_by_role("link", name="som PDF").get_attribute("href"))
        assert pdf.ok and pdf.body().startswith(b"%PDF"), pdf.headers
        assert hashlib.sha256(pdf.body()).hexdigest() == shown, f"the PDF's SHA-256 is not {shown}"
        self.officer_reads_investigation_document(section, reference, frozen=True)

    def officer_reads_investigation_document(self, section: Locator, reference: str, frozen: bool) -> None:
        """Opens "Utredning enligt lex Sarah" as a web page from the notification page and comes back: a
        preview marked as such until it is sent to IVO, then the frozen copy without the mark."""
        self.follow(section.get_by_role("link", name="som webbsida"),
                    shot="investigation-document-sent" if frozen else "investigation-document")
        self.expect_heading("Utredning enligt lex Sarah")
        expect(self.main).to_contain_text(reference)
        if frozen:
            expect(self.main.locator(".draft")).to_have_count(0)
        else:
            expect(self.main.locator(".draft")).to_contain_text("FÖRHANDSVISNING")
        self.page.go_back()
        self.arrive()
        self.expect_heading("Anmälan till IVO")

    def officer_records_supplement_request(self, reference: str, due: date, what: str) -> None:
        """IVO asks for a supplement (komplettering) by a date: recorded on the notification page."""
        self.officer_opens_notification(reference)
        section = self.main.get_by_role("region", name="Komplettering som IVO begär")
        expect(section.get_by_label("IVO:s begäran kom")).to_have_value(today().isoformat())
        section.get_by_label("Senast", exact=True).fill(due.isoformat())
        section.get_by_label("Vad IVO vill ha in").fill(what)
        self.press(section.get_by_role("button", name="Registrera begäran"), shot="supplement-requested")
        self.expect_flash("IVO:s begäran om komplettering är registrerad.")
        section = self.main.get_by_role("region", name="Komplettering som IVO begär")
        expect(section).to_contain_text(f"senast {due.isoformat()}")
        expect(section).to_contain_text(what)

    def officer_records_supplement_reply(self, reference: str) -> None:
        """The supplement sent to IVO: from the desk's list of supplements IVO asked for."""
        self.officer_follows_desk("Kompletteringar som IVO begärt", reference, "Komplettering")
        # Since IVO may ask more than once, the reply names the request it answers: the first Tab is at the
        # open request (chosen already, the only one), the next at the date.
        self.assert_tab_reaches("reply-supplement_id-0")
        self.assert_tab_reaches("reply-answered_on")
        section = self.main.get_by_role("region", name="Komplettering som IVO begär")
        expect(section.get_by_role("group", name="Vilken begäran svarar kompletteringen på?")
               .get_by_role("radio")).to_be_checked()
        expect(section.get_by_label("Datum då kompletteringen skickades")).to_have_value(today().isoformat())
        self.press(section.get_by_role("button", name="Registrera att kompletteringen är skickad"),
                   shot="supplement-answered")
        self.expect_flash("Att kompletteringen skickats till IVO är registrerat.")
        expect(self.main.get_by_role("region", name="Komplettering som IVO begär")).to_contain_text(
            f"Kompletteringen skickades till IVO {today().isoformat()}.")

    def officer_records_ivo_decision(self, reference: str, outcome: str, text: str) -> None:
        """IVO's decision (Avslutat utan kritik, Kritik, Krav på åtgärder): from the desk's list of
        decisions awaited."""
        self.officer_follows_desk("Anmälda ärenden som väntar på IVO:s beslut", reference, "Registrera beslut")
        self.assert_tab_reaches("dec-outcome-0")
        section = self.main.get_by_role("region", name="IVO:s beslut")
        section.get_by_label("Beslutsdatum").fill(today().isoformat())
        section.get_by_label("Vad beslutet säger").fill(text)
        # Sent without saying what IVO decided: told next to the choice, nothing typed lost.
        self.press(section.get_by_role("button", name="Registrera IVO:s beslut"), shot="ivo-decision-errors")
        self.assert_error_summary_has_focus()
        self.assert_error_announced("fieldset:has(#dec-outcome-0)", "Välj vad IVO beslutade.")
        section = self.main.get_by_role("region", name="IVO:s beslut")
        expect(section.get_by_label("Vad beslutet säger")).to_have_value(text)
        section.get_by_role("group", name="IVO:s beslut").get_by_label(outcome, exact=True).check()
        self.press(section.get_by_role("button", name="Registrera IVO:s beslut"), shot="ivo-decision")
        self.expect_flash("IVO:s beslut är registrerat.")
        section = self.main.get_by_role("region", name="IVO:s beslut")
        expect(section).to_contain_text(outcome)
        expect(section).to_contain_text(text)

    def officer_closes_with_position(self, reference: str, reason: str, position: str) -> None:
        """The short investigation closed with the officer's ställningstagande (issue 13, point 1), from the
        case page's lex Sarah panel; the page lists nothing missing by then. First sent without a reason:
        told next to the field, the text kept."""
        self.opens_case(reference)
        self.follow(self.page.get_by_role("region", name="Lex Sarah: bedömning och IVO")
                    .get_by_role("link", name="Avsluta med ställningstagande"), shot="position-form")
        self.expect_heading("Avsluta med ställningstagande")
        expect(self.main).not_to_contain_text("Det här saknas innan rapporten kan avslutas")
        self.field("Ställningstagande").fill(position)
        self.press("Avsluta med ställningstagande", shot="position-errors")
        self.assert_error_summary_has_focus()
        self.assert_error_announced("fieldset:has(#reason-0)", "Välj skälet till ställningstagandet.")
        # With the keyboard: the summary's link to the choice, then Tab is on its first option.
        self.page.keyboard.press("Tab")
        expect(self.page.locator("#error-summary a")).to_be_focused()
        self.page.keyboard.press("Enter")
        self.assert_tab_reaches("reason-0")
        expect(self.field("Ställningstagande")).to_have_value(position)
        self.main.get_by_role("group", name="Skäl").get_by_label(reason, exact=True).check()
        self.press("Avsluta med ställningstagande", shot="position-closed")
        self.expect_flash("Utredningen är avslutad med ställningstagande.")
        self.expect_heading(reference)
        self.expect_status("Avslutad")
        expect(self.main).to_contain_text("Kort utredning avslutad med ställningstagande")

    def officer_closes_case(self, reference: str, summary: str) -> None:
        """Only the lex Sarah officer closes a lex Sarah report (issue 13); the same page as everyone's."""
        self.investigator_closes_case(reference, summary)

    def officer_hands_over_as_deviation(self, reference: str, reason: str) -> str:
        """A report judged "no misconduct" goes on as a deviation; returns the new deviation's reference."""
        self.opens_case(reference)
        self.makes_move("Överlämna som avvikelse", shot="hand-over-form")
        self.field("Varför ska händelsen hanteras som en avvikelse?").fill(reason)
        self.press("Överlämna", shot="handed-over")
        self.expect_flash("Lex Sarah-rapporten är avslutad och överlämnad som avvikelse.")
        self.expect_status("Avslutad")
        found = re.search(r"Avvikelsen har diarienummer (AV-\d{4}-\d{4})", self.page.locator(".flashes").inner_text())
        assert found, self.page.locator(".flashes").inner_text()
        expect(self.page.get_by_role("region", name="Överlämning mellan ärendetyper")).to_contain_text(found.group(1))
        return found.group(1)


class Admin(Employee):
    """admin, kvalitetsutvecklare: the board's details for IVO, and the statistics."""

    def admin_fills_in_board_details(self) -> None:
        """The board's name, organisation number and address, which every IVO notification carries."""
        self.open("/")
        self.follow(self.main.get_by_role("link", name="Uppgifter för anmälan till IVO"), shot="board-details")
        self.field("Nämndens namn").fill("Socialnämnden i Exempelby kommun")
        self.field("Organisationsnummer").fill("212000-0142")
        self.field("Postadress").fill("Box 100, 123 45 Exempelby")
        self.field("Kommun").fill("Exempelby")  # the notification's municipality and place at the signature
        self.press("Spara")
        self.expect_flash("Uppgifterna för anmälan till IVO är sparade.")

    def admin_reads_statistics(self, year: int, shot: str | None = None) -> dict[str, dict[str, list[str]]]:
        """The statistics page for a year: {table title: {row label: [cells]}}."""
        self.follow(self.menu_link("Statistik"))
        self.field("År").select_option(str(year))
        self.press("Visa", shot=shot)
        self.expect_heading("Statistik och kvalitetsberättelse")
        return self.page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('main table'))
            .map(t => [t.caption ? t.caption.childNodes[0].textContent.trim() : '',
                       Object.fromEntries(Array.from(t.tBodies[0].rows).map(r => [
                           r.cells[0].textContent.trim(),
                           Array.from(r.cells).slice(1).map(c => c.textContent.trim())]))]))""")


class Citizen(Person):
    """Someone without an account, on their phone: a client, a relative, anyone."""

    def citizen_files_complaint(self, what: str, department: str, name: str = "", email: str = "") -> tuple[str, str]:
        """Returns the reference and the personal follow-up code from the receipt."""
        self.open("/klagomal", shot="complaint-form" if name else "anonymous-complaint-form")
        self.field(department).check()
        self.field("Vad handlar det mest om?").select_option(label="Bemötande")
        self.field("Berätta vad som hänt").fill(what)
        if name:
            self.field("Ja, jag lämnar mitt namn och hur ni kan nå mig").check()
            self.field("Ditt namn").fill(name)
            expect(self.field("Jag vill ha ett svar")).to_be_checked()
            # Sent before saying how to be reached, and who they are: told what to correct, nothing lost.
            self.press("Skicka", shot="complaint-errors")
            self.assert_error_summary_has_focus()
            self.assert_error_announced("#email", "Ange minst ett sätt att nå dig")
            self.assert_error_announced("fieldset:has(> .choices #relation-0)")
            expect(self.field("Berätta vad som hänt")).to_have_value(what)
            self.field("E-post").fill(email)
            self.field("Jag är anhörig eller närstående").check()
        else:
            self.field("Nej, jag vill vara anonym. Då kan vi inte skicka något svar till dig.").check()
            self.field("Annat").check()
        self.press("Skicka", shot="complaint-receipt" if name else "anonymous-complaint-receipt")
        self.expect_heading("Tack! Vi har tagit emot ditt klagomål")
        reference = self.main.locator("#reference").inner_text().strip()
        code = self.main.locator("#code").inner_text().strip()
        assert re.fullmatch(r"KL-\d{4}-\d{4}", reference), reference
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
        return reference, code

    def citizen_follows_complaint(self, reference: str, code: str, shot: str | None = None) -> Locator:
        """The follow-up page, with the code typed as a person might: lower case, without dashes."""
        self.open("/klagomal/status")
        self.field("Diarienummer").fill(reference)
        self.field("Personlig kod").fill(code.replace("-", "").lower())
        self.press("Visa", shot=shot)
        return self.main


class KeyboardUser(Person):
    """Someone who uses only the keyboard: Tab, Shift+Tab, Enter, Space and typing. Never the mouse.

    Every time focus moves, the focused element must show it: an outline or a box shadow
    that is really drawn, on an element inside the viewport.
    """

    def tab_to(self, matches: Callable[[dict], bool], what: str, backwards: bool = False, limit: int = 60) -> dict:
        """Press Tab (or Shift+Tab) until the focused element matches; focus must show at every step."""
        seen = []
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            focus = self.assert_focus_visible()
            seen.append(focus["label"] or focus["text"] or focus["id"])
            if matches(focus):
                return focus
        raise AssertionError(f"Tab never reached {what} on {self.page.url}; focus went through {seen}")

    def tab_to_field(self, field_id: str, backwards: bool = False) -> dict:
        return self.tab_to(lambda f: f["id"] == field_id, f"the field #{field_id}", backwards)

    def tab_to_control(self, text: str, backwards: bool = False) -> dict:
        return self.tab_to(lambda f: f["text"] == text or f["label"] == text, f"“{text}”", backwards)

    def types(self, text: str) -> None:
        self.page.keyboard.type(text)

    def presses(self, key: str, shot: str | None = None, navigates: bool = True) -> None:
        if navigates:
            self.go(lambda: self.page.keyboard.press(key), shot)
        else:
            self.page.keyboard.press(key)
