"""The load run (``make load``): simulated founders, reviewers and staff against gunicorn on
PostgreSQL, then a check that every write the server accepted is in the database.

Not a pytest suite: nothing here is named ``test_*``. See ``docs/load.md``.
"""
