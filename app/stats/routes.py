"""The statistics page, the printable quality report (HTML and PDF) and the downloads (CSV, XLSX).

Thin handlers: read the request, ask app.stats.services, render or send a file.
"""

from flask import Blueprint, Response, abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.guard import require
from app.auth.permissions import Action
from app.int_params import db_int
from app.security_headers import allow_own_stylesheet
from app.stats import exports, services
from app.stats.forms import StatisticsForm
from app.stats.services import StatisticsError

bp = Blueprint("stats", __name__, url_prefix="/statistik")


def _me():
    return current_user._get_current_object()


def _department_choices() -> list[tuple]:
    # Every unit of the tree, indented by its depth: each unit may ask for its own compilation.
    return [("", _("Hela förvaltningen"))] + [
        (unit.id, "\u2003" * max(unit.depth - 1, 0) + unit.name + ("" if unit.active else " " + _("(inaktiv)")))
        for unit in services.units() if unit.depth > 0]


def _unit_arg(args) -> str | None:
    """?unit=<id>, or ?avdelning=<id>, its synonym from version 1."""
    return args.get("unit", args.get("avdelning"))


@bp.route("/")
@require(Action.VIEW_STATISTICS)
def index():
    args = request.args.copy()
    args.setdefault("ar", str(services.default_year()))
    if "unit" not in args and "avdelning" in args:
        args["unit"] = args["avdelning"]
    form = StatisticsForm(args)
    form.year.choices = [(year, str(year)) for year in services.year_choices()]
    form.department.choices = _department_choices()
    report = None
    if form.validate():
        try:
            report = services.view_statistics(_me(), form.year.data, form.department.data)
        except StatisticsError as error:
            form[error.field].errors.append(error.message)
    return render_template("stats/index.html", form=form, report=report,
                           svgs=exports.chart_svgs(report) if report else {},
                           department_id=form.department.data if report else None), 200 if report else 422


def _unit_id() -> int | None:
    value = _unit_arg(request.args)
    if value in (None, ""):
        return None
    try:
        return db_int(value)
    except ValueError:
        abort(404)


def _report(year: int, shown_as: str):
    department_id = _unit_id()
    try:
        return services.view_statistics(_me(), year, department_id, shown_as=shown_as)
    except StatisticsError:
        abort(404)


def _download(content: str | bytes, fmt: str, name: str, *, inline: bool = False) -> Response:
    response = Response(content, mimetype=exports.MEDIA_TYPES[fmt].split(";")[0],
                        content_type=exports.MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:year>/kvalitetsberattelse")
@require(Action.VIEW_STATISTICS)
def report_html(year: int):
    report = _report(year, "html")
    page = render_template("stats/report.html", report=report, svgs=exports.chart_svgs(report), standalone=False,
                           department_id=_unit_id())
    return allow_own_stylesheet(make_response(page))  # one self-contained page, its stylesheet inside


@bp.route("/<int:year>/kvalitetsberattelse.pdf")
@require(Action.VIEW_STATISTICS)
def report_pdf(year: int):
    report = _report(year, "pdf")
    return _download(exports.as_pdf(report), "pdf", exports.filename(report, "pdf"), inline=True)


@bp.route("/<int:year>/statistik.xlsx")
@require(Action.VIEW_STATISTICS)
def report_xlsx(year: int):
    report = _report(year, "xlsx")
    return _download(exports.as_xlsx(report), "xlsx", exports.filename(report, "xlsx"))


@bp.route("/<int:year>/tabell/<key>.csv")
@require(Action.VIEW_STATISTICS)
def table_csv(year: int, key: str):
    report = _report(year, f"csv:{key}")
    table = report.table(key)
    if table is None:
        abort(404)
    return _download(exports.table_csv(table), "csv", exports.filename(report, "csv", key))
