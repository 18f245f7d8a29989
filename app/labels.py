"""The Swedish words for the state machine: kinds, statuses, moves, requirements, and
what a refused move says. The one place they are written (app.workflow is pure and has
no words); every page, form and e-mail takes them from here.

(The msgids are Swedish; app/translations/en translates them.)
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.workflow import Kind, Status

# One case of the kind ("Avvikelse AV-2026-0001").
KIND_LABELS = {
    Kind.DEVIATION: _l("Avvikelse"),
    Kind.LEX_SARAH: _l("Lex Sarah-rapport"),
    Kind.COMPLAINT: _l("Klagomål"),
    Kind.SUPERVISION: _l("Tillsynsärende"),
}
# The kind as a list of things (the category lists per kind).
KIND_LIST_LABELS = {
    Kind.DEVIATION: _l("Avvikelser"),
    Kind.LEX_SARAH: _l("Lex Sarah"),
    Kind.COMPLAINT: _l("Klagomål och synpunkter"),
    Kind.SUPERVISION: _l("Tillsynsärenden"),
}
# Inside a Swedish sentence of a notice ("En ny avvikelse har kommit in"); e-mails are Swedish.
KIND_WORDS_SV = {Kind.DEVIATION: "avvikelse", Kind.LEX_SARAH: "lex Sarah-rapport", Kind.COMPLAINT: "klagomål",
                 Kind.SUPERVISION: "tillsynsärende"}

# In flow order (app.workflow.Status).
STATUS_LABELS = {
    Status.RECEIVED: _l("Mottagen"),
    Status.INVESTIGATING: _l("Under utredning"),
    Status.AWAITING_JUDGMENT: _l("Väntar på bedömning"),
    Status.JUDGED: _l("Bedömd"),
    Status.ANSWERED: _l("Besvarad"),
    Status.ANSWERING: _l("Besvaras"),
    Status.AWAITING_DECISION: _l("Väntar på myndighetens beslut"),
    Status.DECIDED: _l("Beslut fattat"),
    Status.CLOSED: _l("Avslutad"),
}

# Every move of app.workflow.MOVES.
MOVE_LABELS = {
    "record_protection": _l("Registrera omedelbart skydd"),
    "triage_investigate": _l("Inled utredning"),
    "triage_not_investigate": _l("Beslut att inte inleda utredning"),
    "close_with_position": _l("Avsluta med ställningstagande"),
    "propose_position": _l("Föreslå ställningstagande"),
    "decline_position_proposal": _l("Avböj förslaget till ställningstagande"),
    "assign": _l("Tilldela handläggare"),
    "declare_disqualified": _l("Anmäl jäv"),
    "set_concerned_staff": _l("Ändra berörd personal"),
    "add_entry": _l("Dokumentera i utredningen"),
    "link_case": _l("Koppla ett liknande ärende"),
    "record_causes_and_risk": _l("Ange orsaker och risk för upprepning"),
    "give_feedback": _l("Ge återkoppling"),
    "add_reporter_information": _l("Lägg till information"),
    "add_action": _l("Lägg till åtgärd"),
    "acknowledge": _l("Registrera mottagningsbekräftelse"),
    "propose_judgment": _l("Föreslå bedömning"),
    "finish_investigation": _l("Slutför utredningen"),
    "record_judgment": _l("Registrera bedömning"),
    "save_ivo_draft": _l("Fyll i anmälan till IVO"),
    "finalise_notification": _l("Slutför och signera anmälan"),
    "notify_ivo": _l("Anmäl till IVO"),
    "record_ivo_decision_not_to_notify": _l("Motivera varför IVO inte underrättas"),
    "record_investigation_sent": _l("Registrera att utredningen är skickad"),
    "record_ivo_decision": _l("Registrera IVO:s beslut"),
    "record_ivo_reference": _l("Registrera IVO:s diarienummer"),
    "record_supplement_request": _l("Registrera IVO:s begäran om komplettering"),
    "record_supplement_reply": _l("Registrera att kompletteringen är skickad"),
    "record_informing": _l("Information och återkoppling"),
    "hand_over_to_deviation": _l("Överlämna som avvikelse"),
    "escalate_to_lex_sarah": _l("Gör en lex Sarah-rapport"),
    "record_answer": _l("Registrera svar"),
    "record_supervision_request": _l("Registrera begäran från myndigheten"),
    "extend_supervision_deadline": _l("Registrera förlängd svarstid"),
    "record_supervision_reply": _l("Registrera nämndens svar"),
    "await_supervision_decision": _l("Invänta myndighetens beslut"),
    "record_supervision_decision": _l("Registrera myndighetens beslut"),
    "record_report_back": _l("Registrera redovisningen av åtgärderna"),
    "close": _l("Avsluta ärendet"),
    "reopen": _l("Återöppna ärendet"),
}


def status_label(status) -> str:
    """The status in words, or the value itself for one the machine does not know."""
    try:
        return str(STATUS_LABELS[Status(status)])
    except ValueError:
        return str(status)

# What a requirement in app.workflow means, for the message "”move” kräver först …".
REQUIREMENT_LABELS = {
    "not_investigate_reason": _l("ett skäl till beslutet att inte utreda"),
    "reopen_reason": _l("ett skäl till att ärendet öppnas igen"),
    "answer_recorded_or_not_wanted": _l("att klaganden har fått svar, eller inte vill eller kan få något svar"),
    "ivo_question_settled": _l("att frågan om anmälan till IVO är avgjord"),
    "not_yet_notified": _l("att ärendet inte redan är anmält till IVO"),
    "notified": _l("att ärendet är anmält till IVO"),
    "judged_none": _l("bedömningen att det inte är ett missförhållande"),
    "report_back_settled": _l("att myndighetens beslut är registrerat och åtgärderna redovisade"),
    "position_reason": _l("ett skäl till ställningstagandet"),
    "short_investigation_documented": _l("anteckningar i utredningen under avsnitt 1 (vad som har hänt) och "
                                         "avsnitt 9 (beslutet)"),
    "informed_client": _l("uppgift om att den enskilde har informerats, eller varför det inte är aktuellt"),
    "informed_guardian": _l("uppgift om att vårdnadshavare, god man eller förvaltare har informerats, eller "
                            "varför det inte är aktuellt"),
    "informed_case_file": _l("uppgift om att händelsen är antecknad i den enskildes akt, eller varför det inte "
                             "är aktuellt"),
    "informed_reporter": _l("uppgift om att rapportören har fått återkoppling, eller varför det inte är aktuellt"),
    "informed_work_group": _l("uppgift om att arbetsgruppen har fått återkoppling, eller varför det inte är "
                              "aktuellt"),
    "investigation_sent_if_notified": _l("att utredningen har skickats till IVO"),
    "record_sections_addressed": _l("en anteckning eller ”inget att anteckna” med skäl under var och en av de nio "
                                    "punkterna"),
    "causes_recorded": _l("orsakerna"),
    "risk_assessed": _l("riskbedömningen"),
    # What finalising the notification to IVO needs (workflow.NOTIFICATION_COMPLETE).
    "draft_saved": _l("att anmälans uppgifter är ifyllda och sparade"),
    "provider_complete": _l("nämndens namn, organisationsnummer och adress (Uppgifter för anmälan till IVO)"),
    "seriousness_motivated": _l("en motivering till varför missförhållandet eller risken är allvarlig"),
    "activity_described": _l("verksamhetens art, regi, kommun och plats"),
    "other_reports_stated": _l("uppgift om polisanmälan och anmälan till annan myndighet"),
    "client_informing_stated": _l("uppgift om den enskilde eller en företrädare har informerats"),
    "client_identity_settled": _l("den enskildes identitet i anmälan, eller skälet till att den inte tas med"),
    "board_reference_recorded": _l("nämndens diarienummer"),
    "signature_place_recorded": _l("orten vid underskriften"),
}


def requirements_message(move: str, unmet) -> str:
    """"”Avsluta ärendet” kräver först …", listing every unmet requirement."""
    needs = "; ".join(str(REQUIREMENT_LABELS.get(r, r)) for r in unmet)
    return _("”%(move)s” kräver först %(needs)s.", move=MOVE_LABELS.get(move, move), needs=needs)


def refusal_for_fact(fact: str, *, escalated_to: str | None = None) -> str | None:
    """The whole message for a move refused because `fact` is false, where one sentence says
    it better than "kräver först …"; None for the others."""
    messages = {
        "has_reporter": _("Ärendet har ingen rapportör i Värna att återkoppla till."),
        "not_yet_escalated": _("Ärendet har redan blivit en lex Sarah-rapport (%(ref)s).", ref=escalated_to or "–"),
        "has_entries": _("Utredningen har inga anteckningar än. Dokumentera utredningen innan du slutför den."),
        "acknowledgement_owed": _("Klagomålet behöver ingen mottagningsbekräftelse nu."),
        "judged_serious": _("Bara en bedömning som allvarlig behöver ett ställningstagande om anmälan till IVO."),
        "ivo_undecided": _("Ställningstagandet om IVO är redan registrerat."),
        "investigation_not_sent": _("Att utredningen skickats till IVO är redan registrerat."),
        "ivo_decision_pending": _("IVO:s beslut är redan registrerat."),
        "request_open": _("Det finns ingen obesvarad begäran från myndigheten."),
        "requests_answered": _("Besvara myndighetens öppna begäran först."),
        "report_back_owed": _("Det finns ingen redovisning av åtgärder att registrera."),
        "protection_not_recorded": _("Det omedelbara skyddet är redan registrerat."),
        "not_yet_finalised": _("Anmälan är redan slutförd och signerad. Den kan inte ändras längre."),
        "notification_finalised": _("Slutför och signera anmälan först: det är den signerade anmälan som skickas."),
        "draft_saved": _("Fyll i och spara anmälans uppgifter först."),
        "ivo_reference_missing": _("IVO:s diarienummer är redan registrerat."),
        "supplement_awaiting_reply": _("Det finns ingen obesvarad begäran om komplettering från IVO."),
        "no_position_proposed": _("Det finns redan ett förslag till ställningstagande som väntar på lex "
                                  "Sarah-ansvarigs beslut."),
        "position_proposed": _("Det finns inget förslag till ställningstagande att avböja."),
    }
    return messages.get(fact)


def refusal_for_unmet(unmet, **values) -> str | None:
    """The first unmet fact's own message, if it has one."""
    for fact in unmet:
        message = refusal_for_fact(fact, **values)
        if message is not None:
            return message
    return None
