"""PostgreSQL's unaccent extension, for the directory's accent-insensitive search
(portal/folding.py). Nothing to do on other databases: SQLite gets a Python function."""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("labels", "0003_label_certificate_site_url")]

    operations = [UnaccentExtension()]
