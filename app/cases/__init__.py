"""Cases: what every kind of case shares, and a package per thing people do with one.

- models.py, references.py, categories.py, journal.py, filing.py: the case itself, its
  reference, its categories, its journal, and opening one.
- pages.py: the `cases` blueprint and the one way a move's page works.
- queue/: finding cases (the queue page, filters, paging, the search index).
- casework/: the case page and everyday moves (assign, triage, answer, feedback, close, reopen).
- investigation/: the investigation record (entries, causes, risk, similar cases, finishing).
- handover/: a case handed over as another kind.
- deadlines/: deadline rules, the acknowledgement, the daily deadline reminders.
"""


def blueprint():
    """The `cases` blueprint with every feature's pages registered on it."""
    from app.cases import pages
    from app.cases.casework import routes as casework_routes  # noqa: F401 - registers its pages
    from app.cases.deadlines import routes as deadline_routes  # noqa: F401
    from app.cases.handover import routes as handover_routes  # noqa: F401
    from app.cases.investigation import routes as investigation_routes  # noqa: F401
    from app.cases.queue import routes as queue_routes  # noqa: F401

    return pages.bp
