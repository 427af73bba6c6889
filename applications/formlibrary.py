"""Application forms of the Creative Wallonia calls, as data (``formbuilder.definition``
format): the coworking form the 2011 and later calls ask, the rural 2017 call's form and
the fab labs call's. The demo installs them with ``formbuilder.install``; an agency builds
its own in the staff pages.
"""


def _q(code, kind, label_fr, label_en, *, required=True, help_fr="", help_en="", **extra):
    return {
        "code": code,
        "kind": kind,
        "label_fr": label_fr,
        "label_en": label_en,
        "help_fr": help_fr,
        "help_en": help_en,
        "required": required,
        "max_length": extra.pop("max_length", None),
        "max_words": extra.pop("max_words", None),
        "min_value": extra.pop("min_value", None),
        "max_value": extra.pop("max_value", None),
        "options": [
            {"code": code, "label_fr": fr, "label_en": en}
            for code, fr, en in extra.pop("options", [])
        ],
        "columns": extra.pop("columns", []),
    }


def _section(title_fr, title_en, questions, intro_fr="", intro_en=""):
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
    _q("surface_m2", "integer", "Surface (m²)", "Surface (m²)", min_value="0"),
    _q(
        "desks",
        "integer",
        "Postes de travail individuels",
        "Individual workstations",
        min_value="0",
    ),
    _q("meeting_rooms", "integer", "Salles de réunion", "Meeting rooms", min_value="0"),
    _q("opening_hours", "short_text", "Heures d'ouverture", "Opening hours", max_length=1000),
    _q("services", "choices", "Services proposés", "Services offered", options=SERVICES),
]

COWORKING = {
    "sections": [
        _section("L'espace", "The space", _SPACE),
        _section(
            "Communauté et partenaires",
            "Community and partners",
            [
                _q("target_public", "long_text", "Public cible", "Target public"),
                _q("partners", "long_text", "Partenaires", "Partners"),
            ],
        ),
        _section(
            "Modèle économique",
            "Business model",
            [
                _q("business_model", "long_text", "Modèle économique", "Business model"),
                _q("budget_plan", "long_text", "Plan budgétaire", "Budget plan"),
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


def _column(code, kind, label_fr, label_en, *, summed=False, options=()):
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
        _section(
            "Ancrage rural",
            "Rural roots",
            [
                _q(
                    "partner_municipalities_count",
                    "integer",
                    "Nombre de communes partenaires",
                    "Number of partner municipalities",
                    min_value="1",
                    help_fr="Les communes qui soutiennent le projet par écrit.",
                    help_en="The municipalities that support the project in writing.",
                ),
                _q(
                    "partner_municipalities",
                    "long_text",
                    "Communes partenaires et leur engagement",
                    "Partner municipalities and their commitment",
                    max_words=200,
                ),
                _q(
                    "rural_role",
                    "long_text",
                    "Rôle de l'espace dans l'économie rurale",
                    "The space's role in the rural economy",
                    max_words=400,
                    help_fr="Quelles activités le territoire gagne-t-il grâce à l'espace ?",
                    help_en="What activities does the area gain through the space?",
                ),
                _q(
                    "agrifood",
                    "yes_no",
                    "L'espace accueille-t-il des activités agricoles ou agroalimentaires ?",
                    "Does the space host farming or food businesses?",
                ),
                _q(
                    "agrifood_activities",
                    "long_text",
                    "Lesquelles ?",
                    "Which ones?",
                    required=False,
                    max_words=150,
                ),
            ],
        ),
        _section(
            "L'espace",
            "The space",
            [
                _q(
                    "desks",
                    "integer",
                    "Postes de travail individuels",
                    "Individual workstations",
                    min_value="0",
                ),
                _q("surface_m2", "integer", "Surface (m²)", "Surface (m²)", min_value="0"),
                _q("opening_date", "date", "Date d'ouverture prévue", "Planned opening date"),
                _q(
                    "opening_hours",
                    "short_text",
                    "Heures d'ouverture",
                    "Opening hours",
                    max_length=1000,
                    required=False,
                ),
            ],
        ),
        _section(
            "Budget",
            "Budget",
            [
                _q(
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
                        _column("line", "text", "Poste", "Item"),
                        _column(
                            "category",
                            "choice",
                            "Catégorie",
                            "Category",
                            options=BUDGET_CATEGORIES,
                        ),
                        _column("amount", "amount", "Montant (EUR)", "Amount (EUR)", summed=True),
                        _column(
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
        _section(
            "L'atelier",
            "The workshop",
            [
                _q("legal_form", "choice", "Forme juridique", "Legal form", options=LEGAL_FORMS),
                _q("machines", "choices", "Machines", "Machines", options=MACHINES),
                _q(
                    "open_hours_per_week",
                    "integer",
                    "Heures d'ouverture au public par semaine",
                    "Hours open to the public per week",
                    min_value="4",
                    max_value="80",
                ),
                _q(
                    "public_share",
                    "percentage",
                    "Part du temps réservée au public",
                    "Share of the time kept for the public",
                ),
                _q(
                    "workshop_postcode",
                    "postcode",
                    "Code postal de l'atelier",
                    "Workshop postcode",
                    help_fr="S'il diffère de l'adresse du projet.",
                    help_en="If it differs from the project's address.",
                    required=False,
                ),
                _q("opening_date", "date", "Date d'ouverture", "Opening date"),
            ],
        ),
        _section(
            "La communauté des makers",
            "The makers' community",
            [
                _q(
                    "community",
                    "long_text",
                    "Communauté et partenaires",
                    "Community and partners",
                    max_words=300,
                ),
                _q(
                    "charter",
                    "yes_no",
                    "Le fab lab adhère-t-il à la charte des fab labs du MIT ?",
                    "Does the fab lab follow MIT's fab lab charter?",
                ),
                _q("website", "url", "Site web", "Website", required=False),
                _q("contact_email", "email", "Adresse de contact", "Contact address"),
                _q(
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
