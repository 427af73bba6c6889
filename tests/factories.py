import factory
from django.contrib.auth.models import Group

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
