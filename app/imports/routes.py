"""The admin's upload of earlier years' cases: the same checks and report as the command line."""

from flask import Blueprint, Response, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.guard import require
from app.auth.permissions import Action
from app.imports import services
from app.imports.forms import ImportForm

bp = Blueprint("imports", __name__, url_prefix="/admin/import")
SHOWN_PROBLEMS = 1000  # a file wrong on every line is not helped by a page of 100,000 rows


@bp.route("/", methods=["GET", "POST"])
@require(Action.IMPORT_CASES)
def upload():
    form = ImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        result = services.import_cases(current_user._get_current_object(), upload.read(),
                                       source=upload.filename or "", create_units=form.create_units.data)
        status = 200 if result.ok else 422
    elif form.errors:
        status = 422
    return render_template("imports/upload.html", form=form, result=result, columns=services.COLUMNS,
                           shown=SHOWN_PROBLEMS), status


@bp.route("/mall.csv")
@require(Action.IMPORT_CASES)
def template():
    """An empty file with the header and two example rows to start from."""
    example = [
        ",".join(services.COLUMNS),
        "LS-2017-0001,lex_sarah,2017-02-03,Vuxna,Boendestöd,,Sekretess,,investigate,misconduct,yes,2017-02-10,no,"
        "2017-04-01,female",
        "KL-2017-0001,complaint,2017-03-15,Unga,,,Bemötande,ivo,investigate,,,,,2017-04-10,",
    ]
    response = Response("\r\n".join(example) + "\r\n", content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{_("import-mall")}.csv"'
    return response
