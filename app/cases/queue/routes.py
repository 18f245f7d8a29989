"""The queue page: the cases the person may see, filtered, sorted and paged (app.cases.queue.services)."""

from flask import get_template_attribute, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from app import labels
from app.auth.guard import require
from app.auth.permissions import Action
from app.cases.casework import forms, services
from app.cases.pages import bp, me
from app.cases.queue.cards import case_cards, status_labels
from app.cases.queue.services import OPEN_STATUSES, QueueFilters
from app.workflow import Status


@bp.route("")
@require(Action.VIEW_QUEUE)
def queue():
    form = forms.QueueFilterForm(request.args)
    filters = QueueFilters(**form.cleaned())
    view = services.view_queue(me(), filters, after=request.args.get("efter"), before=request.args.get("fore"))
    args = {k: v for k, v in request.args.items() if k not in ("efter", "fore") and v}
    return render_template("cases/queue.html", filter_form=_filter_form(form, view), filters=filters,
                           page=view.page, args=args, cards=case_cards(view.page), links=_status_links(args),
                           status_labels=status_labels())


# The filter form as rendered, by everything it is rendered from: the language, the values asked
# for (the form's own fields of the query string, not the cursor) and the choices as read for
# this page (the person's units, the categories, the years; a renamed unit is another key).
# Rendering its nine fields through the field macro, with some eighty options, was a tenth of
# the page's CPU. It holds no case data; the limit keeps a flood of searches small.
_FILTER_FORMS: dict = {}
_FILTER_FORMS_MAX = 256


def _filter_form(form: forms.QueueFilterForm, view):
    fields = form._fields
    key = (str(get_locale()), request.script_root,
           tuple((name, tuple(values)) for name, values in request.args.lists() if name in fields),
           tuple(view.units), tuple(view.categories), tuple(view.years))
    html = _FILTER_FORMS.get(key)
    if html is None:
        _fill_choices(form, view)
        html = get_template_attribute("cases/_queue_filters.html", "filter_form")(form)
        if len(_FILTER_FORMS) >= _FILTER_FORMS_MAX:
            _FILTER_FORMS.clear()
        _FILTER_FORMS[key] = html
    return html


def _fill_choices(form: forms.QueueFilterForm, view) -> None:
    form.unit.choices = [("", _("Alla enheter"))] + [(u.id, "\u2003" * u.depth + u.name) for u in view.units]
    # Grouped by kind (an <optgroup> each), so the same name under two kinds is told apart.
    form.category.choices = {"": [("", _("Alla kategorier"))]}
    for c in view.categories:
        form.category.choices.setdefault(str(labels.KIND_LABELS[c.kind]), []).append((c.id, c.name))
    form.year.choices = [("", _("Alla år"))] + [(y, str(y)) for y in view.years]


# The status links above the cards, by query string: the same nine links on every page with the same
# filters (the cursor is not in them), each a url_for with the filters as its query.
_STATUS_LINKS: dict = {}


def _status_links(args: dict) -> dict:
    key = (request.script_root, tuple(args.items()))
    links = _STATUS_LINKS.get(key)
    if links is None:
        links = {status: url_for("cases.queue", **dict(args, status=status))
                 for status in ("open", *OPEN_STATUSES, Status.CLOSED.value)}
        if len(_STATUS_LINKS) >= _FILTER_FORMS_MAX:
            _STATUS_LINKS.clear()
        _STATUS_LINKS[key] = links
    return links
