"""The messages the portal sends — every email, and the opening words of its letters — as
texts that a programme's officers may reword, per language (docs/messages.md).

Each app registers its messages in its ``AppConfig.ready`` (``register``). A message has a
key, the name its emails were always known by ("review/emails/invited"), which the inbox and
the email choices use as its kind; a title; its **placeholders**, the only names a text may
use, written ``{{ name }}``, some of them required (a decision without its amount, a
complaint's answer without its date, is not one); how to compute their values from what the
sender knows (``values``), and which programme the message is about (``programme``), whose
wording then applies.

Texts are plain: a placeholder is replaced by its value, nothing else is interpreted, so an
officer's wording can neither reach other data nor break a page. The default wording of a
message, per language, is a file of its app, ``<app>/messages/<fr|en>/<name>.txt``: the
subject on the first line, an empty line, then the body. A programme's own wording, kept by
the applications app (``MessageTemplate``), replaces it where it exists (``set_wording_source``):
the portal sits below the app that knows programmes.
"""

import re
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.links import site_url
from portal.transitions import Problem

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]*)\s*\}\}")
# Template syntax a text may not hold: our texts are not Django templates.
TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)

EMAIL = "email"
LETTER = "letter"


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    required: bool = False


# The placeholders every email may use, whatever it is about.
NAME = Placeholder("name", gettext_lazy("the recipient's full name"))
SITE_URL = Placeholder("site_url", gettext_lazy("the portal's address, without a final slash"))


@dataclass(frozen=True)
class Message:
    """A message the portal sends. ``values(context)`` returns the placeholders' values
    (strings) from the context the sender passes, in the active language; ``programme``
    the programme it is about (``None``: a portal-wide message, such as an account's);
    ``example(application)`` a context built from a real dossier, for the editor's preview
    (``None`` when the dossier cannot show this message)."""

    key: str
    title: str
    placeholders: tuple[Placeholder, ...]
    values: Callable[[dict], dict[str, object]]
    programme: Callable[[dict], object] = lambda context: None
    example: Callable[[object], dict | None] | None = None
    kind: str = EMAIL
    order: int = field(default=50, compare=False)

    @property
    def app_label(self) -> str:
        return self.key.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.key.rsplit("/", 1)[-1]

    @property
    def required(self) -> list[str]:
        return [p.name for p in self.placeholders if p.required]

    @property
    def names(self) -> set[str]:
        return {p.name for p in self.placeholders}

    @property
    def programme_scoped(self) -> bool:
        """Whether a programme may have its own wording (account emails are portal-wide)."""
        return self.app_label != "portal"


_MESSAGES: dict[str, Message] = {}


def register(*messages: Message) -> None:
    """Make ``messages`` known (an app's ``AppConfig.ready``); an email may also use the
    recipient's name and the portal's address."""
    for message in messages:
        if message.kind == EMAIL:
            named = {p.name for p in message.placeholders}
            extra = tuple(p for p in (NAME, SITE_URL) if p.name not in named)
            message = replace(message, placeholders=message.placeholders + extra)
        _MESSAGES[message.key] = message


def get(key: str) -> Message | None:
    return _MESSAGES.get(key)


def all_messages(*, programme_scoped: bool | None = None) -> list[Message]:
    found = sorted(_MESSAGES.values(), key=lambda m: (m.app_label, m.order, m.key))
    if programme_scoped is None:
        return found
    return [m for m in found if m.programme_scoped == programme_scoped]


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def wording_language(language: str | None) -> str:
    """The language whose wording a recipient reads: theirs if the portal speaks it, else
    the portal's default."""
    return language if language in languages() else settings.LANGUAGE_CODE


# --- default wording ---------------------------------------------------------------------


def default_path(message: Message, language: str) -> Path:
    app = apps.get_app_config(message.app_label)
    folder = language.split("-")[0]  # "fr" for fr-be, as the locale folders
    return Path(app.path) / "messages" / folder / f"{message.name}.txt"


@cache
def default_wording(key: str, language: str) -> tuple[str, str]:
    """The subject and body the portal ships for ``key`` in ``language``."""
    text = default_path(get(key), wording_language(language)).read_text(encoding="utf-8")
    subject, _blank, body = text.partition("\n\n")
    return subject.strip(), body.rstrip() + "\n"


# --- a programme's own wording -----------------------------------------------------------

WordingSource = Callable[[Message, object, str], tuple[str, str] | None]
_wording_source: WordingSource = lambda message, programme, language: None  # noqa: E731


def set_wording_source(source: WordingSource) -> None:
    """Where a programme's own wording comes from: ``source(message, programme, language)``
    returns its (subject, body), or ``None`` to keep the default."""
    global _wording_source
    _wording_source = source


# The wordings read so far in a ``wordings_kept`` block, or None outside one.
_kept: ContextVar[dict | None] = ContextVar("kept_wordings", default=None)


@contextmanager
def wordings_kept():
    """Within the block, each programme's wording of a message in a language is read once:
    for a job that sends many messages (the surveillance's hundreds of emails), not for a
    request, which must see a wording an officer saved a moment ago."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def wording(message: Message, programme, language: str) -> tuple[str, str]:
    language = wording_language(language)
    kept = _kept.get()
    key = (message.key, getattr(programme, "pk", None), language)
    if kept is not None and key in kept:
        return kept[key]
    found = _wording_source(message, programme, language) or default_wording(message.key, language)
    if kept is not None:
        kept[key] = found
    return found


# --- checking and rendering --------------------------------------------------------------


def used(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def problems(message: Message, subject: str, body: str) -> list[Problem]:
    """Why a wording cannot be saved: an empty subject or body, template syntax, a name
    that is not one of the message's placeholders, a required placeholder left out."""
    found = []
    if not subject.strip():
        found.append(Problem(_("Write the subject."), "subject"))
    if not body.strip():
        found.append(Problem(_("Write the text."), "body"))
    for where, text in (("subject", subject), ("body", body)):
        if TAG.search(text):
            found.append(
                Problem(
                    _("Only placeholders written {{ name }} may be used; remove “%(tag)s”.")
                    % {"tag": TAG.search(text).group(0)},
                    where,
                )
            )
        unknown = sorted(used(text) - message.names)
        if unknown:
            found.append(
                Problem(
                    _("Unknown placeholder: %(names)s. Use only those listed beside the text.")
                    % {"names": ", ".join(f"{{{{ {name} }}}}" for name in unknown)},
                    where,
                )
            )
    missing = [name for name in message.required if name not in used(subject) | used(body)]
    if missing:
        found.append(
            Problem(
                _("The text must contain %(names)s.")
                % {"names": ", ".join(f"{{{{ {name} }}}}" for name in missing)},
                "body",
            )
        )
    return found


def substitute(text: str, values: dict[str, object]) -> str:
    """``text`` with each known placeholder replaced by its value; anything else kept."""

    def value(match):
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(value, text)


def values_of(message: Message, context: dict) -> dict[str, object]:
    """The placeholders' values for ``context``, in the active language."""
    values = {"site_url": site_url()}
    user = context.get("user")
    if user is not None:
        values["name"] = user.full_name
    values.update(message.values(context))
    return values


def render(key: str, context: dict, language: str, *, wording_of=None) -> tuple[str, str]:
    """The subject (one line) and body of message ``key`` for ``context``, in ``language``:
    the programme's wording if it has one, else the default. ``wording_of``: a (subject,
    body) to render instead, for a preview of a wording not saved yet."""
    message = _MESSAGES[key]
    language = wording_language(language)
    with translation.override(language):
        values = values_of(message, context)
        subject, body = wording_of or wording(message, message.programme(context), language)
        # A placeholder left empty (an optional comment) leaves no run of empty lines.
        body = re.sub(r"\n{3,}", "\n\n", substitute(body, values))
        return one_line(substitute(subject, values)), body


def one_line(text: str) -> str:
    """``text`` on one line, its runs of spaces and line breaks made one space; no-break
    spaces, which French typography puts before ":" and "»", are kept."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def paragraphs(body: str) -> list[str]:
    """A letter text's paragraphs: separated by an empty line, their lines joined."""
    return [one_line(p) for p in re.split(r"\n[ \t\r]*\n", body) if p.strip()]
