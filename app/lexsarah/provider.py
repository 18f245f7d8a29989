"""The provider's (the nämnd's) details that every notification carries; kept by an admin."""


from flask_babel import gettext as _

from app import audit
from app.auth.models import User
from app.auth.permissions import Action, can, ensure
from app.clock import utcnow
from app.extensions import db
from app.lexsarah.common import check_length, clean, raise_errors
from app.lexsarah.models import (
    ProviderSettings,
)

# --- the provider's details (admin) ---------------------------------------------------------

PROVIDER_FIELDS = ("board_name", "org_number", "address", "municipality", "contact_name", "contact_title",
                   "contact_phone",
                   "sol_2025_paragraphs",
                   "contact_email")


def normalise_org_number(value: str) -> str | None:
    """"212000-1355" for a valid Swedish organisation number (10 digits, Luhn check), else None."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) != 10 or set(value or "") - set("0123456789- "):
        return None
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return f"{digits[:6]}-{digits[6:]}" if total % 10 == 0 else None


def open_provider_settings(actor: User) -> ProviderSettings | None:
    ensure(actor, Action.MANAGE_PROVIDER_SETTINGS)
    audit.record("settings.provider_viewed", actor=actor, object_type="settings", object_id="provider")
    db.session.commit()
    return provider_settings()


def save_provider_settings(actor: User, **fields) -> ProviderSettings:
    ensure(actor, Action.MANAGE_PROVIDER_SETTINGS)
    unknown = set(fields) - set(PROVIDER_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    values = {name: clean(fields.get(name)) for name in PROVIDER_FIELDS}
    errors: dict[str, str] = {}
    limits = {"board_name": 200, "address": 300, "municipality": 100, "contact_name": 200, "contact_title": 200,
              "contact_phone": 40,
              "contact_email": 254, "sol_2025_paragraphs": 100}
    for name, limit in limits.items():
        check_length(errors, name, values[name], limit)
    if not values["board_name"]:
        errors["board_name"] = _("Ange nämndens namn.")
    org_number = normalise_org_number(values["org_number"])
    if org_number is None:
        errors["org_number"] = _("Ange ett giltigt organisationsnummer, t.ex. 212000-0000.")
    if not values["address"]:
        errors["address"] = _("Ange nämndens postadress.")
    if values["contact_email"] and ("@" not in values["contact_email"] or " " in values["contact_email"]):
        errors["contact_email"] = _("Ange en giltig e-postadress.")
    if values["sol_2025_paragraphs"] and "§" not in values["sol_2025_paragraphs"]:
        errors["sol_2025_paragraphs"] = _("Ange paragraferna med §, t.ex. ”X kap. 1–5 §§”, eller lämna fältet tomt.")
    values["sol_2025_paragraphs"] = values["sol_2025_paragraphs"] or None
    current = provider_settings()
    if values["sol_2025_paragraphs"] != (current.sol_2025_paragraphs if current else None) \
            and not can(actor, Action.CONFIRM_LEGAL_REFERENCES):
        errors["sol_2025_paragraphs"] = _("Bara en administratör kan bekräfta paragraferna.")
    raise_errors(errors)
    values["org_number"] = org_number
    settings = provider_settings() or ProviderSettings(id=1)
    changed = [name for name, value in values.items() if getattr(settings, name) != value]
    for name in changed:
        setattr(settings, name, values[name])
    settings.updated_by_id, settings.updated_at = actor.id, utcnow()
    db.session.add(settings)
    if changed:
        audit.record("settings.provider_updated", actor=actor, object_type="settings", object_id="provider",
                     detail={"changed": changed})
    db.session.commit()
    return settings




def provider_settings() -> ProviderSettings | None:
    return db.session.get(ProviderSettings, 1)


