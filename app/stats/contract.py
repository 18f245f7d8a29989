"""The statistics contract's own keys and words (docs/statistics.md), kept apart from
app/labels.py on purpose: these are the words of the quality report's tables and sentences.
"""

from flask_babel import lazy_gettext as _l

from app.workflow import Kind

TREND_YEARS = 5

# The channels as a list in running text names them after "via": "via brev (10), webbformuläret (8) och IVO (6)".
CHANNEL_NAMES = {"web": _l("webbformuläret"), "email": _l("e-post"), "letter": _l("brev"), "phone": _l("telefon"),
                 "visit": _l("besök"), "ivo": _l("IVO")}
CHANNEL_LABELS = {"web": _l("Webbformuläret"), "email": _l("E-post"), "letter": _l("Brev"),
                  "phone": _l("Telefon"), "visit": _l("Besök"), "ivo": _l("Via IVO")}
GENDER_LABELS = {"female": _l("Kvinna eller flicka"), "male": _l("Man eller pojke"), "other": _l("Annat"),
                 "unknown": _l("Okänt")}
OUTCOME_LABELS = {"misconduct": _l("Missförhållande"), "risk": _l("Påtaglig risk för missförhållande"),
                  "none": _l("Inget missförhållande")}
MEASURE_LABELS = {"lex_sarah_to_judgment": _l("Lex Sarah: från rapport till bedömning"),
                  "lex_sarah_to_ivo": _l("Lex Sarah: från rapport till anmälan till IVO"),
                  "complaint_to_answer": _l("Klagomål: från att klagomålet kom in till svar")}
KIND_PLURALS = {Kind.DEVIATION: _l("Avvikelser"), Kind.COMPLAINT: _l("Synpunkter och klagomål"),
                Kind.LEX_SARAH: _l("Lex Sarah-rapporter")}
KIND_KEYS = {Kind.DEVIATION: "deviations", Kind.COMPLAINT: "complaints", Kind.LEX_SARAH: "lex_sarah"}
# The sections that take an analysis and an improvement-work text, and the chapter each is printed in.
SECTION_CHAPTERS = {"lex_sarah": "lex_sarah", "deviations": "deviations", "complaints": "complaints",
                    "supervision": "supervision", "actions": "actions"}
SECTION_LABELS = {"lex_sarah": _l("Lex Sarah"), "deviations": _l("Avvikelser"),
                  "complaints": _l("Synpunkter och klagomål"), "supervision": _l("Tillsyn"), "actions": _l("Åtgärder")}
TEXT_HEADINGS = {"analysis": _l("Analys"), "improvement": _l("Förbättringsarbete")}
REASON_LABELS = {
    "not_caused_by_service": _l("Inte orsakad av brister i verksamheten"),
    "not_own_service": _l("Annan verksamhet"), "already_investigated": _l("Redan utredd"),
    "no_misconduct": _l("Inte ett missförhållande"), "health_care": _l("Hälso- och sjukvård"),
}
IVO_DECISION_LABELS = {"no_criticism": _l("Avslutat utan kritik"), "criticism": _l("Kritik"),
                       "demands": _l("Krav på åtgärder")}
FOLLOW_UP_LABELS = {"yes": _l("Hade effekt"), "partly": _l("Hade delvis effekt"), "no": _l("Hade ingen effekt")}
# Short names for the tables, for the sheets of the XLSX (Excel allows 31 characters).
SHEET_NAMES = {
    "trend": _l("Fem år"), "departments": _l("Per avdelning"), "complaints": _l("Klagomål"),
    "complaint_channels": _l("Klagomål per kanal"), "complaint_categories": _l("Klagomål per kategori"),
    "deviations": _l("Avvikelser"), "deviation_categories": _l("Avvikelser per kategori"),
    "lex_sarah_comparison": _l("Lex Sarah, två år"), "lex_sarah": _l("Lex Sarah"),
    "lex_sarah_categories": _l("Lex Sarah per kategori"), "actions": _l("Åtgärder"), "client_gender": _l("Kön"),
    "median_days": _l("Handläggningstider"),
    "lex_sarah_reasons": _l("Lex Sarah, ej utredda"), "deviation_reasons": _l("Avvikelser, ej utredda"),
    "ivo_decisions": _l("Beslut från IVO"), "action_effect": _l("Effekt av åtgärder"),
    "client_gender_by_kind": _l("Kön per ärendetyp"),
    "lex_sarah_category_trend": _l("Lex Sarah, kategorier 5 år"),
    "deviation_category_trend": _l("Avvikelser, kategorier 5 år"),
    "complaint_category_trend": _l("Klagomål, kategorier 5 år"),
}
# The yearly series of `trend` and `change`, each the `received` of one kind. A new kind adds its line here.
TREND_KINDS = {"deviations": Kind.DEVIATION, "complaints": Kind.COMPLAINT, "lex_sarah": Kind.LEX_SARAH}
