"""A view's own request-body limit, applied before anything reads the body.

The app-wide MAX_CONTENT_LENGTH is sized for attachments. A view that takes no files
says how much it takes with @body_limit(bytes). A before_request hook of its blueprint
would come too late: CSRF protection reads the form in an app-wide hook that runs
first, and would parse (and the view then store) a body of any size up to the app-wide
limit. The request itself therefore asks the view for its limit whenever the body is
read; too much is refused with 413 before it is parsed.
"""

from flask import Request, current_app


def body_limit(max_bytes: int):
    def decorator(view):
        view.max_content_length = max_bytes
        return view
    return decorator


class LimitedRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.url_rule is not None:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            limit = getattr(view, "max_content_length", None)
            if limit is not None:
                return limit
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
