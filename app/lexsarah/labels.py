"""Swedish display names for the lex Sarah codes (translated lazily, so they work in templates and forms)."""

from flask_babel import lazy_gettext as _l

OUTCOME_LABELS = {
    "misconduct": _l("Missförhållande"),
    "risk": _l("Påtaglig risk för missförhållande"),
    "none": _l("Inget missförhållande"),
}
SENT_VIA_LABELS = {"e_service": _l("IVO:s e-tjänst"), "post": _l("Post")}
IVO_OUTCOME_LABELS = {
    "no_criticism": _l("Avslutat utan kritik"),
    "criticism": _l("Kritik"),
    "demands": _l("Krav på åtgärder"),
}
# The reasons the officer closes a short investigation with a ställningstagande (app.cases.models.POSITION_REASONS).
POSITION_REASON_LABELS = {
    "no_misconduct": _l("Inget missförhållande och ingen påtaglig risk för missförhållande"),
    "already_investigated": _l("Redan utredd i en annan rapport"),
    "not_own_service": _l("Gäller inte nämndens egen verksamhet"),
    "health_care": _l("Hälso- och sjukvård: lämnad till MAS (lex Maria)"),
}
INFORMING_LABELS = {
    "client": _l("Den enskilde har informerats"),
    "guardian": _l("Vårdnadshavare, god man eller förvaltare har informerats"),
    "case_file": _l("Händelsen är antecknad i den enskildes akt"),
    "reporter": _l("Rapportören har fått återkoppling"),
    "work_group": _l("Arbetsgruppen har fått återkoppling"),
}


def judgment_label(outcome: str | None, serious: bool | None) -> str:
    """"Missförhållande, allvarligt" and the like; empty when there is no outcome."""
    if outcome is None:
        return ""
    label = str(OUTCOME_LABELS[outcome])
    if outcome == "none" or serious is None:
        return label
    return f"{label}, {_l('allvarligt') if serious else _l('inte allvarligt')}"


