"""The dossiers' answers indexed for containment on PostgreSQL (``answers @> {...}``): the
staff list's filters on a yes/no or a choice read the index instead of every dossier's
answers (``applications.filters``). SQLite has no such index; its filters read the answers.

Built ``CONCURRENTLY``, outside a transaction: a portal in service keeps taking dossiers
while the index is made (a few seconds for 200,000 dossiers)."""

from django.db import migrations

INDEX = "application_answers_contain"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON applications_application "
            "USING gin (answers jsonb_path_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("applications", "0020_call_state_covering_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
