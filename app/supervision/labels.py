"""The Swedish words of a supervision case (the msgids are Swedish; en/ translates them)."""

from flask_babel import lazy_gettext as _l

from app.workflow import Kind

AUTHORITY_LABELS = {
    "ivo": _l("IVO"),
    "socialstyrelsen": _l("Socialstyrelsen"),
    "jo": _l("JO"),
    "other": _l("Annan myndighet"),
}
SUBJECT_LABELS = {
    "activity": _l("En verksamhet eller enhet (t.ex. inspektion av ett HVB)"),
    "individual_case": _l("Handläggningen av en enskilds ärende"),
    "theme": _l("Ett tema över flera enheter"),
}
ORIGIN_LABELS = {
    "initiative": _l("Myndighetens eget initiativ eller inspektion"),
    Kind.COMPLAINT.value: _l("Ett klagomål till myndigheten"),
    Kind.LEX_SARAH.value: _l("En lex Sarah-anmälan"),
}
PURPOSE_LABELS = {
    "statement": _l("Yttrande"),
    "documents": _l("Handlingar"),
    "information": _l("Upplysningar"),
    "report_back": _l("Redovisning av åtgärder"),
}
CHANNEL_LABELS = {
    "e_service": _l("Myndighetens e-tjänst"),
    "email": _l("E-post"),
    "letter": _l("Brev"),
}
DECISION_LABELS = {
    "no_criticism": _l("Avslutat utan kritik"),
    "criticism": _l("Kritik"),
    "demands": _l("Krav på åtgärder"),
    "injunction": _l("Föreläggande"),
}
# The case journal (app/cases/casework/forms.py: EVENT_LABELS takes these).
JOURNAL_EVENT_LABELS = {
    "supervision_request": _l("Begäran från myndigheten registrerades"),
    "supervision_extended": _l("Myndigheten förlängde svarstiden"),
    "supervision_reply": _l("Nämndens svar registrerades"),
    "supervision_all_answered": _l("Allt som myndigheten begärt är besvarat; ärendet väntar på beslut"),
    "supervision_decision": _l("Myndighetens beslut registrerades"),
    "supervision_report_back": _l("Redovisningen av åtgärderna registrerades"),
}
