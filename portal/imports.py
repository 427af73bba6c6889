"""Imports of legacy data in the admin (SPEC §6): CSV or XLSX, a dry-run preview, row-level
errors that name the row and the field, and nothing written unless the whole file is valid.

import-export needs three nudges for that: numbers that do not parse raise ``ValueError``
(``decimal.InvalidOperation`` would abort the whole import without naming the row); the
confirmed import is rolled back on validation errors too (by default only on exceptions);
and protected state fields are set with ``FSMField.set_state`` (see :class:`StateColumn`).
A row created in another state than its machine's first gets its history's first row,
"imported", written with the rest of the file or chunk (:func:`record_imported`).

Rows cost little: what a file refers to (labels, organisations, programmes) and the records
it updates are fetched once per file (:meth:`ImportExportResource.look_up`), not once per
row, and a file too large for a request (:data:`BACKGROUND_BYTES`) is checked and then
imported by background tasks (:func:`start_import`, :func:`run_import`), its progress and
row errors on a page of its own (``portal.views.imports``).
"""

import csv
import io
from decimal import InvalidOperation

import tablib
from django.contrib import admin
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_fsm import FSMField
from import_export import widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, ODS, XLSX

from portal.exports import ChoiceLabels, Column, ExportResource, FormulaSafeExportMixin

# A file larger than this is imported in the background (some 1,000 rows of reports).
BACKGROUND_BYTES = 200_000
# Rows read and checked at a time by the background import, and how often it says so.
CHUNK_ROWS = 2_000
PROGRESS_EVERY = 500
# Row errors kept for the import's page; the count of rows with errors is always whole.
ERRORS_KEPT = 500
# Keys looked up per query (SQLite's oldest limit on a statement's parameters is 999).
LOOKUP_BATCH = 900


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = super().clean(value, row, **kwargs)
        except (InvalidOperation, ArithmeticError):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if number is not None and not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number


class IntegerWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)


class ChoiceWidget(widgets.Widget):
    """A value among ``choices``, written as its code or its label (any case)."""

    def __init__(self, choices):
        super().__init__(coerce_to_string=False)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for code, label in self.choices:
            if text.casefold() in (str(code).casefold(), str(label).casefold()):
                return code
        allowed = ", ".join(str(code) for code, _label in self.choices)
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
        )


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related object's natural key (an enterprise number, a
    label number); an unknown key is a row error that says which."""

    def __init__(self, model, field: str, normalise=None, select_related=()):
        super().__init__(model, field=field)
        self.normalise = normalise
        self.select_related = select_related
        # Filled by ``look_up`` for one file: its keys → objects (absent: not found).
        self.known: dict | None = None

    def key(self, value):
        if value in (None, ""):
            return None
        return self.normalise(str(value)) if self.normalise else str(value).strip()

    def look_up(self, values) -> None:
        """Fetch every object ``values`` name, a few queries for the whole file."""
        keys = sorted({key for key in map(self.key, values) if key is not None})
        queryset = self.model._default_manager.select_related(*self.select_related)
        self.known = {}
        for start in range(0, len(keys), LOOKUP_BATCH):
            batch = keys[start : start + LOOKUP_BATCH]
            for found in queryset.filter(**{f"{self.field}__in": batch}):
                self.known[str(getattr(found, self.field))] = found

    def clean(self, value, row=None, **kwargs):
        key = self.key(value)
        if self.known is not None:
            if key is None:
                return None
            if key in self.known:
                return self.known[key]
        else:
            try:
                return super().clean(key if key is not None else value, row, **kwargs)
            except self.model.DoesNotExist:
                pass
        raise ValueError(
            _("No %(model)s has “%(value)s” as %(field)s.")
            % {
                "model": self.model._meta.verbose_name,
                "value": key,
                "field": self.model._meta.get_field(self.field).verbose_name,
            }
        )


class StateColumn(Column):
    """A protected FSM state column. A new row gets its state with ``set_state`` (legacy
    data arrives in any state); an existing row's state changes only through its
    transitions, so a different value there is a row error. Blank keeps the default."""

    def __init__(self, path: str, header, choices, **kwargs):
        kwargs.setdefault("widget", ChoiceWidget(choices))
        super().__init__(path, header, display=ChoiceLabels(choices), **kwargs)

    def save(self, instance, row, is_m2m=False, **kwargs):
        value = self.clean(row, **kwargs)
        if not value:
            return
        if instance._state.adding:
            instance._meta.get_field(self.attribute).set_state(instance, value)
        elif getattr(instance, self.attribute) != value:
            raise ValueError(_("The state of an existing record changes only through its actions."))


class ImportExportResource(ExportResource):
    """A resource that also imports: each column without a widget of its own gets the one
    its model field calls for, with the numeric widgets above."""

    WIDGETS_MAP = {
        **ExportResource.WIDGETS_MAP,
        "DecimalField": DecimalWidget,
        "TextField": widgets.CharWidget,
        **{
            name: IntegerWidget
            for name, widget in ExportResource.WIDGETS_MAP.items()
            if widget is widgets.IntegerWidget
        },
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, Column) or field.widget_given:
                continue
            try:
                model_field = self._meta.model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                continue
            widget = self.widget_from_django_field(model_field)
            field.widget = widget(**self.widget_kwargs_for_field(name, model_field))

    # Fields whose database check constraints are tested in Python, by ``check`` or by the
    # field's validators (``validate_constraints`` would cost a query per row and constraint).
    checked_here: frozenset[str] = frozenset()

    def check(self, instance, unread: set[str]) -> dict[str, str]:
        """Row errors the model's validation cannot see, by field name; ``unread`` names
        the fields whose value did not read (already row errors of their own)."""
        return {}

    # --- one file's lookups ---------------------------------------------------------
    existing: dict | None = None
    row_offset = 0
    on_progress = None

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.importer = kwargs.get("user")
        self.imported = []
        # Headers in the language of this import, translated once: a lazy header would be
        # translated again each time a row is read by it.
        for field in self.fields.values():
            field.column_name = str(field.column_name) if field.column_name else None
        self.look_up(dataset)

    def look_up(self, dataset) -> None:
        """Fetch at once the objects the rows name (natural keys) and the records they
        update, so that a row costs no query of its own."""
        for field in self.get_import_fields():
            if isinstance(field.widget, NaturalKeyWidget) and field.column_name in dataset.headers:
                field.widget.look_up(dataset[str(field.column_name)])
        if not hasattr(self, "seen"):
            self.seen: dict[tuple, int] = {}
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if any(field.column_name not in dataset.headers for field in id_fields):
            self.existing = None
            return
        keys = set()
        for values in dataset.dict:
            try:
                keys.add(self.key_of(values))
            except (ValueError, ValidationError):
                continue  # the row's own error, when it is imported
        first = sorted({key[0] for key in keys if key[0] is not None}, key=str)
        # The other parts of the key narrow the fetch too: a chunk of a large file names
        # many labels, and without them each chunk would read all their reports again.
        narrower = {}
        for position, field in enumerate(id_fields[1:], start=1):
            values = {key[position] for key in keys if key[position] is not None}
            if values and len(values) <= LOOKUP_BATCH:
                narrower[f"{field.attribute}__in"] = sorted(values, key=str)
        self.existing = {}
        for start in range(0, len(first), LOOKUP_BATCH):
            lookup = {f"{id_fields[0].attribute}__in": first[start : start + LOOKUP_BATCH]}
            for record in self.get_queryset().filter(**lookup, **narrower):
                key = tuple(_stored(record, field.attribute) for field in id_fields)
                self.existing[key] = record

    def key_of(self, row) -> tuple:
        return tuple(_plain(self.fields[name].clean(row)) for name in self.get_import_id_fields())

    def get_instance(self, instance_loader, row):
        if self.existing is None:
            return super().get_instance(instance_loader, row)
        key = self.key_of(row)
        if None not in key:
            if key in self.seen:
                name = self.get_import_id_fields()[0]
                raise ValidationError(
                    {
                        name: _("Row %(row)s of the file is about the same record.")
                        % {"row": self.seen[key]}
                    }
                )
            self.seen[key] = self.row_number
        return self.existing.get(key)

    # --- history of the rows created ------------------------------------------------
    importer = None
    imported: list

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        # A dry run (the preview, the background check) keeps nothing: no history either.
        if is_create and not kwargs.get("dry_run"):
            self.note_imported(instance)

    def note_imported(self, instance) -> None:
        """Remember a new row that arrives in another state than its machine's first: its
        history will say it was imported (see :func:`record_imported`)."""
        for field in instance._meta.concrete_fields:
            if isinstance(field, FSMField) and field.get_state(instance) != field.get_default():
                self.imported.append(instance)
                return

    def after_import(self, dataset, result, **kwargs):
        # After the last bulk insert of the file or chunk, in its transaction: the rows
        # have their ids, and a rolled-back import takes their history with it.
        super().after_import(dataset, result, **kwargs)
        record_imported(self.imported, by=self.importer)
        self.imported = []

    def import_row(self, row, instance_loader, **kwargs):
        self.row_number = self.row_offset + kwargs.get("row_number", 0)
        result = super().import_row(row, instance_loader, **kwargs)
        if self.on_progress and self.row_number % PROGRESS_EVERY == 0:
            self.on_progress(self.row_number)
        return result

    def looked_up(self, instance) -> set[str]:
        """Foreign keys read from this file's lookups: they exist, no need to ask again."""
        return {
            field.attribute
            for field in self.get_import_fields()
            if isinstance(field.widget, NaturalKeyWidget)
            and field.widget.known is not None
            and getattr(instance, f"{field.attribute}_id", None) is not None
        }

    def settled(self) -> set[str]:
        """Fields whose uniqueness and constraints need no query: the import key (looked
        up for the whole file, a repeated key is a row error) and ``checked_here``."""
        ids = (
            {self.fields[name].attribute for name in self.get_import_id_fields()}
            if self.existing is not None
            else set()
        )
        return ids | set(self.checked_here)

    def get_bulk_update_fields(self):
        ids = set(self.get_import_id_fields())
        names = {field.name for field in self._meta.model._meta.concrete_fields}
        return [
            field.attribute
            for name, field in self.fields.items()
            if name not in ids and not field.readonly and field.attribute in names
        ]

    def not_validated(self, instance) -> set[str]:
        """Fields ``full_clean`` must leave alone: protected state fields, which it would
        assign (their values are checked by :class:`StateColumn`)."""
        return {
            field.name
            for field in instance._meta.fields
            if isinstance(field, FSMField) and field.protected
        }

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for name, message in self.check(instance, set(errors)).items():
            errors.setdefault(name, []).append(ValidationError(message))
        # ``full_clean`` in its parts, so that the checks a file's lookups settled cost
        # no query per row.
        exclude = {*errors, *self.not_validated(instance)}
        for validate in (
            lambda: instance.clean_fields(exclude=exclude | self.looked_up(instance)),
            instance.clean,
        ):
            try:
                validate()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if validate_unique:
            settled = exclude | set(errors) | self.settled()
            try:
                instance.validate_unique(exclude=settled)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            errors = _validate_constraints(instance, settled, errors)
        if errors:
            raise ValidationError(errors)


def record_imported(objects: list[models.Model], *, by) -> None:
    """The first history row of objects an import created in a state other than their
    machine's first (a legacy label already expired, a report already accepted): that
    state, "imported", by whoever imported the file; one query for a file or a chunk.
    Objects left without an id (nothing written: a dry run without transaction, a failed
    bulk insert) are skipped."""
    from portal.models import StateChange
    from portal.transitions import arrival

    at = timezone.now()
    comment = capfirst(_("imported"))
    changes = [
        arrival(obj, "import", by=by, comment=comment, at=at)
        for obj in objects
        if obj.pk is not None
    ]
    StateChange.objects.bulk_create(changes)


def _validate_constraints(instance, settled: set[str], errors: dict) -> dict:
    """``Model.validate_constraints`` without the constraints on a settled field, which
    it would still build a query for."""
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            fields = models.Q(constraint.condition).referenced_base_fields
        else:
            fields = set(getattr(constraint, "fields", ()) or ())
        if fields & settled:
            continue
        try:
            constraint.validate(instance.__class__, instance, exclude=settled)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    return errors


def _plain(value):
    return value.pk if isinstance(value, models.Model) else value


def _stored(record, name: str):
    """A field's stored value (a foreign key's id, without fetching the object)."""
    return getattr(record, record._meta.get_field(name).attname)


class AllOrNothingImportMixin(FormulaSafeExportMixin, ImportExportMixin):
    """Admin import and export: CSV or XLSX in (ODS import is broken in import-export 4.4),
    every format out; a confirmed import with any invalid row is rolled back whole."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX, ODS, JSON]

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return kwargs

    def import_action(self, request, **kwargs):
        """A file over :data:`BACKGROUND_BYTES` goes to a background check, whose page
        shows its progress, its row errors and, for a valid file, the button that imports
        it; a smaller one gets import-export's own preview."""
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and form.cleaned_data["import_file"].size > BACKGROUND_BYTES:
                input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
                upload = form.cleaned_data["import_file"]
                return redirect(start_import(request, self.model, input_format, upload))
        return super().import_action(request, **kwargs)


# --- imports in the background ------------------------------------------------------


def start_import(request, model, input_format, upload):
    """Keep the uploaded file in private storage and enqueue its check after commit."""
    from portal.models import BackgroundImport
    from portal.tasks import import_file

    job = BackgroundImport(
        owner=request.user,
        model=model._meta.label_lower,
        format=input_format.get_title(),
        file_name=upload.name[:200],
        language=translation.get_language() or "",
    )
    job.file.save("upload." + job.format, upload, save=False)
    job.save()
    transaction.on_commit(lambda: import_file.using(queue_name="exports").enqueue(str(job.pk)))
    return job


def model_admin_of(job):
    from django.apps import apps

    return admin.site._registry[apps.get_model(job.model)]


def background_resource(job):
    """The admin's import resource, without the preview's per-row diff and saving in bulk."""
    base = model_admin_of(job).resource_classes[0]

    class Meta:
        skip_diff = True
        use_bulk = True
        batch_size = 1_000

    return type(base.__name__, (base,), {"Meta": Meta, "__module__": base.__module__})()


def read_chunks(job, size: int = CHUNK_ROWS):
    """The file's rows as datasets of ``size`` rows, read as a stream (the whole file
    is never held in memory); blank lines are skipped."""
    with job.file.open("rb") as stream:
        if job.format == "xlsx":
            from openpyxl import load_workbook

            workbook = load_workbook(stream, read_only=True, data_only=True)
            lines = workbook.active.iter_rows(values_only=True)
        else:
            lines = csv.reader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""))
        headers = [str(value or "").strip() for value in next(lines, [])]
        width = len(headers)
        rows = []
        for values in lines:
            if all(value in (None, "") for value in values):
                continue
            rows.append(([*values, *[""] * width])[:width])
            if len(rows) == size:
                yield tablib.Dataset(*rows, headers=headers)
                rows = []
        if rows or not headers:
            yield tablib.Dataset(*rows, headers=headers)


def run_import(job) -> None:
    """Check ``job``'s file (state "checking") or import it (state "importing"); the
    task's body. Every row is validated; an import writes in one transaction that is
    rolled back whole if any row fails. Idempotent: a finished step is left alone."""
    from portal.models import BackgroundImport

    State = BackgroundImport.State
    if job.state not in BackgroundImport.RUNNING_STATES:
        return
    writing = job.state == State.IMPORTING
    jobs = BackgroundImport.objects.filter(pk=job.pk, state=job.state)
    cache.set(job.progress_key, 0, 24 * 3600)
    try:
        if not writing:
            jobs.update(rows_total=sum(len(chunk) for chunk in read_chunks(job)))
        counts = {"new": 0, "update": 0, "invalid": 0}
        errors = []
        with translation.override(job.language or None), transaction.atomic():
            resource = background_resource(job)
            resource.on_progress = lambda done: cache.set(job.progress_key, done, 24 * 3600)
            for dataset in read_chunks(job):
                result = resource.import_data(
                    dataset,
                    user=job.owner,
                    dry_run=not writing,
                    raise_errors=False,
                    use_transactions=True,
                    rollback_on_validation_errors=True,
                )
                _collect(resource, result, counts, errors)
                resource.row_offset += len(dataset)
            if writing and counts["invalid"]:
                transaction.set_rollback(True)
    except Exception as error:
        jobs.update(state=State.FAILED, error=repr(error), finished_at=timezone.now())
        raise
    if writing:
        state = State.INVALID if counts["invalid"] else State.DONE
    else:
        state = State.INVALID if counts["invalid"] else State.CHECKED
    jobs.update(
        state=state,
        rows_done=resource.row_offset,
        new_rows=counts["new"],
        updated_rows=counts["update"],
        invalid_rows=counts["invalid"],
        row_errors=errors[:ERRORS_KEPT],
        finished_at=timezone.now() if state != State.CHECKED else None,
    )
    cache.delete(job.progress_key)
    if state in (State.DONE, State.INVALID):
        job.file.delete(save=False)
        BackgroundImport.objects.filter(pk=job.pk).update(file="")


def _collect(resource, result, counts: dict, errors: list) -> None:
    """Add a chunk's totals and errors (row numbers in the whole file, columns by the
    headers people read)."""
    offset = resource.row_offset
    headers = {name: str(field.column_name) for name, field in resource.fields.items()}
    headers.update({field.attribute: str(field.column_name) for field in resource.fields.values()})
    counts["new"] += result.totals.get("new", 0)
    counts["update"] += result.totals.get("update", 0)
    for error in result.base_errors:
        counts["invalid"] += 1
        errors.append({"row": None, "column": "", "messages": [str(error.error)]})
    for number, row_errors in result.row_errors():
        counts["invalid"] += 1
        messages = [str(error.error) for error in row_errors]
        errors.append({"row": offset + number, "column": "", "messages": messages})
    for invalid in result.invalid_rows:
        counts["invalid"] += 1
        for name, messages in invalid.error_dict.items():
            column = "" if name == "__all__" else headers.get(name, name)
            errors.append(
                {"row": offset + invalid.number, "column": column, "messages": list(messages)}
            )
