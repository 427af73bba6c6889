"""Dashboard panels contributed by the apps, so that ``portal`` imports none of them.

An app registers, in its ``AppConfig.ready``, a function that returns the panel a person
sees on one role's dashboard (or ``None``):

    dashboards.register(Role.APPLICANT, my_applications_panel)

The function receives the user and returns ``Panel(template, context)``.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from portal.roles import Role


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


_PANELS: dict[Role, list[Callable]] = defaultdict(list)


def register(role: Role, provider: Callable) -> None:
    if provider not in _PANELS[role]:
        _PANELS[role].append(provider)


def panels_for(role: Role, user) -> list[Panel]:
    panels = [provider(user) for provider in _PANELS[role]]
    return sorted((panel for panel in panels if panel is not None), key=lambda p: p.order)
