"""The links the apps add to the header and footer (``portal.navigation``), for ``base.html``.
Tags rather than a context processor: the error pages render without a request, and still
show the footer."""

from django import template

from portal import navigation
from portal.roles import roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def header_links(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return navigation.header_links(request.path, roles_of(user))


@register.simple_tag
def footer_lines() -> list[dict]:
    return navigation.footer_lines()
