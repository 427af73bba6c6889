"""Write the diagram of every state machine to docs/diagrams/<app>.<model>.dot (in English)."""

from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation
from django_fsm import FSMFieldMixin


def machines() -> list[str]:
    """``app_label.Model`` of every project model with a state field."""
    return sorted(
        f"{model._meta.app_label}.{model.__name__}"
        for model in apps.get_models()
        if str(apps.get_app_config(model._meta.app_label).path).startswith(str(settings.BASE_DIR))
        and any(isinstance(field, FSMFieldMixin) for field in model._meta.concrete_fields)
    )


def draw(machine: str) -> str:
    output = StringIO()
    with translation.override("en"):
        call_command("graph_transitions", machine, stdout=output)
    return output.getvalue()


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.BASE_DIR) / "docs" / "diagrams"))

    def handle(self, *args, folder, **options):
        Path(folder).mkdir(parents=True, exist_ok=True)
        for machine in machines():
            path = Path(folder) / f"{machine.lower()}.dot"
            path.write_text(draw(machine))
            self.stdout.write(str(path))
