from django.conf import settings
from django.utils import translation

from portal.roles import Role, roles_of

# Each language named in its own tongue, as the switcher shows it.
LANGUAGE_NAMES = {"fr-be": "Français", "de": "Deutsch", "nl": "Nederlands", "en": "English"}


def navigation(request):
    """The roles of the signed-in person and the language switcher's choices."""
    user = getattr(request, "user", None)
    current = translation.get_language()
    return {
        "user_roles": roles_of(user) if user is not None else [],
        "Role": Role,
        "language_choices": [
            (code, LANGUAGE_NAMES.get(code, code), code == current)
            for code, _name in settings.LANGUAGES
        ],
    }
