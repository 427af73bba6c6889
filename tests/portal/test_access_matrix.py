"""The access matrix: for every URL of the project, what each role gets, for GET and POST.

SPEC §1: strangers get 404 (ids leak nothing); anonymous visitors are sent to sign in on every
page that is not public. ``MATRIX`` below holds one entry per named URL pattern of the project
(the URL resolver is walked, so a new URL without an entry, or an entry whose URL is gone,
fails ``test_the_matrix_has_one_entry_per_url_pattern``). Each entry names the objects of one
shared ``World`` the URL points at, and the expected answer of each of the ten roles of
``ROLES``, once for GET and once for POST (with empty or minimal data: what matters is the
access decision, not the form's success; an irreversible step behind a confirmation page is
posted confirmed and valid, so that its cell shows the step done). Every request runs in a
savepoint that is rolled back, so that each cell starts from the same world.

The answers, in the table's words:

- ``OK``: 200, the page or file itself.
- ``DONE``: a redirect elsewhere than to a sign-in page (the view did its work and moved on).
- ``BAD``: 400, the person may act here but the (empty) form or the link is refused.
- ``LOGIN``: a redirect to the portal's sign-in page with ``?next=`` the requested address.
- ``ADMIN_LOGIN``: the same, to the Django admin's sign-in page.
- ``404``, ``405``, ``403``, ``401``: that status.

Conventions chosen where SPEC is silent:

- A method a view does not serve answers 405 to every signed-in person, stranger or not, and
  sends anonymous visitors of a non-public page to sign in: the method is checked right after
  sign-in and before any object is looked up (as ``delete_document`` and ``membership_remove``
  do with ``login_required`` then ``require_POST``); a 405 depends on the URL only, so it leaks
  nothing. Read-only pages therefore answer 405 to POST, and actions answer 405 to GET.
- Someone who may see an object but not act on it (ministry staff on an officer's action)
  gets 404 too, as everywhere else in the portal: SPEC §1 never uses 403.
- Administrators act where the rules name them (``is_admin``); a superuser's blanket
  ``user.has_perm`` is not a rule (see ``applications.views.common.get_application``).

The Django admin (namespace ``admin``) is covered by rule rather than row by row: it has
some two hundred generated patterns (five to eight per registered model, the django-rq
dashboard, import-export views), all behind one gate, ``AdminSite.admin_view``, which lets in
active ``is_staff`` users only, whatever their groups; in Guichet only administrators are
staff. A table of two hundred identical rows would hide the few that matter, so: every admin
pattern, GET and POST, must send an anonymous visitor and a signed-in non-staff person to the
admin's sign-in page (this catches a pattern outside the gate; a new pattern needing an
argument the rule does not know fails); every role is tried at the admin's index and at each
registered model's change list and add page (this catches a role made staff); and the
administrator opens each change list and add page (403 where only the portal writes rows).

Every HTML answer met along the way must carry the security headers (a CSP with a
``script-src`` and no ``'unsafe-inline'``, ``nosniff``) and no inline script, inline event
handler or ``style`` attribute (the CSP forbids inline styles as well). Finally, every form
refuses a POST without its CSRF token.
"""

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from applications import formbuilder
from applications import services as application_services
from applications.models import Application, FormSection, Letter, Mailing, MailingEntry
from labels import services as label_services
from portal.models import (
    BackgroundExport,
    BackgroundImport,
    Invitation,
    Notification,
    OutgoingEmail,
)
from reporting import indicatorlibrary
from reporting.models import ActivityReport
from review import redress
from review import services as review_services
from review.models import Consensus, Criterion, Hearing, JurySession, Proposal, Shortlisting
from surveillance import services as surveillance_services
from surveillance.models import Condition, NonConformity
from tests.factories import (
    ADMISSIBLE_CHECKLIST,
    ApplicationFactory,
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    complete,
)
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db

# The columns of the matrix, in this order in every row.
ROLES = (
    "anonymous",
    "founder",  # owner of the organisation that holds the dossiers, label and report
    "other_founder",  # owner of another organisation
    "reviewer",  # assigned to the dossier in review, accepted with no conflict
    "conflicted",  # assigned to the same dossier, declared a conflict of interest
    "unassigned",  # in the programme's reviewer pool, not assigned
    "officer",  # officer of the programme
    "other_officer",  # officer of another programme only
    "ministry",  # ministry staff of the programme
    "admin",  # superuser
)
ANSWERS = {"OK", "DONE", "BAD", "LOGIN", "ADMIN_LOGIN", "401", "403", "404", "405"}
AUTHORISED = {"OK", "DONE", "BAD"}

# ---------------------------------------------------------------------------------------
# The world every cell is played in.


@dataclass
class World:
    users: dict
    programme: object
    call: object
    organisation: object
    colleague_membership: object
    draft: object  # editable, with its document attached
    submitted: object  # submitted, with a document and a receipt
    changes_requested: object  # submitted, then changes requested by the officer
    in_review: object  # admissible; one reviewer accepted, another declared a conflict
    reviewed: object  # reviewed, awaiting the jury's proposal, on a call whose jury is open
    proposed: object  # proposed, on a call whose jury made every proposal and may close
    granted: object  # granted, with its decision letter and label
    accepted_assignment: object
    conflicted_assignment: object
    decision_letter: object
    label: object
    report: object
    export: object
    invitation: object
    unconfirmed_uid: str
    founder_uid: str
    cookies: dict = field(default_factory=dict)  # a session cookie per signed-in role
    import_job: object = None  # a large import checked for the administrator, ready to import
    condition: object = None  # a condition of the programme's labels
    case: object = None  # a pending non-conformity of the label, answered with a document
    visitor_report: object = None  # a visitor's report on the label, to triage
    evidence: object = None  # an evidence document the founder uploaded
    consensus: object = None  # on the reviewed dossier, the reviewer its rapporteur, drafting
    submitted_consensus: object = None  # on another reviewed dossier, awaiting approval
    # On a call with a shortlist and an open jury: a dossier awaiting the shortlist, and a
    # shortlisted one whose hearing took place and is still to record.
    to_shortlist: object = None
    shortlisted: object = None
    notification: object = None  # the founder's, linking to their dashboard
    complaint: object = None  # the founder's, against the granted dossier's decision, received
    mailing: object = None  # the call's decisions, prepared, one message to the founder
    sent_mailing: object = None  # the call's hearing invitations, sent, the founder's failed
    webhook_endpoint: object = None  # the programme's, posting to a closed port of 127.0.0.1
    webhook_delivery: object = None  # an event delivered to it

    def document_of(self, application):
        return application.documents.get()


MATRIX_FORM = {
    "sections": [
        {
            "title_fr": "Projet",
            "questions": [
                {
                    "code": "region",
                    "kind": "choice",
                    "label_fr": "Région",
                    "required": False,
                    "options": [{"code": "wal", "label_fr": "Wallonie"}],
                },
                {
                    "code": "budget",
                    "kind": "table",
                    "label_fr": "Budget",
                    "required": False,
                    "columns": [
                        {
                            "code": "category",
                            "kind": "choice",
                            "label_fr": "Catégorie",
                            "options": [{"code": "equipment", "label_fr": "Équipement"}],
                        },
                        {"code": "amount", "kind": "amount", "label_fr": "Montant", "summed": True},
                    ],
                },
            ],
        }
    ],
    "rules": [
        {
            "kind": "share_at_most",
            "question": "budget",
            "column": "category",
            "option_code": "equipment",
            "percent": "50",
        }
    ],
}


def build_world() -> World:
    for name in ("officer", "reviewer", "ministry"):
        Group.objects.get_or_create(name=name)
    call = CallFactory(slug="coworking", reviews_per_dossier=2)
    DocumentTypeFactory(call=call, name="Plan financier")
    EligibilityQuestionFactory(call=call)
    Criterion.objects.create(call=call, code="quality", title="Qualité", weight=Decimal("1"))
    programme = call.programme
    other_programme = CallFactory().programme

    organisation = OrganisationFactory()
    founder = MembershipFactory(organisation=organisation).user
    colleague_membership = MembershipFactory(organisation=organisation, role="member")
    other_founder = MembershipFactory().user

    def staff(role, on=programme, **kwargs):
        user = UserFactory(roles=[role], **kwargs)
        on.staff.create(user=user, role=role)
        return user

    reviewer, conflicted, unassigned = (staff("reviewer") for _ in range(3))
    officer = staff("officer")
    other_officer = staff("officer", on=other_programme)
    ministry = staff("ministry")
    administrator = UserFactory(is_superuser=True, is_staff=True)

    def dossier():
        application = complete(ApplicationFactory(call=call, organisation=organisation), by=founder)
        application.created_by = founder
        application.save()
        return application

    draft = dossier()
    submitted = dossier()
    application_services.submit(submitted, by=founder)
    changes_requested = dossier()
    application_services.submit(changes_requested, by=founder)
    application_services.request_changes(
        changes_requested,
        by=officer,
        message="Joignez le plan.",
        due_at=timezone.now() + dt.timedelta(days=10),
    )
    in_review = dossier()
    application_services.submit(in_review, by=founder)
    application_services.declare_admissible(in_review, by=officer, checklist=ADMISSIBLE_CHECKLIST)
    accepted, declined = review_services.assign([in_review], [reviewer, conflicted], by=officer)
    review_services.accept(accepted, by=reviewer, declaration="")
    review_services.declare_conflict(declined, by=conflicted, reason="J'ai conseillé ce projet.")

    granted = ApplicationFactory(
        call=call,
        organisation=organisation,
        state=Application.State.GRANTED,
        reference="CW-2026-0900",
        submitted_at=timezone.now() - dt.timedelta(days=90),
    )
    letter = Letter(application=granted, kind=Letter.Kind.DECISION)
    letter.file.save("decision.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    complaint = redress.file_complaint(
        granted,
        by=founder,
        about="decision",
        reasons="La décision n'est pas motivée.",
        document=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    label = label_services.issue_label(granted)
    report = ActivityReport(
        label=label,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        due_on=dt.date(2026, 4, 30),
    )
    report.save()
    condition = Condition.objects.create(
        programme=programme, kind=Condition.Kind.REPORTS_ON_TIME, label_fr="Rapports à temps"
    )
    insurance = Condition.objects.create(
        programme=programme,
        kind=Condition.Kind.EVIDENCE,
        label_fr="Assurance",
        document_fr="Attestation d'assurance",
    )
    case = NonConformity.objects.create(
        label=label, condition=condition, deadline=timezone.localdate() + dt.timedelta(days=30)
    )
    surveillance_services.answer(
        case, by=founder, comment="Remis.", upload=ContentFile(b"%PDF-1.4\n%%EOF\n", "a.pdf")
    )
    evidence = surveillance_services.upload_evidence(
        label, insurance, ContentFile(b"%PDF-1.4\n%%EOF\n", "rc.pdf"), by=founder
    )
    visitor_report = surveillance_services.report_problem(
        label, message="Fermé pendant les heures d'ouverture."
    )

    jury = JurySession(call=call, state=JurySession.State.CLOSED, members_present="Jury")
    jury.minutes.save("minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    # The jury's steps act on calls of their own, whose jury is still open: one dossier
    # awaits its proposal; on the other call, every dossier has one and the jury may close.
    reviewed = ApplicationFactory(
        call=CallFactory(programme=programme),
        organisation=organisation,
        state=Application.State.REVIEWED,
        reference="CW-2026-0901",
        submitted_at=timezone.now() - dt.timedelta(days=60),
    )
    proposed = ApplicationFactory(
        call=CallFactory(programme=programme),
        organisation=organisation,
        state=Application.State.PROPOSED,
        reference="CW-2026-0902",
        submitted_at=timezone.now() - dt.timedelta(days=60),
    )
    Proposal.objects.create(application=proposed, proposed=True, rationale="Solide")
    # The consensuses of dossiers of the open jury's call: the reviewer writes one, the
    # officer approves or sends back the other.
    consensus = Consensus.objects.create(application=reviewed, rapporteur=reviewer)
    submitted_consensus = Consensus.objects.create(
        application=ApplicationFactory(
            call=reviewed.call,
            organisation=organisation,
            state=Application.State.REVIEWED,
            reference="CW-2026-0905",
            submitted_at=timezone.now() - dt.timedelta(days=60),
        ),
        rapporteur=reviewer,
        state=Consensus.State.SUBMITTED,
        overall_comment="Synthèse",
    )
    shortlist_call = CallFactory(programme=programme, shortlist_with_hearings=True)
    to_shortlist = ApplicationFactory(
        call=shortlist_call,
        organisation=organisation,
        state=Application.State.REVIEWED,
        reference="CW-2026-0903",
        submitted_at=timezone.now() - dt.timedelta(days=60),
    )
    shortlisted = ApplicationFactory(
        call=shortlist_call,
        organisation=organisation,
        state=Application.State.SHORTLISTED,
        reference="CW-2026-0904",
        submitted_at=timezone.now() - dt.timedelta(days=60),
    )
    Shortlisting.objects.create(application=shortlisted, rationale="Prometteur")
    Hearing.objects.create(
        application=shortlisted, starts_at=timezone.now() - dt.timedelta(hours=2), place="Namur"
    )

    export = BackgroundExport.objects.create(
        owner=officer, kind="labels", format="xlsx", state=BackgroundExport.State.DONE
    )
    export.file.save("labels.xlsx", ContentFile(b"PK..."))
    import_job = BackgroundImport.objects.create(
        owner=administrator,
        model="portal.organisation",
        format="csv",
        file_name="organisations.csv",
        state=BackgroundImport.State.CHECKED,
    )
    import_job.file.save("upload.csv", ContentFile(b""))
    invitation = Invitation.objects.create(
        organisation=organisation, email=other_founder.email, invited_by=founder
    )
    unconfirmed = UserFactory(is_active=False)
    # The call's own form, added once its dossiers exist (its questions are optional, so
    # the draft may still be submitted): the form builder's pages point at its parts.
    formbuilder.install(call, MATRIX_FORM)
    # One indicator for the indicator builder's pages; no report gives it a value.
    indicatorlibrary.install(programme, indicatorlibrary.FAB_LAB[:1])

    mailing = Mailing.objects.create(call=call, kind=Mailing.Kind.DECISIONS)
    MailingEntry.objects.create(
        mailing=mailing,
        recipient=founder,
        application=granted,
        kind="review/emails/decision_granted",
        subject="Décision",
        body="Bonjour,",
    )
    sent_mailing = Mailing.objects.create(
        call=call, kind=Mailing.Kind.HEARINGS, state=Mailing.State.SENT, sent_at=timezone.now()
    )
    MailingEntry.objects.create(
        mailing=sent_mailing,
        recipient=founder,
        application=granted,
        kind="review/emails/hearing_invited",
        subject="Audition",
        body="Bonjour,",
        email=OutgoingEmail.objects.create(
            recipient=founder.email,
            subject="Audition",
            body="Bonjour,",
            state=OutgoingEmail.State.FAILED,
            attempts=OutgoingEmail.MAX_ATTEMPTS,
            last_error="SMTPRecipientsRefused: 550",
            next_attempt_at=None,
        ),
    )
    webhook_endpoint = Endpoint.objects.create(
        programme=programme, url="http://127.0.0.1:9/hooks", events=Event.values, owner=officer
    )

    return World(
        users={
            "anonymous": None,
            "founder": founder,
            "other_founder": other_founder,
            "reviewer": reviewer,
            "conflicted": conflicted,
            "unassigned": unassigned,
            "officer": officer,
            "other_officer": other_officer,
            "ministry": ministry,
            "admin": administrator,
        },
        programme=programme,
        call=call,
        organisation=organisation,
        colleague_membership=colleague_membership,
        draft=draft,
        submitted=submitted,
        changes_requested=changes_requested,
        in_review=in_review,
        reviewed=reviewed,
        proposed=proposed,
        granted=granted,
        accepted_assignment=accepted,
        conflicted_assignment=declined,
        decision_letter=letter,
        complaint=complaint,
        mailing=mailing,
        sent_mailing=sent_mailing,
        label=label,
        report=report,
        export=export,
        import_job=import_job,
        condition=condition,
        case=case,
        visitor_report=visitor_report,
        evidence=evidence,
        consensus=consensus,
        submitted_consensus=submitted_consensus,
        to_shortlist=to_shortlist,
        shortlisted=shortlisted,
        invitation=invitation,
        notification=Notification.objects.create(
            recipient=founder,
            kind="applications/emails/submitted",
            subject="Dossier déposé",
            link="/dashboard/",
        ),
        unconfirmed_uid=urlsafe_base64_encode(force_bytes(unconfirmed.pk)),
        founder_uid=urlsafe_base64_encode(force_bytes(founder.pk)),
        webhook_endpoint=webhook_endpoint,
        webhook_delivery=Delivery.objects.create(
            endpoint=webhook_endpoint,
            event=Event.LABEL_ISSUED,
            event_id=uuid.uuid4(),
            occurred_at=timezone.now(),
            payload={"number": label.number},
            state=Delivery.State.DELIVERED,
        ),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the whole module, built once (about a second: receipts are PDFs) in a
    transaction rolled back at the end; each test runs in a savepoint inside it. Its files
    go to a folder of the module's own, as ``private_storage`` does for one test (that
    function-scoped fixture would move the storage away from the world's files)."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path_factory.mktemp("private"), "base_url": None},
    }
    with (
        override_settings(STORAGES={**settings.STORAGES, "default": storage}),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        world.cookies = sessions(world)
        yield world
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------
# The table.


@dataclass
class Case:
    """One URL pointed at the world's objects (``kwargs``), and the answers of the ten
    roles (``get``, ``post``: ten words each, in the order of ``ROLES``)."""

    kwargs: Callable = lambda w: {}
    get: str = ""
    post: str = ""
    data: Callable = lambda w: {}
    label: str = ""

    def answers(self, method: str) -> list[str]:
        words = (self.get if method == "get" else self.post).split()
        assert len(words) == len(ROLES), f"{self.label or 'case'}: {len(words)} answers"
        assert set(words) <= ANSWERS, set(words) - ANSWERS
        return words


def everyone(answer: str) -> str:
    return " ".join([answer] * len(ROLES))


def signed_in(answer: str) -> str:
    """Anonymous visitors sign in first; every signed-in role gets ``answer``."""
    return " ".join(["LOGIN"] + [answer] * (len(ROLES) - 1))


PUBLIC = everyone("OK")
PUBLIC_NO_POST = everyone("405")
NO_POST = signed_in("405")  # a read-only page behind sign-in
NO_GET = signed_in("405")  # an action: POST only
OWN = signed_in("OK")  # each signed-in person's own things (lists scoped to them)

# fmt: off
#                          anon   fndr   othr   rev    conf   pool   offc   off2   mini   admin
MEMBERS_AND_STAFF      = "LOGIN  OK     404    404    404    404    OK     404    OK     OK"
FOUNDER_ONLY           = "LOGIN  OK     404    404    404    404    404    404    404    404"
FOUNDER_AND_ADMIN      = "LOGIN  OK     404    404    404    404    404    404    404    OK"
PROGRAMME_STAFF        = "LOGIN  404    404    404    404    404    OK     404    OK     OK"
PROGRAMME_MANAGERS     = "LOGIN  404    404    404    404    404    OK     404    404    OK"
ANY_PROGRAMME_STAFF    = "LOGIN  404    404    404    404    404    OK     OK     OK     OK"
TO_THE_DASHBOARD       = "OK     DONE   DONE   DONE   DONE   DONE   DONE   DONE   DONE   DONE"
# fmt: on

MATRIX: dict[str, Case | list[Case]] = {
    # --- portal: home, health, language, accounts ------------------------------------
    "portal:home": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "portal:health": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "portal:privacy": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    # The accessibility statement's complaint form: posted empty, it shows its errors.
    "portal:accessibility": Case(get=PUBLIC, post=PUBLIC),
    "portal:postcode_localities": Case(
        kwargs=lambda w: {"code": "4000"}, get=PUBLIC, post=PUBLIC_NO_POST
    ),
    "portal:favicon": Case(get=everyone("DONE"), post=PUBLIC_NO_POST),
    "portal:set_language": Case(
        get=PUBLIC_NO_POST, post=everyone("DONE"), data=lambda w: {"language": "en", "next": "/"}
    ),
    # Signed-in people asking to sign up or sign in are sent to their dashboard.
    "portal:sign_up": Case(get=TO_THE_DASHBOARD, post=TO_THE_DASHBOARD),
    "portal:sign_up_done": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    # A public link with a bad token: the "this link does not work" page, for anyone.
    "portal:confirm_email": Case(
        kwargs=lambda w: {"uidb64": w.unconfirmed_uid, "token": "cqz-0123456789abcdef"},
        get=everyone("BAD"),
        post=everyone("BAD"),
    ),
    "portal:login": Case(get=TO_THE_DASHBOARD, post=TO_THE_DASHBOARD),
    "portal:logout": Case(get=PUBLIC_NO_POST, post=everyone("DONE")),
    # No sign-in service is configured here (tests/portal/test_oidc.py runs the flows
    # against a real provider): a service's name the settings do not list is not found.
    # The button posts (its form carries the CSRF token); the provider comes back by GET.
    "portal:oidc_start": Case(
        kwargs=lambda w: {"provider": "nowhere"}, get=PUBLIC_NO_POST, post=everyone("404")
    ),
    "portal:oidc_callback": Case(
        kwargs=lambda w: {"provider": "nowhere"}, get=everyone("404"), post=PUBLIC_NO_POST
    ),
    "portal:profile": Case(get=OWN, post=OWN),
    "portal:password_change": Case(get=OWN, post=OWN),
    "portal:password_change_done": Case(get=OWN, post=NO_POST),
    "portal:password_reset": Case(get=PUBLIC, post=PUBLIC),
    "portal:password_reset_done": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    # Django's own view shows its bad-link page with a 200.
    "portal:password_reset_confirm": Case(
        kwargs=lambda w: {"uidb64": w.founder_uid, "token": "cqz-0123456789abcdef"},
        get=PUBLIC,
        post=PUBLIC,
    ),
    "portal:password_reset_complete": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "portal:personal_data": Case(get=OWN, post=NO_POST),
    # An empty POST asks for the password again.
    "portal:account_delete": Case(get=OWN, post=OWN),
    # --- portal: dashboards, organisations, invitations, exports ---------------------
    "portal:dashboard": Case(get=signed_in("DONE"), post=NO_POST),
    # Each role's dashboard for who holds the role; everyone signed in may act as applicant.
    # Administrators hold no staff role (their own dashboard has the staff panels).
    "portal:role_dashboard": [
        Case(label="applicant", kwargs=lambda w: {"role": "applicant"}, get=OWN, post=NO_POST),
        Case(
            label="reviewer",
            kwargs=lambda w: {"role": "reviewer"},
            #    anon   fndr   othr   rev    conf   pool   offc   off2   mini   admin
            get="LOGIN  404    404    OK     OK     OK     404    404    404    404",
            post=NO_POST,
        ),
        Case(
            label="officer",
            kwargs=lambda w: {"role": "officer"},
            get="LOGIN  404    404    404    404    404    OK     OK     404    404",
            post=NO_POST,
        ),
        Case(
            label="ministry",
            kwargs=lambda w: {"role": "ministry"},
            get="LOGIN  404    404    404    404    404    404    404    OK     404",
            post=NO_POST,
        ),
        Case(
            label="admin",
            kwargs=lambda w: {"role": "admin"},
            get="LOGIN  404    404    404    404    404    404    404    404    OK",
            post=NO_POST,
        ),
    ],
    "portal:organisation_list": Case(get=OWN, post=NO_POST),
    "portal:organisation_create": Case(get=OWN, post=OWN),
    "portal:organisation_detail": Case(
        kwargs=lambda w: {"pk": w.organisation.pk}, get=FOUNDER_AND_ADMIN, post=NO_POST
    ),
    "portal:organisation_edit": Case(
        kwargs=lambda w: {"pk": w.organisation.pk}, get=FOUNDER_AND_ADMIN, post=FOUNDER_AND_ADMIN
    ),
    "portal:organisation_invite": Case(
        kwargs=lambda w: {"pk": w.organisation.pk}, get=FOUNDER_AND_ADMIN, post=FOUNDER_AND_ADMIN
    ),
    "portal:membership_remove": Case(
        kwargs=lambda w: {"pk": w.organisation.pk, "membership_pk": w.colleague_membership.pk},
        get=NO_GET,
        post="LOGIN  DONE   404    404    404    404    404    404    404    DONE",
    ),
    "portal:membership_role": Case(
        kwargs=lambda w: {"pk": w.organisation.pk, "membership_pk": w.colleague_membership.pk},
        data=lambda w: {"role": "owner"},
        get=NO_GET,
        post="LOGIN  DONE   404    404    404    404    404    404    404    DONE",
    ),
    # The invitation is addressed to the other founder; whoever else opens the secret link
    # is told that it is meant for another address.
    "portal:invitation": Case(
        kwargs=lambda w: {"token": w.invitation.token},
        get="LOGIN  BAD    OK     BAD    BAD    BAD    BAD    BAD    BAD    BAD",
        post="LOGIN  BAD    DONE   BAD    BAD    BAD    BAD    BAD    BAD    BAD",
    ),
    # The export was asked by the programme's officer: it is theirs alone.
    "portal:export_detail": Case(
        kwargs=lambda w: {"pk": w.export.pk},
        get="LOGIN  404    404    404    404    404    OK     404    404    404",
        post=NO_POST,
    ),
    "portal:export_download": Case(
        kwargs=lambda w: {"pk": w.export.pk},
        get="LOGIN  404    404    404    404    404    OK     404    404    404",
        post=NO_POST,
    ),
    # A large import is its administrator's alone (only administrators are staff).
    # --- portal: the inbox -----------------------------------------------------------
    "portal:notifications": Case(get=OWN, post=NO_POST),
    "portal:notifications_read": Case(get=NO_GET, post=signed_in("DONE")),
    # One's own notification only: following it marks it read and goes to its link.
    "portal:notification": Case(
        kwargs=lambda w: {"pk": w.notification.pk},
        get="LOGIN  DONE   404    404    404    404    404    404    404    404",
        post=NO_POST,
    ),
    "portal:notification_read": Case(
        kwargs=lambda w: {"pk": w.notification.pk},
        get=NO_GET,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    "portal:import_detail": Case(
        kwargs=lambda w: {"pk": w.import_job.pk},
        get="LOGIN  404    404    404    404    404    404    404    404    OK",
        post=NO_POST,
    ),
    "portal:import_confirm": Case(
        kwargs=lambda w: {"pk": w.import_job.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    404    404    404    DONE",
    ),
    # --- applications: calls and dossiers ---------------------------------------------
    "applications:call": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PUBLIC, post=PUBLIC_NO_POST
    ),
    # People without an organisation are asked to register one first.
    "applications:start": Case(
        kwargs=lambda w: {"slug": w.call.slug},
        get="LOGIN  OK     OK     DONE   DONE   DONE   DONE   DONE   DONE   DONE",
        post="LOGIN  OK     OK     DONE   DONE   DONE   DONE   DONE   DONE   DONE",
    ),
    "applications:list": Case(get=OWN, post=NO_POST),
    # Staff never see a draft; reviewers read a dossier through their assignment only;
    # the rules name administrators among those who read dossiers.
    "applications:detail": [
        Case(
            label="submitted",
            kwargs=lambda w: {"pk": w.submitted.pk},
            get=MEMBERS_AND_STAFF,
            post=NO_POST,
        ),
        Case(
            label="draft",
            kwargs=lambda w: {"pk": w.draft.pk},
            get=FOUNDER_AND_ADMIN,
            post=NO_POST,
        ),
        Case(
            label="in review",
            kwargs=lambda w: {"pk": w.in_review.pk},
            get=MEMBERS_AND_STAFF,
            post=NO_POST,
        ),
    ],
    "applications:section": Case(
        kwargs=lambda w: {"pk": w.draft.pk, "section": "project"},
        get=FOUNDER_ONLY,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    # A section of the call's own form (the world's call gets one the first time it is asked).
    "applications:answers": Case(
        kwargs=lambda w: {
            "pk": w.draft.pk,
            "section_pk": FormSection.objects.get_or_create(
                call=w.call, position=1, defaults={"title_fr": "Le lieu", "title_en": "The place"}
            )[0].pk,
        },
        get=FOUNDER_ONLY,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    "applications:upload": Case(
        kwargs=lambda w: {"pk": w.draft.pk, "type_pk": w.call.document_types.get().pk},
        get=FOUNDER_ONLY,
        post=FOUNDER_ONLY,
    ),
    "applications:document": [
        Case(
            label="submitted",
            kwargs=lambda w: {"pk": w.submitted.pk, "document_pk": w.document_of(w.submitted).pk},
            get=MEMBERS_AND_STAFF,
            post=NO_POST,
        ),
        Case(
            label="in review",
            kwargs=lambda w: {"pk": w.in_review.pk, "document_pk": w.document_of(w.in_review).pk},
            # The accepted reviewer reads the dossier's documents (applications.view_documents).
            get="LOGIN  OK     404    OK     404    404    OK     404    OK     OK",
            post=NO_POST,
        ),
    ],
    "applications:delete_document": Case(
        kwargs=lambda w: {"pk": w.draft.pk, "document_pk": w.document_of(w.draft).pk},
        get=NO_GET,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    # Unanswered questions are saved as such.
    "applications:eligibility": Case(
        kwargs=lambda w: {"pk": w.draft.pk},
        get=FOUNDER_ONLY,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    "applications:submit": Case(
        kwargs=lambda w: {"pk": w.draft.pk}, get=FOUNDER_ONLY, post=FOUNDER_ONLY
    ),
    "applications:withdraw": Case(
        kwargs=lambda w: {"pk": w.submitted.pk}, get=FOUNDER_ONLY, post=FOUNDER_ONLY
    ),
    "applications:receipt": Case(
        kwargs=lambda w: {"pk": w.submitted.pk, "receipt_pk": w.submitted.receipts.get().pk},
        get=MEMBERS_AND_STAFF,
        post=NO_POST,
    ),
    "applications:letter": Case(
        kwargs=lambda w: {"pk": w.granted.pk, "letter_pk": w.decision_letter.pk},
        get=MEMBERS_AND_STAFF,
        post=NO_POST,
    ),
    # --- applications: the agency's pages ---------------------------------------------
    "applications:staff_programmes": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    # Any officer may start a programme; ministry staff may not.
    "applications:staff_programme_create": Case(
        get="LOGIN  404    404    404    404    404    OK     OK     404    OK",
        post="LOGIN  404    404    404    404    404    OK     OK     404    OK",
    ),
    "applications:staff_programme": Case(
        kwargs=lambda w: {"slug": w.programme.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "applications:staff_programme_edit": Case(
        kwargs=lambda w: {"slug": w.programme.slug},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_call_create": Case(
        kwargs=lambda w: {"slug": w.programme.slug},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_call": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "applications:staff_call_edit": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=PROGRAMME_MANAGERS
    ),
    "applications:staff_call_translations": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "applications:staff_programme_translations": Case(
        kwargs=lambda w: {"slug": w.programme.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "applications:staff_call_export": Case(
        kwargs=lambda w: {"slug": w.call.slug, "fmt": "csv"}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "applications:staff_application": Case(
        kwargs=lambda w: {"pk": w.submitted.pk}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "applications:staff_request_changes": Case(
        kwargs=lambda w: {"pk": w.submitted.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "applications:staff_extend_deadline": Case(
        kwargs=lambda w: {"pk": w.changes_requested.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "applications:staff_close_change_request": Case(
        kwargs=lambda w: {"pk": w.changes_requested.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "applications:staff_admissible": Case(
        kwargs=lambda w: {"pk": w.submitted.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "applications:staff_inadmissible": Case(
        kwargs=lambda w: {"pk": w.submitted.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    # --- applications: the call's form, built by the programme's officers ----------------
    # The world's call has dossiers: its form is frozen, but pages open and an empty form
    # comes back with its errors; a rule may still be removed, and parts moved.
    "applications:staff_form": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "applications:staff_form_preview": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "applications:staff_form_history": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "applications:staff_form_section_add": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=PROGRAMME_MANAGERS
    ),
    "applications:staff_form_section": Case(
        kwargs=lambda w: {"slug": w.call.slug, "pk": w.call.form_sections.get().pk},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_question_add": Case(
        kwargs=lambda w: {"slug": w.call.slug, "section_pk": w.call.form_sections.get().pk},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_question": Case(
        kwargs=lambda w: {"slug": w.call.slug, "pk": w.call.questions.get(code="region").pk},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_option_add": Case(
        kwargs=lambda w: {
            "slug": w.call.slug,
            "question_pk": w.call.questions.get(code="region").pk,
        },
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_column_add": Case(
        kwargs=lambda w: {
            "slug": w.call.slug,
            "question_pk": w.call.questions.get(code="budget").pk,
        },
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_column": Case(
        kwargs=lambda w: {
            "slug": w.call.slug,
            "pk": w.call.questions.get(code="budget").columns.get(code="category").pk,
        },
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_column_option_add": Case(
        kwargs=lambda w: {
            "slug": w.call.slug,
            "column_pk": w.call.questions.get(code="budget").columns.get(code="category").pk,
        },
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_option": Case(
        kwargs=lambda w: {
            "slug": w.call.slug,
            "pk": w.call.questions.get(code="region").options.get().pk,
        },
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "applications:staff_form_rule_add": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=PROGRAMME_MANAGERS
    ),
    "applications:staff_form_rule": Case(
        kwargs=lambda w: {"slug": w.call.slug, "pk": w.call.form_rules.get().pk},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    # Asked first; removing a rule loosens the form, so it is done even on a frozen form.
    "applications:staff_form_remove": Case(
        kwargs=lambda w: {"slug": w.call.slug, "kind": "rule", "pk": w.call.form_rules.get().pk},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "applications:staff_form_move": Case(
        kwargs=lambda w: {
            "slug": w.call.slug,
            "kind": "question",
            "pk": w.call.questions.get(code="budget").pk,
            "direction": "up",
        },
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    # An empty form asks for the new call's title, address, dates and amounts.
    "applications:staff_call_duplicate": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_MANAGERS, post=PROGRAMME_MANAGERS
    ),
    # --- applications: the call's mailings, read and sent by the programme's staff -------
    "applications:staff_mailings": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "applications:staff_mailing": [
        Case(
            label="prepared",
            kwargs=lambda w: {"pk": w.mailing.pk},
            get=PROGRAMME_STAFF,
            post=NO_POST,
        ),
        Case(
            label="sent",
            kwargs=lambda w: {"pk": w.sent_mailing.pk},
            get=PROGRAMME_STAFF,
            post=NO_POST,
        ),
    ],
    # Posted confirmed: the mailing is sent.
    "applications:staff_mailing_send": Case(
        kwargs=lambda w: {"pk": w.mailing.pk},
        data=lambda w: {"confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    DONE   DONE",
    ),
    "applications:staff_mailing_send_again": Case(
        kwargs=lambda w: {"pk": w.sent_mailing.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    DONE   DONE",
    ),
    # --- review -------------------------------------------------------------------------
    "review:assignments_mine": Case(get=OWN, post=NO_POST),
    "review:assignment": [
        # An empty score sheet is saved as a draft review.
        Case(
            label="accepted",
            kwargs=lambda w: {"pk": w.accepted_assignment.pk},
            get="LOGIN  404    404    OK     404    404    404    404    404    404",
            post="LOGIN  404    404    DONE   404    404    404    404    404    404",
        ),
        # A conflicted reviewer sees that the assignment is closed, nothing of the dossier.
        Case(
            label="conflicted",
            kwargs=lambda w: {"pk": w.conflicted_assignment.pk},
            get="LOGIN  404    404    404    OK     404    404    404    404    404",
            post="LOGIN  404    404    404    OK     404    404    404    404    404",
        ),
    ],
    "review:document": [
        Case(
            label="accepted",
            kwargs=lambda w: {
                "pk": w.accepted_assignment.pk,
                "document_pk": w.document_of(w.in_review).pk,
            },
            get="LOGIN  404    404    OK     404    404    404    404    404    404",
            post=NO_POST,
        ),
        Case(
            label="conflicted",
            kwargs=lambda w: {
                "pk": w.conflicted_assignment.pk,
                "document_pk": w.document_of(w.in_review).pk,
            },
            get=signed_in("404"),
            post=NO_POST,
        ),
    ],
    # Ministry staff read everything staff-side (SPEC §1), the scoring grid and who reviews
    # what included (the tabs of the ranking and decision pages link here); officers change
    # them.
    "review:criteria": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=PROGRAMME_MANAGERS
    ),
    "review:assignments": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=PROGRAMME_MANAGERS
    ),
    # The reviewer pool's suggestion: read like the assignments page, confirmed by those who
    # run the review (an empty POST ticks nobody: the page says so).
    "review:suggested_assignments": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=PROGRAMME_MANAGERS
    ),
    "review:ranking": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    # The jury's proposal, the minister's decision and the jury's closing are posted as
    # confirmed (the second POST of their confirmation page), with valid fields.
    "review:propose": Case(
        kwargs=lambda w: {"slug": w.reviewed.call.slug, "pk": w.reviewed.pk},
        data=lambda w: {"proposed": "no", "rationale": "Moins convaincant", "confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "review:close_jury": Case(
        kwargs=lambda w: {"slug": w.proposed.call.slug},
        data=lambda w: {"members_present": "Sophie Mertens", "confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    # The world's call has a closed jury: its minutes are for the programme's staff.
    "review:jury_minutes": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "review:decisions": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "review:decide": Case(
        kwargs=lambda w: {"slug": w.proposed.call.slug, "pk": w.proposed.pk},
        data=lambda w: {"decision": "grant", "amount": "50000", "confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    404    404    DONE   404",
    ),
    # The shortlist (posted confirmed: the dossier is left off) and the hearings, on the
    # call with a shortlist; the hearing's page records the hearing that took place.
    "review:shortlist": Case(
        kwargs=lambda w: {"slug": w.to_shortlist.call.slug, "pk": w.to_shortlist.pk},
        data=lambda w: {"shortlisted": "no", "rationale": "Moins abouti", "confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "review:hearings": Case(
        kwargs=lambda w: {"slug": w.shortlisted.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "review:hearing": Case(
        kwargs=lambda w: {"slug": w.shortlisted.call.slug, "pk": w.shortlisted.pk},
        data=lambda w: {"action": "record", "attended": "yes", "notes": "Convaincant"},
        get=PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "review:reviews_export": Case(
        kwargs=lambda w: {"slug": w.call.slug, "fmt": "csv"}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    # The consensus: its rapporteur (the reviewer) writes it (an empty form is saved as a
    # draft), the programme's staff read it; the dossier's other reviewers never see it.
    "review:consensus": Case(
        kwargs=lambda w: {"pk": w.consensus.pk},
        #    anon   fndr   othr   rev    conf   pool   offc   off2   mini   admin
        get="LOGIN  404    404    OK     404    404    OK     404    OK     OK",
        post="LOGIN  404    404    DONE   404    404    404    404    404    404",
    ),
    # Approved once confirmed; sent back with its reason: whoever runs the review.
    "review:approve_consensus": Case(
        kwargs=lambda w: {"pk": w.submitted_consensus.pk},
        data=lambda w: {"confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "review:send_back_consensus": Case(
        kwargs=lambda w: {"pk": w.submitted_consensus.pk},
        data=lambda w: {"reason": "Justifiez la note."},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "review:consensus_list": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    # A reviewer who did not review the dossier is refused on the list page it returns to.
    "review:name_rapporteur": Case(
        kwargs=lambda w: {"slug": w.reviewed.call.slug, "pk": w.reviewed.pk},
        data=lambda w: {"rapporteur": w.users["reviewer"].pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    # Complaints: filed by the dossier's members (posted valid), registered and answered by
    # the programme (the ministry reads), the supporting document for both sides.
    "review:file_complaint": Case(
        kwargs=lambda w: {"pk": w.granted.pk},
        data=lambda w: {"about": "decision", "reasons": "Motifs"},
        get=NO_GET,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    "review:complaints": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "review:complaints_export": Case(
        kwargs=lambda w: {"slug": w.call.slug, "fmt": "csv"}, get=PROGRAMME_STAFF, post=NO_POST
    ),
    "review:complaint": Case(
        kwargs=lambda w: {"pk": w.complaint.pk},
        data=lambda w: {"action": "examine"},
        get=PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "review:complaint_document": Case(
        kwargs=lambda w: {"pk": w.complaint.pk}, get=MEMBERS_AND_STAFF, post=NO_POST
    ),
    # The evaluation summary: the applicant's members once the minister has decided, the
    # agency and the ministry once the review is complete; nobody before.
    "review:evaluation_summary": [
        Case(
            label="granted",
            kwargs=lambda w: {"pk": w.granted.pk},
            get=MEMBERS_AND_STAFF,
            post=NO_POST,
        ),
        Case(
            label="proposed",
            kwargs=lambda w: {"pk": w.proposed.pk},
            get=PROGRAMME_STAFF,
            post=NO_POST,
        ),
        Case(
            label="in review",
            kwargs=lambda w: {"pk": w.in_review.pk},
            get=signed_in("404"),
            post=NO_POST,
        ),
    ],
    # --- labels ---------------------------------------------------------------------------
    "labels:directory": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "labels:mine": Case(get=OWN, post=NO_POST),
    "labels:verify_form": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    # Verifiable labels: the public keys and the signed status list, for offline verifiers.
    "labels:jwks": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "labels:status_list": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "labels:status_list_json": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "labels:verify": Case(
        kwargs=lambda w: {"number": w.label.number}, get=PUBLIC, post=PUBLIC_NO_POST
    ),
    "labels:space": Case(
        kwargs=lambda w: {"number": w.label.number}, get=PUBLIC, post=PUBLIC_NO_POST
    ),
    "labels:certificate": Case(
        kwargs=lambda w: {"number": w.label.number}, get=MEMBERS_AND_STAFF, post=NO_POST
    ),
    "labels:profile": Case(
        kwargs=lambda w: {"number": w.label.number}, get=FOUNDER_ONLY, post=FOUNDER_ONLY
    ),
    "labels:staff_list": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    "labels:staff_export": Case(
        kwargs=lambda w: {"fmt": "csv"}, get=ANY_PROGRAMME_STAFF, post=NO_POST
    ),
    # Ministry staff read the label; only officers suspend it (a suspension needs a reason).
    "labels:staff_detail": Case(
        kwargs=lambda w: {"number": w.label.number},
        data=lambda w: {"action": "suspend"},
        get=PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    # --- reporting ------------------------------------------------------------------------
    "reporting:list": Case(get=OWN, post=NO_POST),
    # An empty report is saved as a draft.
    "reporting:detail": Case(
        kwargs=lambda w: {"pk": w.report.pk},
        get=FOUNDER_ONLY,
        post="LOGIN  DONE   404    404    404    404    404    404    404    404",
    ),
    "reporting:staff_list": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    "reporting:staff_export": Case(
        kwargs=lambda w: {"fmt": "csv"}, get=ANY_PROGRAMME_STAFF, post=NO_POST
    ),
    # Ministry staff read the report; only officers return it (with a comment).
    "reporting:staff_detail": Case(
        kwargs=lambda w: {"pk": w.report.pk},
        data=lambda w: {"action": "return"},
        get=PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "reporting:schedule": Case(
        kwargs=lambda w: {"slug": w.programme.slug},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    # The programme's indicators, defined by its officers; an empty form comes back with
    # its errors, and the indicator (without values) may be removed, reinstated and moved.
    "reporting:indicators": Case(
        kwargs=lambda w: {"slug": w.programme.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "reporting:indicator_add": Case(
        kwargs=lambda w: {"slug": w.programme.slug},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "reporting:indicator": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.programme.indicators.get().pk},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "reporting:indicator_retire": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.programme.indicators.get().pk},
        get=PROGRAMME_MANAGERS,
        post=PROGRAMME_MANAGERS,
    ),
    "reporting:indicator_remove": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.programme.indicators.get().pk},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "reporting:indicator_reinstate": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.programme.indicators.get().pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "reporting:indicator_move": Case(
        kwargs=lambda w: {
            "slug": w.programme.slug,
            "pk": w.programme.indicators.get().pk,
            "direction": "up",
        },
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    # The wording of the messages: the programme's officers reword theirs (an empty form
    # comes back with its errors); the account emails are the administrators'. A reset of
    # a message that reads as the default is refused and sends back to the editor.
    "applications:messages": Case(
        kwargs=lambda w: {"slug": w.programme.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "applications:message": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "key": "review/emails/decision_granted"},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "applications:message_reset": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "key": "review/emails/decision_granted"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
        data=lambda w: {"confirm": "1"},
    ),
    "applications:portal_messages": Case(
        get="LOGIN  404    404    404    404    404    404    404    404    OK", post=NO_POST
    ),
    "applications:portal_message": Case(
        kwargs=lambda w: {"key": "portal/emails/password_reset"},
        get="LOGIN  404    404    404    404    404    404    404    404    OK",
        post="LOGIN  404    404    404    404    404    404    404    404    BAD",
    ),
    "applications:portal_message_reset": Case(
        kwargs=lambda w: {"key": "portal/emails/password_reset"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    404    404    404    DONE",
        data=lambda w: {"confirm": "1"},
    ),
    "reporting:open_data_json": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:open_data_csv": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:open_data": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:open_data_catalogue": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:open_data_labels_json": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:open_data_labels_csv": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:open_data_statistics_csv": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "reporting:statistics": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    "reporting:statistics_report": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    # --- surveillance -----------------------------------------------------------------------
    # Anyone reports a problem with a valid label; an empty report is refused.
    "surveillance:report_problem": Case(
        kwargs=lambda w: {"number": w.label.number}, get=PUBLIC, post=everyone("BAD")
    ),
    # The holder's members upload evidence (an empty form is refused); staff read it.
    "surveillance:evidence": Case(
        kwargs=lambda w: {"number": w.label.number},
        get=FOUNDER_ONLY,
        post="LOGIN  BAD    404    404    404    404    404    404    404    404",
    ),
    "surveillance:evidence_file": Case(
        kwargs=lambda w: {"number": w.label.number, "pk": w.evidence.pk},
        get=MEMBERS_AND_STAFF,
        post=NO_POST,
    ),
    "surveillance:cases": Case(get=OWN, post=NO_POST),
    # The holder's page of a case; an empty answer is refused.
    "surveillance:case": Case(
        kwargs=lambda w: {"pk": w.case.pk},
        get=FOUNDER_ONLY,
        post="LOGIN  BAD    404    404    404    404    404    404    404    404",
    ),
    "surveillance:answer_file": Case(
        kwargs=lambda w: {"pk": w.case.pk, "answer_pk": w.case.answers.get().pk},
        get=MEMBERS_AND_STAFF,
        post=NO_POST,
    ),
    "surveillance:staff_cases": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    # Ministry staff read the case; only officers resolve it (with a comment).
    "surveillance:staff_case": Case(
        kwargs=lambda w: {"pk": w.case.pk},
        data=lambda w: {"action": "resolve"},
        get=PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "surveillance:visitor_reports": Case(get=ANY_PROGRAMME_STAFF, post=NO_POST),
    # Ministry staff read the report; only officers dismiss it (with a reason).
    "surveillance:visitor_report": Case(
        kwargs=lambda w: {"pk": w.visitor_report.pk},
        data=lambda w: {"action": "dismiss"},
        get=PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "surveillance:conditions": Case(
        kwargs=lambda w: {"slug": w.programme.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    "surveillance:condition_add": Case(
        kwargs=lambda w: {"slug": w.programme.slug},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "surveillance:condition_edit": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.condition.pk},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "surveillance:condition_in_force": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.condition.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    # --- api: the REST API and its tokens (tests/api/ plays every endpoint by role and by
    # token scope). The API reads tokens only, never the session: every role is anonymous
    # there, reads the public endpoints and gets 401 from the staff ones.
    "api:root": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:schema": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:docs": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:programmes": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:calls": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:labels": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:label": Case(kwargs=lambda w: {"number": w.label.number}, get=PUBLIC, post=PUBLIC_NO_POST),
    "api:grants": Case(get=PUBLIC, post=PUBLIC_NO_POST),
    "api:applications": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=everyone("401"), post=everyone("401")
    ),
    "api:decisions": Case(
        kwargs=lambda w: {"slug": w.call.slug}, get=everyone("401"), post=everyone("401")
    ),
    "api:reports": Case(get=everyone("401"), post=everyone("401")),
    # Staff of any programme make their own tokens; the empty form is refused.
    "api:tokens": Case(
        get=ANY_PROGRAMME_STAFF,
        post="LOGIN  404    404    404    404    404    BAD    BAD    BAD    BAD",
    ),
    # The officer's own token: only they revoke it.
    "api:token_revoke": Case(
        kwargs=lambda w: {"pk": api_token_of(w.users["officer"]).pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    404",
    ),
    # --- webhooks: the programme's officers and the administrators ---------------------------
    "webhooks:endpoints": Case(
        kwargs=lambda w: {"slug": w.programme.slug}, get=PROGRAMME_MANAGERS, post=NO_POST
    ),
    # An empty form is refused.
    "webhooks:endpoint_add": Case(
        kwargs=lambda w: {"slug": w.programme.slug},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "webhooks:endpoint_edit": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.webhook_endpoint.pk},
        get=PROGRAMME_MANAGERS,
        post="LOGIN  404    404    404    404    404    BAD    404    404    BAD",
    ),
    "webhooks:deliveries": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.webhook_endpoint.pk},
        get=PROGRAMME_MANAGERS,
        post=NO_POST,
    ),
    # Confirmed: the new secret is shown on the page that answers.
    "webhooks:regenerate_secret": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.webhook_endpoint.pk},
        data=lambda w: {"confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    OK     404    404    OK",
    ),
    "webhooks:delete": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.webhook_endpoint.pk},
        data=lambda w: {"confirm": "1"},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "webhooks:resume": Case(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.webhook_endpoint.pk},
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
    "webhooks:send_again": Case(
        kwargs=lambda w: {
            "slug": w.programme.slug,
            "pk": w.webhook_endpoint.pk,
            "delivery": w.webhook_delivery.pk,
        },
        get=NO_GET,
        post="LOGIN  404    404    404    404    404    DONE   404    404    DONE",
    ),
}


def api_token_of(user):
    """A token of ``user``, made in the cell's savepoint (rolled back with it)."""
    from api.models import ApiToken

    token = ApiToken.objects.filter(user=user).first()
    return (
        token
        or ApiToken.make(
            user, name="matrix", scopes=["read:public"], expires_on=dt.date(2099, 1, 1)
        )[0]
    )


def cases(name: str) -> list[Case]:
    entry = MATRIX[name]
    return entry if isinstance(entry, list) else [entry]


# ---------------------------------------------------------------------------------------
# The URL patterns of the project.


def url_patterns(resolver=None, namespace=()):
    """(``namespace:name``, pattern) of every named pattern, walking includes."""
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = (*namespace, item.namespace) if item.namespace else namespace
            yield from url_patterns(item, inner)
        elif isinstance(item, URLPattern) and item.name:
            yield ":".join((*namespace, item.name)), item


def project_url_names() -> set[str]:
    return {name for name, _pattern in url_patterns() if not name.startswith("admin:")}


def admin_url_patterns() -> list[tuple[str, URLPattern]]:
    return [(name, pattern) for name, pattern in url_patterns() if name.startswith("admin:")]


# ---------------------------------------------------------------------------------------
# Playing a cell.


def sessions(world) -> dict:
    """A session cookie per signed-in role."""
    cookies = {}
    for role, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def client_for(world, role: str, **kwargs) -> Client:
    """A fresh client for ``role`` (no cookie left by an earlier cell: language, messages)."""
    client = Client(raise_request_exception=False, **kwargs)
    if role in world.cookies:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.cookies[role]
    return client


def play(client: Client, method: str, url: str, data: dict | None = None):
    """One request in a savepoint rolled back afterwards; a streamed body is read inside it
    (which closes the response: closing it again would close the database connection)."""
    with transaction.atomic():
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        if response.streaming:
            response.body = b"".join(response.streaming_content)
        else:
            response.body = response.content
        transaction.set_rollback(True)
    return response


def redirect_to(response, login_url: str, url: str) -> bool:
    location = urlsplit(response["Location"])
    return location.path == login_url and parse_qs(location.query).get("next") == [url]


def answer_of(response, url: str) -> str:
    """The response in the table's words."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        sign_in_pages = (reverse(settings.LOGIN_URL), reverse("admin:login"))
        if redirect_to(response, sign_in_pages[0], url):
            return "LOGIN"
        if redirect_to(response, sign_in_pages[1], url):
            return "ADMIN_LOGIN"
        if urlsplit(response["Location"]).path in sign_in_pages:
            return f"{status} to {response['Location']}"
        return "DONE"
    if status == 200:
        return "OK"
    if status == 400:
        return "BAD"
    if status == 500 and response.exc_info:
        return f"500 ({response.exc_info[1]!r})"
    return str(status)


MAYBE_INLINE_CODE = re.compile(rb"<script|\son[a-z]+\s*=|\sstyle\s*=", re.IGNORECASE)


class _InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' blocks."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"an inline script: {self.get_starttag_text()}")
        for name in sorted(names):
            if name.startswith("on"):
                self.found.append(f"an inline event handler: {self.get_starttag_text()}")
            elif name == "style":
                self.found.append(f"a style attribute: {self.get_starttag_text()}")


def security_problems(response) -> list[str]:
    """What is wrong with an HTML answer's security headers and inline code."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    problems = []
    csp = response.get("Content-Security-Policy", "")
    if "script-src" not in csp or "'unsafe-inline'" in csp:
        problems.append(f"Content-Security-Policy: {csp!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if MAYBE_INLINE_CODE.search(response.body):  # parsing every page costs seconds
        parser = _InlineCode()
        parser.feed(response.body.decode(errors="replace"))
        problems += parser.found[:3]
    return problems


def check(world, role: str, method: str, url: str, expected: str, data=None) -> list[str]:
    """The problems of one cell: a wrong answer, a missing header, inline code."""
    response = play(client_for(world, role), method, url, data)
    got = answer_of(response, url)
    problems = [] if got == expected else [f"expected {expected}, got {got}"]
    problems += security_problems(response)
    return [f"{role}, {method.upper()}: {problem}" for problem in problems]


def report(title: str, wrong: list[str]) -> None:
    if wrong:
        pytest.fail("\n  ".join([title, *wrong]), pytrace=False)


# ---------------------------------------------------------------------------------------
# The project's own URLs.


def test_the_matrix_has_one_entry_per_url_pattern():
    patterns, entries = project_url_names(), set(MATRIX)

    missing, stale = sorted(patterns - entries), sorted(entries - patterns)

    assert not missing and not stale, (
        f"URL patterns without an entry in MATRIX: {missing}; "
        f"entries of MATRIX for no URL pattern: {stale}"
    )


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world, name):
    wrong = []
    for case in cases(name):
        prefix = f"[{case.label}] " if case.label else ""
        try:
            url = reverse(name, kwargs=case.kwargs(world))
        except NoReverseMatch as error:
            pytest.fail(f"{name}: no such URL ({error})", pytrace=False)
        for method in ("get", "post"):
            data = case.data(world) if method == "post" else None
            for role, expected in zip(ROLES, case.answers(method), strict=True):
                wrong += [prefix + p for p in check(world, role, method, url, expected, data)]

    report(f"{name}:", wrong)


# ---------------------------------------------------------------------------------------
# The Django admin, by rule.

# Values for the arguments of the admin's patterns. For anyone but an administrator the
# gate answers before the view runs, so they need not name existing objects.
ADMIN_ARGUMENTS = {
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "transition_name": "submit",
    "app_label": "portal",
    "queue_index": 0,
    "scheduler_index": 0,
    "connection_index": 0,
    "job_id": "job",
    "result_id": "result",
    "key": "worker",
    "scheduler_name": "scheduler",
    "cron_job_name": "job",
    "token": "token",
}


def admin_url(name: str, pattern: URLPattern) -> str:
    names = set(pattern.pattern.regex.groupindex)
    unknown = names - set(ADMIN_ARGUMENTS)
    assert not unknown, f"{name}: give ADMIN_ARGUMENTS a value for {sorted(unknown)}"
    return reverse(name, kwargs={key: ADMIN_ARGUMENTS[key] for key in names})


# What the gate answers to anyone but administrators, GET and POST: the sign-in page itself
# shows its form; signing out goes back to the admin's index (which then asks to sign in);
# django-rq's statistics API answers 401 without its token.
ADMIN_OWN_ANSWERS = {
    "admin:login": ("OK", "OK"),
    "admin:logout": ("DONE", "DONE"),
    "admin:django_rq_home_json": ("401", "401"),
}


def test_every_admin_url_sends_visitors_and_signed_in_non_staff_to_the_admin_sign_in(world):
    """The gate lets in active staff users only, whatever their groups: every pattern is
    asked by an anonymous visitor and by one signed-in person who is not staff (the founder);
    every role is asked at each model's own pages below."""
    wrong = []
    for name, pattern in admin_url_patterns():
        url = admin_url(name, pattern)
        answers = ADMIN_OWN_ANSWERS.get(name, ("ADMIN_LOGIN", "ADMIN_LOGIN"))
        for role in ("anonymous", "founder"):
            for method, expected in zip(("get", "post"), answers, strict=True):
                wrong += [f"{name}, {p}" for p in check(world, role, method, url, expected)]

    report("The admin's gate:", wrong)


def test_only_administrators_enter_the_admin(world):
    wrong = []
    url = reverse("admin:index")
    for role in ROLES:
        expected = "OK" if role == "admin" else "ADMIN_LOGIN"
        wrong += check(world, role, "get", url, expected)

    report("admin:index:", wrong)


# Models whose rows only the portal writes (audit history, reviews, jobs, sign-in
# attempts): nobody adds one by hand, not even an administrator.
WRITTEN_BY_THE_PORTAL_ONLY = {
    "applications.formchange",
    "applications.formrule",
    "applications.formsection",
    "applications.question",
    "portal.statechange",
    "portal.backgroundexport",
    "portal.backgroundimport",
    "surveillance.nonconformity",
    "surveillance.visitorreport",
    "review.criterion",
    "review.assignment",
    "review.review",
    "review.proposal",
    "review.decision",
    "review.shortlisting",
    "review.hearing",
    "review.consensus",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
    "portal.outgoingemail",
    "portal.notification",
    "applications.messagetemplate",
    "applications.messagetemplatechange",
    "applications.mailing",
    "review.complaint",
    "api.apitoken",
    "api.apicall",
}
# django-rq's "dashboard" is no model: its change list reads the Redis queues, which the
# default test run does not have (the gate in front of it is checked above).
NOT_A_MODEL = {"django_rq.dashboard"}


def registered_models() -> list[str]:
    return sorted(
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.label_lower not in NOT_A_MODEL
    )


@pytest.mark.parametrize("model", registered_models())
def test_each_model_of_the_admin_opens_to_administrators_only(world, model):
    """Its change list and add page: every other role is sent to the admin's sign-in page;
    the administrator reads the list and adds a row, except where the portal alone writes
    (403). An empty POST re-displays the form."""
    app_label, model_name = model.split(".")
    add = "403" if model in WRITTEN_BY_THE_PORTAL_ONLY else "OK"
    wrong = []
    for view, for_admin in (("changelist", "OK"), ("add", add)):
        url = reverse(f"admin:{app_label}_{model_name}_{view}")
        for role in ROLES:
            expected = for_admin if role == "admin" else "ADMIN_LOGIN"
            wrong += [f"{view}, {p}" for p in check(world, role, "get", url, expected)]
        wrong += [f"{view}, {p}" for p in check(world, "admin", "post", url, for_admin)]

    report(f"{model}:", wrong)


# ---------------------------------------------------------------------------------------
# CSRF.


def csrf_cases() -> list[tuple[str, int]]:
    """(URL name, case) of every entry some role may POST to."""
    return [
        (name, index)
        for name in sorted(MATRIX)
        for index, case in enumerate(cases(name))
        if AUTHORISED & set(case.answers("post"))
    ]


@pytest.mark.parametrize(("name", "index"), csrf_cases())
def test_every_form_refuses_a_post_without_its_csrf_token(world, name, index):
    case = cases(name)[index]
    role = next(
        role
        for role, answer in zip(ROLES, case.answers("post"), strict=True)
        if answer in AUTHORISED
    )
    client = client_for(world, role, enforce_csrf_checks=True)
    url = reverse(name, kwargs=case.kwargs(world))

    response = play(client, "post", url, case.data(world))

    assert response.status_code == 403, f"{name} as {role}: {answer_of(response, url)}"
    assert not security_problems(response)


def test_every_admin_form_refuses_a_post_without_its_csrf_token(world):
    client = client_for(world, "admin", enforce_csrf_checks=True)
    wrong = []
    for name, pattern in admin_url_patterns():
        url = admin_url(name, pattern)
        response = play(client, "post", url)
        if response.status_code != 403:
            wrong.append(f"{name}: {answer_of(response, url)}")

    report("Admin URLs answering a POST without CSRF token:", wrong)
