"""Demo supervision cases for `flask demo cases` (app/demo_cases.py: STORY_BUILDERS): a few
IVO, Socialstyrelsen and JO cases in different states, made through the services with the
clock at each step, relative to today so that the desk and the start pages show a deadline
near, one past, a report-back due and cases decided and closed."""

from datetime import date, timedelta

from app.clock import today_local
from app.supervision import services
from app.workflow import Kind


def _register(d, who: str, *, authority: str, reference: str, subject: str, summary: str, units: list[str],
              origin: str = "initiative", authority_name: str = ""):
    return services.register(d.user(who), services.Registration(
        authority=authority, authority_name=authority_name, authority_reference=reference,
        letter_on=today_local(), subject=subject, summary=summary, unit_ids=[d.unit(name).id for name in units],
        origin=origin, board_reference=f"SN {today_local().year}/{len(summary)}"))


def _request(d, who: str, case, purpose: str, due_on: date, text: str):
    services.record_request(d.user(who), case.reference, purpose=purpose, requested_on=today_local(),
                            due_on=due_on, text=text, expected_version=case.version)


def _reply(d, who: str, case, signed_by: str, *, report_back: bool = False):
    open_ones = [r for r in case.supervision.requests if r.is_open and (r.purpose == "report_back") == report_back]
    services.record_reply(d.user(who), case.reference, request_id=open_ones[0].id, replied_on=today_local(),
                          channel="e_service", signed_by=signed_by, note="", expected_version=case.version)


def _decide(d, who: str, case, decision: str, text: str, report_back_on: date | None = None):
    services.record_decision(d.user(who), case.reference, decision=decision, decided_on=today_local(), text=text,
                             report_back_on=report_back_on, expected_version=case.version)


def stories(d):
    from app.demo_cases import Story, _backward, close, plan_action, take

    def story(label: str, days_ago: int):
        made = Story(label, d.rng(Kind.SUPERVISION.value, label))
        return made, made.state, _backward(d, days_ago)

    def due(days_from_today: int) -> date:
        return d.today + timedelta(days=days_from_today)

    # IVO inspected HVB Solrosen, asked for a statement, and demanded measures: the actions are
    # planned and the report-back is due in ten days (ulla's start page, sara's desk).
    hvb, s, at = story("supervision HVB", 95)
    hvb.on(at(0), lambda: setattr(s, "case", _register(
        d, "sara", authority="ivo", reference="3.5.1-21457/2025", subject="activity",
        summary="Inspektion av HVB Solrosen", units=["HVB Solrosen"])))
    hvb.on(at(1), lambda: take(d, "ulla", s.case))
    hvb.on(at(2), lambda: _request(d, "ulla", s.case, "statement", d.after(d.ago(93), 21),
                                   "Yttrande om bemanningen nattetid och rutinerna vid avvikelser."))
    hvb.on(at(16), lambda: _reply(d, "ulla", s.case, "Ulla Ullsson, enhetschef"))
    hvb.on(at(60), lambda: _decide(d, "ulla", s.case, "demands",
                                   "IVO kräver att nämnden säkerställer tillräcklig bemanning nattetid.",
                                   report_back_on=due(10)))

    class NightStaffing:  # what plan_action needs of a scenario
        action_type, action = "Ny rutin", "Bemanningsplan för nattetid på HVB Solrosen."
    hvb.on(at(62), lambda: plan_action(d, "ulla", s.case, NightStaffing, "ulla", due(5)))
    yield hvb

    # A complaint to IVO about the handling of a child's case: documents asked for, due in three days.
    child, s2, at2 = story("supervision individual case", 12)
    child.on(at2(0), lambda: setattr(s2, "case", _register(
        d, "sara", authority="ivo", reference="8.1-3301/2026", subject="individual_case",
        summary="Klagomål på handläggningen av en utredning", units=["Utredning barn och unga"],
        origin=Kind.COMPLAINT.value)))
    child.on(at2(1), lambda: _request(d, "sara", s2.case, "documents", due(3),
                                      "Kopia av utredningen och journalanteckningar."))
    yield child

    # Boendestöd: a request for information that is past its deadline, unassigned (erik's digest).
    late, s3, at3 = story("supervision overdue", 30)
    late.on(at3(0), lambda: setattr(s3, "case", _register(
        d, "erik", authority="ivo", reference="3.5.1-1190/2026", subject="activity",
        summary="Tillsyn av Boendestöd", units=["Boendestöd"])))
    late.on(at3(2), lambda: _request(d, "erik", s3.case, "information", d.ago(2),
                                     "Upplysningar om hur genomförandeplaner följs upp."))
    yield late

    # Socialstyrelsen's theme across Vuxna, closed without criticism.
    theme, s4, at4 = story("supervision theme", 300)
    theme.on(at4(0), lambda: setattr(s4, "case", _register(
        d, "sara", authority="socialstyrelsen", reference="SoS 4.2-777/2025", subject="theme",
        summary="Tematisk tillsyn av boendestöd och socialpsykiatri", units=["Boendestöd", "Socialpsykiatri"])))
    theme.on(at4(3), lambda: _request(d, "sara", s4.case, "information", d.after(d.ago(297), 30),
                                      "Enkät om stöd i boendet."))
    theme.on(at4(20), lambda: _reply(d, "erik", s4.case, "Erik Eriksson, enhetschef"))
    theme.on(at4(80), lambda: _decide(d, "sara", s4.case, "no_criticism", "Tillsynen avslutas utan kritik."))
    theme.on(at4(82), lambda: close(d, "sara", s4.case, "Avslutad utan kritik."))
    yield theme

    # JO criticised a delayed investigation in Vuxenstöd; closed.
    jo, s5, at5 = story("supervision JO", 420)
    jo.on(at5(0), lambda: setattr(s5, "case", _register(
        d, "sara", authority="jo", reference="JO 1234-2025", subject="individual_case",
        summary="JO:s granskning av en fördröjd utredning", units=["Vuxenstöd"])))
    jo.on(at5(40), lambda: _decide(d, "sara", s5.case, "criticism",
                                   "JO kritiserar nämnden för att ha dröjt med att utreda."))
    jo.on(at5(41), lambda: close(d, "sara", s5.case, "Kritiken har gåtts igenom med enheten."))
    yield jo
