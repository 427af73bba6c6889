"""Sections the apps add to the letters written by apps below them, so that no app imports
one above it: review writes the grant letter, but the label's number is known to labels and
the reporting obligations to reporting.

An app registers, in its ``AppConfig.ready``, a function of the dossier that returns a
``LetterSection`` (or ``None``) for a kind of letter:

    letters.register("grant", label_section)

The letter adds each section, in ``order``, with its facts (caption, value) and paragraphs.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class LetterSection:
    heading: str
    facts: list[tuple[str, object]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    order: int = 50


_SECTIONS: dict[str, list[Callable]] = defaultdict(list)


def register(kind: str, provider: Callable) -> None:
    if provider not in _SECTIONS[kind]:
        _SECTIONS[kind].append(provider)


def sections_for(kind: str, application) -> list[LetterSection]:
    sections = [provider(application) for provider in _SECTIONS[kind]]
    return sorted((s for s in sections if s is not None), key=lambda s: s.order)
