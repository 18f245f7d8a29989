"""The queue page: the cases the person may see, filtered, sorted and paged (app.cases.queue.services)."""

from flask import get_template_attribute, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.core import UnboundField

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
    asked = tuple((name, tuple(values)) for name, values in request.args.lists() if name in _FILTER_FIELDS)
    form, filters = _filters(asked)
    view = services.view_queue(me(), filters, after=request.args.get("efter"), before=request.args.get("fore"))
    args = {k: v for k, v in request.args.items() if k not in ("efter", "fore") and v}
    return render_template("cases/queue.html", filter_form=_filter_form(form, asked, view), filters=filters,
                           page=view.page, args=args, cards=case_cards(view.page), links=_status_links(args),
                           status_labels=status_labels())


_FILTER_FIELDS = frozenset(name for name in dir(forms.QueueFilterForm)
                           if isinstance(getattr(forms.QueueFilterForm, name), UnboundField))


# The filters by the form's own fields of the query string: what the form makes of the same
# values is the same every time (its choices and words play no part in cleaned()). Building the
# form (nine fields, bound and processed) for every page was a tenth of a millisecond; it is
# built when the filter form's HTML is not kept either (the form is passed along, or None).
_FILTERS: dict = {}


def _filters(asked: tuple):
    filters = _FILTERS.get(asked)
    if filters is not None:
        return None, filters
    form = forms.QueueFilterForm(request.args)
    filters = QueueFilters(**form.cleaned())
    if len(_FILTERS) >= _FILTER_FORMS_MAX:
        _FILTERS.clear()
    _FILTERS[asked] = filters
    return form, filters


# The filter form as rendered, by everything it is rendered from: the language, the values asked
# for (the form's own fields of the query string, not the cursor) and the choices as read for
# this page (the person's units, the categories, the years; a renamed unit is another key).
# Rendering its nine fields through the field macro, with some eighty options, was a tenth of
# the page's CPU. It holds no case data; the limit keeps a flood of searches small.
_FILTER_FORMS: dict = {}
_FILTER_FORMS_MAX = 256


def _filter_form(form: forms.QueueFilterForm | None, asked: tuple, view):
    key = (str(get_locale()), request.script_root, asked,
           tuple(view.units), tuple(view.categories), tuple(view.years))
    html = _FILTER_FORMS.get(key)
    if html is None:
        if form is None:
            form = forms.QueueFilterForm(request.args)
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
