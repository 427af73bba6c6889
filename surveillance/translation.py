"""The label conditions' texts per language (django-modeltranslation; see
portal.translations)."""

from django.urls import reverse
from modeltranslation.translator import TranslationOptions, register

from portal import translations
from surveillance.models import Condition


@register(Condition)
class ConditionTexts(TranslationOptions):
    fields = ("label", "document")
    required_languages = ("fr",)


translations.track(
    Condition,
    ConditionTexts.fields,
    programme="programme",
    edit=lambda condition: reverse(
        "surveillance:condition_edit", args=[condition.programme.slug, condition.pk]
    ),
    related=("programme",),
)
