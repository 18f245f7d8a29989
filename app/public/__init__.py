"""The public side: the complaint form for citizens and the follow-up page (no login)."""
