"""The applications app's part of the demo: programmes, calls and dossiers (SPEC §9).

Historical dossiers (2011, 2017) are written as they stood, with their history dated as it
happened; dossiers of the open call go through the real services, so their timeline, receipts
and documents are what a user would have produced.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import formbuilder, formlibrary, services
from applications.models import (
    Application,
    Call,
    DocumentType,
    EligibilityAnswer,
    EligibilityQuestion,
    Programme,
    ProgrammeStaff,
    application_reference,
    reference_counter,
)
from portal import bce, pdf
from portal.demo import ensure_organisation, read_fixture
from portal.models import Counter, Organisation, StateChange, User

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=BRUSSELS)


def invented_number(seed: int) -> str:
    first_eight = f"{8_800_000 + seed * 37:08d}"
    return first_eight + bce.check_digits(first_eight)


# Both demo programmes are funded by the Walloon Region (enterprise number 0316.381.039).
WALLOON_REGION = "BE-BCE_KBO-0316381039"


def ensure_programmes(data: dict) -> dict[str, Programme]:
    programmes = {}
    for entry in data["programme"]:
        fields = {k: v for k, v in entry.items() if k not in {"slug", "staff"}}
        fields.setdefault("funder_identifier", WALLOON_REGION)
        programme, _ = Programme.objects.get_or_create(slug=entry["slug"], defaults=fields)
        # A database loaded before these fields existed gets them on the next run.
        missing = [
            name
            for name in (
                "funder_identifier",
                "signatory_name",
                "signatory_function",
                "letter_place",
                "legal_basis",
                "redress_body",
            )
            if not getattr(programme, name) and fields.get(name)
        ]
        if missing:
            for name in missing:
                setattr(programme, name, fields[name])
            programme.save(update_fields=missing)
        for grant in entry["staff"]:
            ProgrammeStaff.objects.get_or_create(
                programme=programme,
                user=User.objects.get(email=grant["email"]),
                role=grant["role"],
            )
        programmes[programme.slug] = programme
    return programmes


def ensure_calls(data: dict, programmes: dict[str, Programme]) -> dict[str, Call]:
    calls = {}
    today = timezone.localdate()
    for entry in data["call"]:
        call = Call.objects.filter(slug=entry["slug"]).first()
        if call is None:
            if "opens_in_days" in entry:
                opens_at = local(
                    dt.datetime.combine(today + dt.timedelta(entry["opens_in_days"]), dt.time(9))
                )
                closes_at = local(
                    dt.datetime.combine(
                        today + dt.timedelta(entry["closes_in_days"]), dt.time(23, 59, 59)
                    )
                )
            else:
                opens_at, closes_at = local(entry["opens_at"]), local(entry["closes_at"])
            call = Call.objects.create(
                programme=programmes[entry["programme"]],
                slug=entry["slug"],
                title=entry["title"],
                summary=entry["summary"],
                rules=entry["rules"],
                legal_basis=entry.get("legal_basis", ""),
                opens_at=opens_at,
                closes_at=closes_at,
                budget=entry["budget"],
                max_amount=entry["max_amount"],
                is_published=True,
            )
            for position, name in enumerate(entry["documents"]):
                DocumentType.objects.create(call=call, name=name, position=position)
            for position, name in enumerate(entry.get("optional_documents", []), start=50):
                DocumentType.objects.create(call=call, name=name, position=position, required=False)
            for position, question in enumerate(entry["questions"]):
                # A question about a figure names it: {text = …, figure = "desks", minimum = 20}
                fields = question if isinstance(question, dict) else {"text": question}
                EligibilityQuestion.objects.create(call=call, position=position, **fields)
            formbuilder.install(call, FORMS[entry["form"]])
        elif not call.legal_basis and entry.get("legal_basis"):
            # A database loaded before calls had a legal basis gets it on the next run.
            call.legal_basis = entry["legal_basis"]
            call.save(update_fields=["legal_basis"])
        calls[call.slug] = call
    return calls


# The form each demo call asks (``form = …`` in programmes.toml).
FORMS = {
    "coworking": formlibrary.COWORKING,
    "rural_2017": formlibrary.RURAL_2017,
    "fab_lab": formlibrary.FAB_LAB,
}


def space_content(space: str, municipality: str, amount: int) -> dict:
    """The core of a coworking dossier."""
    return {
        "project_title": f"{space} — espace de coworking à {municipality}",
        "summary": (
            f"{space} ouvre à {municipality} un espace de travail partagé pour indépendants, "
            "créateurs d'entreprise et télétravailleurs, animé par une équipe dédiée et "
            "ouvert sur son territoire."
        ),
        "total_cost": Decimal(amount) * 3,
        "requested_amount": Decimal(amount),
    }


def coworking_answers(municipality: str, desks: int, services: list[str]) -> dict:
    """The answers of a coworking dossier to ``formlibrary.COWORKING``."""
    return {
        "surface_m2": desks * 12,
        "desks": desks,
        "meeting_rooms": 2 if desks < 30 else 3,
        "opening_hours": "Du lundi au vendredi, de 8 h à 19 h ; accès membres 24 h/24.",
        "services": sorted(services),
        "target_public": (
            "Indépendants, freelances, start-up, télétravailleurs et étudiants entrepreneurs."
        ),
        "partners": (
            f"Ville de {municipality}, agence de développement local, université et incubateur."
        ),
        "business_model": (
            "Abonnements mensuels, locations de salles et événements ; "
            "subvention dégressive sur trois ans."
        ),
        "budget_plan": "Aménagement, équipement, animation et communication sur trois ans.",
    }


HISTORICAL_SERVICES = ["wifi", "meeting-rooms", "kitchen"]


def rural_answers(index: int, name: str, desks: int, total: Decimal) -> dict:
    """The answers of a rural 2017 dossier to ``formlibrary.RURAL_2017``: a budget whose
    total is the project's cost, equipment under a third of it."""
    cent = Decimal("0.01")
    equipment = (total * Decimal("0.30")).quantize(cent)
    works = (total * Decimal("0.35")).quantize(cent)
    staff = (total * Decimal("0.25")).quantize(cent)
    events = total - equipment - works - staff
    lines = [
        ("Mobilier, ordinateurs et vidéoprojection", "equipment", equipment, "Subvention"),
        ("Aménagement de l'ancienne école communale", "works", works, "Fonds propres communaux"),
        ("Animateur à mi-temps sur trois ans", "staff", staff, "Subvention"),
        ("Animation, événements et communication", "communication", events, "Partenaires locaux"),
    ]
    agrifood = index % 3 == 0
    answers = {
        "partner_municipalities_count": 1 + index % 4,
        "partner_municipalities": (
            f"La commune de {name} porte le projet avec les communes voisines, qui mettent "
            "des locaux et leur agence de développement local à disposition."
        ),
        "rural_role": (
            "Offrir aux indépendants, télétravailleurs et artisans du territoire un lieu de "
            "travail proche de chez eux, réduire les déplacements vers les villes et animer "
            "le centre du village."
        ),
        "agrifood": agrifood,
        "desks": desks,
        "surface_m2": desks * 14,
        "opening_date": dt.date(2017, 9 + index % 4, 1).isoformat(),
        "opening_hours": "Du lundi au vendredi, de 8 h 30 à 18 h.",
        "budget": {
            "rows": [
                {"line": line, "category": category, "amount": str(amount), "cofunding": source}
                for line, category, amount, source in lines
            ],
            "total": str(total.quantize(cent)),
        },
    }
    if agrifood:
        answers["agrifood_activities"] = (
            "Un atelier partagé de transformation pour les producteurs locaux."
        )
    return answers


def record(application: Application, history: list[tuple[str, str, str, dt.datetime, User | None]]):
    content_type = ContentType.objects.get_for_model(Application)
    for transition, source, target, at, by in history:
        StateChange.objects.create(
            content_type=content_type,
            object_id=application.pk,
            transition=transition,
            source=source,
            target=target,
            at=at,
            by=by,
        )


def historical_dossier(call, organisation, reference, submitted_at, content, answers, officer):
    """A dossier of a past call, as it stood after its admissibility check."""
    application = Application.objects.filter(reference=reference).first()
    if application is not None:
        return application
    application = Application.objects.create(
        call=call,
        organisation=organisation,
        reference=reference,
        state=Application.State.ADMISSIBLE,
        created_at=submitted_at - dt.timedelta(days=10),
        submitted_at=submitted_at,
        declaration_confirmed_at=submitted_at,
        admissibility_decided_at=submitted_at + dt.timedelta(days=3),
        street=organisation.street,
        postcode=organisation.postcode,
        municipality=organisation.municipality,
        answers=answers,
        form_version=formbuilder.current_version(call),
        **content,
    )
    for question in call.eligibility_questions.all():
        EligibilityAnswer.objects.create(application=application, question=question, answer=True)
    record(
        application,
        [
            ("submit", "draft", "submitted", submitted_at, None),
            (
                "declare_admissible",
                "submitted",
                "admissible",
                submitted_at + dt.timedelta(days=3),
                officer,
            ),
        ],
    )
    return application


def load_2011(data: dict, call: Call) -> None:
    officer = User.objects.get(email="agent@demo.guichet.be")
    for index, entry in enumerate(data["dossier_2011"], start=1):
        number = entry.get("enterprise_number") or invented_number(index)
        organisation = ensure_organisation(
            {
                "legal_name": entry.get("legal_name", entry["space"]),
                "trade_name": entry["space"],
                "legal_form": "ASBL",
                "enterprise_number": number,
                "street": entry["street"],
                "postcode": entry["postcode"],
                "municipality": entry["municipality"],
                "contact_email": f"contact{index}@coworking-demo.example.be",
            }
        )
        submitted_at = local(dt.datetime(2011, 9, 1 + index % 11, 10 + index % 7, 15))
        content = space_content(entry["space"], entry["municipality"], entry["amount"])
        answers = coworking_answers(entry["municipality"], entry["desks"], HISTORICAL_SERVICES)
        reference = application_reference(call.programme.reference_prefix, 2011, index)
        historical_dossier(call, organisation, reference, submitted_at, content, answers, officer)
    _catch_up_counter(call, 2011, len(data["dossier_2011"]))


def load_2017(data: dict, call: Call) -> None:
    """The 28 rural dossiers; those the minister granted asked the amount granted (the
    fixture's ``[rural_2017.granted]``), the others an invented one."""
    officer = User.objects.get(email="agent.rural@demo.guichet.be")
    municipalities = data["rural_2017"]["municipalities"]
    granted = data["rural_2017"]["granted"]
    for index, (name, postcode) in enumerate(municipalities, start=1):
        of_name = ("d'" if name[0] in "AEIOU" else "de ") + name  # d'Aubel, de Durbuy
        organisation = ensure_organisation(
            {
                "legal_name": f"Commune {of_name}",
                "legal_form": "COMM",
                "enterprise_number": invented_number(100 + index),
                "street": "Place communale 1",
                "postcode": postcode,
                "municipality": name,
                "contact_email": f"developpement{index}@commune-demo.example.be",
            }
        )
        submitted_at = local(dt.datetime(2017, 5, 1 + index % 14, 9 + index % 8, 30))
        amount = granted.get(name, 60000 + (index % 5) * 10000)
        content = space_content(f"Coworking {of_name}", name, amount)
        content["project_title"] = f"Espace de coworking rural {of_name}"
        # The amount covers three years; the municipality funds a third of the project.
        content["total_cost"] = Decimal(amount) * Decimal("1.5")
        historical_dossier(
            call,
            organisation,
            application_reference(call.programme.reference_prefix, 2017, index),
            submitted_at,
            content,
            rural_answers(index, name, 12 + index % 9, content["total_cost"]),
            officer,
        )
    _catch_up_counter(call, 2017, len(municipalities))


def _catch_up_counter(call: Call, year: int, value: int) -> None:
    counter, _ = Counter.objects.get_or_create(key=reference_counter(call.programme_id, year))
    if counter.value < value:
        counter.value = value
        counter.save(update_fields=["value"])


def demo_pdf(title: str) -> SimpleUploadedFile:
    content = pdf.build(
        [pdf.text(title, "title"), pdf.text("Document de démonstration.")], title=title
    )
    return SimpleUploadedFile(f"{title}.pdf", content, content_type="application/pdf")


def open_call_dossier(
    call: Call, organisation: Organisation, founder: User, target: str, officer: User
):
    """A dossier of the open call brought to ``target`` through the real services."""
    existing = call.applications.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    application = services.start_application(call, organisation, by=founder)
    content = space_content(str(organisation), organisation.municipality, 80000)
    for name, value in content.items():
        setattr(application, name, value)
    application.answers = coworking_answers(
        organisation.municipality, 24, ["wifi", "meeting-rooms", "event-space"]
    )
    if target == Application.State.DRAFT:
        del application.answers["business_model"], application.answers["budget_plan"]
        application.total_cost = application.requested_amount = None
    application.save()
    if target == Application.State.DRAFT:
        return application
    services.answer_eligibility(application, dict.fromkeys(call.eligibility_questions.all(), True))
    for document_type in call.document_types.filter(required=True):
        services.attach_document(
            application, document_type, demo_pdf(document_type.name), by=founder
        )
    if target == Application.State.WITHDRAWN:
        services.withdraw(application, by=founder, reason="Le projet est reporté d'un an.")
        return application
    services.submit(application, by=founder)
    if target == Application.State.CHANGES_REQUESTED:
        services.request_changes(
            application,
            by=officer,
            message="Merci de joindre la lettre d'engagement signée par le partenaire public.",
            due_at=timezone.now() + dt.timedelta(days=14),
        )
    elif target == Application.State.ADMISSIBLE:
        services.declare_admissible(
            application,
            by=officer,
            checklist={
                "documents_complete": True,
                "applicant_eligible": True,
                "eligibility_confirmed": True,
                "budget_within_limits": True,
                "note": "",
            },
        )
    elif target == Application.State.INADMISSIBLE:
        services.declare_inadmissible(
            application,
            by=officer,
            reason="Le consortium ne compte aucun partenaire public ou para-public.",
        )
    return application


def load_open_call(call: Call) -> None:
    officer = User.objects.get(email="agent@demo.guichet.be")
    founders = {
        "candidat@demo.guichet.be": Application.State.DRAFT,
        "candidat2@demo.guichet.be": Application.State.CHANGES_REQUESTED,
    }
    for email, target in founders.items():
        founder = User.objects.get(email=email)
        organisation = Organisation.objects.of_member(founder).first()
        open_call_dossier(call, organisation, founder, target, officer)
    others = {
        "Charleroi": Application.State.SUBMITTED,
        "Seraing": Application.State.ADMISSIBLE,
        "Waterloo": Application.State.INADMISSIBLE,
        "Arlon": Application.State.WITHDRAWN,
        # Its reviewer declines (review/demo.py): the officer has someone to find.
        "Verviers": Application.State.ADMISSIBLE,
    }
    for municipality, target in others.items():
        organisation = Organisation.objects.get(
            municipality=municipality, applications__call__slug="creative-wallonia-coworking-2011"
        )
        email = f"fondateur.{organisation.pk}@coworking-demo.example.be"
        founder = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, full_name=f"Équipe {organisation}"
        )
        organisation.memberships.get_or_create(user=founder, defaults={"role": "owner"})
        open_call_dossier(call, organisation, founder, target, officer)


def load_renewal(call: Call) -> None:
    """The 2015 renewal dossier of the first space labelled in 2012."""
    officer = User.objects.get(email="agent@demo.guichet.be")
    first = Application.objects.get(reference=application_reference("CW", 2011, 1))
    content = space_content(str(first.organisation), first.municipality, 100000)
    content["project_title"] = f"Renouvellement — {first.organisation}"
    answers = coworking_answers(first.municipality, 30, HISTORICAL_SERVICES)
    submitted_at = local(dt.datetime(2015, 9, 10, 11, 0))
    reference = application_reference(call.programme.reference_prefix, 2015, 1)
    historical_dossier(call, first.organisation, reference, submitted_at, content, answers, officer)
    _catch_up_counter(call, 2015, 1)


def load(stdout) -> None:
    data = read_fixture("programmes.toml")
    programmes = ensure_programmes(data)
    calls = ensure_calls(data, programmes)
    load_2011(data, calls["creative-wallonia-coworking-2011"])
    load_2017(data, calls["coworking-milieu-rural-2017"])
    load_renewal(calls["creative-wallonia-coworking-renouvellement-2015"])
    load_open_call(calls["creative-wallonia-coworking-ouvert"])
