"""The criteria's texts per language (django-modeltranslation; see portal.translations)."""

from django.urls import reverse
from modeltranslation.translator import TranslationOptions, register

from portal import translations
from review.models import Criterion


@register(Criterion)
class CriterionTexts(TranslationOptions):
    fields = ("title", "guidance")
    required_languages = ("fr",)


translations.track(
    Criterion,
    CriterionTexts.fields,
    call="call",
    programme="call__programme",
    edit=lambda criterion: reverse("review:criteria", args=[criterion.call.slug]),
    related=("call",),
)
