from pathlib import Path

from django.core.management import call_command
from django.utils import translation

DIAGRAM = Path(__file__).resolve().parents[2] / "docs" / "diagrams" / "application.dot"


def lines(text: str) -> list[str]:
    # graph_transitions writes states in set order, which varies between runs.
    return sorted(line.strip() for line in text.strip().splitlines())


def test_the_documented_diagram_is_the_one_the_code_draws(capsys):
    with translation.override("en"):
        call_command("graph_transitions", "applications.Application")

    assert lines(capsys.readouterr().out) == lines(DIAGRAM.read_text()), "Run: make diagrams"
