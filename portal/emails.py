"""Emails rendered from template files in the recipient's language, sent after commit."""

import base64

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal.links import site_url
from portal.tasks import send_email


def render_email(template: str, context: dict, language: str) -> tuple[str, str]:
    """Subject and body of ``<template>_subject.txt`` and ``_body.txt``; templates start
    their links with ``site_url`` (see ``portal.links``)."""
    context = {"site_url": site_url(), **context}
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    return " ".join(subject.splitlines()), body


Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def send_templated_email(
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    attachments: list[Attachment] = (),
) -> None:
    """Render now (in ``language``, French by default) and enqueue the sending after commit,
    with ``attachments`` (a certificate drawn in the same language, say)."""
    subject, body = render_email(template, context, language or settings.LANGUAGE_CODE)
    encoded = [
        (name, base64.b64encode(content).decode("ascii"), mimetype)
        for name, content, mimetype in attachments
    ]
    transaction.on_commit(
        lambda: send_email.enqueue(to=[to], subject=subject, body=body, attachments=encoded or None)
    )


def send_to_user(user, template: str, context: dict, attachments: list[Attachment] = ()) -> None:
    """Send to a user in the language of their profile."""
    send_templated_email(
        user.email, template, {"user": user, **context}, user.language, attachments
    )
