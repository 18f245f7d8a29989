"""Värna: deviations, complaints and lex Sarah reports for Swedish social services."""

import os

from flask import Flask, g, has_request_context, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from app import config as settings
from app import security_headers
from app.extensions import babel, csrf, db, login_manager, mail, migrate
from app.logging_setup import configure_logging


class VarnaFlask(Flask):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_functions: dict = {}

    def ensure_sync(self, func):
        # Flask asks of every hook, and of the view, on every request whether it is a coroutine
        # function (inspect, some twenty times a request); the answer for a function never changes.
        kept = self._sync_functions.get(func)
        if kept is None:
            kept = self._sync_functions[func] = super().ensure_sync(func)
        return kept


def create_app(test_config: dict | None = None) -> Flask:
    app = VarnaFlask(__name__, instance_relative_config=True)
    from app.requests import VarnaRequest
    # A view's @body_limit holds before anything reads the body, and no NUL character reaches a
    # query or a form (app/body_limit.py, app/requests.py).
    app.request_class = VarnaRequest
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)  # the database, the outbox: owner only
    app.config.from_mapping(settings.defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    settings.finish(app.config)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    configure_logging(app)  # first, so its request id is set before any other hook can answer
    app.session_interface = KeptSerializerSessionInterface()
    db.init_app(app)
    _tune_sqlite(app)
    from app import transactions
    transactions.init_app(app)  # after db.init_app: a reading transaction ends with COMMIT (PostgreSQL)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    mail.init_app(app)
    from app import mailer
    mailer.init_app(app)  # queued mail goes out after each commit
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Stockholm")

    _import_models()
    # Before the routes: an id no integer column holds matches no route (404) instead of reaching the database.
    from app.int_params import DbIntConverter
    app.url_map.converters["int"] = DbIntConverter
    _register_blueprints(app)
    _register_case_panels()
    _connect_signals()
    _hand_in_checks()
    _register_login(app)
    _register_errors(app)
    security_headers.init_app(app)
    _register_templates(app)
    _register_cli(app)
    return app


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer built once per set of keys instead of twice
    a request (reading the cookie, signing it again). Same cookie, same keys, same checks."""

    def __init__(self):
        self._kept: dict[tuple, object] = {}

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        serializer = self._kept.get(keys)
        if serializer is None:
            serializer = self._kept[keys] = super().get_signing_serializer(app)
        return serializer


def _tune_sqlite(app: Flask) -> None:
    """SQLite, the embedded default: a write-ahead log, synced at checkpoints rather than at
    every commit. Every page a person opens commits its audit entry; with the default
    rollback journal each of those waited for the disk (about 20 ms here), which made the
    disk, not the query, the cost of a queue page. The database stays consistent after a
    crash; a power cut may lose the last moments. (Production runs on PostgreSQL.)"""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    settings.create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    from sqlalchemy import event

    def pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    with app.app_context():
        event.listen(db.engine, "connect", pragmas)


# One babel Locale per language, parsed once: flask_babel parses the selector's answer on every
# request when it is a string (a tenth of a millisecond), and takes a Locale as it is.
_LOCALES: dict = {}


def _select_locale():
    from flask import current_app
    language = session.get("language") if request else None
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    locale = _LOCALES.get(language)
    if locale is None:
        from babel import Locale
        locale = _LOCALES[language] = Locale.parse(language)
    return locale


def _import_models() -> None:
    # Every model must be known to the metadata for migrations and create_all.
    from app import audit, mailer, reminders  # noqa: F401
    from app.actions import models as action_models  # noqa: F401
    from app.api import models as api_models  # noqa: F401
    from app.auth import models as auth_models  # noqa: F401
    from app.cases import models as case_models  # noqa: F401
    from app.cases.deadlines import services as deadlines  # noqa: F401 - keeps Case.next_deadline_at current on every flush
    from app.intake import (
        drafts,  # noqa: F401 - report_drafts
        storage,  # noqa: F401 - attachment_blobs
    )
    from app.lexsarah import models as lexsarah_models  # noqa: F401
    from app.org import models as org_models  # noqa: F401
    from app.public import models as public_models  # noqa: F401
    from app.stats import models as stats_models  # noqa: F401
    from app.supervision import models as supervision_models  # noqa: F401


def _register_case_panels() -> None:
    """What the case page shows below its heading, in order, per kind (app.cases.panels); the
    page a reporter sees of their own report instead ("Mina rapporter", app.intake); and what
    the supervision kind adds to the case pages and deadlines."""
    from app.actions.routes import case_panel as actions_panel
    from app.cases import panels
    from app.cases.deadlines.services import register_dated_kind
    from app.cases.investigation.services import view_record
    from app.cases.journal import view_journal
    from app.cases.pages import register_move_pages, set_reporter_page
    from app.intake.routes import reporter_page
    from app.lexsarah.routes import DESK_EXTRAS
    from app.stats import report as statistics
    from app.supervision import queries as supervision_queries
    from app.supervision import statistics as supervision_statistics
    from app.supervision.deadlines import next_deadline as supervision_next_deadline
    from app.supervision.routes import MOVE_PAGES as supervision_move_pages
    from app.workflow import Kind

    reports = frozenset({Kind.DEVIATION, Kind.COMPLAINT, Kind.LEX_SARAH})
    panels.register(panels.Panel("report", "cases/_report.html", panels.shown, order=0, kinds=reports))
    panels.register(panels.Panel("supervision_case", "supervision/_case_page.html", panels.shown, order=0,
                                 kinds=frozenset({Kind.SUPERVISION})))
    panels.register(panels.Panel(
        "investigation", "cases/_investigation.html", order=10, kinds=reports,
        load=lambda user, case, moves, args: view_record(user, case, moves,
                                                         with_suggestions=args.get("liknande") == "1")))
    panels.register(panels.Panel("actions", "actions/_case_panel.html", actions_panel, order=20))
    panels.register(panels.Panel("journal", "cases/_journal.html", order=30,
                                 load=lambda user, case, moves, args: view_journal(user, case)))
    panels.register(panels.Panel("lexsarah", "lexsarah/_case_panel.html", panels.shown, order=40,
                                 kinds=frozenset({Kind.LEX_SARAH})))
    # IVO's own supervision about a lex Sarah report: the linked supervision cases, and the way to register one.
    panels.register(panels.Panel("lexsarah_supervision", "supervision/_lex_sarah_panel.html",
                                 supervision_queries.linked_to_report, order=41, kinds=frozenset({Kind.LEX_SARAH})))
    register_move_pages(supervision_move_pages)
    DESK_EXTRAS["supervision_deadlines"] = supervision_queries.deadlines_for
    statistics.register_kind(statistics.KindStatistics(Kind.SUPERVISION, supervision_statistics.KEY,
                                                       supervision_statistics.statistics_block,
                                                       supervision_statistics.chapter,
                                                       supervision_statistics.SHEET_NAMES))
    register_dated_kind(Kind.SUPERVISION, supervision_next_deadline)
    from app.cases.deadlines.services import register_step_source
    from app.lexsarah.models import LexSarahProtection
    register_step_source(LexSarahProtection)  # recording it ends the deadline step "protection"
    set_reporter_page(reporter_page)


def _connect_signals() -> None:
    """Features that react to another's events, connected here rather than as a side effect of an import."""
    from app.actions.services import actions_for_ivo_demands
    from app.cases.signals import reporter_given_feedback
    from app.lexsarah.informing import fill_reporter_item
    from app.lexsarah.signals import ivo_demanded_measures
    ivo_demanded_measures.connect(actions_for_ivo_demands)
    reporter_given_feedback.connect(fill_reporter_item)


def _hand_in_checks() -> None:
    """The permission function's answers a package below app/auth needs without importing it:
    the organisation tree (app/org), which the accounts build on."""
    from app.auth.permissions import Action, ensure
    from app.org import services as org
    org.set_permission_check(lambda actor: ensure(actor, Action.MANAGE_UNITS))


def _register_blueprints(app: Flask) -> None:
    from app.actions.routes import bp as actions_bp
    from app.admin.routes import bp as admin_bp
    from app.auth.routes import bp as auth_bp
    from app.cases import blueprint as cases_blueprint
    from app.intake.routes import bp as intake_bp
    from app.main.routes import bp as main_bp
    from app.public.routes import bp as public_bp
    from app.public.routes import info_bp

    for blueprint in (main_bp, auth_bp, admin_bp, public_bp, info_bp, intake_bp, cases_blueprint()):
        app.register_blueprint(blueprint)
    app.register_blueprint(actions_bp)
    from app.lexsarah.routes import bp as lexsarah_bp
    app.register_blueprint(lexsarah_bp)
    from app.stats.routes import bp as stats_bp
    app.register_blueprint(stats_bp)
    from app.imports.routes import bp as imports_bp
    app.register_blueprint(imports_bp)
    from app.supervision.routes import bp as supervision_bp
    app.register_blueprint(supervision_bp)
    from app.api.routes import admin_bp as api_tokens_bp
    from app.api.routes import bp as api_bp
    app.register_blueprint(api_bp)
    app.register_blueprint(api_tokens_bp)


def _register_login(app: Flask) -> None:
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import joinedload, undefer

    from app.auth.guard import require_login
    from app.auth.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = "basic"

    # With the person's units in the same statement: nearly every page asks for them (the
    # queue's scope, can() on a case), one lazy load after this one otherwise. And whether any
    # case concerns them (jäv: the lists then leave those cases out). Built once: every logged-in
    # request runs it, and SQLAlchemy computes a kept statement's cache key once (Session.get
    # built its statement and key anew each time: 40 % of the loader's CPU).
    person = (select(User).options(joinedload(User.units), undefer(User.concerned_in_any_case))
              .where(User.id == bindparam("user_id")))
    # Where two-factor login is required (production), every request asks whether the person
    # has enrolled (app/auth/twofactor_routes.py: enrolment_first, a look-up of their
    # authenticator by its key): the same statement brings that row into the session, where
    # the look-up finds it without a statement of its own.
    from app.auth.twofactor import TwoFactor
    person_and_authenticator = (select(User, TwoFactor).outerjoin(TwoFactor, TwoFactor.user_id == User.id)
                                .options(joinedload(User.units), undefer(User.concerned_in_any_case))
                                .where(User.id == bindparam("user_id")))

    @login_manager.user_loader
    def load_user(identifier: str):
        # The cookie holds "id:token"; a changed token means the session was ended.
        user_id, _, token = identifier.partition(":")
        if not user_id.isdigit() or not token:
            return None
        if app.config["TWO_FACTOR_REQUIRED"]:
            row = db.session.execute(person_and_authenticator, {"user_id": int(user_id)}).unique().first()
            user = row[0] if row is not None else None
            # The session holds what it loaded by weak reference: kept for the request.
            g.two_factor_row = row[1] if row is not None else None
        else:
            user = db.session.execute(person, {"user_id": int(user_id)}).unique().scalar_one_or_none()
        if user is None or not user.active or user.session_token != token:
            return None
        return user

    # API tokens (Authorization: Bearer), accepted on /api/ paths only.
    from app.api.tokens import load_user_from_request
    login_manager.request_loader(load_user_from_request)

    app.before_request(require_login)

    @app.before_request
    def keep_session_alive():
        # A permanent session's signature carries its age; refreshing it on each
        # request (Flask re-signs a permanent session on every response,
        # SESSION_REFRESH_EACH_REQUEST) makes the lifetime an inactivity timeout.
        # Login makes the session permanent; a session already permanent needs nothing
        # here, so a stylesheet or script no longer reads the person from the database.
        if not session.permanent and current_user.is_authenticated:
            session.permanent = True


def _register_errors(app: Flask) -> None:
    def page(status: int):
        def handler(error):
            if request.path.startswith("/api/"):  # also for a URL no API route matches: a program reads it
                from app.api.routes import json_error
                return json_error(status)
            return render_template(f"errors/{status}.html"), status
        return handler

    for status in (400, 404, 405, 409, 413, 422, 429, 500):
        app.register_error_handler(status, page(status))

    from app.audit import record_refusal
    from app.auth.permissions import PermissionDenied
    from app.commands import Conflict, NotFound, Refused
    from app.workflow import MoveRefused

    def forbidden(error):
        # Every refusal is one audit entry (who, which endpoint, which target, and the
        # permission asked when a service refused); see record_refusal. The one way a
        # refusal becomes a 403: abort(403), @require and PermissionDenied all end here.
        asked = error.args[0] if isinstance(error, PermissionDenied) and error.args else None
        record_refusal(current_user, asked=asked)
        return render_template("errors/403.html"), 403

    app.register_error_handler(403, forbidden)
    app.register_error_handler(PermissionDenied, forbidden)

    # What a route does not handle itself (the command contract, app/commands.py): nothing
    # was stored, so the transaction is rolled back and the page says why.
    def refused(error):
        from app.extensions import db
        db.session.rollback()
        if request.path.startswith("/api/"):
            from app.api.routes import json_error
            return json_error(409)
        message = getattr(error, "message", None)
        if message is None:  # MoveRefused, Conflict: the page in general words
            return render_template("errors/409.html"), 409
        return render_template("errors/refused.html", message=message), 409

    app.register_error_handler(Refused, refused)
    app.register_error_handler(MoveRefused, refused)
    app.register_error_handler(Conflict, refused)
    app.register_error_handler(NotFound, page(404))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_template("errors/csrf.html"), 400


def _register_templates(app: Flask) -> None:
    from app import clock
    from app.auth.permissions import Action, can

    app.jinja_env.add_extension("jinja2.ext.do")
    _install_quick_gettext(app)

    @app.template_filter("localtime")
    def localtime(value, fmt: str = "%Y-%m-%d %H:%M"):
        local = clock.to_local(value)
        return local.strftime(fmt) if local else ""

    @app.template_filter("long_date")
    def long_date(value):
        from app.cases.complainant_notices import long_date
        return long_date(value) if value else ""

    from flask_babel import get_locale

    from app.safe_redirect import current_path

    def can_here(action, case=None) -> bool:
        return can(current_user, action, case)

    @app.context_processor
    def helpers():
        return {"can": can_here, "Action": Action, "current_language": str(get_locale() or "sv"),
                "current_path": current_path}

    _register_shell_helpers(app)


class _MenuAnswers:
    """The person's answers from the permission function, asked once each per page: the menu
    asks `Action.X in allowed` for each entry (base.html), whatever entries it has. The answers
    are kept in the order asked (kept_menu keys the menu's HTML by them)."""

    def __init__(self, user):
        self._user, self.answers = user, {}

    def __contains__(self, action) -> bool:
        from app.auth.permissions import can
        answer = self.answers.get(action)
        if answer is None:
            answer = self.answers[action] = can(self._user, action)
        return answer


# At most this many kept parts per kind of part (an attacker may vary nothing that goes into a
# key but the endpoint, which is one of the routes): a bound, not an expected size.
_KEPT_MAX = 512


def _register_shell_helpers(app: Flask) -> None:
    """base.html's helpers: what every logged-in page pays for its header, made cheap.

    - menu_allows(): the menu's permission answers, asked of can() for the person once per
      entry and page, not through template calls that each resolve the person anew.
    - fixed_url(): the URL of a page that takes no argument from the request (the menu, the
      footer, the stylesheet), built once per process and mount point (url_for each time
      walked the routing map: a dozen a page)."""

    @app.template_global()
    def menu_allows() -> _MenuAnswers:
        return _MenuAnswers(current_user._get_current_object())

    built: dict[tuple, str] = {}

    @app.template_global()
    def fixed_url(endpoint: str, **values) -> str:
        if not has_request_context():
            return url_for(endpoint, **values)
        key = (request.script_root, endpoint, *sorted(values.items()))
        url = built.get(key)
        if url is None:
            url = built[key] = url_for(endpoint, **values)
        return url

    # The menu's HTML by mount point, language and page (which entry is marked), and then by
    # the permission function's answers for the entries the menu asks about (in the order it
    # asks). Every page still asks can() for each of those entries; only the writing out of
    # the same answers as the same HTML is done once. The HTML holds no request data: the
    # entries' words, fixed links and aria-current.
    menus: dict[tuple, tuple[tuple, dict]] = {}

    @app.template_global()
    def kept_menu(menu, allowed: _MenuAnswers, nav_endpoint, language: str) -> Markup:
        where = (request.script_root, language, nav_endpoint)
        kept = menus.get(where)
        if kept is not None:
            actions, by_answers = kept
            html = by_answers.get(tuple([action in allowed for action in actions]))
            if html is not None:
                return html
        html = menu(allowed, nav_endpoint)
        actions = tuple(allowed.answers)  # every entry asked (all of them, once each: the menu is flat)
        if kept is None or kept[0] != actions or len(kept[1]) >= _KEPT_MAX:
            if len(menus) >= _KEPT_MAX:
                menus.clear()
            kept = menus[where] = (actions, {})
        kept[1][tuple(allowed.answers[action] for action in actions)] = html
        return html

    # Parts of base.html without any request data or permission answer (the account's links,
    # the footer): by name, mount point and language.
    parts: dict[tuple, Markup] = {}

    @app.template_global()
    def kept_html(name: str, macro, language: str) -> Markup:
        if not has_request_context():
            return macro()
        key = (name, request.script_root, language)
        html = parts.get(key)
        if html is None:
            if len(parts) >= _KEPT_MAX:
                parts.clear()
            html = parts[key] = macro()
        return html


def _install_quick_gettext(app: Flask) -> None:
    """The templates' _() and ngettext() with the translations looked up once per request.

    flask_babel's own callables find the translations anew on every call (three lookups of
    its request context and the locale's name each time): a tenth of the case page's CPU,
    with some sixty texts a page. The translations are kept beside the request's locale
    object; force_locale() puts a new locale object there, so an e-mail rendered in Swedish
    in the middle of an English request still gets Swedish."""
    from flask import g
    from flask_babel import get_translations
    from jinja2 import pass_eval_context
    from markupsafe import Markup

    def translations():
        ctx = g.get("_flask_babel")
        locale = getattr(ctx, "babel_locale", None)
        if locale is None:
            return get_translations()
        kept = getattr(ctx, "varna_translations", None)
        if kept is None or kept[0] is not locale:
            kept = ctx.varna_translations = (locale, get_translations())
        return kept[1]

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables):
        # What jinja2.ext's newstyle gettext does (Markup when autoescaping, and always a
        # format string, so "%%" is "%" and the variables are escaped), in one call instead of
        # three (_() → the alias → the newstyle wrapper → the callable, each through
        # Context.call): base.html alone has fourteen texts, a case page some sixty.
        # The catalog once per template rendered: a language does not change in the middle of
        # one (force_locale, for an e-mail in another language, wraps a render of its own).
        catalog = eval_ctx.__dict__.get("_varna_catalog")
        if catalog is None:
            catalog = eval_ctx._varna_catalog = translations()
        if not variables:
            # A text without variables comes out the same every time: kept beside its
            # catalog (one per language and process), so a language's texts stay its own.
            done = catalog.__dict__.get("_varna_done")
            if done is None:
                done = catalog.__dict__["_varna_done"] = {}
            key = (string, eval_ctx.autoescape)
            text = done.get(key)
            if text is None:
                text = done[key] = _translate(catalog, string, eval_ctx.autoescape) % variables
            return text
        return _translate(catalog, string, eval_ctx.autoescape) % variables

    def _translate(catalog, string: str, autoescape: bool) -> str:
        text = catalog.ugettext(string)
        # A translation of a msgid in the code, never typed text; the variables are escaped by %.
        return Markup(text) if autoescape else text  # noqa: S704

    app.jinja_env.globals.update(_=gettext, gettext=gettext)


def _register_cli(app: Flask) -> None:
    from app.backup import backup_command, restore_command
    from app.cli import attachments_cli, demo_cli, mail_cli, users_cli
    for group in (demo_cli, users_cli, mail_cli, attachments_cli, backup_command, restore_command):
        app.cli.add_command(group)
    from app.reminders import remind_command
    app.cli.add_command(remind_command)
    from app.stats.cli import stats_cli
    app.cli.add_command(stats_cli)
    from app.imports.cli import cases_cli
    app.cli.add_command(cases_cli)
    from app.audit_chain import audit_cli
    app.cli.add_command(audit_cli)
    from app.intake.drafts import drafts_cli
    app.cli.add_command(drafts_cli)
