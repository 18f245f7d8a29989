"""The JSON API (/api/v1/...) and the API tokens an admin creates for it.

A token belongs to one person and acts with that person's permissions; only its SHA-256
is stored (the token itself is shown once, when it is created). It is sent as
`Authorization: Bearer <token>` and accepted on /api/ paths only. Requests to /api/
without a valid session or token get 401 JSON, never a redirect to the login page.
"""
