"""What a token may read: the intersection of its scopes and its owner's current rights.

Scopes are words: ``read:public`` (the public endpoints) and ``read:programme:<slug>`` (the
staff endpoints of one programme). A programme's scope may only be given by someone who
may read that programme's staff pages (``Programme.objects.staff_visible_to``), and it is
asked again on every request: an owner who lost the role reads nothing more with the token.
"""

from django.db.models import QuerySet

from applications.models import Programme

PUBLIC = "read:public"
PROGRAMME = "read:programme:"


def programme_scope(slug: str) -> str:
    return f"{PROGRAMME}{slug}"


def grantable(user) -> list[tuple[str, str]]:
    """The scopes ``user`` may put on a token, as (scope, programme name or "")."""
    choices = [(PUBLIC, "")]
    for slug, name in (
        Programme.objects.staff_visible_to(user).order_by("name").values_list("slug", "name")
    ):
        choices.append((programme_scope(slug), name))
    return choices


def may_make_tokens(user) -> bool:
    """Staff make tokens: administrators, officers and ministry staff of a programme."""
    return user.is_authenticated and (
        user.is_superuser or Programme.objects.staff_visible_to(user).exists()
    )


def programme_slugs(scopes: list[str]) -> set[str]:
    return {scope.removeprefix(PROGRAMME) for scope in scopes if scope.startswith(PROGRAMME)}


def readable_programmes(user, token) -> QuerySet:
    """The programmes whose staff data ``token`` reads now: those its scopes name that its
    owner still reads as staff."""
    return Programme.objects.staff_visible_to(user).filter(slug__in=programme_slugs(token.scopes))
