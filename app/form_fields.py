"""Form pieces every feature shares: the one date field, the checkbox list and the `Mandatory` marker."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField, widgets


class Mandatory:
    """Marks a field as required for the label and screen readers; the service enforces it."""

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class CheckboxListField(SelectMultipleField):
    # The name matters: the field macro (_macros.html) renders this type as a fieldset of checkboxes.
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SwedishDateField(DateField):
    """A date as ÅÅÅÅ-MM-DD; the person's text is kept (raw_data) for the form shown again.

    Empty is None, or the Swedish message when `empty_is_error`. Unreadable text gets the
    Swedish message, or, with `pass_text`, is handed on as typed: the service then explains
    it together with every other message of the form.
    """

    def __init__(self, label=None, validators=None, *, pass_text: bool = False, empty_is_error: bool = False,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.pass_text, self.empty_is_error = pass_text, empty_is_error

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = " ".join(valuelist).strip()
        self.data = None
        if not text and not self.empty_is_error:
            return
        try:
            self.data = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError as error:
            if self.pass_text:
                self.data = text
                return
            raise ValueError(_l("Ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-14.")) from error
