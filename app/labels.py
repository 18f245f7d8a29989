"""The Swedish words for the state machine: what a refused move says.

(The msgids are Swedish; app/translations/en translates them.)
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# What a requirement in app.workflow means, for the message "”move” kräver först …".
REQUIREMENT_LABELS = {
    "not_investigate_reason": _l("ett skäl till beslutet att inte utreda"),
    "reopen_reason": _l("ett skäl till att ärendet öppnas igen"),
    "answer_recorded_or_not_wanted": _l("att klaganden har fått svar, eller inte vill eller kan få något svar"),
    "ivo_question_settled": _l("att frågan om anmälan till IVO är avgjord"),
    "not_yet_notified": _l("att ärendet inte redan är anmält till IVO"),
    "notified": _l("att ärendet är anmält till IVO"),
    "judged_none": _l("bedömningen att det inte är ett missförhållande"),
}


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
    }
    return messages.get(fact)


def refusal_for_unmet(unmet, **values) -> str | None:
    """The first unmet fact's own message, if it has one."""
    for fact in unmet:
        message = refusal_for_fact(fact, **values)
        if message is not None:
            return message
    return None
