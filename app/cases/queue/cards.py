"""The queue's fifty cards as HTML, written out here instead of by a Jinja loop.

Seventeen expressions a card, each escaped, looked up and yielded through Jinja's runtime,
were a seventh of the page's CPU (some 25 µs a card); the same markup from one format string
a card costs a fifth of that. Every value is escaped exactly as markupsafe's escape (the
template's autoescape) escapes it: the same five characters become the same entities (the
summary, the unit's and the handler's names are typed text), so the page is the same,
whitespace aside. The words are looked up once per language."""

from string import Formatter
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
# The card's values (every field but the words, w_...), in their order in _CARD: the order of
# the %-format made from it (positional: str.format with eleven keywords was a fifth of the
# cards' CPU), in which case_cards gives them.
_VALUES = tuple(name for _text, name, _spec, _conversion in Formatter().parse(_CARD)
                if name and not name.startswith("w_"))

# Per language: the card's format with its words in, and the labels (translations do not change while running).
_WORDS: dict = {}


def html_escape(text: str) -> str:
    """markupsafe's escape of a str, as a plain str: & < > ' " become &amp; &lt; &gt; &#39; &#34;,
    as markupsafe writes them. Without a Markup object per value (its construction was most of
    the cost of the four hundred values a page escapes)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def _words() -> dict:
    language = str(get_locale())
    words = _WORDS.get(language)
    if words is None:
        def fixed(text) -> str:  # escaped, and % kept as text by the %-format
            return str(escape(text)).replace("%", "%%")
        card = _CARD.replace("%", "%%").format(
            **dict.fromkeys(_VALUES, "%s"),
            w_kind=fixed(_("Typ")), w_status=fixed(_("Status")), w_unit=fixed(_("Enhet")),
            w_received=fixed(_("Inkom")), w_handler=fixed(_("Handläggare")), w_deadline=fixed(_("Tidsfrist")))
        words = {
            "card": card,
            "badge": str(Markup('<span class="badge badge--overdue">⚠ %s</span>') % _("Försenad")),
            "nobody": str(Markup("<em>%s</em>") % _("Ingen")),
            "kinds": {code: str(escape(str(label))) for code, label in labels.KIND_LABELS.items()},
            "statuses": {code: escape(str(label)) for code, label in labels.STATUS_LABELS.items()},
        }
        _WORDS[language] = words
    return words


def case_cards(page) -> Markup:
    """The <li> of each card of a queue page (app.cases.queue.services.load_cases)."""
    words = _words()
    card, kinds, statuses = words["card"], words["kinds"], words["statuses"]
    badge, nobody = words["badge"], words["nobody"]
    case_url = html_escape(url_for("cases.case", reference="REF").replace("REF", ""))
    overdue_ids = page.overdue_ids
    # A page holds a few units and handlers, each met on many cards: escaped once each.
    names: dict[str, str] = {}

    def name_html(name: str) -> str:
        escaped = names.get(name)
        if escaped is None:
            escaped = names[name] = html_escape(name)
        return escaped

    html = []
    for case in page.cases:
        overdue = case.id in overdue_ids
        reference = case.reference
        unit_html = name_html(case.unit.name)
        handler_html = name_html(case.assigned_to.full_name) if case.assigned_to else nobody
        status = case.status
        html.append(card % (
            " is-overdue" if overdue else "",
            case_url + quote(reference, safe="/"),  # percent-encoded: nothing left to escape
            html_escape(reference),
            badge if overdue else "",
            html_escape(case.summary),
            kinds.get(case.kind, ""),
            statuses[status] if status in statuses else html_escape(status),
            unit_html,
            case.received_on,  # an ISO date written by load_cases: digits and hyphens
            handler_html,
            case.deadline_on or "–"))
    return Markup("".join(html))  # noqa: S704 - every value above is escaped


def status_labels() -> dict:
    """Each status's label, escaped, in the request's language (for the status links)."""
    return _words()["statuses"]
