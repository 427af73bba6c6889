from django import template

register = template.Library()


@register.filter
def has_required_fields(form) -> bool:
    """Whether ``form`` shows at least one required field (to explain the asterisk)."""
    return any(field.field.required for field in form.visible_fields())
