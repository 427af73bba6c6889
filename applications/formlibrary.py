"""Application forms of the Creative Wallonia calls, as data (``formbuilder.definition``
format): the coworking form the 2011 and later calls ask, the rural 2017 call's form and
the fab labs call's. The demo installs them with ``formbuilder.install``; an agency builds
its own in the staff pages.
"""


def question(
    code,
    kind,
    label_fr,
    label_en,
    *,
    required=True,
    help_fr="",
    help_en="",
    max_length=None,
    max_words=None,
    min_value=None,
    max_value=None,
    options=(),
    columns=(),
    directory="",
) -> dict:
    """A question of a definition; ``options`` as (code, French, English) triples,
    ``columns`` made by :func:`column`."""
    return {
        "code": code,
        "kind": kind,
        "label_fr": label_fr,
        "label_en": label_en,
        "help_fr": help_fr,
        "help_en": help_en,
        "required": required,
        "max_length": max_length,
        "max_words": max_words,
        "min_value": min_value,
        "max_value": max_value,
        "options": [{"code": c, "label_fr": fr, "label_en": en} for c, fr, en in options],
        "columns": list(columns),
        "directory": directory,
    }


def section(title_fr, title_en, questions, intro_fr="", intro_en="") -> dict:
    """A section of a definition, with its questions made by :func:`question`."""
    return {
        "title_fr": title_fr,
        "title_en": title_en,
        "intro_fr": intro_fr,
        "intro_en": intro_en,
        "questions": questions,
    }


# The services a coworking space offers: the codes of ``applications.Service``, which the
# directory of labelled spaces filters on.
SERVICES = [
    ("wifi", "Connexion internet à haut débit", "High-speed internet"),
    ("meeting-rooms", "Salles de réunion", "Meeting rooms"),
    ("event-space", "Espace événementiel", "Event space"),
    ("kitchen", "Cuisine et espace détente", "Kitchen and lounge"),
    ("access-24-7", "Accès 24 h/24, 7 j/7", "24/7 access"),
    ("domiciliation", "Domiciliation d'entreprise", "Business address"),
    ("coaching", "Accompagnement et coaching", "Coaching and mentoring"),
    ("training", "Formations et ateliers", "Training and workshops"),
    ("fablab", "Fablab et prototypage", "Fablab and prototyping"),
    ("printing", "Impression et scan", "Printing and scanning"),
    ("lockers", "Casiers", "Lockers"),
    ("phone-booths", "Cabines téléphoniques", "Phone booths"),
    ("parking", "Parking", "Parking"),
    ("bike-parking", "Parking vélos", "Bicycle parking"),
    ("childcare", "Garde d'enfants", "Childcare"),
    ("accessible", "Accessible aux personnes à mobilité réduite", "Wheelchair accessible"),
]

_SPACE = [
    question("surface_m2", "integer", "Surface (m²)", "Surface (m²)", min_value="0"),
    question(
        "desks",
        "integer",
        "Postes de travail individuels",
        "Individual workstations",
        min_value="0",
        directory="capacity",
    ),
    question("meeting_rooms", "integer", "Salles de réunion", "Meeting rooms", min_value="0"),
    question(
        "opening_hours",
        "short_text",
        "Heures d'ouverture",
        "Opening hours",
        max_length=1000,
        directory="opening_hours",
    ),
    question(
        "services",
        "choices",
        "Services proposés",
        "Services offered",
        options=SERVICES,
        directory="services",
    ),
]

COWORKING = {
    "sections": [
        section("L'espace", "The space", _SPACE),
        section(
            "Communauté et partenaires",
            "Community and partners",
            [
                question("target_public", "long_text", "Public cible", "Target public"),
                question("partners", "long_text", "Partenaires", "Partners"),
            ],
        ),
        section(
            "Modèle économique",
            "Business model",
            [
                question("business_model", "long_text", "Modèle économique", "Business model"),
                question("budget_plan", "long_text", "Plan budgétaire", "Budget plan"),
            ],
        ),
    ],
    "rules": [],
}

BUDGET_CATEGORIES = [
    ("equipment", "Équipement", "Equipment"),
    ("works", "Travaux d'aménagement", "Fitting-out works"),
    ("staff", "Personnel", "Staff"),
    ("operation", "Fonctionnement", "Running costs"),
    ("communication", "Communication et animation", "Communication and events"),
]


def column(code, kind, label_fr, label_en, *, summed=False, options=()) -> dict:
    """A column of a table question; ``options`` of a choice column as for a question."""
    return {
        "code": code,
        "kind": kind,
        "label_fr": label_fr,
        "label_en": label_en,
        "summed": summed,
        "options": [{"code": c, "label_fr": fr, "label_en": en} for c, fr, en in options],
    }


RURAL_2017 = {
    "sections": [
        section(
            "Ancrage rural",
            "Rural roots",
            [
                question(
                    "partner_municipalities_count",
                    "integer",
                    "Nombre de communes partenaires",
                    "Number of partner municipalities",
                    min_value="1",
                    help_fr="Les communes qui soutiennent le projet par écrit.",
                    help_en="The municipalities that support the project in writing.",
                ),
                question(
                    "partner_municipalities",
                    "long_text",
                    "Communes partenaires et leur engagement",
                    "Partner municipalities and their commitment",
                    max_words=200,
                ),
                question(
                    "rural_role",
                    "long_text",
                    "Rôle de l'espace dans l'économie rurale",
                    "The space's role in the rural economy",
                    max_words=400,
                    help_fr="Quelles activités le territoire gagne-t-il grâce à l'espace ?",
                    help_en="What activities does the area gain through the space?",
                ),
                question(
                    "agrifood",
                    "yes_no",
                    "L'espace accueille-t-il des activités agricoles ou agroalimentaires ?",
                    "Does the space host farming or food businesses?",
                ),
                question(
                    "agrifood_activities",
                    "long_text",
                    "Lesquelles ?",
                    "Which ones?",
                    required=False,
                    max_words=150,
                ),
            ],
        ),
        section(
            "L'espace",
            "The space",
            [
                question(
                    "desks",
                    "integer",
                    "Postes de travail individuels",
                    "Individual workstations",
                    min_value="0",
                    directory="capacity",
                ),
                question("surface_m2", "integer", "Surface (m²)", "Surface (m²)", min_value="0"),
                question("opening_date", "date", "Date d'ouverture prévue", "Planned opening date"),
                question(
                    "opening_hours",
                    "short_text",
                    "Heures d'ouverture",
                    "Opening hours",
                    max_length=1000,
                    required=False,
                    directory="opening_hours",
                ),
            ],
        ),
        section(
            "Budget",
            "Budget",
            [
                question(
                    "budget",
                    "table",
                    "Budget du projet",
                    "Project budget",
                    help_fr=(
                        "Une ligne par poste. Le total doit égaler le coût total du projet ; "
                        "l'équipement ne peut dépasser un tiers du budget."
                    ),
                    help_en=(
                        "One line per item. The total must equal the project's total cost; "
                        "equipment may not exceed a third of the budget."
                    ),
                    columns=[
                        column("line", "text", "Poste", "Item"),
                        column(
                            "category",
                            "choice",
                            "Catégorie",
                            "Category",
                            options=BUDGET_CATEGORIES,
                        ),
                        column("amount", "amount", "Montant (EUR)", "Amount (EUR)", summed=True),
                        column(
                            "cofunding", "text", "Source de cofinancement", "Co-financing source"
                        ),
                    ],
                ),
            ],
        ),
    ],
    "rules": [
        {"kind": "total_equals", "question": "budget", "core_field": "total_cost"},
        {
            "kind": "share_at_most",
            "question": "budget",
            "column": "category",
            "option_code": "equipment",
            "percent": "33.33",
        },
        {"kind": "required_if_yes", "question": "agrifood_activities", "other": "agrifood"},
    ],
}

MACHINES = [
    ("laser", "Découpeuse laser", "Laser cutter"),
    ("printer-3d", "Imprimante 3D", "3D printer"),
    ("cnc", "Fraiseuse numérique", "CNC milling machine"),
    ("vinyl", "Découpeuse vinyle", "Vinyl cutter"),
    ("electronics", "Poste d'électronique", "Electronics bench"),
    ("textile", "Brodeuse et machines textiles", "Embroidery and textile machines"),
]

LEGAL_FORMS = [
    ("asbl", "ASBL", "Non-profit association (ASBL)"),
    ("srl", "SRL", "Private limited company (SRL)"),
    ("sc", "Société coopérative", "Cooperative company"),
    ("public", "Pouvoir public", "Public authority"),
]

FAB_LAB = {
    "sections": [
        section(
            "L'atelier",
            "The workshop",
            [
                question(
                    "legal_form", "choice", "Forme juridique", "Legal form", options=LEGAL_FORMS
                ),
                question("machines", "choices", "Machines", "Machines", options=MACHINES),
                question(
                    "open_hours_per_week",
                    "integer",
                    "Heures d'ouverture au public par semaine",
                    "Hours open to the public per week",
                    min_value="4",
                    max_value="80",
                ),
                question(
                    "public_share",
                    "percentage",
                    "Part du temps réservée au public",
                    "Share of the time kept for the public",
                ),
                question(
                    "workshop_postcode",
                    "postcode",
                    "Code postal de l'atelier",
                    "Workshop postcode",
                    help_fr="S'il diffère de l'adresse du projet.",
                    help_en="If it differs from the project's address.",
                    required=False,
                ),
                question("opening_date", "date", "Date d'ouverture", "Opening date"),
            ],
        ),
        section(
            "La communauté des makers",
            "The makers' community",
            [
                question(
                    "community",
                    "long_text",
                    "Communauté et partenaires",
                    "Community and partners",
                    max_words=300,
                ),
                question(
                    "charter",
                    "yes_no",
                    "Le fab lab adhère-t-il à la charte des fab labs du MIT ?",
                    "Does the fab lab follow MIT's fab lab charter?",
                ),
                question("website", "url", "Site web", "Website", required=False),
                question("contact_email", "email", "Adresse de contact", "Contact address"),
                question(
                    "machine_budget",
                    "amount",
                    "Budget des machines (EUR)",
                    "Machine budget (EUR)",
                    min_value="0",
                    max_value="150000",
                ),
            ],
        ),
    ],
    "rules": [],
}
