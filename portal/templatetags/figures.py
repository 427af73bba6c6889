"""Filters of :mod:`portal.figures`, available in every template (a builtin, see
``TEMPLATES`` in the settings): ``{{ amount|euros }}`` writes "60 000,00 €" in French and
"€60,000.00" in English, as the PDFs and letters do; ``{{ budget|euros:0 }}`` drops the
cents; ``{{ minimum|exact }}`` writes a number as given ("33,33", "20") and
``{{ limit|share }}`` a percentage ("33,33 %"). A missing value reads "—"."""

from django import template

from portal import figures

register = template.Library()


@register.filter(is_safe=True)
def euros(value, decimals=2) -> str:
    if value is None or value == "":
        return figures.euros(None)
    return figures.euros(value, int(decimals))


@register.filter(is_safe=True)
def exact(value) -> str:
    return figures.exact(value)


@register.filter(is_safe=True)
def share(value) -> str:
    return figures.share(value)
