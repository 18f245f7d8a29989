"""The queue page: the cases the person may see, filtered, sorted and paged (app.cases.queue.services)."""

from flask import render_template, request
from flask_babel import gettext as _

from app import labels
from app.auth.guard import require
from app.auth.permissions import Action
from app.cases.casework import forms, services
from app.cases.pages import bp, me
from app.cases.queue.services import QueueFilters


@bp.route("")
@require(Action.VIEW_QUEUE)
def queue():
    form = forms.QueueFilterForm(request.args)
    filters = QueueFilters(**form.cleaned())
    view = services.view_queue(me(), filters, after=request.args.get("efter"), before=request.args.get("fore"))
    form.unit.choices = [("", _("Alla enheter"))] + [(u.id, "\u2003" * u.depth + u.name) for u in view.units]
    # Grouped by kind (an <optgroup> each), so the same name under two kinds is told apart.
    form.category.choices = {"": [("", _("Alla kategorier"))]}
    for c in view.categories:
        form.category.choices.setdefault(str(labels.KIND_LABELS[c.kind]), []).append((c.id, c.name))
    form.year.choices = [("", _("Alla år"))] + [(y, str(y)) for y in view.years]
    args = {k: v for k, v in request.args.items() if k not in ("efter", "fore") and v}
    return render_template("cases/queue.html", form=form, filters=filters, page=view.page, args=args)
