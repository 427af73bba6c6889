"""A programme's own wording of the messages it sends (``portal.messages``): read where a
message is rendered, saved and reset by its officers, every change kept in a history.
Without a programme, the portal-wide wording of the account emails (administrators)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, MessageTemplate, MessageTemplateChange
from applications.services import members_of
from portal import messages
from portal.messages import Message
from portal.transitions import Problem, TransitionRefused


def stored_wording(message: Message, programme, language: str) -> tuple[str, str] | None:
    """The programme's (or the portal-wide) wording of ``message`` in ``language``, if it
    has its own: the source ``portal.messages`` reads (set in ``AppConfig.ready``)."""
    if message.programme_scoped and programme is None:
        return None
    if not message.programme_scoped:
        programme = None
    stored = (
        MessageTemplate.objects.filter(programme=programme, key=message.key)
        .values_list("texts", flat=True)
        .first()
    )
    text = (stored or {}).get(language)
    return (text["subject"], text["body"]) if text else None


def current(message: Message, programme) -> dict[str, dict]:
    """Per language: the wording in force (``subject``, ``body``) and whether it is the
    programme's own (``own``)."""
    result = {}
    for language in messages.languages():
        own = stored_wording(message, programme, language)
        subject, body = own or messages.default_wording(message.key, language)
        result[language] = {"subject": subject, "body": body, "own": own is not None}
    return result


def field_name(language: str, part: str) -> str:
    return f"{part}_{language.replace('-', '_')}"


def wording_problems(message: Message, texts: dict[str, tuple[str, str]]) -> list[Problem]:
    """Every language's problems, each on its own field of the editor."""
    found = []
    for language, (subject, body) in texts.items():
        for problem in messages.problems(message, subject, body):
            found.append(Problem(str(problem), field_name(language, problem.field)))
    return found


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().splitlines())


@transaction.atomic
def save(message: Message, programme, texts: dict[str, tuple[str, str]], *, by) -> None:
    """Keep ``texts`` (language → (subject, body)) as the wording of ``message``: only the
    languages that differ from the default are stored. Refused, with each reason on its
    field, when a text is empty, uses template syntax or an unknown placeholder, or leaves
    out a required one."""
    problems = wording_problems(message, texts)
    if problems:
        raise TransitionRefused(problems)
    own = {}
    for language, (subject, body) in texts.items():
        default_subject, default_body = messages.default_wording(message.key, language)
        subject, body = messages.one_line(subject), _normalised(body) + "\n"
        if (subject, _normalised(body)) != (default_subject, _normalised(default_body)):
            own[language] = {"subject": subject, "body": body}
    scope = programme if message.programme_scoped else None
    if own:
        MessageTemplate.objects.update_or_create(
            programme=scope,
            key=message.key,
            defaults={"texts": own, "changed_at": timezone.now(), "changed_by": by},
        )
    else:
        MessageTemplate.objects.filter(programme=scope, key=message.key).delete()
    MessageTemplateChange.objects.create(
        programme=scope,
        key=message.key,
        action=MessageTemplateChange.Action.SAVED,
        texts={language: {"subject": s, "body": b} for language, (s, b) in texts.items()},
        changed_by=by,
    )


@transaction.atomic
def reset(message: Message, programme, *, by) -> None:
    """Go back to the default wording in every language; the history keeps the change."""
    scope = programme if message.programme_scoped else None
    deleted, _rows = MessageTemplate.objects.filter(programme=scope, key=message.key).delete()
    if not deleted:
        raise TransitionRefused([_("This message already reads as the default.")])
    MessageTemplateChange.objects.create(
        programme=scope, key=message.key, action=MessageTemplateChange.Action.RESET, changed_by=by
    )


def history(message: Message, programme):
    scope = programme if message.programme_scoped else None
    return MessageTemplateChange.objects.filter(programme=scope, key=message.key).select_related(
        "changed_by"
    )


def customised_keys(programme) -> set[str]:
    """The messages the programme (``None``: the portal) words its own way."""
    return set(MessageTemplate.objects.filter(programme=programme).values_list("key", flat=True))


def preview_dossiers(programme):
    """The dossiers an officer may illustrate a message with: the programme's, submitted
    ones first, newest first."""
    if programme is None:
        return Application.objects.none()
    return (
        Application.objects.filter(call__programme=programme)
        .exclude(state=Application.State.DRAFT)
        .select_related("call", "organisation")
        .order_by("-submitted_at", "-pk")[:PREVIEW_CHOICES]
    )


PREVIEW_CHOICES = 200


def preview(message: Message, application, texts: dict[str, tuple[str, str]], *, viewer):
    """The message as ``application``'s people would read it with ``texts`` (not saved),
    per language: (language, subject, body); ``None`` when the dossier cannot show this
    message (``Message.example``, given ``None`` for a portal-wide message). The
    recipient is the example's own, else the dossier's first member, else the officer."""
    if message.example is None or (message.programme_scoped and application is None):
        return None
    context = message.example(application)
    if context is None:
        return None
    if "user" not in context:
        member = members_of(application).order_by("pk").first() if application else None
        context["user"] = member or viewer
    return [
        (language, *messages.render(message.key, context, language, wording_of=texts[language]))
        for language in texts
    ]
