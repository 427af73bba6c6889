import os

import pytest
from django.core import mail
from django.test import override_settings

from portal.emails import queue_email, send_templated_email
from portal.models import OutgoingEmail, User


@pytest.mark.django_db(transaction=True)
def test_emails_are_rendered_in_the_recipients_language_and_sent_by_a_task():
    send_templated_email(
        "someone@example.be",
        "portal/emails/password_reset",
        {"user": User(full_name="Ana"), "link": "http://testserver/x/"},
        language="en",
    )

    assert mail.outbox[0].subject == "Choose a new Guichet password"
    assert "Hello Ana," in mail.outbox[0].body


@pytest.mark.redis
@pytest.mark.django_db
def test_the_redis_backend_runs_the_email_task(django_capture_on_commit_callbacks):
    """CI runs this once against the local Redis (GUICHET_TEST_REDIS_URL)."""
    url = os.environ.get("GUICHET_TEST_REDIS_URL")
    if not url:
        pytest.skip("GUICHET_TEST_REDIS_URL is not set")
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        queue = django_rq.get_queue("default", job_class=Job)
        queue.empty()
        with django_capture_on_commit_callbacks(execute=True):
            email = queue_email("a@example.be", "Sujet", "Corps")
        assert mail.outbox == []
        SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
        email.refresh_from_db()
        assert email.state == OutgoingEmail.State.SENT
        assert mail.outbox[0].subject == "Sujet"
