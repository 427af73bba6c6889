"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in a second
Django process on 127.0.0.1 (``serve.py``), started by ``tests/portal/test_oidc.py``."""
