"""What the calls and dossiers keep about a person (see ``portal.privacy``)."""

from django.utils.translation import ngettext

from applications.models import AdmissibilityCheck, Application, Document, ProgrammeStaff
from applications.questionnaire import Questionnaire
from portal.models import User
from portal.privacy import Holder, when


def _answers(application: Application, forms: dict) -> list[dict]:
    """The dossier's answers to its call's questions, in words, in the form's order; each
    call's form is read once (``forms``, by call)."""
    if not application.answers:
        return []
    if application.call_id not in forms:
        forms[application.call_id] = Questionnaire.of(application.call)
    return [
        {"section": section.title, "question": question.label, "answer": words}
        for section, items in forms[application.call_id].readable(application.answers)
        for question, words in items
        if question.code in application.answers
    ]


def _collect(user: User) -> dict:
    grants = ProgrammeStaff.objects.filter(user=user).select_related("programme")
    created = Application.objects.filter(created_by=user).select_related("call", "organisation")
    documents = Document.objects.filter(uploaded_by=user).select_related("application")
    checks = AdmissibilityCheck.objects.filter(checked_by=user).select_related("application")
    forms: dict = {}
    return {
        "programme_roles": [
            {"programme": grant.programme.name, "role": grant.role} for grant in grants
        ],
        "dossiers_created": [
            {
                "reference": application.reference,
                "project_title": application.project_title,
                "call": application.call.title,
                "organisation": application.organisation.legal_name,
                "state": application.state,
                "created_on": when(application.created_at),
                "answers": _answers(application, forms),
            }
            for application in created
        ],
        "documents_uploaded": [
            {
                "dossier": str(document.application),
                "file_name": document.original_name,
                "size": document.size,
                "uploaded_on": when(document.uploaded_at),
            }
            for document in documents
        ],
        "admissibility_checks": [
            {"dossier": str(check.application), "checked_on": when(check.checked_at)}
            for check in checks
        ],
    }


def _erase(user: User) -> None:
    ProgrammeStaff.objects.filter(user=user).delete()


def _open_matters(organisation) -> list[str]:
    count = Application.objects.filter(
        organisation=organisation, state__in=Application.UNDER_WAY
    ).count()
    if not count:
        return []
    return [
        ngettext("%(count)d application under way", "%(count)d applications under way", count)
        % {"count": count}
    ]


HOLDER = Holder("applications", collect=_collect, erase=_erase, open_matters=_open_matters)
