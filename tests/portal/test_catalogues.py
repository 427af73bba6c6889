"""Every string of the interface reads in each of the portal's languages: the strings the
code and templates mark for translation (extracted as ``make messages`` does, with
gettext's xgettext) are all in the French, German and Dutch catalogues the portal loads."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "portal",
    "applications",
    "review",
    "labels",
    "reporting",
    "surveillance",
    "webhooks",
    "api",
)
# English is the source language: its catalogue only holds plural forms and rewordings.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]

ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?', re.M
)


def _joined(quoted: str | None) -> str | None:
    if quoted is None:
        return None
    text = "".join(re.findall(r'^"(.*)"$', quoted, re.M))
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def extracted(app: str, workdir: Path) -> set[tuple[str | None, str, bool]]:
    """(context, msgid, plural) of every string ``app`` marks for translation."""
    copy = workdir / app
    shutil.copytree(
        ROOT / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "migrations")
    )
    (copy / "locale").mkdir()
    here = Path.cwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["de"], keep_pot=True, verbosity=0)
    finally:
        os.chdir(here)
    pot = (copy / "locale" / "django.pot").read_text(encoding="utf-8")
    found = set()
    for block in pot.split("\n\n"):
        match = ENTRY.search(block + "\n")
        if match:
            context, msgid, plural = (_joined(group) for group in match.groups())
            if msgid:
                found.add((context, msgid, plural is not None))
    return found


def missing(strings, language: str) -> list[str]:
    catalog = trans_real.translation(language)._catalog
    absent = []
    for context, msgid, plural in sorted(strings, key=lambda s: (s[1], s[0] or "")):
        key = f"{context}\x04{msgid}" if context else msgid
        if (key, 0) not in catalog if plural else key not in catalog:
            absent.append(f"{context + ' | ' if context else ''}{msgid}")
    return absent


@pytest.fixture(scope="module")
def strings(tmp_path_factory):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("gettext's xgettext is needed to extract the strings: install gettext.")
        pytest.skip("gettext is not installed (apt-get install gettext).")
    workdir = tmp_path_factory.mktemp("catalogues")
    with translation.override(None):
        return {app: extracted(app, workdir) for app in APPS}


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("app", APPS)
def test_every_string_of_the_interface_is_translated(strings, app, language):
    assert strings[app], f"nothing was extracted from {app}"
    assert missing(strings[app], language) == []


def test_a_string_without_its_translation_is_caught(strings):
    """The check above can fail: a string no catalogue holds is reported."""
    invented = {(None, "A sentence nobody has translated, surely.", False)}
    assert missing(invented, "de") == ["A sentence nobody has translated, surely."]
    assert missing({next(iter(strings["portal"]))}, "de") == []
