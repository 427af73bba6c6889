"""Reference data: the services a coworking space may offer (used by dossiers and the
directory of labelled spaces)."""

from django.db import migrations

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


def create_services(apps, schema_editor):
    Service = apps.get_model("applications", "Service")
    for code, name_fr, name_en in SERVICES:
        Service.objects.update_or_create(
            code=code, defaults={"name_fr": name_fr, "name_en": name_en}
        )


def delete_services(apps, schema_editor):
    apps.get_model("applications", "Service").objects.filter(
        code__in=[code for code, *_ in SERVICES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(create_services, delete_services)]
