"""Imports of legacy data in the admin (SPEC §6): CSV or XLSX, a dry-run preview, row-level
errors that name the row and the field, and nothing written unless the whole file is valid.

import-export needs three nudges for that: numbers that do not parse raise ``ValueError``
(``decimal.InvalidOperation`` would abort the whole import without naming the row); the
confirmed import is rolled back on validation errors too (by default only on exceptions);
and protected state fields are set with ``FSMField.set_state`` (see :class:`StateColumn`).
"""

from decimal import InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext as _
from django_fsm import FSMField
from import_export import widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, ODS, XLSX

from portal.exports import ChoiceLabels, Column, ExportResource, FormulaSafeExportMixin


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

    def __init__(self, model, field: str, normalise=None):
        super().__init__(model, field=field)
        self.normalise = normalise

    def clean(self, value, row=None, **kwargs):
        if value not in (None, "") and self.normalise:
            value = self.normalise(str(value))
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(model)s has “%(value)s” as %(field)s.")
                % {
                    "model": self.model._meta.verbose_name,
                    "value": value,
                    "field": self.model._meta.get_field(self.field).verbose_name,
                }
            ) from None


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

    def check(self, instance, unread: set[str]) -> dict[str, str]:
        """Row errors the model's validation cannot see, by field name; ``unread`` names
        the fields whose value did not read (already row errors of their own)."""
        return {}

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
        try:
            instance.full_clean(
                exclude={*errors, *self.not_validated(instance)}, validate_unique=validate_unique
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class AllOrNothingImportMixin(FormulaSafeExportMixin, ImportExportMixin):
    """Admin import and export: CSV or XLSX in (ODS import is broken in import-export 4.4),
    every format out; a confirmed import with any invalid row is rolled back whole."""

    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX, ODS, JSON]

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return kwargs
