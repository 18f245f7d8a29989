from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class ImportForm(FlaskForm):
    file = FileField(_l("Fil (Excel eller CSV)"), validators=[FileRequired(_l("Välj en fil att importera."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv,"
                                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
                     description=_l("Excel-arbetsbok (.xlsx) eller CSV, med rubrikraden först. Filen kontrolleras i "
                                    "sin helhet: finns ett fel importeras ingenting."))
    create_units = BooleanField(_l("Skapa avdelningar och enheter som saknas"),
                                description=_l("Annars måste varje avdelning och enhet i filen redan finnas under "
                                               "Organisation."))
