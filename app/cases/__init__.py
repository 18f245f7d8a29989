"""Cases of every kind: the queue, the case page, triage, investigation, journal."""
