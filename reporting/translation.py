"""The indicators' texts per language (django-modeltranslation; see portal.translations)."""

from django.urls import reverse
from modeltranslation.translator import TranslationOptions, register

from portal import translations
from reporting.models import Indicator


@register(Indicator)
class IndicatorTexts(TranslationOptions):
    fields = ("label", "help", "unit")
    required_languages = ("fr",)


translations.track(
    Indicator,
    IndicatorTexts.fields,
    programme="programme",
    edit=lambda indicator: reverse(
        "reporting:indicator", args=[indicator.programme.slug, indicator.pk]
    ),
    related=("programme",),
)
