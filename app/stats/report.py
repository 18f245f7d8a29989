"""The yearly statistics as the contract's JSON, as tables, and as the quality report's sentences.

`statistics()` turns the aggregate rows of app.stats.queries into exactly the JSON of the
contract (issue 7); everything else here is drawn from that JSON, so the page, the
printable report, the downloads, the API and the CLI always show the same figures.
Nothing here reads a case: only counts, and the names of departments, categories and
action types. Names, personal identity numbers and free text never get this far.

The sentences follow the municipalities' quality reports (docs/statistics.md, "The sentences
and when each is produced"): "Under 2018 har totalt 11 lex Sarah-rapporter inkommit till socialnämnden.
Det är en minskning med 9 rapporter jämfört med föregående år."
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.cases.models import CASE_KINDS, CLIENT_GENDERS, COMPLAINT_CHANNELS, COMPLAINT_TYPES
from app.extensions import db
from app.lexsarah.models import IVO_OUTCOMES
from app.stats import queries, wording
from app.stats.contract import (
    CHANNEL_LABELS,
    FOLLOW_UP_LABELS,
    GENDER_LABELS,
    IVO_DECISION_LABELS,
    KIND_KEYS,
    KIND_PLURALS,
    MEASURE_LABELS,
    OUTCOME_LABELS,
    REASON_LABELS,
    SECTION_CHAPTERS,
    SHEET_NAMES,
    TEXT_HEADINGS,
    TREND_KINDS,
    TREND_YEARS,
)
from app.stats.models import DataFromYear
from app.stats.sentences import (
    action_sentences,
    complaint_sentences,
    deviation_sentences,
    gender_sentences,
    lex_sarah_sentences,
    median_sentences,
    trend_sentences,
)
from app.workflow import Kind

# --- the contract -------------------------------------------------------------------------------

def _ordered(counts: dict[str, int]) -> dict[str, int]:
    """Largest first, then by name; zero counts are left out."""
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0].casefold())))


def _median(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value * 2) / 2


# The reasons of a decision not to investigate that the contract counts, per kind (lex Sarah: the
# officer's ställningstagande not to investigate).
NOT_INVESTIGATED_REASONS = {
    Kind.LEX_SARAH: ("no_misconduct", "already_investigated", "not_own_service", "health_care"),
    Kind.DEVIATION: ("not_caused_by_service", "not_own_service", "already_investigated"),
}
FOLLOW_UP_RESULTS = ("yes", "partly", "no")


@dataclass
class Counts:
    """The aggregate rows of one year, read once and shared by the blocks of the JSON."""

    year: int
    scope: queries.Scope
    first_years: dict[str, int | None]
    received: dict[str, int] = field(default_factory=dict)
    not_investigated: dict[str, int] = field(default_factory=dict)
    to_deviation: dict[str, int] = field(default_factory=dict)
    to_lex_sarah: dict[str, int] = field(default_factory=dict)
    from_handover: dict[str, int] = field(default_factory=dict)
    genders: dict[str, dict[str, int]] = field(default_factory=dict)
    by_department: dict[str, dict[str, int]] = field(default_factory=dict)
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, dict[str, int]] = field(default_factory=dict)

    def known(self, kind: str, year: int | None = None) -> bool:
        """Whether the kind has data for the year: on or after its first year of data."""
        first = self.first_years.get(kind)
        return first is not None and (self.year if year is None else year) >= first

    def received_or_null(self, kind: str) -> int | None:
        return self.received.get(kind, 0) if self.known(kind) else None

    def gender(self, kind: str) -> dict[str, int]:
        return {gender: n for gender, n in self.genders.get(kind, {}).items() if n}


def first_years_of_data() -> dict[str, int | None]:
    """Per kind, the first year of data: the year of its earliest case, or the earlier year an admin
    set ("uppgifter finns från och med"); None for a kind with neither."""
    years: dict[str, int | None] = dict.fromkeys(KIND_KEYS, None)
    for kind, year in queries.first_years().items():
        years[kind] = year
    for row in db.session.scalars(select(DataFromYear)):
        if row.kind in years:
            years[row.kind] = row.year if years[row.kind] is None else min(years[row.kind], row.year)
    return years


def _read(year: int, unit_path: str | None) -> Counts:
    scope = queries.Scope(year, year, unit_path)
    counts = Counts(year, scope, first_years_of_data())
    for kind in (*KIND_KEYS, *(k for k in CASE_KINDS if k not in KIND_KEYS)):  # every kind the queries count
        for name in ("received", "not_investigated", "to_deviation", "to_lex_sarah", "from_handover"):
            getattr(counts, name)[kind] = 0
        counts.genders[kind] = dict.fromkeys(CLIENT_GENDERS, 0)
        counts.by_department[kind], counts.by_category[kind], counts.reasons[kind] = {}, {}, {}
    for kind, gender, n, not_inv, handed_over, escalated, from_handover in queries.kind_counts(scope):
        counts.received[kind] += n
        counts.not_investigated[kind] += int(not_inv or 0)
        counts.to_deviation[kind] += int(handed_over or 0)
        counts.to_lex_sarah[kind] += int(escalated or 0)
        counts.from_handover[kind] += int(from_handover or 0)
        counts.genders[kind][gender if gender in CLIENT_GENDERS else "unknown"] += n
    for name, kind, n in queries.department_counts(scope):
        counts.by_department[kind][name] = counts.by_department[kind].get(name, 0) + n
    for kind, name, n in queries.category_counts(scope):
        counts.by_category[kind][name] = n
    for kind, reason, n in queries.not_investigated_reasons(scope):
        counts.reasons[kind][reason] = counts.reasons[kind].get(reason, 0) + n
    return counts


def _reasons(counts: Counts, kind: str) -> dict[str, int]:
    return {reason: counts.reasons[kind].get(reason, 0) for reason in NOT_INVESTIGATED_REASONS[kind]}


def _lex_sarah_block(counts: Counts) -> dict:
    kind = Kind.LEX_SARAH
    outcomes = queries.lex_sarah_outcomes(counts.scope)
    judged = outcomes["misconduct"] + outcomes["risk"] + outcomes["none"]
    received = counts.received[kind]
    return {
        "received": counts.received_or_null(kind),
        "not_investigated": counts.not_investigated[kind],
        "pending": received - counts.not_investigated[kind] - judged,
        "judgments": {key: outcomes[key] for key in ("misconduct", "risk", "none")},
        "serious": outcomes["serious"],
        "notified_to_ivo": outcomes["notified"],
        "handled_as_deviation": counts.to_deviation[kind],
        "by_department": _ordered(counts.by_department[kind]),
        "by_category": _ordered(counts.by_category[kind]),
        "from_handover": counts.from_handover[kind],
        "not_investigated_by_reason": _reasons(counts, kind),
        "ivo_decisions": {outcome: outcomes[f"ivo_{outcome}"] for outcome in IVO_OUTCOMES},
        "client_gender": counts.gender(kind),
    }


def _deviations_block(counts: Counts) -> dict:
    kind = Kind.DEVIATION
    return {
        "received": counts.received_or_null(kind),
        "not_investigated": counts.not_investigated[kind],
        "escalated_to_lex_sarah": counts.to_lex_sarah[kind],
        "by_department": _ordered(counts.by_department[kind]),
        "by_category": _ordered(counts.by_category[kind]),
        "from_handover": counts.from_handover[kind],
        "not_investigated_by_reason": _reasons(counts, kind),
        "client_gender": counts.gender(kind),
    }


def _complaints_block(counts: Counts) -> dict:
    kind = Kind.COMPLAINT
    channels = dict.fromkeys(COMPLAINT_CHANNELS, 0)
    types = dict.fromkeys(COMPLAINT_TYPES, 0)
    answered = 0
    for channel, complaint_type, n, answered_n in queries.complaint_channels(counts.scope):
        channels[channel] += n
        types[complaint_type] += n
        answered += answered_n
    return {
        "received": counts.received_or_null(kind),
        "by_channel": {channel: n for channel, n in channels.items() if n},
        "via_ivo": channels["ivo"],
        "answered": answered,
        "by_department": _ordered(counts.by_department[kind]),
        "by_category": _ordered(counts.by_category[kind]),
        "by_type": types,
        "escalated_to_lex_sarah": counts.to_lex_sarah[kind],
        "client_gender": counts.gender(kind),
    }


def _actions_block(counts: Counts) -> dict:
    followed_up = dict.fromkeys(FOLLOW_UP_RESULTS, 0)
    for result, n in queries.follow_up_counts(counts.scope):
        followed_up[result] += n
    return {"by_type": _ordered(dict(queries.action_counts(counts.scope))), "followed_up": followed_up}


# The blocks of the JSON between "year" and "client_gender", in the contract's order; the blocks
# of other features' kinds (register_kind) follow "complaints".
BLOCKS = [
    ("lex_sarah", _lex_sarah_block),
    ("deviations", _deviations_block),
    ("complaints", _complaints_block),
    ("actions", _actions_block),
]


@dataclass(frozen=True)
class KindStatistics:
    """A kind of case another feature adds to the statistics, registered by create_app() (the
    supervision cases): its block of the JSON after "complaints", its series in `trend` and
    `change`, its chapter of the report after lex Sarah, and its tables' sheet names."""

    kind: str
    key: str
    block: Callable[[Counts], dict]
    chapter: Callable[[dict], "Chapter"]
    sheet_names: dict = field(default_factory=dict)


_MORE_KINDS: dict[str, KindStatistics] = {}


def register_kind(more: KindStatistics) -> None:
    """Idempotent: create_app() runs more than once in a process (the tests)."""
    _MORE_KINDS[more.key] = more
    if more.kind not in queries.COUNTED_KINDS:
        queries.COUNTED_KINDS.append(more.kind)
    KIND_KEYS[more.kind] = more.key
    TREND_KINDS[more.key] = more.kind
    SHEET_NAMES.update(more.sheet_names)


def _blocks():
    for key, block in BLOCKS:
        yield key, block
        if key == "complaints":
            yield from ((more.key, more.block) for more in _MORE_KINDS.values())


def statistics(year: int, unit_path: str | None = None) -> dict:
    """The contract JSON for one year, for the whole administration or one unit and all under it."""
    counts = _read(year, unit_path)
    data: dict = {"year": year}
    for key, block in _blocks():
        data[key] = block(counts)
    genders = dict.fromkeys(CLIENT_GENDERS, 0)
    for kind in CASE_KINDS:  # the three kinds of report, each with its own client_gender
        for gender, n in counts.genders[kind].items():
            genders[gender] += n
    data["client_gender"] = {gender: n for gender, n in genders.items() if n}
    data["median_days"] = {measure: _median(queries.median_days(measure, counts.scope))
                           for measure in queries.MEASURES}
    trend = _trend(year, unit_path, counts.first_years)
    this, before = trend[-1], trend[-2]
    first = ("lex_sarah", "deviations", "complaints")  # the order of version 1, then any newer series
    data["change"] = {key: None if this[key] is None or before[key] is None else this[key] - before[key]
                      for key in (*first, *(k for k in TREND_KINDS if k not in first), "notified_to_ivo")}
    data["trend"] = trend
    return data


def _trend(year: int, unit_path: str | None, first_years: dict[str, int | None]) -> list[dict]:
    """Five years, oldest first, ending with `year`; a kind's years before its first year of data are null."""
    scope = queries.Scope(year - TREND_YEARS + 1, year, unit_path)
    rows = {y: {"year": y, **dict.fromkeys(TREND_KINDS, 0), "notified_to_ivo": 0}
            for y in range(scope.first_year, year + 1)}
    for y, kind, n in queries.trend_counts(scope):
        if KIND_KEYS.get(kind) in rows[y]:
            rows[y][KIND_KEYS[kind]] += n
    for y, n in queries.trend_notified(scope):
        rows[y]["notified_to_ivo"] += n
    for y, row in rows.items():
        for key, kind in TREND_KINDS.items():
            first = first_years.get(kind)
            if first is None or y < first:
                row[key] = None
                if kind == Kind.LEX_SARAH:
                    row["notified_to_ivo"] = None  # notifications follow lex Sarah
    return list(rows.values())


# --- tables, charts and chapters ------------------------------------------------------------------

@dataclass
class Table:
    """One table of the report: a caption, column headings and rows whose first cell is a label."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def sheet_name(self) -> str:
        return str(SHEET_NAMES.get(self.key, self.title))


@dataclass
class Chart:
    """A chart of the numbers of one table (the table is shown beside it, for those who cannot see it)."""

    kind: str  # "bar" or "line"
    title: str
    description: str
    labels: list[str]
    series: list[tuple[str, list[float]]]
    table_key: str
    ident: str = ""  # unique within the report, for the SVG's ids; set by build_report


@dataclass
class Chapter:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # (heading, text): the year's analysis and improvement work, printed under the figures.
    texts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Adoption:
    """How the nämnd adopted the chapter of the year (entered by an admin), printed under its title."""

    adopted_by: str = ""
    decided_on: str = ""  # already written as a date, "2019-02-26"
    diary_number: str = ""

    @property
    def lines(self) -> list[tuple[str, str]]:
        return [(label, value) for label, value in ((_("Fastställd av"), self.adopted_by),
                                                    (_("Beslutsdatum"), self.decided_on),
                                                    (_("Diarienummer"), self.diary_number)) if value]


@dataclass
class Report:
    year: int
    department: str | None
    data: dict
    chapters: list[Chapter]
    board_name: str = ""
    adoption: Adoption = field(default_factory=Adoption)

    @property
    def tables(self) -> list[Table]:
        return [table for chapter in self.chapters for table in chapter.tables]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def title(self) -> str:
        # One chapter of the nämnd's kvalitetsberättelse, titled as the chapter it is.
        if self.department:
            return _("Avvikelser, klagomål, lex Sarah och tillsyn %(year)d – %(name)s", year=self.year,
                     name=self.department)
        return _("Avvikelser, klagomål, lex Sarah och tillsyn %(year)d", year=self.year)


def count_table(key: str, title: str, what: str, counts: dict[str, int], labels: dict | None = None) -> Table:
    labels = labels or {}
    return Table(key, title, [what, _("Antal")], [[str(labels.get(k, k)), n] for k, n in counts.items()])


def details(year: int, unit_path: str | None = None) -> dict:
    """What some tables show beyond the contract JSON: the reasons not to investigate per department,
    and the categories of each kind over the five years."""
    scope = queries.Scope(year, year, unit_path)
    reasons: dict[str, dict[str, dict[str, int]]] = {kind: {} for kind in NOT_INVESTIGATED_REASONS}
    for name, kind, reason, n in queries.reasons_by_department(scope):
        if kind in reasons and reason in NOT_INVESTIGATED_REASONS[kind]:
            per_reason = reasons[kind].setdefault(name, {})
            per_reason[reason] = per_reason.get(reason, 0) + n
    categories: dict[str, dict[str, dict[int, int]]] = {kind: {} for kind in KIND_KEYS}
    for y, kind, name, n in queries.category_trend(queries.Scope(year - TREND_YEARS + 1, year, unit_path)):
        if kind in categories:
            categories[kind].setdefault(name, {})[y] = n
    return {"reasons_by_department": reasons, "category_trend": categories}


def _reason_table(key: str, title: str, kind: str, part: dict, by_department: dict) -> Table:
    codes = NOT_INVESTIGATED_REASONS[kind]
    rows = [[name, *(counts.get(code, 0) for code in codes)]
            for name, counts in sorted(by_department.items(), key=lambda kv: (-sum(kv[1].values()),
                                                                               kv[0].casefold()))]
    if rows:
        rows.append([_("Totalt"), *(part["not_investigated_by_reason"][code] for code in codes)])
    return Table(key, title, [_("Avdelning"), *(str(REASON_LABELS[code]) for code in codes)], rows)


def _category_trend_table(key: str, title: str, kind: str, trend: list[dict], per_category: dict) -> Table:
    """Categories over the five years, the year's largest first; a year without data is empty (null)."""
    series = KIND_KEYS[kind]
    years = [row["year"] for row in trend]
    known = {row["year"]: row[series] is not None for row in trend}
    last = years[-1]
    ordered = sorted(per_category.items(), key=lambda kv: (-kv[1].get(last, 0), kv[0].casefold()))
    return Table(key, title, [_("Kategori"), *(str(y) for y in years)],
                 [[name, *(counts.get(y, 0) if known[y] else None for y in years)] for name, counts in ordered])


def _growth_sentence(per_category: dict[str, dict[int, int]], trend: list[dict], kind: str) -> str:
    """Which category grew most since last year, when both years have data: "which categories grow"."""
    series = KIND_KEYS[kind]
    if len(trend) < 2 or trend[-1][series] is None or trend[-2][series] is None:
        return ""
    this, before = trend[-1]["year"], trend[-2]["year"]
    grown = sorted(((counts.get(this, 0) - counts.get(before, 0), name, counts.get(before, 0), counts.get(this, 0))
                    for name, counts in per_category.items()), key=lambda g: (-g[0], g[1].casefold()))
    if not grown or grown[0][0] <= 0 or (len(grown) > 1 and grown[1][0] == grown[0][0]):
        return ""  # nothing grew, or a tie: the table says it better
    _diff, name, was, now = grown[0]
    return _("Mest har kategorin %(name)s ökat, från %(before)s till %(after)s.", name=wording.lower_first(name),
             before=wording.number(was), after=wording.number(now))


def build_report(data: dict, department: str | None = None, *, board_name: str = "",
                 adoption: Adoption | None = None, texts: dict[str, tuple[str, str]] | None = None,
                 extra: dict | None = None) -> Report:
    """The chapters of the quality report, from the contract JSON; `texts` holds the analysis and the
    improvement work per section (app.stats.models.TEXT_SECTIONS), printed under its figures, and
    `extra` the details (reasons per department, categories over five years) of `details()`."""
    # Units are named as the report's readers know them: by their name, without a prefix.
    where = department if department else _("socialnämnden")
    extra = extra or {}
    chapters = [
        _overview_chapter(data),
        _complaints_chapter(data, where, extra),
        _deviations_chapter(data, where, extra),
        _lex_sarah_chapter(data, where, extra),
        *(more.chapter(data) for more in _MORE_KINDS.values()),
        _departments_chapter(data),
        _actions_chapter(data),
        _gender_chapter(data),
        _times_chapter(data),
    ]
    for n, chart in enumerate(chart for chapter in chapters for chart in chapter.charts):
        chart.ident = f"chart-{n}"
    _add_texts(chapters, texts or {})
    return Report(data["year"], department, data, chapters, board_name=board_name, adoption=adoption or Adoption())


def _add_texts(chapters: list[Chapter], texts: dict[str, tuple[str, str]]) -> None:
    by_key = {chapter.key: chapter for chapter in chapters}
    for section, (analysis, improvement) in texts.items():
        chapter = by_key.get(SECTION_CHAPTERS.get(section, ""))
        if chapter is None:
            continue
        # Empty texts are left out, not printed as empty headings.
        chapter.texts += [(str(heading), text) for heading, text in ((TEXT_HEADINGS["analysis"], analysis),
                                                                     (TEXT_HEADINGS["improvement"], improvement))
                          if text.strip()]


def _overview_chapter(data: dict) -> Chapter:
    trend = data["trend"]
    overview = Chapter("trend", _("Utveckling över fem år"), paragraphs=trend_sentences(data))
    overview.tables.append(Table(
        "trend", _("Inkomna ärenden per år"),
        [_("År"), str(KIND_PLURALS["deviation"]), str(KIND_PLURALS["complaint"]), str(KIND_PLURALS["lex_sarah"]),
         _("Därav anmälda till IVO")],
        [[str(row["year"]), row["deviations"], row["complaints"], row["lex_sarah"], row["notified_to_ivo"]]
         for row in trend]))
    overview.charts.append(Chart(
        "line", _("Inkomna ärenden per år"),
        _("Antal avvikelser, synpunkter och klagomål, lex Sarah-rapporter och anmälningar till IVO per år, "
          "%(first)d–%(last)d.", first=trend[0]["year"], last=data["year"]),
        [str(row["year"]) for row in trend],
        [(str(KIND_PLURALS["deviation"]), [row["deviations"] for row in trend]),
         (str(KIND_PLURALS["complaint"]), [row["complaints"] for row in trend]),
         (str(KIND_PLURALS["lex_sarah"]), [row["lex_sarah"] for row in trend]),
         (_("Anmälda till IVO"), [row["notified_to_ivo"] for row in trend])],
        "trend"))
    return overview


def _departments_chapter(data: dict) -> Chapter:
    year = data["year"]
    ls, dev, com = data["lex_sarah"], data["deviations"], data["complaints"]
    departments = sorted({name for part in (ls, dev, com) for name in part["by_department"]},
                         key=lambda name: (-sum(part["by_department"].get(name, 0) for part in (ls, dev, com)),
                                           name.casefold()))
    per_department = Table(
        "departments", _("Inkomna ärenden per avdelning %(year)d", year=year),
        [_("Avdelning"), str(KIND_PLURALS["deviation"]), str(KIND_PLURALS["complaint"]),
         str(KIND_PLURALS["lex_sarah"])],
        [[name, dev["by_department"].get(name, 0), com["by_department"].get(name, 0),
          ls["by_department"].get(name, 0)] for name in departments])
    by_department = Chapter("departments", _("Per avdelning"), tables=[per_department])
    if departments:
        by_department.charts.append(Chart(
            "bar", per_department.title,
            _("Antal avvikelser, synpunkter och klagomål och lex Sarah-rapporter per avdelning %(year)d.", year=year),
            departments,
            [(str(KIND_PLURALS["deviation"]), [row[1] for row in per_department.rows]),
             (str(KIND_PLURALS["complaint"]), [row[2] for row in per_department.rows]),
             (str(KIND_PLURALS["lex_sarah"]), [row[3] for row in per_department.rows])],
            "departments"))
    return by_department


def _category_chart(chapter: Chapter, part: dict, key: str, title: str) -> None:
    if part["by_category"]:
        chapter.charts.append(Chart(
            "bar", title, _("%(title)s, i fallande ordning.", title=title), list(part["by_category"]),
            [(_("Antal"), list(part["by_category"].values()))], key))


def _growth(chapter: Chapter, kind: str, data: dict, categories: dict) -> None:
    growth = _growth_sentence(categories.get(kind, {}), data["trend"], kind)
    if growth:
        chapter.paragraphs.append(growth)


def _complaints_chapter(data: dict, where: str, extra: dict) -> Chapter:
    year, com, trend = data["year"], data["complaints"], data["trend"]
    categories = extra.get("category_trend", {})
    complaints = Chapter("complaints", _("Synpunkter och klagomål"), paragraphs=complaint_sentences(data, where))
    by_category = _("Synpunkter och klagomål per kategori %(year)d", year=year)
    complaints.tables += [
        Table("complaints", _("Synpunkter och klagomål %(year)d", year=year), [_("Uppgift"), _("Antal")], [
            [_("Registrerade synpunkter och klagomål"), com["received"]],
            [_("Därav inkomna via IVO"), com["via_ivo"]],
            [_("Besvarade"), com["answered"]]]),
        count_table("complaint_channels", _("Synpunkter och klagomål per kanal %(year)d", year=year), _("Kanal"),
                     com["by_channel"], CHANNEL_LABELS),
        count_table("complaint_categories", by_category, _("Kategori"), com["by_category"]),
    ]
    _category_chart(complaints, com, "complaint_categories", by_category)
    _growth(complaints, Kind.COMPLAINT, data, categories)
    complaints.tables.append(_category_trend_table(
        "complaint_category_trend", _("Synpunkter och klagomål per kategori %(first)d–%(last)d",
                                      first=trend[0]["year"], last=year),
        Kind.COMPLAINT, trend, categories.get(Kind.COMPLAINT, {})))
    return complaints


def _deviations_chapter(data: dict, where: str, extra: dict) -> Chapter:
    year, dev, trend = data["year"], data["deviations"], data["trend"]
    categories = extra.get("category_trend", {})
    deviations = Chapter("deviations", _("Avvikelser"), paragraphs=deviation_sentences(data, where))
    by_category = _("Avvikelser per kategori %(year)d", year=year)
    deviations.tables += [
        Table("deviations", _("Avvikelser %(year)d", year=year), [_("Uppgift"), _("Antal")], [
            [_("Inkomna avvikelser"), dev["received"]],
            [_("Beslut att inte inleda utredning"), dev["not_investigated"]],
            [_("Ledde till en lex Sarah-rapport"), dev["escalated_to_lex_sarah"]]]),
        count_table("deviation_categories", by_category, _("Kategori"), dev["by_category"]),
    ]
    _category_chart(deviations, dev, "deviation_categories", by_category)
    deviations.tables += [
        _reason_table("deviation_reasons", _("Avvikelser som inte utreddes, per skäl och avdelning %(year)d",
                                             year=year), Kind.DEVIATION, dev,
                      extra.get("reasons_by_department", {}).get(Kind.DEVIATION, {})),
        _category_trend_table("deviation_category_trend", _("Avvikelser per kategori %(first)d–%(last)d",
                                                            first=trend[0]["year"], last=year),
                              Kind.DEVIATION, trend, categories.get(Kind.DEVIATION, {})),
    ]
    _growth(deviations, Kind.DEVIATION, data, categories)
    return deviations


def _lex_sarah_chapter(data: dict, where: str, extra: dict) -> Chapter:
    year, ls, trend = data["year"], data["lex_sarah"], data["trend"]
    previous = trend[-2]
    categories = extra.get("category_trend", {})
    lex_sarah = Chapter("lex_sarah", _("Lex Sarah"), paragraphs=lex_sarah_sentences(data, where))
    by_category = _("Lex Sarah-rapporter per kategori %(year)d", year=year)
    lex_sarah.tables += [
        Table("lex_sarah_comparison", _("Lex Sarah-rapporter %(previous)d och %(year)d",
                                        previous=previous["year"], year=year),
              [_("Uppgift"), str(previous["year"]), str(year)], [
                  [_("Lex Sarah-rapporter"), previous["lex_sarah"], ls["received"]],
                  [_("Därav anmälda till Inspektionen för vård och omsorg (IVO)"), previous["notified_to_ivo"],
                   ls["notified_to_ivo"]]]),
        Table("lex_sarah", _("Lex Sarah-rapporter %(year)d", year=year), [_("Uppgift"), _("Antal")], [
            [_("Inkomna lex Sarah-rapporter"), ls["received"]],
            [_("Beslut att inte inleda utredning"), ls["not_investigated"]],
            [str(OUTCOME_LABELS["misconduct"]), ls["judgments"]["misconduct"]],
            [str(OUTCOME_LABELS["risk"]), ls["judgments"]["risk"]],
            [str(OUTCOME_LABELS["none"]), ls["judgments"]["none"]],
            [_("Ännu inte bedömda"), ls["pending"]],
            [_("Bedömda som allvarliga"), ls["serious"]],
            [_("Anmälda till IVO"), ls["notified_to_ivo"]],
            [_("Överlämnade för att utredas som avvikelser"), ls["handled_as_deviation"]]]),
        count_table("lex_sarah_categories", by_category, _("Kategori"), ls["by_category"]),
    ]
    _category_chart(lex_sarah, ls, "lex_sarah_categories", by_category)
    lex_sarah.tables += [
        _reason_table("lex_sarah_reasons", _("Lex Sarah-rapporter som inte utreddes, per skäl och avdelning "
                                             "%(year)d", year=year), Kind.LEX_SARAH, ls,
                      extra.get("reasons_by_department", {}).get(Kind.LEX_SARAH, {})),
        count_table("ivo_decisions", _("IVO:s beslut om årets anmälda lex Sarah-rapporter %(year)d", year=year),
                     _("Beslut"), ls["ivo_decisions"], IVO_DECISION_LABELS),
        _category_trend_table("lex_sarah_category_trend", _("Lex Sarah-rapporter per kategori %(first)d–%(last)d",
                                                            first=trend[0]["year"], last=year),
                              Kind.LEX_SARAH, trend, categories.get(Kind.LEX_SARAH, {})),
    ]
    _growth(lex_sarah, Kind.LEX_SARAH, data, categories)
    return lex_sarah


def _actions_chapter(data: dict) -> Chapter:
    year = data["year"]
    actions = Chapter("actions", _("Åtgärder"), paragraphs=action_sentences(data))
    actions.tables += [
        count_table("actions", _("Åtgärder per typ %(year)d", year=year), _("Typ av åtgärd"),
                     data["actions"]["by_type"]),
        count_table("action_effect", _("Effekt av uppföljda åtgärder %(year)d", year=year),
                     _("Resultat av uppföljningen"), data["actions"]["followed_up"], FOLLOW_UP_LABELS),
    ]
    return actions


def _gender_chapter(data: dict) -> Chapter:
    year = data["year"]
    ls, dev, com = data["lex_sarah"], data["deviations"], data["complaints"]
    gender = Chapter("client_gender", _("Kön"), paragraphs=gender_sentences(data))
    gender.tables += [
        count_table("client_gender", _("Ärenden per kön på den enskilde %(year)d", year=year),
                     _("Kön"), data["client_gender"], GENDER_LABELS),
        Table("client_gender_by_kind", _("Ärenden per ärendetyp och kön på den enskilde %(year)d", year=year),
              [_("Kön"), str(KIND_PLURALS[Kind.DEVIATION]), str(KIND_PLURALS[Kind.COMPLAINT]),
               str(KIND_PLURALS[Kind.LEX_SARAH])],
              [[str(GENDER_LABELS[g]), dev["client_gender"].get(g, 0), com["client_gender"].get(g, 0),
                ls["client_gender"].get(g, 0)] for g in CLIENT_GENDERS if g in data["client_gender"]]),
    ]
    return gender


def _times_chapter(data: dict) -> Chapter:
    times = Chapter("median_days", _("Handläggningstider"), paragraphs=median_sentences(data))
    times.tables.append(Table("median_days", _("Handläggningstid i dagar (median) %(year)d", year=data["year"]),
                              [_("Mått"), _("Dagar (median)")],
                              [[str(MEASURE_LABELS[m]), data["median_days"][m]] for m in queries.MEASURES]))
    return times
