"""Actions (åtgärder): what was done to remedy and prevent, who answers for it, by when,
and whether it worked (the follow-up)."""
