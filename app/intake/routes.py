from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import commands
from app.auth.guard import require
from app.auth.permissions import Action
from app.clock import today_local
from app.int_params import db_int
from app.intake import attachments, drafts, follow_up, services
from app.intake.forms import FORMS, AddInformationForm
from app.labels import KIND_LABELS, STATUS_LABELS
from app.workflow import Kind

bp = Blueprint("intake", __name__)

# URL slug -> kind
SLUGS = {"avvikelse": Kind.DEVIATION, "lex-sarah": Kind.LEX_SARAH, "klagomal": Kind.COMPLAINT}


def _me():
    return current_user._get_current_object()


@bp.route("/rapportera")
@require(Action.FILE_REPORT)
def choose():
    return render_template("intake/choose.html")


@bp.route("/rapportera/<any(avvikelse, 'lex-sarah', klagomal):slug>", methods=["GET", "POST"])
@require(Action.FILE_REPORT)
def report(slug: str):
    kind = SLUGS[slug]
    draft = drafts.draft_for(_me(), kind) if request.method == "GET" else None
    # A saved draft fills the form as it was typed (raw text, not yet checked).
    form = FORMS[kind](formdata=drafts.as_formdata(draft)) if draft else FORMS[kind]()
    # What the form offers (units, categories, the people by name) only where it is shown: a
    # POST that files redirects, and its fields do not check their choices (the service
    # checks the ids sent).
    options = services.form_options(_me(), kind) if request.method == "GET" else None
    today = today_local()
    if request.method == "POST" and request.form.get("save_draft"):
        # "Spara utkast" without JavaScript: keep what is typed, check nothing yet.
        drafts.save(_me(), kind, request.form)
        flash(_("Utkastet är sparat. Bara du kan se det. Filer sparas inte i ett utkast."), "success")
        return redirect(url_for("intake.report", slug=slug))
    # The answer to "Kan detta vara ett missförhållande?" (a deviation's nudge); none yet: "".
    choice = request.form.get("nudge_choice", "") if request.method == "POST" else ""
    if choice not in NUDGE_CHOICES or (choice and kind != Kind.DEVIATION):
        abort(400)  # only a hand-made request sends another value
    nudge = None
    if request.method == "GET" and not draft:
        form.unit_id.data = options.default_unit_id
        form.occurred_on.data = today
    elif request.method == "POST" and form.validate_on_submit():
        try:
            if choice == Kind.LEX_SARAH:
                return _carried_to_lex_sarah(services.carry_to_lex_sarah(_me(), form.report_data(), request.form,
                                                                         form.uploads()))
            case = services.file_report(_me(), kind, form.report_data(), form.uploads(),
                                        ask_about_lex_sarah=kind == Kind.DEVIATION,
                                        lex_sarah_declined=choice == Kind.DEVIATION)
        except services.IntakeError as error:
            form.add_errors(error.errors)
        except services.LexSarahNudge as asked:
            nudge = asked  # nothing stored: the form again, with the question on top
        else:
            return redirect(url_for("intake.receipt", reference=case.reference))
    if options is None:
        options = services.form_options(_me(), kind)
    form.set_options(options, today)
    return render_template(f"intake/form_{kind}.html", form=form, kind=kind, slug=slug, draft=draft,
                           limits=attachments.limits(), nudge=nudge,
                           abuse_category_ids=options.abuse_category_ids), 422 if form.errors else 200


# The two buttons name the kind to file as.
NUDGE_CHOICES = ("", Kind.LEX_SARAH, Kind.DEVIATION)


def _carried_to_lex_sarah(carried: services.Carried):
    flash(_("Det du skrev i avvikelsen finns nu här. Välj vad rapporten gäller, se över texten och skicka "
            "lex Sarah-rapporten."), "success")
    if carried.unmatched_categories:
        flash(_("Lex Sarah-listan har inte kategorin %(names)s. Välj kategori igen.",
                names=", ".join(carried.unmatched_categories)), "warning")
    if carried.file_names:
        flash(_("Filerna kunde inte följa med (%(names)s). Välj filerna igen under Bilagor innan du skickar.",
                names=", ".join(carried.file_names)), "warning")
    return redirect(url_for("intake.report", slug="lex-sarah"))


@bp.route("/rapportera/<any(avvikelse, 'lex-sarah', klagomal):slug>/utkast", methods=["POST"])
@require(Action.FILE_REPORT)
def save_draft(slug: str):
    """The form's own script keeps what is typed (after a pause, and when the phone locks): 204."""
    drafts.save(_me(), SLUGS[slug], request.form)
    return "", 204


@bp.route("/rapportera/<any(avvikelse, 'lex-sarah', klagomal):slug>/utkast/ta-bort", methods=["POST"])
@require(Action.FILE_REPORT)
def discard_draft(slug: str):
    drafts.discard(_me(), SLUGS[slug])
    flash(_("Utkastet är borttaget."), "success")
    return redirect(url_for("intake.report", slug=slug))


@bp.route("/rapportera/kvitto/<reference>")
def receipt(reference: str):
    try:
        case = services.receipt(_me(), reference)
    except services.NotFound:
        abort(404)
    return render_template("intake/receipt.html", case=case, kind_label=KIND_LABELS[case.kind])


@bp.route("/mina-rapporter")
@require(Action.VIEW_OWN_REPORTS)
def my_reports():
    page = services.my_reports(_me(), before=request.args.get("fore", type=db_int))
    return render_template("intake/my_reports.html", page=page, kind_labels=KIND_LABELS,
                           status_labels=STATUS_LABELS)


def reporter_page(case, form=None) -> str:
    """The reporter's own page of a report (the case page renders it for them too)."""
    return render_template("cases/reporter_view.html", case=case, page=follow_up.reporter_page(_me(), case),
                           form=form or AddInformationForm())


@bp.route("/arenden/<reference>/komplettera", methods=["POST"])
def add_information(reference: str):
    form = AddInformationForm()
    if not form.validate_on_submit():
        abort(400)  # only a missing or stale CSRF token gets here
    try:
        case = follow_up.add_information(_me(), reference, text=form.text.data)
    except commands.NotFound:
        abort(404)
    except commands.Refused as error:
        form.text.errors.append(error.message)
        return reporter_page(commands.load_case(reference), form), 422
    flash(_("Det du lade till är sparat, och den som handlägger rapporten har fått besked."), "success")
    return redirect(url_for("cases.case", reference=case.reference))


@bp.route("/bilagor/<int:attachment_id>")
def download(attachment_id: int):
    try:
        attachment, content = services.attachment_for_download(_me(), attachment_id)
    except services.NotFound:
        abort(404)
    response = send_file(content, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0, conditional=False, etag=False)
    response.content_length = attachment.size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
