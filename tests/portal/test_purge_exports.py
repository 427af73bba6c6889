import datetime as dt

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from portal.models import BackgroundExport
from tests.factories import UserFactory


def export_asked(days_ago: int, owner) -> BackgroundExport:
    export = BackgroundExport.objects.create(
        owner=owner,
        kind="reports",
        format="xlsx",
        state=BackgroundExport.State.DONE,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    export.file.save("rapports.xlsx", ContentFile(b"PK..."))
    return export


def test_exports_older_than_the_retention_are_deleted_with_their_files(
    db, settings, private_storage, capsys, django_capture_on_commit_callbacks
):
    settings.EXPORT_RETENTION_DAYS = 7
    owner = UserFactory()
    old, recent = export_asked(8, owner), export_asked(6, owner)
    old_file = private_storage / old.file.name

    with django_capture_on_commit_callbacks(execute=True):  # files go once deletion commits
        call_command("purge_exports")
        call_command("purge_exports")

    assert list(BackgroundExport.objects.all()) == [recent]
    assert not old_file.exists()
    assert (private_storage / recent.file.name).exists()
    assert capsys.readouterr().out.splitlines() == ["1 export(s) deleted.", "0 export(s) deleted."]


def test_an_export_whose_record_went_while_it_was_written_leaves_no_file(
    db, private_storage, monkeypatch
):
    from portal import exports

    export = BackgroundExport.objects.create(owner=UserFactory(), kind="labels", format="json")

    def write_then_lose_the_record(fmt, header, lines, out, name=""):
        out.write(b"[]")
        BackgroundExport.objects.filter(pk=export.pk).delete()  # e.g. its owner left

    monkeypatch.setattr(exports, "write", write_then_lose_the_record)
    monkeypatch.setattr(
        exports,
        "source",
        lambda *args: exports.Source(
            exports.ExportResource(), BackgroundExport.objects.none(), "labels"
        ),
    )

    exports.run_background_export(export)

    assert list(private_storage.rglob("*.json")) == []
