import pytest

from tests.factories import (
    ApplicationFactory,
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def private_storage(private_storage):
    """Every dossier test stores its files in a folder of its own."""
    return private_storage


@pytest.fixture
def call(db):
    call = CallFactory()
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans")
    EligibilityQuestionFactory(call=call)
    return call


@pytest.fixture
def programme(call):
    return call.programme


@pytest.fixture
def officer(programme):
    user = UserFactory(roles=["officer"], full_name="Sophie Mertens")
    programme.staff.create(user=user, role="officer")
    return user


@pytest.fixture
def other_officer(db):
    """An officer of another programme."""
    other = CallFactory().programme
    user = UserFactory(roles=["officer"])
    other.staff.create(user=user, role="officer")
    return user


@pytest.fixture
def ministry(programme):
    user = UserFactory(roles=["ministry"])
    programme.staff.create(user=user, role="ministry")
    return user


@pytest.fixture
def draft(call, organisation, applicant):
    return ApplicationFactory(call=call, organisation=organisation)
