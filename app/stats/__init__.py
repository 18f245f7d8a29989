"""Yearly statistics and the quality report (kvalitetsberättelse), counted in the database.

queries.py  the GROUP BY aggregates (nothing else here touches the database)
report.py   the contract JSON, the tables and the generated Swedish sentences
charts.py   inline SVG charts
exports.py  CSV, XLSX, HTML and PDF
services.py permission and audit around reading them
routes.py   the statistics page, the printable report and the downloads
cli.py      `flask --app wsgi stats export`
"""
