"""Links the apps add to the header and the footer of every page (``base.html``), so that the
portal's templates name no app above portal.

An app registers, in its ``AppConfig.ready``:

    navigation.add_header_link(
        HeaderLink(_("Statistics"), "reporting:statistics", roles={Role.OFFICER})
    )
    navigation.add_footer_line(
        FooterLine(_("Open data:"), (("JSON", "reporting:open_data_json"),))
    )

A header link shows to signed-in people holding one of ``roles`` (everyone signed in when
empty), after the portal's own links and before the administration; it is marked current
when the page's path contains it. A footer line is a sentence followed by its links,
separated by " · ". ``portal.context_processors.navigation`` resolves them for each page.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from portal.roles import Role


@dataclass(frozen=True)
class HeaderLink:
    label: str
    url_name: str
    roles: frozenset[Role] = field(default_factory=frozenset)

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass(frozen=True)
class FooterLine:
    text: str
    links: tuple[tuple[str, str], ...]  # (label, URL name)


_HEADER: list[HeaderLink] = []
_FOOTER: list[FooterLine] = []


def add_header_link(link: HeaderLink) -> None:
    if link not in _HEADER:
        _HEADER.append(link)


def add_footer_line(line: FooterLine) -> None:
    if line not in _FOOTER:
        _FOOTER.append(line)


def header_links(path: str, roles: Iterable[Role]) -> list[dict]:
    """The registered header links a person with ``roles`` sees on the page at ``path``."""
    held = set(roles)
    links = []
    for link in _HEADER:
        if link.roles and not link.roles & held:
            continue
        url = reverse(link.url_name)
        links.append({"label": link.label, "url": url, "current": url in path})
    return links


def footer_lines() -> list[dict]:
    return [
        {
            "text": line.text,
            "links": [{"label": label, "url": reverse(name)} for label, name in line.links],
        }
        for line in _FOOTER
    ]
