"""The statistics page, the printable quality report (HTML and PDF) and the downloads (CSV, XLSX).

Thin handlers: read the request, ask app.stats.services, render or send a file.
"""

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.guard import require
from app.auth.permissions import Action
from app.int_params import db_int
from app.security_headers import allow_own_stylesheet
from app.stats import chapter, exports, services
from app.stats.contract import SECTION_LABELS
from app.stats.forms import AdoptionForm, ChapterTextForm, DataFromForm, StatisticsForm
from app.stats.models import TEXT_SECTIONS
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
        abort(400)  # malformed, or a number no id column holds


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


# --- what people write for the chapter -------------------------------------------------------------

def _year_or_404(year: int) -> int:
    try:
        return services.check_year(year)
    except StatisticsError:
        abort(404)


@bp.route("/<int:year>/texter", methods=["GET", "POST"])
@require(Action.WRITE_STATISTICS_TEXTS)
def texts(year: int):
    """The analysis and improvement work per section for the year; each section is saved on its own."""
    year = _year_or_404(year)
    saved = chapter.texts_for(year)
    forms = {section: ChapterTextForm(prefix=section, formdata=None, obj=saved.get(section))
             for section in TEXT_SECTIONS}
    status = 200
    section = request.args.get("avsnitt")
    if request.method == "POST":
        if section not in forms:
            abort(404)
        form = forms[section] = ChapterTextForm(prefix=section)
        if form.validate_on_submit():
            try:
                chapter.save_texts(_me(), year, section, analysis=form.analysis.data or "",
                                   improvement=form.improvement.data or "")
            except StatisticsError as error:
                form[error.field].errors.append(error.message)
            else:
                flash(_("Texterna för %(section)s %(year)d är sparade.",
                        section=SECTION_LABELS[section], year=year), "success")
                return redirect(url_for("stats.texts", year=year) + f"#avsnitt-{section}")
        status = 422
    return render_template("stats/texts.html", year=year, forms=forms, saved=saved, failed=section,
                           labels=SECTION_LABELS), status


@bp.route("/<int:year>/faststallande", methods=["GET", "POST"])
@require(Action.MANAGE_SETTINGS)
def adoption(year: int):
    year = _year_or_404(year)
    form = AdoptionForm(obj=chapter.adoption_for(year)) if request.method == "GET" else AdoptionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                chapter.save_adoption(_me(), year, adopted_by=form.adopted_by.data or "",
                                      decided_on=form.decided_on.data, diary_number=form.diary_number.data or "")
            except StatisticsError as error:
                form[error.field].errors.append(error.message)
            else:
                flash(_("Fastställandet av %(year)d är sparat.", year=year), "success")
                return redirect(url_for("stats.adoption", year=year))
        status = 422
    return render_template("stats/adoption.html", year=year, form=form), status


@bp.route("/uppgifter-fran", methods=["GET", "POST"])
@require(Action.MANAGE_SETTINGS)
def data_from():
    """"Uppgifter finns från och med" per kind: years before it are shown as missing, not as zero."""
    years = chapter.data_from_years()
    if request.method == "GET":
        form = DataFromForm(formdata=None, data={kind: set_year for kind, (set_year, _first) in years.items()})
    else:
        form = DataFromForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                changed = {kind: form[kind].data for kind in years if form[kind].data != years[kind][0]}
                for kind, year in changed.items():  # all checked before any is saved: nothing half-stored
                    chapter.check_data_from(kind, year)
                for kind, year in changed.items():
                    chapter.set_data_from(_me(), kind, year)
            except StatisticsError as error:
                form[error.field].errors.append(error.message)
            else:
                flash(_("Åren är sparade."), "success")
                return redirect(url_for("stats.data_from"))
        status = 422
    return render_template("stats/data_from.html", form=form, years=years), status
