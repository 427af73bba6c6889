from applications import access
from applications.models import Application


def get_application(request, pk: int, perm: str = "applications.view_application") -> Application:
    """The dossier if the user holds ``perm`` on it; a 404 for everyone else."""
    return access.get_application(request.user, pk, perm)
