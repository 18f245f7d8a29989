from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.actions.forms import SwedishDateField


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class TokenForm(FlaskForm):
    user_id = SelectField(_l("Användare"), coerce=_optional_int,
                          validators=[DataRequired(_l("Välj en aktiv användare i listan."))],
                          description=_l("Nyckeln får samma behörighet som personen."))
    name = StringField(_l("Används till"), validators=[DataRequired(_l("Ange vad nyckeln ska användas till.")),
                                                       Length(max=100, message=_l("Högst 100 tecken."))],
                       description=_l("Till exempel ”Kvalitetsberättelsen i kommunens rapportverktyg”."))
    expires_on = SwedishDateField(
        _l("Giltig till och med"),
        description=_l("ÅÅÅÅ-MM-DD, valfritt. Utan datum gäller nyckeln tills den återkallas."))
