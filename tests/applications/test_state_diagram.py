from pathlib import Path

from portal.management.commands.state_diagrams import draw, machines

DIAGRAMS = Path(__file__).resolve().parents[2] / "docs" / "diagrams"


def lines(text: str) -> list[str]:
    # graph_transitions writes states in set order, which varies between runs.
    return sorted(line.strip() for line in text.strip().splitlines())


def test_every_state_machine_has_its_diagram_in_the_docs_as_the_code_draws_it():
    assert "applications.Application" in machines()
    for machine in machines():
        documented = DIAGRAMS / f"{machine.lower()}.dot"
        assert documented.exists(), f"Run: make diagrams ({machine})"
        assert lines(draw(machine)) == lines(documented.read_text()), "Run: make diagrams"
