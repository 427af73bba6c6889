"""The accounts and dossiers the simulated users need, added to the demo data.

Runs inside Django (``django.setup()`` done by ``tests.load.run``), through the same services
the portal uses, so that the seeded dossiers are what users would have produced: founders
with a draft on the open call that lacks only its funding and business sections, and submitted,
admissible dossiers whose reviewers have already accepted, ready to be scored.

``seed_rush`` seeds the deadline-day rush instead (``SCENARIO=rush``): founders whose draft
on the open call lacks only one answer and its three documents, and officers.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings

from applications import services as application_services
from applications.models import Call, ProgrammeStaff
from portal.models import Membership, User
from portal.roles import Role
from review import services as review_services
from tests.factories import (
    ADMISSIBLE_CHECKLIST,
    COWORKING_ANSWERS,
    ApplicationFactory,
    OrganisationFactory,
    complete,
)

PASSWORD = "guichet-load-2026"
OPEN_CALL = "creative-wallonia-coworking-ouvert"
CLOSED_CALL = "creative-wallonia-coworking-2011"
DOMAIN = "load.guichet.test"
# What a seeded draft lacks: its founder fills the funding section and the form's business
# section, then submits.
FUNDING_EMPTY = {"total_cost": None, "requested_amount": None}
# What a rush draft lacks besides its documents: the last answer of the business section.
RUSH_MISSING = {code: value for code, value in COWORKING_ANSWERS.items() if code != "budget_plan"}
BUSINESS_EMPTY = {
    code: value
    for code, value in COWORKING_ANSWERS.items()
    if code not in ("business_model", "budget_plan")
}


@dataclass(frozen=True)
class Counts:
    founders: int
    reviewers: int
    officers: int
    ministry: int
    review_dossiers: int


def account(email: str, password_hash: str, role: Role | None = None) -> User:
    """A user with the load run's password (hashed once: hashing is slow on purpose)."""
    user = User.objects.create_user(email=email, password=None, full_name=email.split("@")[0])
    user.password = password_hash
    user.save(update_fields=["password"])
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    return user


def staff(call: Call, role: Role, count: int, prefix: str, password_hash: str) -> list[User]:
    """``count`` accounts holding ``role`` on the call's programme."""
    users = []
    for n in range(1, count + 1):
        user = account(f"{prefix}.{n}@{DOMAIN}", password_hash, role)
        ProgrammeStaff.objects.create(programme=call.programme, user=user, role=role)
        users.append(user)
    return users


def founder_with_draft(call: Call, n: int, password_hash: str) -> dict:
    """A founder, their organisation and a draft with documents and answers, funding and
    business empty."""
    user = account(f"founder.{n}@{DOMAIN}", password_hash)
    organisation = OrganisationFactory(legal_name=f"Coworking de charge {n} ASBL")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.OWNER)
    application = ApplicationFactory(
        call=call,
        organisation=organisation,
        created_by=user,
        content=FUNDING_EMPTY,
        answers=dict(BUSINESS_EMPTY),
    )
    complete(application, by=user)
    return {"email": user.email, "organisation": organisation.pk, "application": application.pk}


def dossier_in_review(call: Call, n: int, reviewers: list[User], officer: User) -> list:
    """A submitted, admissible dossier whose reviewers accepted; their assignments."""
    member = User.objects.create_user(email=f"applicant.{n}@{DOMAIN}", password=None)
    organisation = OrganisationFactory(legal_name=f"Espace évalué {n} ASBL")
    Membership.objects.create(user=member, organisation=organisation, role=Membership.Role.OWNER)
    application = ApplicationFactory(call=call, organisation=organisation, created_by=member)
    complete(application, by=member)
    application_services.submit(application, by=member)
    application_services.declare_admissible(application, by=officer, checklist=ADMISSIBLE_CHECKLIST)
    chosen = [reviewers[(n + k) % len(reviewers)] for k in range(min(3, len(reviewers)))]
    assignments = review_services.assign([application], chosen, by=officer)
    for assignment in assignments:
        review_services.accept(assignment, by=assignment.reviewer, declaration="")
    return assignments


def seed(counts: Counts) -> dict:
    """Create everything the simulated users need; return what they must know (emails,
    dossier and assignment ids, the open call's document types and criteria)."""
    password_hash = make_password(PASSWORD)
    call = Call.objects.select_related("programme").get(slug=OPEN_CALL)
    # The seeded dossiers go through the real services; their emails go nowhere.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        officers = staff(call, Role.OFFICER, counts.officers, "officer", password_hash)
        ministry = staff(call, Role.MINISTRY, counts.ministry, "ministry", password_hash)
        reviewers = staff(call, Role.REVIEWER, counts.reviewers, "reviewer", password_hash)
        founders = [founder_with_draft(call, n, password_hash) for n in range(counts.founders)]
        assignments: dict[str, list[int]] = {reviewer.email: [] for reviewer in reviewers}
        seeding_officer = (
            officers[0] if officers else User.objects.get(email="agent@demo.guichet.be")
        )
        for n in range(counts.review_dossiers if reviewers else 0):
            for assignment in dossier_in_review(call, n, reviewers, seeding_officer):
                assignments[assignment.reviewer.email].append(assignment.pk)
    return {
        "password": PASSWORD,
        "programme": call.programme_id,
        "open_call": call.slug,
        "closed_call": CLOSED_CALL,
        # The open call's form sections (the coworking form: space, community, business).
        "form_sections": list(
            call.form_sections.order_by("position", "pk").values_list("pk", flat=True)
        ),
        "document_types": list(
            call.document_types.filter(required=True).values_list("pk", flat=True)
        ),
        "founders": founders,
        "reviewers": [{"email": email, "assignments": pks} for email, pks in assignments.items()],
        "officers": [user.email for user in officers],
        "ministry": [user.email for user in ministry],
    }


def rush_founder(call: Call, n: int, password_hash: str, questions) -> dict:
    """A founder and a draft complete but for the business section's budget plan and the
    three required documents (eligibility answered): what is left for the last minutes."""
    user = account(f"founder.{n}@{DOMAIN}", password_hash)
    organisation = OrganisationFactory(legal_name=f"Coworking de dernière minute {n} ASBL")
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.OWNER)
    application = ApplicationFactory(
        call=call, organisation=organisation, created_by=user, answers=dict(RUSH_MISSING)
    )
    application_services.answer_eligibility(application, dict.fromkeys(questions, True))
    return {"email": user.email, "application": application.pk}


def seed_rush(founders: int, officers: int) -> dict:
    """The deadline-day rush: ``founders`` almost-complete drafts on the open call and
    ``officers`` reading its lists. The call's deadline is set when the rush begins
    (``tests.load.run``); until then it stays as the demo left it, open."""
    password_hash = make_password(PASSWORD)
    call = Call.objects.select_related("programme").get(slug=OPEN_CALL)
    questions = list(call.eligibility_questions.all())
    with transaction.atomic():
        staff_accounts = staff(call, Role.OFFICER, officers, "officer", password_hash)
        drafts = [rush_founder(call, n, password_hash, questions) for n in range(founders)]
    business = call.form_sections.order_by("position", "pk").last()
    return {
        "password": PASSWORD,
        "open_call": call.slug,
        "business_section": business.pk,
        "document_types": list(
            call.document_types.filter(required=True).values_list("pk", flat=True)
        ),
        "founders": drafts,
        "officers": [user.email for user in staff_accounts],
    }
