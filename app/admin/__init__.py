"""Administration: users, organisational units, category lists, the audit log, the outbox."""
