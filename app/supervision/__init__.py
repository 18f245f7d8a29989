"""Supervision cases (tillsynsärenden): a supervising authority's (IVO's) case about the nämnd,
from its first letter through its requests, the nämnd's replies and its decision to the
measures reported back. The kind's own package: models, services, forms, routes, deadlines,
reminders and statistics; the rest of Värna knows it through app/workflow.py (the moves),
app/auth/permissions.py (who), app/facts.py (its facts) and a few one-line hooks."""
