"""Start pages, health check, language choice and error pages."""
