"""Files opened by LibreOffice headless, as a spreadsheet user would open them (tests that
use it are skipped where it is not installed: ``INSTALLED``)."""

import shutil
import subprocess
from pathlib import Path

INSTALLED = shutil.which("soffice") is not None


def convert(source: Path, to: str, infilter: str | None = None) -> Path:
    """``source`` converted by LibreOffice to the format ``to`` (an extension), beside it;
    ``infilter`` names the filter that reads it (a CSV's separator and locale)."""
    folder = source.parent
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return source.with_suffix(f".{to}")
