"""Bringing earlier years into Värna: a CSV file of cases, checked whole, imported all or nothing.

A feature of its own, not part of app/cases or app/stats: it writes cases, judgments,
IVO notifications, units and categories (so it builds on several features), while the
statistics only read, and it has its own page (admin) and command (`flask --app wsgi
cases import FILE.csv [--create-units]`), both going through `services.import_cases`.
"""
