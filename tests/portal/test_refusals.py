"""One runner shows why an operation was refused: on the form when the view has one (next
to the field a reason names, in the error summary), as messages otherwise."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from portal.refusals import run
from portal.transitions import ConcurrentTransition, Problem, TransitionRefused


class ReasonForm(forms.Form):
    reason = forms.CharField()


def a_request():
    request = RequestFactory().post("/", {"reason": "x"})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def refuse(*reasons):
    def operation():
        raise TransitionRefused(list(reasons))

    return operation


def test_a_reason_that_names_a_field_sits_next_to_it_and_the_rest_on_top():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()

    done = run(a_request(), refuse(Problem("Say why.", "reason"), "No longer possible."), form=form)

    assert done is False
    assert form.errors["reason"] == ["Say why."]
    assert form.non_field_errors() == ["No longer possible."]
    html = form.render()
    assert 'class="error-summary"' in html and 'href="#id_reason"' in html


def test_without_a_form_the_reasons_are_messages():
    request = a_request()

    assert run(request, refuse(Problem("Say why.", "reason"))) is False

    assert [str(m) for m in get_messages(request)] == ["Say why."]


def test_a_concurrent_change_is_said_in_the_words_given_or_the_dossier_s():
    def changed():
        raise ConcurrentTransition("changed")

    form = ReasonForm({"reason": "x"})
    form.is_valid()
    with translation.override("fr"):
        run(a_request(), changed, form=form)
    assert form.non_field_errors()[0].startswith(
        "Quelqu'un d'autre a modifié ce dossier entre-temps."
    )

    request = a_request()
    run(request, changed, conflict="Your review changed in another window.")
    assert [str(m) for m in get_messages(request)] == ["Your review changed in another window."]


def test_a_person_not_allowed_gets_a_404_and_success_says_so():
    def forbidden():
        raise PermissionError("propose")

    with pytest.raises(Http404):
        run(a_request(), forbidden)
    calls = []
    assert run(a_request(), calls.append, "done", form=ReasonForm()) is True
    assert calls == ["done"]
