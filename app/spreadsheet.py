"""Cells of a CSV or XLSX download that a spreadsheet program cannot run as a formula.

Excel, LibreOffice and Google Sheets treat a cell that starts with =, +, -, @, a tab or a
carriage return as a formula (or DDE command): a unit named `=cmd|' /C calc'!A0` or a category
named `=HYPERLINK("http://evil","x")` would run when the file is opened. Every text an export
writes goes through `safe_cell`, which puts a ' in front of such a text (OWASP's advice), and
`safe_row`; the XLSX writer also forces its text cells to be strings (`force_text_cells`).
Numbers stay numbers: a count of -3 is a numeric cell, not text.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write: a text that could start a formula gets a leading '; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]


def force_text_cells(row) -> None:
    """Make every text cell of an openpyxl row a string cell, whatever openpyxl guessed from its value."""
    for cell in row:
        if isinstance(cell.value, str):
            cell.data_type = "s"
