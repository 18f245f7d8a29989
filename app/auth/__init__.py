"""Login, logout, sessions, passwords, roles and the permission function."""
