"""Login required everywhere, except the endpoints explicitly marked @public.

The check runs before every request, so a new route is protected even if its
author forgets; making a page public is a visible, deliberate act.
"""

from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.auth.permissions import Action, can


def public(view):
    view.is_public = True
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def require_login():
    if is_public_endpoint(request.endpoint) or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def require(action: Action):
    """Route decorator: 403 unless the permission function allows the action."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator
