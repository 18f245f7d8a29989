"""Issue 4's "done when", as a new user would go through it, every step through HTTP:
erik finds anna's deviation in his queue, takes it, investigates with entries, causes and
risk, gives feedback and closes it, and anna reads the feedback; a lex Sarah report goes
from triage through its record and the officer's judgment "none" to a new deviation."""

import re

from app.clock import today_local, utcnow
from tests.cases.helpers import file_case, reload, version_on
from tests.lexsarah.helpers import NONE, inform_all, judge

TODAY = today_local().isoformat()


def _form_version(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return version_on(response.get_data(as_text=True))


def _post(client, url, **data):
    response = client.post(url, data={"version": _form_version(client, url), **data})
    assert response.status_code == 302, (url, response.status_code, response.get_data(as_text=True)[-2000:])
    return response


def test_erik_investigates_annas_deviation_and_anna_reads_the_feedback(login_as):
    deviation = file_case("deviation", categories=("Utebliven insats",), summary="Kvällsbesöket uteblev")
    erik, anna = login_as("erik"), login_as("anna")
    base = f"/arenden/{deviation.reference}"

    assert deviation.reference in erik.get("/arenden").get_data(as_text=True)
    page = erik.get(base).get_data(as_text=True)
    assert erik.post(f"{base}/ta", data={"version": version_on(page)}).status_code == 302
    erik.post(f"{base}/beslut-om-utredning", data={"version": reload(deviation).version, "decision": "investigate"})
    _post(erik, f"{base}/utredning/anteckning", entry_date=TODAY, source="Samtal med personalen",
          nature="fact", text="Schemat hade inte uppdaterats efter en sjukanmälan.")
    _post(erik, f"{base}/utredning/anteckning", entry_date=TODAY, source="Enhetschefens bedömning",
          nature="assessment", text="Rutinen för schemaändringar är otydlig.")
    _post(erik, f"{base}/utredning/orsaker", areas=["processes", "communication"],
          text="Ingen rutin för att föra över sjukanmälningar till kvällens schema.")
    _post(erik, f"{base}/utredning/risk", probability="3", consequence="2",
          text="Det kan hända vid nästa sjukanmälan.")
    _post(erik, f"{base}/aterkoppling", text="Tack för rapporten. Vi inför en rutin för schemaändringar.")
    _post(erik, f"{base}/avsluta", summary="Utrett; ny rutin för schemaändringar.")

    deviation = reload(deviation)
    assert (deviation.status, deviation.assigned_to.username) == ("closed", "erik")
    page = erik.get(base).get_data(as_text=True)
    assert "Anteckning 2" in page and "Processer, rutiner och riktlinjer" in page
    assert re.search(r"konsekvens 2 =\s*<strong>6</strong>", page) and "Måttlig risk" in page
    events = [e.event for e in deviation.journal]
    assert events[:3] == ["filed", "assigned", "triaged"] and events[-2:] == ["feedback_given", "closed"]
    assert events.count("entry_added") == 2
    assert "Vi inför en rutin för schemaändringar" in anna.get("/mina-rapporter").get_data(as_text=True)


def test_a_lex_sarah_report_is_investigated_judged_none_and_handed_over_as_a_deviation(login_as):
    report = file_case("lex_sarah", categories=("Dokumentation",), summary="Signeringslistan saknades")
    erik, sara = login_as("erik"), login_as("sara")
    base = f"/arenden/{report.reference}"

    erik.post(f"{base}/beslut-om-utredning", data={"version": reload(report).version, "decision": "investigate"})
    for section in ("what_happened", "came_to_attention", "when_happened", "causes", "decision"):
        _post(erik, f"{base}/utredning/anteckning?avsnitt={section}", section=section, entry_date=TODAY,
              source="Samtal", nature="fact", text=f"Om {section}.")
    for section in ("happened_before", "could_recur", "measures", "other"):
        with_version = {"version": _form_version(erik, f"/lex-sarah/{report.reference}/utredning/{section}/"
                                                       "inget-att-anteckna")}
        assert erik.post(f"/lex-sarah/{report.reference}/utredning/{section}/inget-att-anteckna",
                         data={**with_version, "reason": "Inget har framkommit."}).status_code == 302
    _post(erik, f"{base}/utredning/orsaker", areas=["processes"], text="Signeringslistan hade inte skrivits ut.")
    _post(erik, f"{base}/utredning/risk", probability="2", consequence="2", text="Kan hända igen.")
    _post(erik, f"{base}/utredning/slutfor")
    assert reload(report).status == "awaiting_judgment"
    assert report.reference in sara.get("/lex-sarah").get_data(as_text=True)
    judge(reload(report), NONE)  # the officer's judgment belongs to app.lexsarah, tested there
    inform_all(reload(report), at=utcnow())  # so does informing, which must be settled before the report closes
    _post(sara, f"{base}/overlamna-som-avvikelse", reason="Inget missförhållande; hanteras som avvikelse.")

    report = reload(report)
    assert (report.status, report.handover) == ("closed", "to_deviation")
    page = sara.get(base).get_data(as_text=True)
    new_reference = re.search(r'Överlämnat för att hanteras som avvikelse:\s*<a href="/arenden/(AV-[0-9-]+)"',
                              page).group(1)
    assert new_reference in erik.get("/arenden").get_data(as_text=True), "the deviation is in the unit's queue"
