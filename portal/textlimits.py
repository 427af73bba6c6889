"""How much text people may type into each free-text field, in one place.

A dossier, a report, a review or a letter's reason is read by people and printed in PDFs:
an unbounded field let one applicant save megabytes that no one reads and that stalled the
worker drawing the receipt. Each free-text field takes one of the limits below, chosen to
fit a real dossier with room to spare:

=========  ======  ==========================================================================
limit      chars   fields
=========  ======  ==========================================================================
SHORT      1 000   opening hours
SUMMARY    3 000   the project summary, a call's summary, a space's public description
COMMENT    5 000   reasons, messages, answers, notes, review comments, rationales, guidance
LONG       10 000  target public, partners, business model, budget plan, a report's narrative,
                   a programme's description and legal basis, a call's rules
=========  ======  ==========================================================================

The limit is kept by the application, not the database: model fields stay ``TextField``
(``text`` on PostgreSQL, so changing a limit never rewrites a table) as
:class:`LimitedTextField`, whose validator runs in ``full_clean`` — forms and imports (a
row error) alike. Its form field, :class:`LimitedText`, also used by hand-written forms,
says the limit in its help text, sets ``maxlength`` on the text area and refuses a longer
text with a message that gives the count. Line breaks count as one character, as the
browser counts them (it sends them as two).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import ngettext, ngettext_lazy

from portal.figures import number

SHORT = 1_000
SUMMARY = 3_000
COMMENT = 5_000
LONG = 10_000


def length(value: str) -> int:
    """The length of ``value`` as the person typed it: a line break counts once."""
    return len(value.replace("\r\n", "\n"))


@deconstructible
class TextLimit(MaxLengthValidator):
    """Refuses a text longer than ``limit_value`` characters, saying by how much."""

    message = ngettext_lazy(
        "This text is over the limit of %(limit_shown)s character (it has %(length)s).",
        "This text is over the limit of %(limit_shown)s characters (it has %(length)s).",
        "limit",
    )
    code = "max_length"

    def __call__(self, value):
        if value is None:
            return
        typed = length(str(value))
        if typed > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={
                    "limit": self.limit_value,
                    "limit_shown": number(self.limit_value),
                    "length": number(typed),
                },
            )


def _at_most(limit: int) -> str:
    return ngettext("At most %(limit)s character.", "At most %(limit)s characters.", limit) % {
        "limit": number(limit)
    }


at_most = lazy(_at_most, str)


class LimitedText(forms.CharField):
    """A text area's form field limited to ``limit`` characters (see the module)."""

    def __init__(self, *, limit: int, help_text="", widget=None, **kwargs):
        kwargs.pop("max_length", None)
        help_text = format_lazy("{} {}", help_text, at_most(limit)) if help_text else at_most(limit)
        super().__init__(
            max_length=limit, help_text=help_text, widget=widget or forms.Textarea, **kwargs
        )
        # Django's own validator counts a line break twice and words its message its way.
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, MaxLengthValidator)
        ] + [TextLimit(limit)]


class LimitedTextField(models.TextField):
    """A ``TextField`` whose length the application keeps (see the module)."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @property
    def validators(self):
        return [*super().validators, TextLimit(self.max_length)]

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", LimitedText)
        if issubclass(kwargs["form_class"], LimitedText):
            kwargs["limit"] = self.max_length
        return super().formfield(**kwargs)
