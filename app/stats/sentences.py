"""The quality report's sentences, drawn from the statistics contract's JSON.

They follow the municipalities' quality reports (docs/statistics.md, "The sentences and when each
is produced"): "Under 2018 har totalt 11 lex Sarah-rapporter inkommit till socialnämnden. Det är en
minskning med 9 rapporter jämfört med föregående år."
"""

from flask_babel import gettext as _
from flask_babel import ngettext

from app.stats import queries, wording
from app.stats.contract import CHANNEL_NAMES, GENDER_LABELS, TREND_KINDS
from app.workflow import Kind

# --- the sentences ----------------------------------------------------------------------------
# The rules (app.stats.wording, tests/stats/test_sentence_rules.py): no sentence starts with a
# figure, numbers up to twelve in words, no "(0)", lists joined once, ties said as ties, zero in
# both years said plainly, a missing year said as missing, never as a change.

def _number(value: float | int) -> str:
    """12 or 12,5: Swedish decimal comma (tables and parentheses)."""
    return str(value).replace(".", ",")


def change_sentence(diff: int | None, noun: str, previous_year: int | None = None) -> str:
    """The change from last year: "en ökning med N", "en minskning med N", "oförändrat", or no comparison."""
    if diff is None:
        if previous_year is None:
            return _("Det finns inga uppgifter för föregående år att jämföra med.")
        return _("Det finns inga uppgifter för %(year)d att jämföra med.", year=previous_year)
    n = abs(diff)
    if diff == 0:
        return _("Antalet är oförändrat jämfört med föregående år.")
    up = diff > 0
    if noun == Kind.LEX_SARAH:
        word = wording.number(n)
        if up:
            return ngettext("Det är en ökning med %(n)s rapport jämfört med föregående år.",
                            "Det är en ökning med %(n)s rapporter jämfört med föregående år.", n, n=word)
        return ngettext("Det är en minskning med %(n)s rapport jämfört med föregående år.",
                        "Det är en minskning med %(n)s rapporter jämfört med föregående år.", n, n=word)
    if noun == "deviations":
        word = wording.number(n)
        if up:
            return ngettext("Det är en ökning med %(n)s avvikelse jämfört med föregående år.",
                            "Det är en ökning med %(n)s avvikelser jämfört med föregående år.", n, n=word)
        return ngettext("Det är en minskning med %(n)s avvikelse jämfört med föregående år.",
                        "Det är en minskning med %(n)s avvikelser jämfört med föregående år.", n, n=word)
    if noun == "complaints":
        word = wording.number(n)
        if up:
            return ngettext("Det är en ökning med %(n)s synpunkt eller klagomål jämfört med föregående år.",
                            "Det är en ökning med %(n)s synpunkter och klagomål jämfört med föregående år.", n,
                            n=word)
        return ngettext("Det är en minskning med %(n)s synpunkt eller klagomål jämfört med föregående år.",
                        "Det är en minskning med %(n)s synpunkter och klagomål jämfört med föregående år.", n,
                        n=word)
    if noun == "notified_to_ivo":
        word = wording.number(n)
        if up:
            return ngettext("Det är en ökning med %(n)s anmälan jämfört med föregående år.",
                            "Det är en ökning med %(n)s anmälningar jämfört med föregående år.", n, n=word)
        return ngettext("Det är en minskning med %(n)s anmälan jämfört med föregående år.",
                        "Det är en minskning med %(n)s anmälningar jämfört med föregående år.", n, n=word)
    raise ValueError(noun)


def _opening(data: dict, key: str, where: str) -> str:
    """The first paragraph of a kind's section: how many came in, and the change from last year."""
    year, this, previous = data["year"], data[key]["received"], data["trend"][-2]
    before = previous.get(key)
    if this is None:
        return {"lex_sarah": _("Det finns inga uppgifter om lex Sarah-rapporter för %(year)d.", year=year),
                "deviations": _("Det finns inga uppgifter om avvikelser för %(year)d.", year=year),
                "complaints": _("Det finns inga uppgifter om synpunkter och klagomål för %(year)d.", year=year),
                }[key]
    if this == 0 and before == 0:
        return {"lex_sarah": _("Varken %(previous)d eller %(year)d har några lex Sarah-rapporter inkommit till "
                               "%(where)s.", previous=previous["year"], year=year, where=where),
                "deviations": _("Varken %(previous)d eller %(year)d har några avvikelser inkommit till %(where)s.",
                                previous=previous["year"], year=year, where=where),
                "complaints": _("Varken %(previous)d eller %(year)d har några synpunkter eller klagomål "
                                "registrerats.", previous=previous["year"], year=year),
                }[key]
    word = wording.number(this)
    if key == "lex_sarah":
        opening = (ngettext("Under %(year)d har totalt %(n)s lex Sarah-rapport inkommit till %(where)s.",
                            "Under %(year)d har totalt %(n)s lex Sarah-rapporter inkommit till %(where)s.",
                            this, n=word, year=year, where=where)
                   if this else _("Under %(year)d har inga lex Sarah-rapporter inkommit till %(where)s.",
                                  year=year, where=where))
    elif key == "deviations":
        opening = (ngettext("Under %(year)d har totalt %(n)s avvikelse inkommit till %(where)s.",
                            "Under %(year)d har totalt %(n)s avvikelser inkommit till %(where)s.",
                            this, n=word, year=year, where=where)
                   if this else _("Under %(year)d har inga avvikelser inkommit till %(where)s.",
                                  year=year, where=where))
    else:
        opening = (ngettext("Under %(year)d har %(n)s synpunkt eller klagomål registrerats.",
                            "Under %(year)d har %(n)s synpunkter och klagomål registrerats.", this, n=word,
                            year=year)
                   if this else _("Under %(year)d har inga synpunkter eller klagomål registrerats.", year=year))
    diff = data["change"][key]
    return f"{opening} {change_sentence(diff, key, previous['year'])}"


def _most(counts: dict[str, int], what: str) -> str:
    """"Flest rapporter har inkommit till Vuxna (8). Därefter följer Unga (2) och Stab (1)." Only with two
    departments or more; a shared first place is said as a tie. Departments are named by their names."""
    if len([n for n in counts.values() if n]) < 2:
        return ""
    first, top, rest = wording.leaders(counts)
    if len(first) == 1:
        names = _("%(name)s (%(num)d)", name=first[0], num=top)
    else:
        names = _("%(names)s (%(num)d vardera)", names=wording.join(first), num=top)
    if not rest:  # every department the same: not "most", but as many
        if what == Kind.LEX_SARAH:
            return _("Lika många rapporter har inkommit till %(names)s.", names=names)
        if what == "deviations":
            return _("Lika många avvikelser har inkommit till %(names)s.", names=names)
        return _("Lika många synpunkter och klagomål har registrerats inom %(names)s.", names=names)
    if what == Kind.LEX_SARAH:
        sentence = _("Flest rapporter har inkommit till %(names)s.", names=names)
    elif what == "deviations":
        sentence = _("Flest avvikelser har inkommit till %(names)s.", names=names)
    else:
        sentence = _("Flest synpunkter och klagomål har registrerats inom %(names)s.", names=names)
    return sentence + " " + _("Därefter följer %(list)s.", list=wording.listing(rest, limit=len(rest), lower=False))


def _found(misconduct: int, risk: int) -> str:
    found = misconduct + risk
    word = wording.number(found, neuter=True)
    if misconduct and risk:
        return _("I %(n)s fall har missförhållande (%(misconduct)d) eller påtaglig risk för missförhållande "
                 "(%(risk)d) konstaterats.", n=word, misconduct=misconduct, risk=risk)
    if misconduct:
        return _("I %(n)s fall har missförhållande konstaterats.", n=word)
    return _("I %(n)s fall har påtaglig risk för missförhållande konstaterats.", n=word)


def lex_sarah_sentences(data: dict, where: str) -> list[str]:
    ls = data["lex_sarah"]
    paragraphs = [_opening(data, "lex_sarah", where)]
    if ls["received"] is None:
        return paragraphs
    notified = ls["notified_to_ivo"]
    ivo = (ngettext("Till Inspektionen för vård och omsorg (IVO) har %(n)s rapport anmälts.",
                    "Till Inspektionen för vård och omsorg (IVO) har %(n)s rapporter anmälts.", notified,
                    n=wording.number(notified))
           if notified else _("Ingen rapport har anmälts till Inspektionen för vård och omsorg (IVO)."))
    previous = data["trend"][-2]
    if not notified and previous["notified_to_ivo"] == 0:
        paragraphs.append(_("Varken %(previous)d eller %(year)d har någon rapport anmälts till Inspektionen för "
                            "vård och omsorg (IVO).", previous=previous["year"], year=data["year"]))
    else:
        change = change_sentence(data["change"]["notified_to_ivo"], "notified_to_ivo", previous["year"])
        paragraphs.append(f"{ivo} {change}")
    most = _most(ls["by_department"], "lex_sarah")
    if most:
        paragraphs.append(most)
    judged = []
    if ls["judgments"]["misconduct"] + ls["judgments"]["risk"]:
        judged.append(_found(ls["judgments"]["misconduct"], ls["judgments"]["risk"]))
    if ls["serious"]:
        judged.append(ngettext(
            "I %(n)s fall har händelsen bedömts som så allvarlig att den omfattas av anmälningsskyldigheten "
            "till IVO.",
            "I %(n)s fall har händelserna bedömts som så allvarliga att de omfattas av anmälningsskyldigheten "
            "till IVO.", ls["serious"], n=wording.number(ls["serious"], neuter=True)))
    if ls["judgments"]["none"]:
        judged.append(ngettext(
            "I %(n)s fall konstaterades att händelsen inte utgjorde något missförhållande.",
            "I %(n)s fall konstaterades att händelserna inte utgjorde något missförhållande.",
            ls["judgments"]["none"], n=wording.number(ls["judgments"]["none"], neuter=True)))
    if ls["handled_as_deviation"]:
        judged.append(ngettext("I %(n)s fall har rapporten i stället utretts som avvikelse.",
                               "I %(n)s fall har rapporterna i stället utretts som avvikelser.",
                               ls["handled_as_deviation"], n=wording.number(ls["handled_as_deviation"],
                                                                              neuter=True)))
    if ls["not_investigated"]:
        judged.append(ngettext("Vid %(n)s tillfälle beslutades att inte inleda utredning.",
                               "Vid %(n)s tillfällen beslutades att inte inleda utredning.", ls["not_investigated"],
                               n=wording.number(ls["not_investigated"], neuter=True)))
    if ls["pending"]:
        judged.append(ngettext("Än så länge är %(n)s rapport inte bedömd.",
                               "Än så länge är %(n)s rapporter inte bedömda.", ls["pending"],
                               n=wording.number(ls["pending"])))
    if ls["from_handover"]:
        judged.append(ngettext(
            "Av årets rapporter har %(n)s upprättats utifrån en avvikelse eller ett klagomål.",
            "Av årets rapporter har %(n)s upprättats utifrån avvikelser eller klagomål.", ls["from_handover"],
            n=wording.number(ls["from_handover"])))
    if judged:
        paragraphs.append(" ".join(judged))
    if ls["by_category"]:
        paragraphs.append(_("Rapporterna rör bland annat %(list)s.", list=wording.listing(ls["by_category"])))
    return paragraphs


def deviation_sentences(data: dict, where: str) -> list[str]:
    dev = data["deviations"]
    paragraphs = [_opening(data, "deviations", where)]
    if dev["received"] is None:
        return paragraphs
    most = _most(dev["by_department"], "deviations")
    if most:
        paragraphs.append(most)
    more = []
    if dev["not_investigated"]:
        more.append(ngettext(
            "I %(n)s fall har avvikelsen avslutats med beslut om att inte inleda utredning.",
            "I %(n)s fall har avvikelserna avslutats med beslut om att inte inleda utredning.",
            dev["not_investigated"], n=wording.number(dev["not_investigated"], neuter=True)))
    if dev["escalated_to_lex_sarah"]:
        more.append(ngettext("I %(n)s fall har avvikelsen lett till en lex Sarah-rapport.",
                             "I %(n)s fall har avvikelserna lett till lex Sarah-rapporter.",
                             dev["escalated_to_lex_sarah"],
                             n=wording.number(dev["escalated_to_lex_sarah"], neuter=True)))
    if more:
        paragraphs.append(" ".join(more))
    if dev["by_category"]:
        paragraphs.append(_("Avvikelserna rör bland annat %(list)s.", list=wording.listing(dev["by_category"])))
    return paragraphs


def complaint_sentences(data: dict, where: str) -> list[str]:
    com = data["complaints"]
    paragraphs = [_opening(data, "complaints", where)]
    if com["received"] is None:
        return paragraphs
    more = []
    types = com["by_type"]
    if types["suggestion"]:
        more.append(_("Av dessa är %(complaints)s klagomål och %(suggestions)s synpunkter.",
                      complaints=wording.number(types["complaint"], neuter=True),
                      suggestions=wording.number(types["suggestion"])))
    if com["via_ivo"]:
        more.append(ngettext(
            "Via Inspektionen för vård och omsorg (IVO) har %(n)s klagomål kommit in, som IVO lämnat vidare "
            "till %(where)s.",
            "Via Inspektionen för vård och omsorg (IVO) har %(n)s klagomål kommit in, som IVO lämnat vidare "
            "till %(where)s.", com["via_ivo"], n=wording.number(com["via_ivo"], neuter=True), where=where))
    if com["answered"]:
        more.append(_("Av årets synpunkter och klagomål har %(n)s besvarats.",
                      n=wording.number(com["answered"])))
    if com["escalated_to_lex_sarah"]:
        more.append(ngettext("I %(n)s fall har klagomålet lett till en lex Sarah-rapport.",
                             "I %(n)s fall har klagomålen lett till lex Sarah-rapporter.",
                             com["escalated_to_lex_sarah"],
                             n=wording.number(com["escalated_to_lex_sarah"], neuter=True)))
    if more:
        paragraphs.append(" ".join(more))
    most = _most(com["by_department"], "complaints")
    if most:
        paragraphs.append(most)
    if com["by_channel"]:
        ordered = dict(sorted(com["by_channel"].items(), key=lambda kv: -kv[1]))
        paragraphs.append(_("Synpunkterna och klagomålen har kommit in via %(list)s.",
                            list=wording.listing(ordered, limit=6, labels=CHANNEL_NAMES)))
    if com["by_category"]:
        paragraphs.append(_("Klagomålen avser i huvudsak %(list)s.", list=wording.listing(com["by_category"])))
    return paragraphs


def action_sentences(data: dict) -> list[str]:
    actions = data["actions"]
    if not actions["by_type"]:
        return [_("Inga åtgärder har registrerats på årets ärenden.")]
    paragraphs = [_("Åtgärder som har vidtagits för att avhjälpa och förhindra att liknande händelser inträffar "
                    "igen är främst %(list)s.", list=wording.listing(actions["by_type"], limit=4))]
    followed = actions["followed_up"]
    total = sum(followed.values())
    if total:
        results = [text for n, text in (
            (followed["yes"], _("effekt i %(n)s fall", n=wording.number(followed["yes"], neuter=True))),
            (followed["partly"], _("delvis effekt i %(n)s fall", n=wording.number(followed["partly"], neuter=True))),
            (followed["no"], _("ingen effekt i %(n)s fall", n=wording.number(followed["no"], neuter=True))),
        ) if n]
        paragraphs.append(ngettext("Av åtgärderna har %(n)s följts upp. Uppföljningen visade %(list)s.",
                                   "Av åtgärderna har %(n)s följts upp. Uppföljningen visade %(list)s.", total,
                                   n=wording.number(total), list=wording.join(results)))
    return paragraphs


def gender_sentences(data: dict) -> list[str]:
    genders = data["client_gender"]
    if not genders:
        return [_("Inga ärenden har kommit in under året.")]
    listing = wording.join([f"{wording.lower_first(str(GENDER_LABELS[g]))} ({n})" for g, n in genders.items()])
    return [_("Årets ärenden fördelar sig så här efter den enskildes kön: %(list)s.", list=listing)]


def median_sentences(data: dict) -> list[str]:
    sentences = []
    for measure in queries.MEASURES:
        days = data["median_days"][measure]
        if days is None:
            continue
        shown, plural = wording.number(days), 1 if days == 1 else 2
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
    sentences = [_("Tabellen visar antalet inkomna ärenden per år %(first)d–%(last)d.", first=first["year"],
                   last=last["year"])]
    parts = []
    if last["deviations"] is not None:
        parts.append(ngettext("%(n)s avvikelse", "%(n)s avvikelser", last["deviations"],
                              n=wording.number(last["deviations"])))
    if last["lex_sarah"] is not None:
        parts.append(ngettext("%(n)s lex Sarah-rapport", "%(n)s lex Sarah-rapporter", last["lex_sarah"],
                              n=wording.number(last["lex_sarah"])))
    if parts:
        received = wording.join(parts)
        if last["complaints"] is not None:
            received = _("%(list)s samt %(n)s synpunkter och klagomål", list=received,
                         n=wording.number(last["complaints"]))
        sentences.append(_("Under %(year)d kom det in %(list)s.", year=last["year"], list=received))
    elif last["complaints"] is not None:
        sentences.append(_("Under %(year)d kom det in %(n)s synpunkter och klagomål.", year=last["year"],
                           n=wording.number(last["complaints"])))
    missing = [row["year"] for row in data["trend"] if any(row[key] is None for key in TREND_KINDS)]
    if missing:
        sentences.append(_("Ett streck eller en tom ruta i tabellen betyder att det saknas uppgifter för året, "
                           "inte att antalet var noll."))
    return [" ".join(sentences)]
