"""The coworking fields of the dossier become questions of the call's own form.

Every call until now asked the same coworking dossier; each one gets that form as data (the
questions carry the old fields' names as codes), each dossier's values move into its answers
(as ``applications.questionnaire`` stores them), and the eligibility questions about a figure
keep naming it by the same code. The next migration then drops the columns. Reversible: the
answers go back into the columns.

The definition is frozen here (``applications.formlibrary.COWORKING`` of this release), as a
migration must not read code that may change.
"""

from decimal import Decimal

from django.db import migrations

FORM = {
    "sections": [
        {
            "title_fr": "L'espace",
            "title_en": "The space",
            "intro_fr": "",
            "intro_en": "",
            "questions": [
                {
                    "code": "surface_m2",
                    "kind": "integer",
                    "label_fr": "Surface (m²)",
                    "label_en": "Surface (m²)",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": "0",
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
                {
                    "code": "desks",
                    "kind": "integer",
                    "label_fr": "Postes de travail individuels",
                    "label_en": "Individual workstations",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": "0",
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
                {
                    "code": "meeting_rooms",
                    "kind": "integer",
                    "label_fr": "Salles de réunion",
                    "label_en": "Meeting rooms",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": "0",
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
                {
                    "code": "opening_hours",
                    "kind": "short_text",
                    "label_fr": "Heures d'ouverture",
                    "label_en": "Opening hours",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": 1000,
                    "max_words": None,
                    "min_value": None,
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
                {
                    "code": "services",
                    "kind": "choices",
                    "label_fr": "Services proposés",
                    "label_en": "Services offered",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": None,
                    "max_value": None,
                    "options": [
                        {
                            "code": "wifi",
                            "label_fr": "Connexion internet à haut débit",
                            "label_en": "High-speed internet",
                        },
                        {
                            "code": "meeting-rooms",
                            "label_fr": "Salles de réunion",
                            "label_en": "Meeting rooms",
                        },
                        {
                            "code": "event-space",
                            "label_fr": "Espace événementiel",
                            "label_en": "Event space",
                        },
                        {
                            "code": "kitchen",
                            "label_fr": "Cuisine et espace détente",
                            "label_en": "Kitchen and lounge",
                        },
                        {
                            "code": "access-24-7",
                            "label_fr": "Accès 24 h/24, 7 j/7",
                            "label_en": "24/7 access",
                        },
                        {
                            "code": "domiciliation",
                            "label_fr": "Domiciliation d'entreprise",
                            "label_en": "Business address",
                        },
                        {
                            "code": "coaching",
                            "label_fr": "Accompagnement et coaching",
                            "label_en": "Coaching and mentoring",
                        },
                        {
                            "code": "training",
                            "label_fr": "Formations et ateliers",
                            "label_en": "Training and workshops",
                        },
                        {
                            "code": "fablab",
                            "label_fr": "Fablab et prototypage",
                            "label_en": "Fablab and prototyping",
                        },
                        {
                            "code": "printing",
                            "label_fr": "Impression et scan",
                            "label_en": "Printing and scanning",
                        },
                        {"code": "lockers", "label_fr": "Casiers", "label_en": "Lockers"},
                        {
                            "code": "phone-booths",
                            "label_fr": "Cabines téléphoniques",
                            "label_en": "Phone booths",
                        },
                        {"code": "parking", "label_fr": "Parking", "label_en": "Parking"},
                        {
                            "code": "bike-parking",
                            "label_fr": "Parking vélos",
                            "label_en": "Bicycle parking",
                        },
                        {
                            "code": "childcare",
                            "label_fr": "Garde d'enfants",
                            "label_en": "Childcare",
                        },
                        {
                            "code": "accessible",
                            "label_fr": "Accessible aux personnes à mobilité réduite",
                            "label_en": "Wheelchair accessible",
                        },
                    ],
                    "columns": [],
                },
            ],
        },
        {
            "title_fr": "Communauté et partenaires",
            "title_en": "Community and partners",
            "intro_fr": "",
            "intro_en": "",
            "questions": [
                {
                    "code": "target_public",
                    "kind": "long_text",
                    "label_fr": "Public cible",
                    "label_en": "Target public",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": None,
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
                {
                    "code": "partners",
                    "kind": "long_text",
                    "label_fr": "Partenaires",
                    "label_en": "Partners",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": None,
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
            ],
        },
        {
            "title_fr": "Modèle économique",
            "title_en": "Business model",
            "intro_fr": "",
            "intro_en": "",
            "questions": [
                {
                    "code": "business_model",
                    "kind": "long_text",
                    "label_fr": "Modèle économique",
                    "label_en": "Business model",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": None,
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
                {
                    "code": "budget_plan",
                    "kind": "long_text",
                    "label_fr": "Plan budgétaire",
                    "label_en": "Budget plan",
                    "help_fr": "",
                    "help_en": "",
                    "required": True,
                    "max_length": None,
                    "max_words": None,
                    "min_value": None,
                    "max_value": None,
                    "options": [],
                    "columns": [],
                },
            ],
        },
    ],
    "rules": [],
}

INTEGERS = ("surface_m2", "desks", "meeting_rooms")
TEXTS = ("opening_hours", "target_public", "partners", "business_model", "budget_plan")
BATCH = 500


def _service_options(apps) -> list[dict]:
    """The services question offers every service of the reference table, as it stands
    (the frozen list below gives the order and labels of the usual ones)."""
    frozen = {option["code"]: option for option in _question("services")["options"]}
    options = list(frozen.values())
    for service in apps.get_model("applications", "Service").objects.order_by("name_fr"):
        if service.code not in frozen:
            options.append(
                {"code": service.code, "label_fr": service.name_fr, "label_en": service.name_en}
            )
    return options


def _question(code: str) -> dict:
    return next(q for section in FORM["sections"] for q in section["questions"] if q["code"] == code)


def _install(apps, call, service_options):
    FormSection = apps.get_model("applications", "FormSection")
    Question = apps.get_model("applications", "Question")
    Option = apps.get_model("applications", "Option")
    FormChange = apps.get_model("applications", "FormChange")
    definition = {"sections": [], "rules": []}
    for s_index, section_data in enumerate(FORM["sections"]):
        questions = [
            {**q, "options": service_options} if q["code"] == "services" else q
            for q in section_data["questions"]
        ]
        section = FormSection.objects.create(
            call=call,
            position=s_index,
            **{k: v for k, v in section_data.items() if k != "questions"},
        )
        for q_index, data in enumerate(questions):
            fields = {k: v for k, v in data.items() if k not in ("options", "columns")}
            question = Question.objects.create(
                call=call, section=section, position=q_index, **fields
            )
            Option.objects.bulk_create(
                Option(question=question, position=i, **option)
                for i, option in enumerate(data["options"])
            )
        definition["sections"].append({**section_data, "questions": questions})
    FormChange.objects.create(
        call=call,
        version=1,
        kind="structure",
        summary="Formulaire repris des champs du dossier de coworking.",
        definition=definition,
    )


def forward(apps, schema_editor):
    Call = apps.get_model("applications", "Call")
    Application = apps.get_model("applications", "Application")
    through = Application.services.through
    service_options = _service_options(apps)
    for call in Call.objects.all():
        if not call.form_sections.exists():
            _install(apps, call, service_options)
    services = {}
    for application_id, code in through.objects.values_list("application_id", "service__code"):
        services.setdefault(application_id, []).append(code)
    batch = []
    for application in Application.objects.order_by("pk").iterator(chunk_size=BATCH):
        answers = dict(application.answers or {})
        for name in INTEGERS:
            value = getattr(application, name)
            if value is not None:
                answers[name] = int(value)
        for name in TEXTS:
            value = getattr(application, name)
            if value:
                answers[name] = value
        if application.pk in services:
            answers["services"] = sorted(services[application.pk])
        application.answers = answers
        application.form_version = application.form_version or 1
        application.changes_snapshot = _snapshot_forward(application.changes_snapshot)
        batch.append(application)
        if len(batch) == BATCH:
            Application.objects.bulk_update(batch, FIELDS)
            batch = []
    Application.objects.bulk_update(batch, FIELDS)


FIELDS = ["answers", "form_version", "changes_snapshot"]


def _snapshot_forward(snapshot: dict) -> dict:
    """A change request's snapshot keeps the answers as ``answers_snapshot`` now writes
    them: ``answer:<code>`` with the answer as stored, an empty one left out."""
    if not snapshot:
        return snapshot
    moved = {k: v for k, v in snapshot.items() if k not in (*INTEGERS, *TEXTS, "services")}
    for name in INTEGERS:
        if snapshot.get(name) not in (None, ""):
            moved[f"answer:{name}"] = int(snapshot[name])
    for name in TEXTS:
        if snapshot.get(name):
            moved[f"answer:{name}"] = snapshot[name]
    if snapshot.get("services"):
        moved["answer:services"] = sorted(snapshot["services"])
    return moved


def _snapshot_backward(snapshot: dict) -> dict:
    if not snapshot:
        return snapshot
    moved = {k: v for k, v in snapshot.items() if not k.startswith("answer:")}
    for name in INTEGERS:
        value = snapshot.get(f"answer:{name}")
        moved[name] = None if value is None else str(value)
    for name in TEXTS:
        moved[name] = snapshot.get(f"answer:{name}", "")
    moved["services"] = snapshot.get("answer:services", [])
    return moved


def backward(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Service = apps.get_model("applications", "Service")
    services = {service.code: service for service in Service.objects.all()}
    for application in Application.objects.order_by("pk").iterator(chunk_size=BATCH):
        answers = application.answers or {}
        for name in INTEGERS:
            setattr(application, name, answers.get(name))
        for name in TEXTS:
            setattr(application, name, answers.get(name, ""))
        application.changes_snapshot = _snapshot_backward(application.changes_snapshot)
        application.save(update_fields=[*INTEGERS, *TEXTS, "changes_snapshot"])
        codes = answers.get("services", [])
        application.services.set([services[code] for code in codes if code in services])
    apps.get_model("applications", "FormSection").objects.all().delete()
    apps.get_model("applications", "FormChange").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0009_call_forms")]

    operations = [migrations.RunPython(forward, backward)]
