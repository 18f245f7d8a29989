"""The forms of the hand-overs between kinds."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.cases.casework.forms import CaseForm


class HandOverForm(CaseForm):
    reason = TextAreaField(_l("Varför ska händelsen hanteras som en avvikelse?"), render_kw={"rows": 5},
                           validators=[DataRequired(_l("Skriv varför händelsen ska hanteras som en avvikelse.")),
                                       Length(max=5000, message=_l("Texten får ha högst %(max)d tecken.",
                                                                   max=5000))],
                           description=_l("Skrivs in som sammanfattning när lex Sarah-rapporten avslutas."))


class EscalateForm(CaseForm):
    lex_sarah_type = RadioField(_l("Vad har kommit fram?"), choices=[
        ("misconduct", _l("Ett missförhållande har inträffat")),
        ("risk", _l("Det finns en påtaglig risk för ett missförhållande"))],
        validators=[InputRequired(_l("Välj om det är ett missförhållande eller en påtaglig risk för ett."))])
    reason = TextAreaField(_l("Vad gör att det är ett missförhållande eller en påtaglig risk?"),
                           render_kw={"rows": 5},
                           validators=[DataRequired(_l("Skriv vad som gör att det är ett missförhållande eller en "
                                                       "påtaglig risk.")),
                                       Length(max=5000, message=_l("Texten får ha högst %(max)d tecken.",
                                                                   max=5000))])
