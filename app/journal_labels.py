"""The Swedish words of the case journal's events: the vocabulary of app.cases.journal.

One registry for every feature that writes into a case's timeline (cases, lex Sarah,
actions, ...), so the journal and the conflict page show words, never a code.
"""

from flask_babel import lazy_gettext as _l

from app.supervision.labels import JOURNAL_EVENT_LABELS as SUPERVISION_EVENT_LABELS

# Every event any feature writes into a case's journal (app.cases.journal.add_event), so
# that nothing in a journal is ever shown as a bare code (tests/cases/test_journal_labels.py
# reads the source for every event written).
EVENT_LABELS = {
    "filed": _l("Ärendet registrerades"),
    "possible_misconduct": _l("Kan vara ett missförhållande (lex Sarah)"),
    "assigned": _l("Handläggare tilldelades"),
    "unassigned": _l("Handläggaren togs bort"),
    "disqualified": _l("Jäv anmäldes"),
    "concerned_staff_changed": _l("Berörd personal ändrades"),
    "triaged": _l("Beslut om utredning"),
    "position_recorded": _l("Avslutad med ställningstagande (lex Sarah)"),
    "position_proposed": _l("Förslag till ställningstagande (lex Sarah)"),
    "position_proposal_declined": _l("Förslaget till ställningstagande avböjt"),
    "protection_recorded": _l("Omedelbart skydd registrerat"),
    "section_nothing_to_record": _l("Inget att anteckna under en punkt i utredningen"),
    "triaged_investigate": _l("Beslut: utredning inleds"),
    "triaged_not_investigate": _l("Beslut att inte inleda utredning"),
    "entry_added": _l("Anteckning i utredningen"),
    "causes_and_risk_recorded": _l("Orsaker och risk bedömdes"),
    # One event for both (app.cases.investigation.services), told apart by its detail "what".
    "causes_and_risk_recorded_causes": _l("Orsakerna analyserades"),
    "causes_and_risk_recorded_risk": _l("Risken att det händer igen bedömdes"),
    "judgment_proposed": _l("Bedömning föreslogs"),
    "investigation_finished": _l("Utredningen slutfördes"),
    "judgment_recorded": _l("Bedömning registrerades"),
    "ivo_notified": _l("Anmälan till IVO"),
    "ivo_notification_finalised": _l("Anmälan till IVO slutförd och signerad"),
    "ivo_reference_recorded": _l("IVO:s diarienummer registrerat"),
    "ivo_supplement_requested": _l("IVO begärde komplettering"),
    "ivo_supplement_sent": _l("Komplettering skickad till IVO"),
    "reclassified": _l("Ärendetypen ändrades"),
    "handed_over": _l("Överlämnades som avvikelse"),
    "escalated": _l("En lex Sarah-rapport gjordes"),
    "answered": _l("Svar till klaganden registrerades"),
    "acknowledged": _l("Klagomålet bekräftades"),
    "feedback_given": _l("Återkoppling till rapportören"),
    "reporter_added_information": _l("Rapportören lade till information"),
    "closed": _l("Ärendet avslutades"),
    "reopened": _l("Ärendet öppnades igen"),
    "case_linked": _l("Ett liknande ärende kopplades"),
    "case_unlinked": _l("Kopplingen till ett liknande ärende togs bort"),
    # lex Sarah (app.lexsarah)
    "ivo_draft_saved": _l("Utkast till anmälan till IVO sparades"),
    "ivo_not_notified": _l("Beslut att inte anmäla till IVO"),
    "ivo_investigation_sent": _l("Utredningen skickades till IVO"),
    "ivo_decision": _l("IVO:s beslut registrerades"),
    "ivo_demands_measures": _l("IVO kräver åtgärder"),
    "informing_recorded": _l("Information till berörda registrerades"),
    # actions (app.actions)
    "action_added": _l("Åtgärd tillagd"),
    "action_updated": _l("Åtgärd ändrad"),
    "action_started": _l("Åtgärd påbörjad"),
    "action_completed": _l("Åtgärd genomförd"),
    "action_cancelled": _l("Åtgärd avbruten"),
    "action_followed_up": _l("Åtgärd uppföljd"),
    "closed_with_open_actions": _l("Avslutat med öppna åtgärder"),
    # supervision cases (app.supervision)
    **SUPERVISION_EVENT_LABELS,
}


def event_label(event) -> str:
    """The Swedish words for a journal event; triage says which way it went."""
    if event.event == "triaged":
        decision = (event.detail or {}).get("decision")
        return str(EVENT_LABELS.get(f"triaged_{decision}", EVENT_LABELS["triaged"]))
    if event.event == "causes_and_risk_recorded":
        what = (event.detail or {}).get("what")
        return str(EVENT_LABELS.get(f"causes_and_risk_recorded_{what}", EVENT_LABELS["causes_and_risk_recorded"]))
    return str(EVENT_LABELS.get(event.event, event.event))
