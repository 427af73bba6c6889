"""Texts staff write, in each of the portal's languages.

A translatable field (registered in an app's ``translation.py`` with django-modeltranslation)
has one column per language, ``<field>_fr``, ``_de``, ``_nl`` and ``_en``; reading
``obj.<field>`` gives the reader's language, or the French where it is not translated yet.
This module holds what the apps share about them: which languages there are, whether a text
is translated, the labels and "not translated yet" notes of the staff's forms, and the count
of the missing translations of a set of objects, in SQL.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Count, Model, Q, QuerySet
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The languages of staff-written texts, French (required, the fallback) first.
LANGUAGES: tuple[str, ...] = tuple(settings.MODELTRANSLATION_LANGUAGES)
SOURCE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
#: The languages a text is translated into from the French.
TARGETS: tuple[str, ...] = tuple(code for code in LANGUAGES if code != SOURCE)

# As written inside a sentence or a label: "Titre (allemand)", "Titel (Deutsch)".
LANGUAGE_NAMES = {
    "fr": pgettext_lazy("language, in a sentence", "French"),
    "de": pgettext_lazy("language, in a sentence", "German"),
    "nl": pgettext_lazy("language, in a sentence", "Dutch"),
    "en": pgettext_lazy("language, in a sentence", "English"),
}

NOT_TRANSLATED = _("Not translated yet: readers of this language see the French.")


def current() -> str:
    """The reader's language as the translated columns name it: "fr" for fr-be."""
    return (translation.get_language() or SOURCE).split("-")[0]


def columns(field: str) -> list[str]:
    """The columns of a translated field, French first."""
    return [f"{field}_{code}" for code in LANGUAGES]


def texts(obj, *fields: str) -> dict[str, str]:
    """Every language of ``obj``'s translated ``fields``, by column: what a copy takes."""
    return {column: getattr(obj, column) for field in fields for column in columns(field)}


def in_language(data: dict, field: str) -> str:
    """A text kept in a JSON object with a key per language (``label_fr``, ``label_de``…),
    in the reader's language or else in French (the options of a choice indicator)."""
    return data.get(f"{field}_{current()}") or data.get(f"{field}_{SOURCE}") or ""


def is_translated(obj, field: str, language: str | None = None) -> bool:
    """Whether ``obj.<field>`` is written in ``language`` (the reader's by default); an
    empty French text has nothing to translate."""
    language = language or current()
    if language == SOURCE or not getattr(obj, f"{field}_{SOURCE}", ""):
        return True
    return bool(getattr(obj, f"{field}_{language}", ""))


def missing_languages(obj, fields: Iterable[str]) -> list[str]:
    """The target languages in which some of ``fields`` of ``obj`` are not translated."""
    return [
        code for code in TARGETS if not all(is_translated(obj, field, code) for field in fields)
    ]


def _missing(field: str, language: str) -> Q:
    written = Q(**{f"{field}_{SOURCE}__gt": ""})
    empty = Q(**{f"{field}_{language}__isnull": True}) | Q(**{f"{field}_{language}": ""})
    return written & empty


def count_missing(queryset: QuerySet, fields: Iterable[str]) -> dict[str, int]:
    """How many texts of ``queryset``'s rows lack a translation, per target language: one
    query, whatever the number of rows."""
    fields = list(fields)
    aggregates = {
        f"{field}__{code}": Count("pk", filter=_missing(field, code))
        for field in fields
        for code in TARGETS
    }
    counts = queryset.order_by().aggregate(**aggregates)
    return {code: sum(counts[f"{field}__{code}"] or 0 for field in fields) for code in TARGETS}


def label_fields(form, names: Iterable[str] | None = None) -> None:
    """Label a model form's translated fields "title (German)" and tell staff, under each
    empty translation of a written French text, that it is not translated yet.

    ``names`` are the translated fields' base names; by default every field of the form
    ending in a language suffix.
    """
    suffixes = tuple(f"_{code}" for code in LANGUAGES)
    for name, field in form.fields.items():
        if not name.endswith(suffixes):
            continue
        base, code = name.rsplit("_", 1)
        if names is not None and base not in names:
            continue
        model_field = form._meta.model._meta.get_field(base)
        field.label = format_lazy(
            "{} ({})", model_field.verbose_name.capitalize(), LANGUAGE_NAMES[code]
        )
        if code == SOURCE:
            field.required = not model_field.blank
            continue
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk and not is_translated(instance, base, code):
            field.help_text = NOT_TRANSLATED
            field.widget.attrs["data-untranslated"] = "true"


# What staff translate, by where they edit it ------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A model's translated fields, and how its rows reach a call or a programme: for each
    scope ("call", "programme"), the lookups from the model to that object ("" for the
    object itself; several when rows reach it in several ways)."""

    model: type[Model]
    fields: tuple[str, ...]
    paths: dict[str, tuple[str, ...]]
    #: The address of the page where staff edit a row, and what it reads to make it.
    edit: Callable[[Model], str]
    related: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def of(self, scope: str, obj) -> QuerySet:
        lookups = [f"{path}__pk" if path else "pk" for path in self.paths[scope]]
        return self.model._default_manager.filter(
            reduce(or_, (Q(**{lookup: obj.pk}) for lookup in lookups))
        )


SOURCES: list[Source] = []


def track(
    model: type[Model],
    fields: Iterable[str],
    *,
    edit: Callable[[Model], str],
    related: tuple[str, ...] = (),
    **paths: str | tuple[str, ...],
) -> None:
    """Count ``model``'s ``fields`` in the missing translations of the scopes ``paths``
    names, and link them to ``edit(row)`` (each app's translation.py, beside its
    registration)."""
    SOURCES.append(
        Source(
            model,
            tuple(fields),
            {
                scope: (path,) if isinstance(path, str) else tuple(path)
                for scope, path in paths.items()
            },
            edit,
            related,
        )
    )


def missing_in(scope: str, obj) -> dict[str, int]:
    """How many texts of a call or programme (``scope``) and its parts are not translated
    yet, per target language: one query per kind of part."""
    totals = dict.fromkeys(TARGETS, 0)
    for source in SOURCES:
        if scope in source.paths:
            for code, count in count_missing(source.of(scope, obj), source.fields).items():
                totals[code] += count
    return totals


@dataclass(frozen=True)
class Untranslated:
    """One text of a call or programme that lacks translations."""

    kind: str
    obj: Model
    field: str
    french: str
    languages: list[str]
    edit_url: str

    @property
    def field_name(self) -> str:
        return str(self.obj._meta.get_field(self.field).verbose_name)

    @property
    def language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES[code]) for code in self.languages]


def untranslated_in(scope: str, obj) -> list[Untranslated]:
    """Each text of a call or programme (``scope``) that lacks a translation, with the
    languages it lacks: one query per kind of part."""
    found = []
    for source in SOURCES:
        if scope not in source.paths:
            continue
        lacking = reduce(
            or_, (_missing(field, code) for field in source.fields for code in TARGETS)
        )
        rows = source.of(scope, obj).filter(lacking).select_related(*source.related)
        for row in rows.order_by("pk"):
            for field in source.fields:
                languages = [code for code in TARGETS if not is_translated(row, field, code)]
                if languages:
                    french = getattr(row, f"{field}_{SOURCE}")
                    found.append(
                        Untranslated(source.name, row, field, french, languages, source.edit(row))
                    )
    return found
