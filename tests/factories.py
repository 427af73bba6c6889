from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from portal import bce
from portal.models import Membership, Organisation, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.be")
    full_name = factory.Faker("name", locale="fr_BE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                self.groups.add(Group.objects.get(name=role))
        if create:
            self.save()


def enterprise_number(n: int) -> str:
    first_eight = f"{(10_000_000 + n * 7919) % 20_000_000:08d}"
    return first_eight + bce.check_digits(first_eight)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    legal_name = factory.Sequence(lambda n: f"Espace de coworking n°{n} ASBL")
    trade_name = factory.Sequence(lambda n: f"Coworking {n}")
    legal_form = "ASBL"
    enterprise_number = factory.Sequence(enterprise_number)
    street = "Rue de Fer 1"
    postcode = "5000"
    municipality = "Namur"
    contact_email = factory.Sequence(lambda n: f"contact{n}@coworking.example.be")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OWNER


# Programmes, calls and dossiers -----------------------------------------------------------


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.Programme"

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    reference_prefix = "CW"
    managing_agency = "Agence du Numérique"
    funding_body = "Gouvernement wallon"
    label_name = "Espace labellisé"


def _noon_utc():
    return timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)


class CallFactory(factory.django.DjangoModelFactory):
    """A published call, open from a month ago until a month from now."""

    class Meta:
        model = "applications.Call"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
    rules = "Ouvert aux structures wallonnes."
    # At noon UTC: a time a month away from now may fall in the hour that a change of
    # daylight-saving time makes ambiguous in Brussels, which a form refuses.
    opens_at = factory.LazyFunction(lambda: _noon_utc() - timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: _noon_utc() + timedelta(days=30))
    budget = Decimal("600000")
    max_amount = Decimal("100000")
    is_published = True

    @factory.post_generation
    def form(self, create, extracted, **kwargs):
        """``CallFactory(form=formlibrary.COWORKING)``: the call asks that form."""
        if create and extracted:
            from applications import formbuilder

            formbuilder.install(self, extracted)


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.DocumentType"

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Plan financier {n}")


class EligibilityQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.EligibilityQuestion"

    call = factory.SubFactory(CallFactory)
    text = "Le consortium compte-t-il un partenaire public ?"


# Complete answers to ``formlibrary.COWORKING`` (a call made with ``CallFactory(form=…)``).
COWORKING_ANSWERS = {
    "surface_m2": 400,
    "desks": 30,
    "meeting_rooms": 3,
    "opening_hours": "Lundi au vendredi, de 8 h à 19 h",
    "services": ["wifi"],
    "target_public": "Indépendants et start-up",
    "partners": "Ville de Namur",
    "business_model": "Abonnements et événements",
    "budget_plan": "Aménagement et animation",
}

COMPLETE_CONTENT = {
    "project_title": "Un espace partagé au cœur de la ville",
    "summary": "Un espace de coworking ouvert et animé.",
    "street": "Rue de Fer 1",
    "postcode": "5000",
    "municipality": "Namur",
    "total_cost": Decimal("240000"),
    "requested_amount": Decimal("80000"),
}


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every field filled (documents and answers are added by ``complete``)."""

    class Meta:
        model = "applications.Application"
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def content(self, create, extracted, **kwargs):
        """Every core field filled; ``answers=`` gives the form's answers (by default the
        coworking ones when the call asks the coworking form)."""
        for name, value in {**COMPLETE_CONTENT, **(extracted or {})}.items():
            setattr(self, name, value)
        if create:
            if not self.answers and self.call.questions.filter(code="desks").exists():
                self.answers = dict(COWORKING_ANSWERS)
            self.save()


# An admissibility checklist with every point ticked, as services.declare_admissible takes it.
ADMISSIBLE_CHECKLIST = {
    "documents_complete": True,
    "applicant_eligible": True,
    "eligibility_confirmed": True,
    "budget_within_limits": True,
    "note": "",
}


def pdf_upload(name: str = "plan.pdf", content: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = content or b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def complete(application, by=None):
    """Attach every required document and answer every question with yes."""
    from applications import services

    for document_type in application.call.document_types.filter(required=True):
        if not application.documents.filter(document_type=document_type).exists():
            services.attach_document(application, document_type, pdf_upload(), by=by)
    services.answer_eligibility(
        application, dict.fromkeys(application.call.eligibility_questions.all(), True)
    )
    return application
