"""The inline SVG charts: well-formed, named and described for screen readers, values written out."""

import xml.etree.ElementTree as ET

from app.stats.charts import bar_chart, line_chart
from app.stats.report import Chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own markup, made in this test


def test_a_bar_chart_has_a_title_a_description_and_every_value():
    chart = Chart("bar", "Per avdelning <2018>", "Antal per avdelning & år.", ["Vuxna", "Unga & Stab"],
                  [("Avvikelser", [15, 16]), ("Lex Sarah-rapporter", [8, 2])], "departments")
    svg = _parse(bar_chart(chart, "c1"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Per avdelning <2018>"
    assert svg.find(f"{SVG}desc").text == "Antal per avdelning & år."
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Vuxna", "Unga & Stab", "15", "16", "8", "2", "Avvikelser", "Lex Sarah-rapporter"} <= set(texts)
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("height") == "13"]
    assert max(widths) == widths[2]  # Unga's 16 deviations: the longest bar


def test_a_long_label_is_shortened_in_the_chart():
    chart = Chart("bar", "T", "D", ["Brister i rättssäkerhet och handläggning av ärenden"], [("Antal", [3])], "x")
    texts = [t.text for t in _parse(bar_chart(chart, "c2")).iter(f"{SVG}text")]
    assert "Brister i rättssäkerhet o…" in texts


def test_a_line_chart_has_one_line_per_series_with_its_own_dashes():
    chart = Chart("line", "Inkomna ärenden per år", "Fem år.", ["2014", "2015", "2016"],
                  [("Avvikelser", [20, 28, 30]), ("Lex Sarah-rapporter", [9, 12, 15]), ("Anmälda till IVO", [0, 0, 0])],
                  "trend")
    svg = _parse(line_chart(chart, "c3"))
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 3
    assert len({line.get("stroke-dasharray") for line in lines}) == 3
    assert [t.text for t in svg.iter(f"{SVG}text") if t.text in ("2014", "2015", "2016")] == ["2014", "2015", "2016"]
    assert {t.text for t in svg.iter(f"{SVG}text")} >= {"0", "30", "Anmälda till IVO"}
