"""The queue's fifty cards as HTML, written out here instead of by a Jinja loop.

Seventeen expressions a card, each escaped, looked up and yielded through Jinja's runtime,
were a seventh of the page's CPU (some 25 µs a card); the same markup from one format string
a card costs a fifth of that. Every value goes through markupsafe's escape exactly as the
template's autoescape did (the summary, the unit's and the handler's names are typed text),
so the page is the same, whitespace aside. The words are looked up once per language."""

from urllib.parse import quote

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app import labels

_CARD = (
    '  <li class="case-card{overdue_class}">\n'
    '    <h2><a href="{href}">{reference}</a>\n      {badge}</h2>\n'
    '    <p class="summary">{summary}</p>\n'
    '    <dl>\n'
    '      <dt>{w_kind}</dt><dd>{kind}</dd>\n'
    '      <dt>{w_status}</dt><dd>{status}</dd>\n'
    '      <dt>{w_unit}</dt><dd>{unit}</dd>\n'
    '      <dt>{w_received}</dt><dd>{received}</dd>\n'
    '      <dt>{w_handler}</dt><dd>{handler}</dd>\n'
    '      <dt>{w_deadline}</dt><dd>{deadline}</dd>\n'
    '    </dl>\n'
    '  </li>\n')

# Per language: the card's format with its words in, and the labels (translations do not change while running).
_WORDS: dict = {}


def _words() -> dict:
    language = str(get_locale())
    words = _WORDS.get(language)
    if words is None:
        def fixed(text) -> str:  # escaped, and braces kept as text by str.format
            return str(escape(text)).replace("{", "{{").replace("}", "}}")
        words = {
            "card": _CARD.format(
                overdue_class="{overdue_class}", href="{href}", reference="{reference}", badge="{badge}",
                summary="{summary}", kind="{kind}", status="{status}", unit="{unit}", received="{received}",
                handler="{handler}", deadline="{deadline}",
                w_kind=fixed(_("Typ")), w_status=fixed(_("Status")), w_unit=fixed(_("Enhet")),
                w_received=fixed(_("Inkom")), w_handler=fixed(_("Handläggare")), w_deadline=fixed(_("Tidsfrist"))),
            "badge": Markup('<span class="badge badge--overdue">⚠ %s</span>') % _("Försenad"),
            "nobody": Markup("<em>%s</em>") % _("Ingen"),
            "kinds": {code: escape(str(label)) for code, label in labels.KIND_LABELS.items()},
            "statuses": {code: escape(str(label)) for code, label in labels.STATUS_LABELS.items()},
        }
        _WORDS[language] = words
    return words


def case_cards(page) -> Markup:
    """The <li> of each card of a queue page (app.cases.queue.services.load_cases)."""
    words = _words()
    card, kinds, statuses = words["card"].format, words["kinds"], words["statuses"]
    badge, nobody = words["badge"], words["nobody"]
    case_url = escape(url_for("cases.case", reference="REF").replace("REF", ""))
    overdue_ids = page.overdue_ids
    html = []
    for case in page.cases:
        overdue = case.id in overdue_ids
        html.append(card(
            overdue_class=" is-overdue" if overdue else "",
            href=case_url + escape(quote(case.reference, safe="/")),
            reference=escape(case.reference),
            badge=badge if overdue else "",
            summary=escape(case.summary),
            kind=kinds.get(case.kind, ""),
            status=statuses[case.status] if case.status in statuses else escape(case.status),
            unit=escape(case.unit.name),
            received=escape(case.received_on),
            handler=escape(case.assigned_to.full_name) if case.assigned_to else nobody,
            deadline=escape(case.deadline_on or "–")))
    return Markup("".join(html))  # noqa: S704 - every value above is escaped


def status_labels() -> dict:
    """Each status's label, escaped, in the request's language (for the status links)."""
    return _words()["statuses"]
