from flask import Blueprint, current_app, g, make_response, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.auth.guard import public
from app.body_limit import body_limit
from app.cases.models import COMPLAINT_TYPE
from app.public import services, texts
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
    # The name a citizen knows (set by the admin), else the unit's own name.
    form.department_id.choices = [(d.id, d.name_for_public) for d in departments]
    form.category_id.choices = [("", "–"), *topics]
    return form


# The blank form as the public first sees it is the same page for everyone of a language but
# for its CSRF tokens: it is rendered once per process, language and choices, with a marker
# where the tokens go, and each request puts its own token in (rendering it was nearly all of
# the page's cost). Only a blank GET by someone not logged in (no menu, no name) and with no
# message waiting (flash) is answered from it; the form sent back, with its errors and the
# text kept, is rendered as before.
_BLANK_PAGES: dict = {}
_TOKEN_MARK = "VarnaCsrfTokenMark"  # noqa: S105 - a marker replaced by the token, not a secret


def _blank_page_fits() -> bool:
    return (request.method == "GET" and not request.args and not current_app.debug
            and not current_user.is_authenticated and "_flashes" not in session)


def _blank_page() -> str:
    key = (str(get_locale()), request.script_root, services.form_choices())
    page = _BLANK_PAGES.get(key)
    if page is None:
        name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        real = g.pop(name, None)
        setattr(g, name, _TOKEN_MARK)  # what generate_csrf() and the form's token field give now
        try:
            page = render_template("public/complaint.html", form=_complaint_form(), rate_limited=False,
                                   departments=services.form_choices()[0])
        finally:
            g.pop(name, None)
            if real is not None:
                setattr(g, name, real)
        if len(_BLANK_PAGES) >= 64:
            _BLANK_PAGES.clear()
        _BLANK_PAGES[key] = page
    return page.replace(_TOKEN_MARK, generate_csrf())


@bp.route("", methods=["GET", "POST"])
@public
@body_limit(MAX_PUBLIC_REQUEST)
def complaint():
    if _blank_page_fits():
        return _blank_page()
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
                complaint_type=form.complaint_type.data or COMPLAINT_TYPE,
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
    return render_template("public/complaint.html", form=form, rate_limited=rate_limited,
                           departments=services.form_choices()[0]), status


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
    # The admin's own text when there is one (plain text, shown escaped), else the built-in default.
    text = texts.text_of(texts.PERSONAL_DATA)
    return render_template("public/personal_data.html", contact=_contact("DATA_PROTECTION_CONTACT"),
                           paragraphs=texts.paragraphs(text) if text else None)
