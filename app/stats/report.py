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

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.cases.models import CASE_KINDS, CLIENT_GENDERS, COMPLAINT_CHANNELS
from app.stats import queries
from app.supervision import statistics as supervision
from app.workflow import Kind

TREND_YEARS = 5

CHANNEL_LABELS = {"web": _l("Webbformuläret"), "email": _l("E-post"), "letter": _l("Brev"),
                  "phone": _l("Telefon"), "visit": _l("Besök"), "ivo": _l("Via IVO")}
GENDER_LABELS = {"female": _l("Kvinna eller flicka"), "male": _l("Man eller pojke"), "other": _l("Annat"),
                 "unknown": _l("Okänt")}
OUTCOME_LABELS = {"misconduct": _l("Missförhållande"), "risk": _l("Påtaglig risk för missförhållande"),
                  "none": _l("Inget missförhållande")}
MEASURE_LABELS = {"lex_sarah_to_judgment": _l("Lex Sarah: från rapport till bedömning"),
                  "lex_sarah_to_ivo": _l("Lex Sarah: från rapport till anmälan till IVO"),
                  "complaint_to_answer": _l("Klagomål: från att klagomålet kom in till svar")}
KIND_PLURALS = {Kind.DEVIATION: _l("Avvikelser"), Kind.COMPLAINT: _l("Synpunkter och klagomål"),
                Kind.LEX_SARAH: _l("Lex Sarah-rapporter")}
KIND_KEYS = {Kind.DEVIATION: "deviations", Kind.COMPLAINT: "complaints", Kind.LEX_SARAH: "lex_sarah"}
# Short names for the tables, for the sheets of the XLSX (Excel allows 31 characters).
SHEET_NAMES = {
    "trend": _l("Fem år"), "departments": _l("Per avdelning"), "complaints": _l("Klagomål"),
    "complaint_channels": _l("Klagomål per kanal"), "complaint_categories": _l("Klagomål per kategori"),
    "deviations": _l("Avvikelser"), "deviation_categories": _l("Avvikelser per kategori"),
    "lex_sarah_comparison": _l("Lex Sarah, två år"), "lex_sarah": _l("Lex Sarah"),
    "lex_sarah_categories": _l("Lex Sarah per kategori"), "actions": _l("Åtgärder"), "client_gender": _l("Kön"),
    "median_days": _l("Handläggningstider"), supervision.KEY: _l("Tillsyn"),
    "supervision_origins": _l("Tillsyn per start"), "supervision_subjects": _l("Tillsyn per slag"),
    "supervision_trend": _l("Tillsyn, fem år"),
}


# --- the contract -------------------------------------------------------------------------------

def _ordered(counts: dict[str, int]) -> dict[str, int]:
    """Largest first, then by name; zero counts are left out."""
    return dict(sorted(((k, v) for k, v in counts.items() if v), key=lambda kv: (-kv[1], kv[0].casefold())))


def _median(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value * 2) / 2


def statistics(year: int, department_path: str | None = None) -> dict:
    """The contract JSON for one year, for the whole administration or one department."""
    scope = queries.Scope(year, year, department_path)
    received = dict.fromkeys(CASE_KINDS, 0)
    not_investigated = dict.fromkeys(CASE_KINDS, 0)
    to_deviation = to_lex_sarah = 0
    genders = dict.fromkeys(CLIENT_GENDERS, 0)
    for kind, gender, n, not_inv, handed_over, escalated in queries.kind_counts(scope):
        received[kind] += n
        not_investigated[kind] += int(not_inv or 0)
        if kind == Kind.LEX_SARAH:
            to_deviation += int(handed_over or 0)
        if kind == Kind.DEVIATION:
            to_lex_sarah += int(escalated or 0)
        genders[gender if gender in genders else "unknown"] += n

    by_department = {kind: {} for kind in CASE_KINDS}
    for name, kind, n in queries.department_counts(scope):
        by_department[kind][name] = by_department[kind].get(name, 0) + n
    by_category = {kind: {} for kind in CASE_KINDS}
    for kind, name, n in queries.category_counts(scope):
        by_category[kind][name] = n

    outcomes = queries.lex_sarah_outcomes(scope)
    judged = outcomes["misconduct"] + outcomes["risk"] + outcomes["none"]
    channels = dict.fromkeys(COMPLAINT_CHANNELS, 0)
    answered = 0
    for channel, n, answered_n in queries.complaint_channels(scope):
        channels[channel] = n
        answered += answered_n

    trend = _trend(year, department_path)
    this, before = trend[-1], trend[-2]
    return {
        "year": year,
        "lex_sarah": {
            "received": received["lex_sarah"],
            "not_investigated": not_investigated["lex_sarah"],
            "pending": received["lex_sarah"] - not_investigated["lex_sarah"] - judged,
            "judgments": {key: outcomes[key] for key in ("misconduct", "risk", "none")},
            "serious": outcomes["serious"],
            "notified_to_ivo": outcomes["notified"],
            "handled_as_deviation": to_deviation,
            "by_department": _ordered(by_department["lex_sarah"]),
            "by_category": _ordered(by_category["lex_sarah"]),
        },
        "deviations": {
            "received": received["deviation"],
            "not_investigated": not_investigated["deviation"],
            "escalated_to_lex_sarah": to_lex_sarah,
            "by_department": _ordered(by_department["deviation"]),
            "by_category": _ordered(by_category["deviation"]),
        },
        "complaints": {
            "received": received["complaint"],
            "by_channel": {channel: n for channel, n in channels.items() if n},
            "via_ivo": channels["ivo"],
            "answered": answered,
            "by_department": _ordered(by_department["complaint"]),
            "by_category": _ordered(by_category["complaint"]),
        },
        supervision.KEY: supervision.block(year, department_path),
        "actions": {"by_type": _ordered(dict(queries.action_counts(scope)))},
        "client_gender": {gender: n for gender, n in genders.items() if n},
        "median_days": {measure: _median(queries.median_days(measure, scope)) for measure in queries.MEASURES},
        "change": {key: this[key] - before[key] for key in ("lex_sarah", "deviations", "complaints",
                                                             "notified_to_ivo", supervision.KEY)},
        "trend": trend,
    }


def _trend(year: int, department_path: str | None) -> list[dict]:
    """Five years, oldest first, ending with `year`; years without cases are zeros."""
    scope = queries.Scope(year - TREND_YEARS + 1, year, department_path)
    rows = {y: {"year": y, "deviations": 0, "complaints": 0, "lex_sarah": 0, supervision.KEY: 0, "notified_to_ivo": 0}
            for y in range(scope.first_year, year + 1)}
    for y, kind, n in queries.trend_counts(scope):
        rows[y][KIND_KEYS[kind]] += n
    for y, n in queries.trend_notified(scope):
        rows[y]["notified_to_ivo"] += n
    supervision.add_to_trend(rows, department_path)
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


@dataclass
class Report:
    year: int
    department: str | None
    data: dict
    chapters: list[Chapter]

    @property
    def tables(self) -> list[Table]:
        return [table for chapter in self.chapters for table in chapter.tables]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)

    @property
    def title(self) -> str:
        if self.department:
            return _("Kvalitetsberättelse %(year)d – avdelning %(name)s", year=self.year, name=self.department)
        return _("Kvalitetsberättelse %(year)d", year=self.year)


def _count_table(key: str, title: str, what: str, counts: dict[str, int], labels: dict | None = None) -> Table:
    labels = labels or {}
    return Table(key, title, [what, _("Antal")], [[str(labels.get(k, k)), n] for k, n in counts.items()])


def build_report(data: dict, department: str | None = None) -> Report:
    """The chapters of the quality report, from the contract JSON."""
    year = data["year"]
    ls, dev, com = data["lex_sarah"], data["deviations"], data["complaints"]
    where = _("avdelning %(name)s", name=department) if department else _("socialnämnden")
    trend = data["trend"]
    previous = trend[-2]

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
          "%(first)d–%(last)d.", first=trend[0]["year"], last=year),
        [str(row["year"]) for row in trend],
        [(str(KIND_PLURALS["deviation"]), [row["deviations"] for row in trend]),
         (str(KIND_PLURALS["complaint"]), [row["complaints"] for row in trend]),
         (str(KIND_PLURALS["lex_sarah"]), [row["lex_sarah"] for row in trend]),
         (_("Anmälda till IVO"), [row["notified_to_ivo"] for row in trend])],
        "trend"))

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

    complaints = Chapter("complaints", _("Synpunkter och klagomål"), paragraphs=complaint_sentences(data, where))
    complaints.tables += [
        Table("complaints", _("Synpunkter och klagomål %(year)d", year=year), [_("Uppgift"), _("Antal")], [
            [_("Registrerade synpunkter och klagomål"), com["received"]],
            [_("Därav inkomna via IVO"), com["via_ivo"]],
            [_("Besvarade"), com["answered"]]]),
        _count_table("complaint_channels", _("Synpunkter och klagomål per kanal %(year)d", year=year), _("Kanal"),
                     com["by_channel"], CHANNEL_LABELS),
        _count_table("complaint_categories", _("Synpunkter och klagomål per kategori %(year)d", year=year),
                     _("Kategori"), com["by_category"]),
    ]
    deviations = Chapter("deviations", _("Avvikelser"), paragraphs=deviation_sentences(data, where))
    deviations.tables += [
        Table("deviations", _("Avvikelser %(year)d", year=year), [_("Uppgift"), _("Antal")], [
            [_("Inkomna avvikelser"), dev["received"]],
            [_("Beslut att inte inleda utredning"), dev["not_investigated"]],
            [_("Ledde till en lex Sarah-rapport"), dev["escalated_to_lex_sarah"]]]),
        _count_table("deviation_categories", _("Avvikelser per kategori %(year)d", year=year), _("Kategori"),
                     dev["by_category"]),
    ]
    lex_sarah = Chapter("lex_sarah", _("Lex Sarah"), paragraphs=lex_sarah_sentences(data, where))
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
        _count_table("lex_sarah_categories", _("Lex Sarah-rapporter per kategori %(year)d", year=year),
                     _("Kategori"), ls["by_category"]),
    ]
    for chapter, part, key, title in (
            (complaints, com, "complaint_categories", _("Synpunkter och klagomål per kategori %(year)d", year=year)),
            (deviations, dev, "deviation_categories", _("Avvikelser per kategori %(year)d", year=year)),
            (lex_sarah, ls, "lex_sarah_categories", _("Lex Sarah-rapporter per kategori %(year)d", year=year))):
        if part["by_category"]:
            chapter.charts.append(Chart(
                "bar", title, _("%(title)s, i fallande ordning.", title=title), list(part["by_category"]),
                [(_("Antal"), list(part["by_category"].values()))], key))

    actions = Chapter("actions", _("Åtgärder"), paragraphs=action_sentences(data))
    actions.tables.append(_count_table("actions", _("Åtgärder per typ %(year)d", year=year), _("Typ av åtgärd"),
                                       data["actions"]["by_type"]))
    gender = Chapter("client_gender", _("Kön"), paragraphs=gender_sentences(data))
    gender.tables.append(_count_table("client_gender", _("Ärenden per kön på den enskilde %(year)d", year=year),
                                      _("Kön"), data["client_gender"], GENDER_LABELS))
    times = Chapter("median_days", _("Handläggningstider"), paragraphs=median_sentences(data))
    times.tables.append(Table("median_days", _("Handläggningstid i dagar (median) %(year)d", year=year),
                              [_("Mått"), _("Dagar (median)")],
                              [[str(MEASURE_LABELS[m]), data["median_days"][m]] for m in queries.MEASURES]))
    chapters = [overview, complaints, deviations, lex_sarah, supervision.chapter(data), by_department, actions, gender,
                times]
    for n, chart in enumerate(chart for chapter in chapters for chart in chapter.charts):
        chart.ident = f"chart-{n}"
    return Report(year, department, data, chapters)


# --- the sentences ----------------------------------------------------------------------------

def _number(value: float | int) -> str:
    """12 or 12,5: Swedish decimal comma."""
    return str(value).replace(".", ",")


def _lower_first(name: str) -> str:
    # "Brister i bemötande" reads "brister i bemötande" mid-sentence, "E-post" "e-post"; "IVO" stays "IVO".
    return name[0].lower() + name[1:] if len(name) > 1 and not name[1].isupper() else name


def _join(parts: list[str]) -> str:
    """"a", "a och b", "a, b och c"."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(first)s och %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def _listing(counts: dict[str, int], limit: int = 5, labels: dict | None = None) -> str:
    """"brister i bemötande (3), sekretess (2) och dokumentation (1)": the largest first."""
    labels = labels or {}
    return _join([f"{_lower_first(str(labels.get(k, k)))} ({n})" for k, n in list(counts.items())[:limit]])


def change_sentence(diff: int, noun: str) -> str:
    """The change from last year: "en ökning med N", "en minskning med N" or "oförändrat"."""
    n = abs(diff)
    if diff == 0:
        return _("Antalet är oförändrat jämfört med föregående år.")
    up = diff > 0
    if noun == Kind.LEX_SARAH:
        if up:
            return ngettext("Det är en ökning med %(num)d rapport jämfört med föregående år.",
                            "Det är en ökning med %(num)d rapporter jämfört med föregående år.", n)
        return ngettext("Det är en minskning med %(num)d rapport jämfört med föregående år.",
                        "Det är en minskning med %(num)d rapporter jämfört med föregående år.", n)
    if noun == "deviations":
        if up:
            return ngettext("Det är en ökning med %(num)d avvikelse jämfört med föregående år.",
                            "Det är en ökning med %(num)d avvikelser jämfört med föregående år.", n)
        return ngettext("Det är en minskning med %(num)d avvikelse jämfört med föregående år.",
                        "Det är en minskning med %(num)d avvikelser jämfört med föregående år.", n)
    if noun == "complaints":
        if up:
            return ngettext("Det är en ökning med %(num)d synpunkt eller klagomål jämfört med föregående år.",
                            "Det är en ökning med %(num)d synpunkter och klagomål jämfört med föregående år.", n)
        return ngettext("Det är en minskning med %(num)d synpunkt eller klagomål jämfört med föregående år.",
                        "Det är en minskning med %(num)d synpunkter och klagomål jämfört med föregående år.", n)
    if noun == "notified_to_ivo":
        if up:
            return ngettext("Det är en ökning med %(num)d anmälan jämfört med föregående år.",
                            "Det är en ökning med %(num)d anmälningar jämfört med föregående år.", n)
        return ngettext("Det är en minskning med %(num)d anmälan jämfört med föregående år.",
                        "Det är en minskning med %(num)d anmälningar jämfört med föregående år.", n)
    raise ValueError(noun)


def _most(counts: dict[str, int], what: str) -> str:
    """"Flest rapporter har inkommit till avdelning Vuxna (8). Därefter följer Unga (2) och Stab (1)."
    Only when there are two departments or more; department names keep their capitals."""
    if len(counts) < 2:
        return ""
    (name, n), *rest = counts.items()
    if what == Kind.LEX_SARAH:
        first = _("Flest rapporter har inkommit till avdelning %(name)s (%(num)d).", name=name, num=n)
    elif what == "deviations":
        first = _("Flest avvikelser har inkommit till avdelning %(name)s (%(num)d).", name=name, num=n)
    else:
        first = _("Flest synpunkter och klagomål har registrerats inom avdelning %(name)s (%(num)d).",
                  name=name, num=n)
    return first + " " + _("Därefter följer %(list)s.", list=_join([f"{k} ({v})" for k, v in rest]))


def lex_sarah_sentences(data: dict, where: str) -> list[str]:
    year, ls = data["year"], data["lex_sarah"]
    received = ls["received"]
    if received:
        opening = ngettext("Under %(year)d har totalt %(num)d lex Sarah-rapport inkommit till %(where)s.",
                           "Under %(year)d har totalt %(num)d lex Sarah-rapporter inkommit till %(where)s.",
                           received, year=year, where=where)
    else:
        opening = _("Under %(year)d har inga lex Sarah-rapporter inkommit till %(where)s.", year=year, where=where)
    paragraphs = [f"{opening} {change_sentence(data['change']['lex_sarah'], 'lex_sarah')}"]
    notified = ls["notified_to_ivo"]
    ivo = (ngettext("%(num)d rapport har anmälts till Inspektionen för vård och omsorg (IVO).",
                    "%(num)d rapporter har anmälts till Inspektionen för vård och omsorg (IVO).", notified)
           if notified else _("Ingen rapport har anmälts till Inspektionen för vård och omsorg (IVO)."))
    paragraphs.append(f"{ivo} {change_sentence(data['change']['notified_to_ivo'], 'notified_to_ivo')}")
    most = _most(ls["by_department"], "lex_sarah")
    if most:
        paragraphs.append(most)
    judged = []
    found = ls["judgments"]["misconduct"] + ls["judgments"]["risk"]
    if found:
        judged.append(ngettext(
            "I %(num)d fall har missförhållande (%(misconduct)d) eller påtaglig risk för missförhållande "
            "(%(risk)d) konstaterats.",
            "I %(num)d fall har missförhållande (%(misconduct)d) eller påtaglig risk för missförhållande "
            "(%(risk)d) konstaterats.", found,
            misconduct=ls["judgments"]["misconduct"], risk=ls["judgments"]["risk"]))
    if ls["serious"]:
        judged.append(ngettext(
            "%(num)d händelse har bedömts som så allvarlig att den omfattas av anmälningsskyldigheten till IVO.",
            "%(num)d händelser har bedömts som så allvarliga att de omfattas av anmälningsskyldigheten till IVO.",
            ls["serious"]))
    if ls["judgments"]["none"]:
        judged.append(ngettext(
            "I %(num)d fall konstaterades att händelsen inte utgjorde något missförhållande.",
            "I %(num)d fall konstaterades att händelserna inte utgjorde något missförhållande.",
            ls["judgments"]["none"]))
    if ls["handled_as_deviation"]:
        judged.append(ngettext("%(num)d rapport har i stället utretts som avvikelse.",
                               "%(num)d rapporter har i stället utretts som avvikelser.", ls["handled_as_deviation"]))
    if ls["not_investigated"]:
        judged.append(ngettext("Vid %(num)d tillfälle beslutades att inte inleda utredning.",
                               "Vid %(num)d tillfällen beslutades att inte inleda utredning.", ls["not_investigated"]))
    if ls["pending"]:
        judged.append(ngettext("%(num)d rapport är ännu inte bedömd.", "%(num)d rapporter är ännu inte bedömda.",
                               ls["pending"]))
    if judged:
        paragraphs.append(" ".join(judged))
    if ls["by_category"]:
        paragraphs.append(_("Rapporterna rör bland annat %(list)s.", list=_listing(ls["by_category"])))
    return paragraphs


def deviation_sentences(data: dict, where: str) -> list[str]:
    year, dev = data["year"], data["deviations"]
    received = dev["received"]
    if received:
        opening = ngettext("Under %(year)d har totalt %(num)d avvikelse inkommit till %(where)s.",
                           "Under %(year)d har totalt %(num)d avvikelser inkommit till %(where)s.",
                           received, year=year, where=where)
    else:
        opening = _("Under %(year)d har inga avvikelser inkommit till %(where)s.", year=year, where=where)
    paragraphs = [f"{opening} {change_sentence(data['change']['deviations'], 'deviations')}"]
    most = _most(dev["by_department"], "deviations")
    if most:
        paragraphs.append(most)
    more = []
    if dev["not_investigated"]:
        more.append(ngettext(
            "%(num)d avvikelse har avslutats med beslut om att inte inleda utredning.",
            "%(num)d avvikelser har avslutats med beslut om att inte inleda utredning.", dev["not_investigated"]))
    if dev["escalated_to_lex_sarah"]:
        more.append(ngettext("%(num)d avvikelse har lett till en lex Sarah-rapport.",
                             "%(num)d avvikelser har lett till en lex Sarah-rapport.", dev["escalated_to_lex_sarah"]))
    if more:
        paragraphs.append(" ".join(more))
    if dev["by_category"]:
        paragraphs.append(_("Rapporterna rör bland annat %(list)s.", list=_listing(dev["by_category"])))
    return paragraphs


def complaint_sentences(data: dict, where: str) -> list[str]:
    year, com = data["year"], data["complaints"]
    received = com["received"]
    if received:
        opening = ngettext("Under %(year)d har %(num)d synpunkt eller klagomål registrerats.",
                           "Under %(year)d har %(num)d synpunkter och klagomål registrerats.", received, year=year)
    else:
        opening = _("Under %(year)d har inga synpunkter eller klagomål registrerats.", year=year)
    paragraphs = [f"{opening} {change_sentence(data['change']['complaints'], 'complaints')}"]
    more = []
    if com["via_ivo"]:
        more.append(ngettext(
            "%(num)d klagomål har inkommit till Inspektionen för vård och omsorg (IVO) som sedan lämnat det vidare "
            "till %(where)s.",
            "%(num)d klagomål har inkommit till Inspektionen för vård och omsorg (IVO) som sedan lämnat dem vidare "
            "till %(where)s.", com["via_ivo"], where=where))
    if com["answered"]:
        more.append(ngettext("Av årets synpunkter och klagomål har %(num)d besvarats.",
                             "Av årets synpunkter och klagomål har %(num)d besvarats.", com["answered"]))
    if more:
        paragraphs.append(" ".join(more))
    most = _most(com["by_department"], "complaints")
    if most:
        paragraphs.append(most)
    if com["by_channel"]:
        paragraphs.append(_("Synpunkterna och klagomålen har kommit in via %(list)s.",
                            list=_listing(dict(sorted(com["by_channel"].items(), key=lambda kv: -kv[1])), limit=6,
                                          labels=CHANNEL_LABELS)))
    if com["by_category"]:
        paragraphs.append(_("Klagomålen avser i huvudsak %(list)s.", list=_listing(com["by_category"])))
    return paragraphs


def action_sentences(data: dict) -> list[str]:
    by_type = data["actions"]["by_type"]
    if not by_type:
        return [_("Inga åtgärder har registrerats på årets ärenden.")]
    return [_("Åtgärder som har vidtagits för att avhjälpa och förhindra att liknande händelser inträffar igen "
              "är främst %(list)s.", list=_listing(by_type, limit=4))]


def gender_sentences(data: dict) -> list[str]:
    genders = data["client_gender"]
    if not genders:
        return [_("Inga ärenden har kommit in under året.")]
    listing = ", ".join(f"{_lower_first(str(GENDER_LABELS[g]))} {n}" for g, n in genders.items())
    return [_("Årets ärenden (avvikelser, synpunkter och klagomål och lex Sarah-rapporter) fördelar sig så här "
              "efter den enskildes kön: %(list)s.", list=listing)]


def median_sentences(data: dict) -> list[str]:
    sentences = []
    for measure in queries.MEASURES:
        days = data["median_days"][measure]
        if days is None:
            continue
        shown, plural = _number(days), 1 if days == 1 else 2
        if measure == "lex_sarah_to_judgment":
            sentences.append(ngettext("Mediantiden från lex Sarah-rapport till bedömning var %(days)s dag.",
                                      "Mediantiden från lex Sarah-rapport till bedömning var %(days)s dagar.",
                                      plural, days=shown))
        elif measure == "lex_sarah_to_ivo":
            sentences.append(ngettext("Mediantiden från lex Sarah-rapport till anmälan till IVO var %(days)s dag.",
                                      "Mediantiden från lex Sarah-rapport till anmälan till IVO var %(days)s dagar.",
                                      plural, days=shown))
        else:
            sentences.append(ngettext("Mediantiden från att ett klagomål kom in till svar var %(days)s dag.",
                                      "Mediantiden från att ett klagomål kom in till svar var %(days)s dagar.",
                                      plural, days=shown))
    return [" ".join(sentences)] if sentences else [_("Det finns inga handläggningstider att mäta för året.")]


def trend_sentences(data: dict) -> list[str]:
    first, last = data["trend"][0], data["trend"][-1]
    return [_("Tabellen visar antalet inkomna ärenden per år %(first)d–%(last)d. Under %(last)d kom det in "
              "%(deviations)d avvikelser, %(complaints)d synpunkter och klagomål och %(lex_sarah)d lex "
              "Sarah-rapporter.", first=first["year"], last=last["year"], deviations=last["deviations"],
              complaints=last["complaints"], lex_sarah=last["lex_sarah"])]
