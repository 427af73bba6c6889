"""Panels contributed by the apps to pages of apps below them, so that no app imports one
above it (``portal`` imports none; ``applications`` imports neither review nor labels).

An app registers, in its ``AppConfig.ready``, a function that returns a panel (or ``None``)
for a place: a role's dashboard, or a named place such as ``"call_page"``:

    dashboards.register(Role.APPLICANT, my_applications_panel)   # receives the user
    dashboards.register("call_page", criteria_panel)             # receives the call

The function returns ``Panel(template, context)``; the page includes each panel's template
with ``panel`` set to its context.
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


_PANELS: dict[Role | str, list[Callable]] = defaultdict(list)


def register(place: Role | str, provider: Callable) -> None:
    if provider not in _PANELS[place]:
        _PANELS[place].append(provider)


def panels_for(place: Role | str, subject) -> list[Panel]:
    panels = [provider(subject) for provider in _PANELS[place]]
    return sorted((panel for panel in panels if panel is not None), key=lambda p: p.order)
