"""manage.py purge_imports: large imports that ended without importing go, with their files,
after IMPORT_RETENTION_DAYS; imports that ran and those still running stay."""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from portal.models import BackgroundImport
from tests.factories import UserFactory

State = BackgroundImport.State


def import_asked(days_ago: int, state: str, owner) -> BackgroundImport:
    job = BackgroundImport.objects.create(
        owner=owner,
        model="labels.label",
        format="csv",
        file_name="labels.csv",
        state=state,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    job.file.save("labels.csv", ContentFile(b"number\nCW-LBL-2012-001\n"))
    return job


def test_imports_that_ended_without_importing_go_after_the_retention(
    db, settings, private_storage, capsys, django_capture_on_commit_callbacks
):
    settings.IMPORT_RETENTION_DAYS = 7
    owner = UserFactory()
    unconfirmed = import_asked(8, State.CHECKED, owner)
    invalid, failed = import_asked(9, State.INVALID, owner), import_asked(30, State.FAILED, owner)
    recent = import_asked(6, State.CHECKED, owner)
    running = import_asked(8, State.IMPORTING, owner)
    done = import_asked(8, State.DONE, owner)
    old_files = [private_storage / job.file.name for job in (unconfirmed, invalid, failed)]

    with django_capture_on_commit_callbacks(execute=True):  # files go once deletion commits
        call_command("purge_imports")
        call_command("purge_imports")

    assert set(BackgroundImport.objects.all()) == {recent, running, done}
    assert not any(path.exists() for path in old_files)
    assert (private_storage / recent.file.name).exists()
    assert capsys.readouterr().out.splitlines() == ["3 import(s) deleted.", "0 import(s) deleted."]
