"""Deadlines: recording a complaint's acknowledgement, and the admin's deadline settings."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.guard import require
from app.auth.permissions import Action
from app.cases.deadlines import forms as deadline_forms
from app.cases.deadlines import services as deadlines
from app.cases.pages import MovePage, bp, handle, me
from app.clock import today_local

ACKNOWLEDGE = MovePage(
    "acknowledge", deadline_forms.AcknowledgementForm, _l("Registrera mottagningsbekräftelse"), _l("Spara"),
    _l("Mottagningsbekräftelsen är registrerad."),
    lambda actor, ref, f: deadlines.record_acknowledgement(actor, ref, acknowledged_on=f.acknowledged_on.data,
                                                           channel=f.channel.data, expected_version=f.version.data),
    intro=_l("Klaganden ska få veta att klagomålet har kommit fram. Registrera när och hur det gjordes."))


@bp.route("/<reference>/bekraftelse", methods=["GET", "POST"])
def acknowledge(reference: str):
    form = deadline_forms.AcknowledgementForm()
    if request.method == "GET":
        form.acknowledged_on.data = today_local()
    return handle(reference, ACKNOWLEDGE, form)


@bp.route("/tidsfrister", methods=["GET", "POST"])
@require(Action.MANAGE_SETTINGS)
def deadline_settings():
    form_class = deadline_forms.settings_form_class()
    if request.method == "GET":
        data = {}
        for (kind, step), rule in deadlines.view_deadlines(me()).items():
            amount, unit = deadline_forms.field_names(kind, step)
            data[amount], data[unit] = rule.amount, rule.unit
        form = form_class(formdata=None, data=data)
        return render_template("cases/deadline_settings.html", form=form)
    form = form_class()
    if form.validate():
        try:
            count = deadlines.update_deadlines(me(), form.values())
        except deadlines.DeadlineError as error:
            for (kind, step), message in error.errors.items():
                field = form[deadline_forms.field_names(kind, step)[0]]
                field.errors = [*field.errors, message]
        else:
            flash(_("Tidsfristerna är sparade. %(n)d öppna ärenden fick en ny tidsfrist.", n=count), "success")
            return redirect(url_for("cases.deadline_settings"))
    return render_template("cases/deadline_settings.html", form=form), 422
