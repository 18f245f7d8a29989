"""Links that leave the browser: in e-mails, built for BASE_URL whether or not there is a request."""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of an endpoint on BASE_URL (e.g. https://varna.example/arenden/AV-2026-0001).

    Routed through the URL map like url_for, so a link follows its route; BASE_URL gives the
    scheme, host and path prefix, also for `flask remind` and other commands without a request.
    """
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path.rstrip("/") or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)
