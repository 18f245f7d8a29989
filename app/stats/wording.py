"""How the quality report writes numbers and lists, as a nämnd secretary would (issue 15).

- Numbers up to twelve are words in running text ("sju klagomål", "ett fall"); larger numbers,
  and every number in a table or in parentheses, are figures.
- No sentence starts with a figure: the sentences in app.stats.report put the number later.
- A list is joined once: "a (3), b (2) och c (1)"; an item with a zero is never written.
- The first place shared by several is said as a tie: "Unga och Vuxna (5 vardera)".
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Swedish counts "en rapport" but "ett fall": the word for one follows the noun's gender.
_WORDS = (_l("noll"), None, _l("två"), _l("tre"), _l("fyra"), _l("fem"), _l("sex"), _l("sju"), _l("åtta"),
          _l("nio"), _l("tio"), _l("elva"), _l("tolv"))
_ONE = {False: _l("en"), True: _l("ett")}


def number(n: int | float, *, neuter: bool = False) -> str:
    """A count in running text: a word up to twelve, otherwise figures (a half with a decimal comma)."""
    if isinstance(n, float) and not n.is_integer():
        return str(n).replace(".", ",")
    n = int(n)
    if n == 1:
        return str(_ONE[neuter])
    if 0 <= n <= 12:
        return str(_WORDS[n])
    return str(n)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(name: str) -> str:
    # "Brister i bemötande" reads "brister i bemötande" mid-sentence, "E-post" "e-post"; "IVO" stays "IVO".
    return name[0].lower() + name[1:] if len(name) > 1 and not name[1].isupper() else name


def join(parts: list[str]) -> str:
    """"a", "a och b", "a, b och c": "och" once, before the last."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s och %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def listing(counts: dict[str, int], limit: int = 5, labels: dict | None = None, *, lower: bool = True) -> str:
    """"brister i bemötande (3), sekretess (2) och dokumentation (1)": the largest first, zeros left out."""
    labels = labels or {}
    items = [(str(labels.get(k, k)), n) for k, n in counts.items() if n][:limit]
    return join([f"{lower_first(name) if lower else name} ({n})" for name, n in items])


def leaders(counts: dict[str, int]) -> tuple[list[str], int, dict[str, int]]:
    """The names sharing the largest count, that count, and the rest (zeros left out)."""
    counts = {k: v for k, v in counts.items() if v}
    if not counts:
        return [], 0, {}
    top = max(counts.values())
    first = [k for k, v in counts.items() if v == top]
    return first, top, {k: v for k, v in counts.items() if v != top}
