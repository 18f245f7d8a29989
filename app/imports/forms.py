from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class ImportForm(FlaskForm):
    file = FileField(_l("CSV-fil"), validators=[FileRequired(_l("Välj en CSV-fil att importera."))],
                     render_kw={"accept": ".csv,text/csv"},
                     description=_l("UTF-8, med rubrikraden först. Filen kontrolleras i sin helhet: finns ett fel "
                                    "importeras ingenting."))
    create_units = BooleanField(_l("Skapa avdelningar och enheter som saknas"),
                                description=_l("Annars måste varje avdelning och enhet i filen redan finnas under "
                                               "Organisation."))
