"""Texts staff write, as readers meet them (a builtin, see ``TEMPLATES`` in the settings).

``obj.title`` already reads in the reader's language, or in French where no translation is
written (django-modeltranslation). These tags say which:

- ``<h1{% fallback_lang call "title" %}>`` adds ``lang="fr"`` where the French stands in,
  so that a screen reader reads it with French pronunciation;
- ``{% untranslated call "title" %}`` adds a "not translated yet" mark there, for staff
  only (applicants simply read the French);
- ``{% translation_gaps question "label" "help" %}`` names, on staff pages, the languages a
  text still lacks.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal import translations
from portal.roles import Role, roles_of

register = template.Library()

STAFF = {Role.ADMIN, Role.OFFICER, Role.MINISTRY}


@register.simple_tag
def fallback_lang(obj, field: str) -> str:
    if translations.is_translated(obj, field):
        return ""
    return mark_safe(f' lang="{translations.SOURCE}"')


@register.simple_tag(takes_context=True)
def untranslated(context, obj, field: str) -> str:
    if translations.is_translated(obj, field):
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not STAFF & set(roles_of(user)):
        return ""
    return format_html(' <span class="untranslated">{}</span>', _("not translated yet"))


@register.simple_tag
def translation_gaps(obj, *fields: str) -> str:
    """For staff pages: a mark naming the languages some of ``fields`` of ``obj`` are not
    translated into yet ("Not translated yet: German, Dutch"); nothing when all are written."""
    missing = translations.missing_languages(obj, fields)
    if not missing:
        return ""
    names = ", ".join(str(translations.LANGUAGE_NAMES[code]) for code in missing)
    return format_html(
        ' <span class="untranslated">{}</span>',
        _("Not translated yet: %(languages)s") % {"languages": names},
    )
