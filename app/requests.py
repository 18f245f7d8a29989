"""The request class: a NUL character in a query or a form never reaches the application.

Nobody types a NUL, and PostgreSQL refuses one in any text ("cannot contain NUL (0x00) bytes"),
so a lookup or a save that met one answered 500. It is removed where the query string and the form
are parsed, as the report forms already removed it, and for every form at once. The form is still
parsed only when something first reads it (the public form's size check comes first).
"""

from werkzeug.utils import cached_property

from app.body_limit import LimitedRequest

NUL = "\x00"


def without_nul(values):
    """The same MultiDict without NUL characters in its keys and values (the very object if it has none)."""
    if not any(NUL in key or any(NUL in value for value in items) for key, items in values.lists()):
        return values
    return type(values)((key.replace(NUL, ""), value.replace(NUL, ""))
                        for key, items in values.lists() for value in items)


class VarnaRequest(LimitedRequest):
    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = without_nul(self.__dict__["form"])

    @cached_property
    def args(self):
        return without_nul(super().args)
