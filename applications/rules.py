"""Who may do what with programmes, calls and dossiers; used by views, templates, admin and
the transitions of ``Application`` (their ``permission=`` names the rules below)."""

import rules

from portal.roles import Role
from portal.rules import is_admin, is_organisation_member


def programme_of(obj):
    """The programme an object belongs to (a programme, a call, a dossier or a document)."""
    from applications.models import Application, Call, Document, Programme

    if isinstance(obj, Programme):
        return obj
    if isinstance(obj, Call):
        return obj.programme
    if isinstance(obj, Application):
        return obj.call.programme
    if isinstance(obj, Document):
        return obj.application.call.programme
    # Objects of the apps above (labels…) carry their programme.
    return getattr(obj, "programme", None)


def _holds(role: Role):
    @rules.predicate(name=f"is_programme_{role}")
    def predicate(user, obj) -> bool:
        programme = programme_of(obj)
        if not user.is_authenticated or programme is None:
            return False
        cache = user.__dict__.setdefault("_programme_roles", {})
        key = (programme.pk, role)
        if key not in cache:
            cache[key] = programme.staff.filter(user=user, role=role).exists()
        return cache[key]

    return predicate


is_programme_officer = _holds(Role.OFFICER)
is_programme_reviewer = _holds(Role.REVIEWER)
is_programme_ministry = _holds(Role.MINISTRY)


@rules.predicate
def is_applicant_member(user, application) -> bool:
    return application is not None and is_organisation_member(user, application.organisation)


@rules.predicate
def was_submitted(user, application) -> bool:
    """Staff see a dossier once it has been submitted (never a draft, even withdrawn)."""
    return application is not None and application.submitted_at is not None


@rules.predicate
def is_editable(user, application) -> bool:
    return application is not None and application.is_editable


@rules.predicate
def changes_overdue(user, application) -> bool:
    """The response deadline of a change request has passed: the dossier is locked."""
    return application is not None and application.changes_overdue()


is_programme_staff = is_programme_officer | is_programme_ministry

rules.add_perm("applications.manage_programme", is_programme_officer | is_admin)
rules.add_perm("applications.view_programme", is_programme_staff | is_admin)
# The application form of a call (its sections, questions, rules), its preview and
# history, and the next call made from it: the programme's officers only.
rules.add_perm("applications.edit_call_form", is_programme_officer | is_admin)
# A programme's wording of its messages; without a programme, the portal-wide ones.
rules.add_perm("applications.edit_messages", is_programme_officer | is_admin)
# A call's mailings (its decisions, its hearing invitations): read before and after
# sending by the programme's staff, who send them.
rules.add_perm("applications.view_mailings", is_programme_staff | is_admin)
rules.add_perm("applications.send_mailing", is_programme_staff | is_admin)
rules.add_perm("applications.create_programme", rules.is_group_member(Role.OFFICER) | is_admin)
opens_dossier = is_applicant_member | (is_programme_staff & was_submitted) | is_admin
rules.add_perm("applications.view_application", opens_dossier)

# Who else reads a dossier's supporting documents, added by the apps above (review: the
# reviewer of an accepted assignment), so that one permission answers every download link.
_document_readers: list[rules.Predicate] = []


def add_document_reader(predicate: rules.Predicate) -> None:
    """Let ``predicate(user, application)`` open a dossier's documents too."""
    if predicate not in _document_readers:
        _document_readers.append(predicate)


@rules.predicate
def reads_documents_for_an_app_above(user, application) -> bool:
    return application is not None and any(
        reader.test(user, application) for reader in _document_readers
    )


# A dossier's supporting documents (``obj``: the dossier): the views that serve them, the
# templates that link to them and any future list ask this, and nothing else.
rules.add_perm("applications.view_documents", opens_dossier | reads_documents_for_an_app_above)
rules.add_perm("applications.change_application", is_applicant_member & is_editable)
# The applicant who could change the dossier but for the passed response deadline: told why.
rules.add_rule("applications.changes_locked", is_applicant_member & changes_overdue)
rules.add_perm("applications.submit_application", is_applicant_member)
rules.add_perm("applications.withdraw_application", is_applicant_member)
rules.add_perm("applications.check_application", is_programme_officer | is_admin)
# An upheld complaint sends the dossier back to the admissibility check or to the review.
rules.add_perm("applications.reopen_application", is_programme_officer | is_admin)
rules.add_perm("applications.decide_application", is_programme_ministry)
