from flask import Blueprint, current_app, make_response, render_template, request

from app.auth.guard import public
from app.body_limit import body_limit
from app.public import services
from app.public.forms import ComplaintForm, StatusForm

bp = Blueprint("public", __name__, url_prefix="/klagomal")

# The largest honest submission (every field full of four-byte characters, URL-encoded)
# is under 200 kB. The app-wide limit is sized for attachments; these pages take none.
MAX_PUBLIC_REQUEST = 256 * 1024


def _private(response):
    # The receipt carries the follow-up code and the status page the answer: keep them
    # out of caches, including a shared computer's back button.
    response.headers["Cache-Control"] = "no-store"
    return response


def _complaint_form() -> ComplaintForm:
    form = ComplaintForm()
    departments, topics = services.form_choices()
    form.department_id.choices = list(departments)
    form.category_id.choices = [("", "–"), *topics]
    return form


@bp.route("", methods=["GET", "POST"])
@public
@body_limit(MAX_PUBLIC_REQUEST)
def complaint():
    form = _complaint_form()
    status, rate_limited = 200, False
    if form.validate_on_submit():
        try:
            receipt = services.submit_complaint(
                client_ip=request.remote_addr or "", department_id=form.department_id.data,
                description=form.description.data, anonymous=form.anonymous.data == "yes",
                relation=form.relation.data, wishes=form.wishes.data or "", category_id=form.category_id.data,
                name=form.name.data or "", email=form.email.data or "", phone=form.phone.data or "",
                address=form.address.data or "", answer_wanted=form.answer_wanted.data,
                trap=form.website.data or "")
        except services.ComplaintError as error:
            getattr(form, error.field).errors.append(error.message)
        except services.RateLimited:
            status, rate_limited = 429, True
        else:
            # The receipt is the answer to the POST itself: the code is never stored, not in
            # a URL and not in the (signed, readable, replayable) session cookie either.
            return _private(make_response(render_template("public/receipt.html", receipt=receipt)))
    if form.errors:
        status = 422
    return render_template("public/complaint.html", form=form, rate_limited=rate_limited), status


@bp.route("/status", methods=["GET", "POST"])
@public
@body_limit(MAX_PUBLIC_REQUEST)
def status():
    form = StatusForm()
    result, not_found, code = None, False, 200
    if request.method == "GET" and request.args.get("referens"):
        # The link in the receipt (page and e-mail) fills in the reference; the code is
        # never taken from a URL, the person types it.
        form.reference.data = services.normalise_reference(request.args.get("referens", ""))
    if form.validate_on_submit():
        try:
            result = services.look_up_complaint(client_ip=request.remote_addr or "",
                                                reference=form.reference.data, code=form.code.data)
        except services.RateLimited:
            code = 429
        else:
            not_found = result is None
    elif form.errors:
        code = 422
    form.code.data = ""  # never echo the code back into the page
    response = make_response(render_template("public/status.html", form=form, result=result,
                                             not_found=not_found, rate_limited=code == 429), code)
    return _private(response)


# The information pages every public service must have; outside /klagomal, linked from every footer.
info_bp = Blueprint("info", __name__)


def _contact(setting: str) -> str:
    return current_app.config.get(setting) or current_app.config["MAIL_DEFAULT_SENDER"]


@info_bp.route("/tillganglighet")
@public
def accessibility():
    return render_template("public/accessibility.html", contact=_contact("ACCESSIBILITY_CONTACT"))


@info_bp.route("/personuppgifter")
@public
def personal_data():
    return render_template("public/personal_data.html", contact=_contact("DATA_PROTECTION_CONTACT"))
