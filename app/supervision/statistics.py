"""The supervision block of the yearly statistics (docs/statistics.md, "supervision"), its
column of the five-year trend, and the quality report's chapter. app/stats/report.py calls
`block`, `add_to_trend` and `chapter`, one line each; everything about the kind is here.

Counted like the other kinds: the supervision cases received (the authority's letter) in the
year, for the whole administration or one department (the case's unit, the nearest unit above
every unit concerned; `by_department` counts a case once under each department it concerns).
`decisions` are the authority's decisions on those cases, so `received` = `pending` + the
decisions; `from_complaints` the cases linked to at least one complaint in Värna. Imported
earlier years count the same way."""

from collections import Counter

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import aliased

from app.cases.models import Case
from app.clock import to_local
from app.extensions import db
from app.org.models import Unit
from app.stats import wording
from app.stats.queries import year_start
from app.stats.report import Chapter, Table, count_table
from app.supervision.labels import DECISION_LABELS, ORIGIN_LABELS, SUBJECT_LABELS
from app.supervision.models import (
    DECISIONS,
    ORIGINS,
    SUBJECTS,
    SupervisionDetails,
    supervision_links,
    supervision_units,
)
from app.workflow import Kind

KEY = Kind.SUPERVISION.value  # the contract's key, in the block and in each trend row
# The sheets of this chapter's tables in the XLSX (Excel allows 31 characters).
SHEET_NAMES = {KEY: _l("Tillsyn"), "supervision_origins": _l("Tillsyn per start"),
               "supervision_subjects": _l("Tillsyn per slag"), "supervision_trend": _l("Tillsyn, fem år")}

def _conditions(first_year: int, last_year: int, department_path: str | None) -> list:
    conditions = [Case.kind == Kind.SUPERVISION, Case.received_at >= year_start(first_year),
                  Case.received_at < year_start(last_year + 1)]
    if department_path:
        conditions.append(Case.unit_id.in_(select(Unit.id).where(Unit.path.startswith(department_path))))
    return conditions


def _ordered(counts: Counter) -> dict[str, int]:
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0].casefold())))


def statistics_block(counts) -> dict:
    """The block for the statistics report (app.stats.report.register_kind): `received` is null
    before the first year of data, as for every kind."""
    data = block(counts.year, counts.scope.department_path)
    if not counts.known(Kind.SUPERVISION):
        data["received"] = None
    return data


def block(year: int, department_path: str | None = None) -> dict:
    """The contract's "supervision" block for one year (docs/statistics.md)."""
    rows = db.session.execute(
        select(Case.id, SupervisionDetails.origin, SupervisionDetails.subject, SupervisionDetails.decision)
        .join(SupervisionDetails, SupervisionDetails.case_id == Case.id)
        .where(*_conditions(year, year, department_path))).all()
    ids = [row.id for row in rows]
    origins, subjects = Counter(row.origin for row in rows), Counter(row.subject for row in rows)
    decisions = Counter(row.decision for row in rows if row.decision)
    return {
        "received": len(rows),
        "pending": sum(1 for row in rows if row.decision is None),
        "by_origin": {origin: origins[origin] for origin in ORIGINS},
        "by_subject": {subject: subjects[subject] for subject in SUBJECTS},
        "decisions": {decision: decisions[decision] for decision in DECISIONS},
        "from_complaints": _linked_to_a_complaint(ids),
        "by_department": _ordered(_departments(ids)),
    }


def _linked_to_a_complaint(ids: list[int]) -> int:
    """How many of these supervision cases are linked to at least one complaint in Värna."""
    if not ids:
        return 0
    linked = aliased(Case)
    return int(db.session.scalar(
        select(func.count(distinct(supervision_links.c.case_id)))
        .join(linked, linked.id == supervision_links.c.linked_case_id)
        .where(supervision_links.c.case_id.in_(ids), linked.kind == Kind.COMPLAINT)) or 0)


def _departments(ids: list[int]) -> Counter:
    """A case once under each department it concerns (the units concerned; a unit at the top
    counts as itself)."""
    if not ids:
        return Counter()
    pairs = db.session.execute(select(supervision_units.c.case_id, Unit.path, Unit.depth)
                               .join(Unit, Unit.id == supervision_units.c.unit_id)
                               .where(supervision_units.c.case_id.in_(ids))).all()
    department_of = {case_id: set() for case_id in ids}
    for case_id, path, depth in pairs:
        parts = [int(part) for part in path.strip("/").split("/")]
        department_of[case_id].add(parts[1] if depth >= 1 else parts[0])
    wanted = set().union(*department_of.values())
    names = dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted))).all()) if wanted else {}
    return Counter(names[unit_id] for found in department_of.values() for unit_id in found)


def add_to_trend(rows: dict[int, dict], department_path: str | None = None) -> None:
    """Each trend row (year -> row) gains the year's supervision cases."""
    first, last = min(rows), max(rows)
    received = db.session.scalars(select(Case.received_at).where(*_conditions(first, last, department_path)))
    per_year = Counter(to_local(moment).year for moment in received)
    for year, row in rows.items():
        row[KEY] = per_year[year]


# --- the quality report -----------------------------------------------------------------------

def N_(text: str) -> str:
    """Marks a text for pybabel (it extracts N_); _one_or_more translates it."""
    return text


def _one_or_more(n: int, one: str, more: str, **values) -> str:
    """The sentence for one ("I ett ärende ...") or for more ("I tre ärenden ..."), each whole:
    the Swedish says "ett"/"en" where a plural form would need the number."""
    return _(one, **values) if n == 1 else _(more, **values)


def sentences(data: dict) -> list[str]:
    """"Under 2013 inkom tio tillsynsärenden. Det är åtta fler än året före." and how IVO decided."""
    year, sv = data["year"], data[KEY]
    received, change = sv["received"], data["change"][KEY]
    if received is None:  # before the first year of data: no figure, and nothing to compare
        return [_("Det finns inga uppgifter om tillsynsärenden för %(year)d.", year=year)]
    if received == 1:
        opening = _("Under %(year)d inkom ett tillsynsärende.", year=year)
    elif received:
        opening = _("Under %(year)d inkom %(words)s tillsynsärenden.", year=year,
                    words=wording.number(received, neuter=True))
    else:
        opening = _("Under %(year)d inkom inga tillsynsärenden.", year=year)
    if change is None:
        compared = _("Det finns inga uppgifter för %(year)d att jämföra med.", year=year - 1)
    elif change > 0:
        compared = _("Det är %(words)s fler än året före.", words=wording.number(change, neuter=True))
    elif change < 0:
        compared = _("Det är %(words)s färre än året före.", words=wording.number(-change, neuter=True))
    else:
        compared = _("Det är lika många som året före.")
    paragraphs = [f"{opening} {compared}"]
    decisions = sv["decisions"]
    decided = sum(decisions.values())
    if decided:
        closed = decisions.get("no_criticism", 0) + decisions.get("criticism", 0)
        parts = []
        if closed == decided == 1:
            parts.append(_("IVO beslutade att avsluta ärendet."))
        elif closed == decided:
            parts.append(_("Vid alla %(words)s tillsyner beslutade IVO att avsluta ärendet.",
                           words=wording.number(decided)))
        elif closed:
            parts.append(_("Vid %(closed)s av %(decided)s tillsyner beslutade IVO att avsluta ärendet.",
                           closed=wording.number(closed),
                           decided=wording.number(decided)))
        for key, one, more in (
                ("criticism", N_("I ett ärende gav IVO nämnden kritik."),
                 N_("I %(words)s ärenden gav IVO nämnden kritik.")),
                ("demands", N_("I ett ärende ställde IVO krav på åtgärder."),
                 N_("I %(words)s ärenden ställde IVO krav på åtgärder.")),
                ("injunction", N_("I ett ärende förelade IVO nämnden att vidta åtgärder."),
                 N_("I %(words)s ärenden förelade IVO nämnden att vidta åtgärder."))):
            n = decisions.get(key, 0)
            if n:
                parts.append(_one_or_more(n, one, more, words=wording.number(n, neuter=True)))
        paragraphs.append(" ".join(parts))
    if sv["pending"] and received:
        paragraphs.append(_one_or_more(sv["pending"], N_("Ett av årets tillsynsärenden väntar på beslut."),
                                       N_("%(words)s av årets tillsynsärenden väntar på beslut."),
                                       words=wording.number(sv["pending"], neuter=True).capitalize()))
    if sv["from_complaints"]:
        paragraphs.append(_one_or_more(
            sv["from_complaints"],
            N_("En tillsyn har IVO genomfört med anledning av klagomål som också är registrerade hos nämnden."),
            N_("%(words)s tillsyner har IVO genomfört med anledning av klagomål som också är registrerade hos "
               "nämnden."),
            words=wording.number(sv["from_complaints"]).capitalize()))
    return paragraphs


def chapter(data: dict):
    """The report's chapter "Tillsyn": the sentences, the year's table and the five years."""
    year, sv = data["year"], data[KEY]
    part = Chapter(KEY, _("Tillsyn"), paragraphs=sentences(data))
    part.tables += [
        Table(KEY, _("Tillsynsärenden %(year)d", year=year), [_("Uppgift"), _("Antal")], [
            [_("Inkomna tillsynsärenden"), sv["received"]],
            [_("Väntar på beslut"), sv["pending"]],
            *[[str(DECISION_LABELS[d]), n] for d, n in sv["decisions"].items()],
            [_("Tillsyner med anledning av registrerade klagomål"), sv["from_complaints"]]]),
        count_table("supervision_origins", _("Tillsynsärenden efter hur de inleddes %(year)d", year=year),
                     _("Inleddes genom"), _ordered(Counter(sv["by_origin"])), ORIGIN_LABELS),
        count_table("supervision_subjects", _("Tillsynsärenden efter vad de gäller %(year)d", year=year),
                     _("Gäller"), _ordered(Counter(sv["by_subject"])), SUBJECT_LABELS),
        Table("supervision_trend", _("Tillsynsärenden per år"), [_("År"), _("Antal")],
              [[str(row["year"]), row[KEY]] for row in data["trend"]]),
    ]
    return part
