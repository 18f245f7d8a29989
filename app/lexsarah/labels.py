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

# The kinds of activity on IVO's form (app.lexsarah.models.ACTIVITY_KINDS), grouped by act.
ACTIVITY_LABELS_SOL = {
    "ifo_children": _l("Individ- och familjeomsorg, barn och unga"),
    "ifo_adults": _l("Individ- och familjeomsorg, vuxna (t.ex. missbruk, ekonomiskt bistånd)"),
    "elderly_home": _l("Äldreomsorg, särskilt boende"),
    "elderly_home_care": _l("Äldreomsorg, hemtjänst"),
    "hvb": _l("Hem för vård eller boende (HVB)"),
    "supported_housing": _l("Stödboende"),
    "family_home": _l("Familjehem eller jourhem"),
    "disability_sol": _l("Insatser för personer med funktionsnedsättning enligt SoL (t.ex. boendestöd)"),
    "other_sol": _l("Annan verksamhet enligt SoL"),
}
ACTIVITY_LABELS_LSS = {
    "lss_housing_adults": _l("Bostad med särskild service för vuxna (LSS)"),
    "lss_housing_children": _l("Bostad med särskild service för barn eller ungdomar (LSS)"),
    "lss_daily_activity": _l("Daglig verksamhet (LSS)"),
    "lss_personal_assistance": _l("Personlig assistans (LSS)"),
    "lss_short_stay": _l("Korttidsvistelse utanför det egna hemmet (LSS)"),
    "lss_short_supervision": _l("Korttidstillsyn för skolungdom (LSS)"),
    "lss_companion": _l("Ledsagarservice, kontaktperson eller avlösarservice (LSS)"),
    "other_lss": _l("Annan insats enligt LSS"),
}
ACTIVITY_LABELS = {**ACTIVITY_LABELS_SOL, **ACTIVITY_LABELS_LSS}
ACTIVITY_REGI_LABELS = {
    "own": _l("Nämndens egen verksamhet"),
    "private": _l("Enskild verksamhet (privat utförare på uppdrag av nämnden)"),
}


def judgment_label(outcome: str | None, serious: bool | None) -> str:
    """"Missförhållande, allvarligt" and the like; empty when there is no outcome."""
    if outcome is None:
        return ""
    label = str(OUTCOME_LABELS[outcome])
    if outcome == "none" or serious is None:
        return label
    return f"{label}, {_l('allvarligt') if serious else _l('inte allvarligt')}"


