"""The statistics as files: JSON (the contract), CSV per table (or all tables), XLSX, HTML and PDF.

Every format is drawn from one Report (app.stats.report), so they hold the same figures.
Nothing here touches the database or reads the request.
"""

import csv
import io
import json

from flask import render_template
from flask_babel import gettext as _

from app.pdf_fonts import FONT as _FONT
from app.pdf_fonts import FONT_BOLD as _FONT_BOLD
from app.pdf_fonts import register as _register_fonts
from app.spreadsheet import force_text_cells, safe_cell, safe_row
from app.stats import charts
from app.stats.report import Report, Table

FORMATS = ("json", "csv", "html", "pdf", "xlsx")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Excel opens a UTF-8 CSV with å, ä and ö correctly only when it starts with a byte order mark.
BOM = "\ufeff"


def as_json(report: Report) -> str:
    return json.dumps(report.data, ensure_ascii=False, indent=2) + "\n"


def _cell(value) -> str | int | float:
    return "" if value is None else value


def _write_table(writer, table: Table) -> None:
    # Names of units, categories and action types are typed by people: never a live formula.
    writer.writerow(safe_row(table.columns))
    for row in table.rows:
        writer.writerow(safe_row(_cell(value) for value in row))


def table_csv(table: Table) -> str:
    out = io.StringIO()
    _write_table(csv.writer(out, lineterminator="\r\n"), table)
    return BOM + out.getvalue()


def as_csv(report: Report) -> str:
    """Every table after the other: its title on a line of its own, then its header and rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(report.tables):
        if index:
            writer.writerow([])
        writer.writerow([safe_cell(table.title)])
        _write_table(writer, table)
    return BOM + out.getvalue()


def filename(report: Report, extension: str, key: str | None = None) -> str:
    base = f"kvalitetsberattelse-{report.year}" if key is None else f"statistik-{report.year}-{key}"
    if report.department:
        base += "-" + "".join(c if c.isalnum() else "-" for c in report.department.lower())
    return f"{base}.{extension}"


# --- XLSX --------------------------------------------------------------------------------------

def _sheet_name(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique within the workbook.
    name = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31].strip()
    candidate, n = name, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


def _append(sheet, values) -> None:
    """One row, every text neutralised and stored as a string cell (app.spreadsheet), numbers as numbers."""
    sheet.append(safe_row(values))
    force_text_cells(sheet[sheet.max_row])


def as_xlsx(report: Report) -> bytes:
    """A workbook: the text of the report first, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    text = workbook.active
    used: set[str] = set()
    text.title = _sheet_name(_("Text"), used)
    _append(text, [report.title])
    text["A1"].font = Font(bold=True, size=14)
    text.column_dimensions["A"].width = 110
    if report.board_name:
        _append(text, [report.board_name])
    for label, value in report.adoption.lines:
        _append(text, [f"{label}: {value}"])
    for chapter in report.chapters:
        if not chapter.paragraphs and not chapter.texts:
            continue
        text.append([])
        _append(text, [chapter.title])
        text.cell(row=text.max_row, column=1).font = Font(bold=True)
        for paragraph in chapter.paragraphs + [f"{heading}: {body}" for heading, body in chapter.texts]:
            _append(text, [paragraph])
            text.cell(row=text.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_name(table.sheet_name, used))
        _append(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        _append(sheet, table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append(sheet, [_cell(value) for value in row])
        sheet.column_dimensions["A"].width = max([len(str(r[0])) for r in table.rows] + [len(table.columns[0]), 12]) + 2
        for column in "BCDE":
            sheet.column_dimensions[column].width = 16
        sheet.freeze_panes = "B3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- HTML --------------------------------------------------------------------------------------

def chart_svgs(report: Report) -> dict[str, object]:
    """The inline SVG of every chart, keyed by the chart's ident, for the templates."""
    return {chart.ident: charts.render(chart, chart.ident) for chapter in report.chapters for chart in chapter.charts}


def as_html(report: Report) -> str:
    """The printable quality report: one self-contained page (its styles inline, charts inline SVG)."""
    return render_template("stats/report.html", report=report, svgs=chart_svgs(report), standalone=True)


# --- PDF ---------------------------------------------------------------------------------------

def _bar_drawing(chart, width: float):
    """The same bar chart as the page's SVG, drawn with reportlab's graphics for the PDF."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    bar, gap, label_width = 9, 7, 150
    group = bar * len(chart.series) + gap
    height = group * len(chart.labels) + (18 if len(chart.series) > 1 else 4)
    drawing = Drawing(width, height)
    largest = max([v for _name, values in chart.series for v in values] + [1])
    scale = (width - label_width - 40) / largest
    top = height - (18 if len(chart.series) > 1 else 4)
    if len(chart.series) > 1:
        x = 0
        for index, (name, _values) in enumerate(chart.series):
            colour = colors.HexColor(charts.COLOURS[index % len(charts.COLOURS)])
            drawing.add(Rect(x, height - 10, 8, 8, fillColor=colour, strokeColor=None))
            drawing.add(String(x + 11, height - 9, name, fontName=_FONT, fontSize=7))
            x += 11 + 4.2 * len(name) + 14
    for row, label in enumerate(chart.labels):
        y0 = top - (row + 1) * group + gap
        drawing.add(String(label_width - 5, y0 + group / 2 - 5, charts._shorten(label, 32), fontName=_FONT,
                           fontSize=7.5, textAnchor="end"))
        for index, (_name, values) in enumerate(chart.series):
            y = y0 + (len(chart.series) - 1 - index) * bar
            colour = colors.HexColor(charts.COLOURS[index % len(charts.COLOURS)])
            drawing.add(Rect(label_width, y, max(values[row] * scale, 0.1), bar - 2, fillColor=colour,
                             strokeColor=None))
            drawing.add(String(label_width + values[row] * scale + 3, y + 1.5, charts._n(values[row]),
                               fontName=_FONT, fontSize=7))
    return drawing


def _line_drawing(chart, width: float):
    """The trend as lines with markers, like the page's SVG, for the PDF."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors

    height, left, bottom, legend = 170, 30, 18, 16
    plot_w, plot_h = width - left - 10, height - bottom - legend - 8
    largest = charts._nice_top(max([v for _name, values in chart.series for v in values if v is not None] + [0]))
    count = max(len(chart.labels) - 1, 1)
    drawing = Drawing(width, height)

    def x(i):
        return left + plot_w * i / count

    def y(v):
        return bottom + plot_h * v / largest

    for tick in range(6):
        value = largest * tick / 5
        drawing.add(Line(left, y(value), left + plot_w, y(value), strokeColor=colors.HexColor("#c9cfd6"),
                         strokeWidth=0.5))
        drawing.add(String(left - 4, y(value) - 3, charts._n(value), fontName=_FONT, fontSize=7, textAnchor="end"))
    for i, label in enumerate(chart.labels):
        drawing.add(String(x(i), 4, label, fontName=_FONT, fontSize=7.5, textAnchor="middle"))
    legend_x = 0
    for index, (name, values) in enumerate(chart.series):
        colour = colors.HexColor(charts.COLOURS[index % len(charts.COLOURS)])
        dash = [float(d) for d in charts.DASHES[index % len(charts.DASHES)].split()] or None
        known = [(i, v) for i, v in enumerate(values) if v is not None]  # no point for a year without data
        points = [coordinate for i, v in known for coordinate in (x(i), y(v))]
        if len(known) > 1:
            drawing.add(PolyLine(points, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash))
        for i, v in known:
            drawing.add(Circle(x(i), y(v), 2.2, fillColor=colour, strokeColor=None))
        drawing.add(Line(legend_x, height - 6, legend_x + 16, height - 6, strokeColor=colour, strokeWidth=1.6,
                         strokeDashArray=dash))
        drawing.add(String(legend_x + 20, height - 9, name, fontName=_FONT, fontSize=7))
        legend_x += 20 + 4.2 * len(name) + 14
    return drawing


_HEADING_SIZE, _CELL_PADDING = 9, 13  # the table heading's font size; left and right padding together


def _longest_word(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(word, _FONT_BOLD, _HEADING_SIZE) for word in str(text).split()), default=0)


def _column_widths(table: Table, width: float) -> list[float]:
    """The first (label) column and equal number columns, each at least as wide as its heading's longest word."""
    count = len(table.columns)
    if count == 1:
        return [width]
    needed = [_longest_word(column) + _CELL_PADDING for column in table.columns]
    first = max(width * (0.3 if count > 3 else 0.7), needed[0])
    rest = [max((width - first) / (count - 1), need) for need in needed[1:]]
    if first + sum(rest) > width:  # the number columns take what they need; the label column wraps more
        first = max(width - sum(rest), needed[0])
    return [first, *rest]


def as_pdf(report: Report) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    _register_fonts()
    title = ParagraphStyle("title", fontName=_FONT_BOLD, fontSize=18, leading=22, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", fontName=_FONT_BOLD, fontSize=13, leading=16, spaceBefore=6 * mm,
                             spaceAfter=2 * mm, textColor=colors.HexColor("#123452"), keepWithNext=1)
    body = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=14.5, spaceAfter=2.5 * mm)
    caption = ParagraphStyle("caption", fontName=_FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=2 * mm,
                             spaceAfter=1 * mm, keepWithNext=1)
    cell = ParagraphStyle("cell", fontName=_FONT, fontSize=9, leading=11)
    # A heading is wrapped between words only, never inside one ("Lex Sarah-rap porter"): the columns are
    # made wide enough for each heading's longest word (_column_widths).
    cell_bold = ParagraphStyle("cell_bold", parent=cell, fontName=_FONT_BOLD, splitLongWords=0)
    number = ParagraphStyle("number", parent=cell, alignment=TA_RIGHT)
    number_bold = ParagraphStyle("number_bold", parent=cell_bold, alignment=TA_RIGHT, splitLongWords=0)
    width = A4[0] - 40 * mm

    story = [Paragraph(escape(report.title), title)]
    if report.board_name:
        story.append(Paragraph(escape(report.board_name), body))
    story += [Paragraph(escape(f"{label}: {value}"), body) for label, value in report.adoption.lines]
    for chapter in report.chapters:
        story.append(Paragraph(escape(chapter.title), heading))
        story += [Paragraph(escape(p), body) for p in chapter.paragraphs]
        for chart in chapter.charts:
            if chart.labels:
                drawing = _bar_drawing(chart, width) if chart.kind == "bar" else _line_drawing(chart, width)
                story.append(KeepTogether([Paragraph(escape(chart.title), caption), drawing]))
        for table in chapter.tables:
            rows = [[Paragraph(escape(str(c)), number_bold if i else cell_bold) for i, c in enumerate(table.columns)]]
            # A null (no data for the year) is a dash, as on the page: missing, not zero.
            rows += [[Paragraph(escape(("–" if v is None else str(v).replace(".", ",")) if i else str(v)),
                                number if i else cell)
                      for i, v in enumerate(row)] for row in table.rows]
            if not table.rows:
                rows.append([Paragraph(escape(_("Inga ärenden.")), cell)] + [""] * (len(table.columns) - 1))
            pdf_table = PdfTable(rows, colWidths=_column_widths(table, width), repeatRows=1)
            pdf_table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9cfd6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story += [Paragraph(escape(table.title), caption), pdf_table, Spacer(1, 3 * mm)]
        for text_heading, text in chapter.texts:
            story.append(Paragraph(escape(text_heading), caption))
            story += [Paragraph(escape(part), body) for part in text.split("\n\n") if part.strip()]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(_FONT, 8)
        canvas.drawString(20 * mm, 12 * mm, f"{report.title} · {_('sida')} {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=20 * mm, title=report.title, subject=report.title, lang="sv")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def export(report: Report, fmt: str) -> str | bytes:
    """The report in one of FORMATS."""
    if fmt == "json":
        return as_json(report)
    if fmt == "csv":
        return as_csv(report)
    if fmt == "html":
        return as_html(report)
    if fmt == "pdf":
        return as_pdf(report)
    if fmt == "xlsx":
        return as_xlsx(report)
    raise ValueError(fmt)
