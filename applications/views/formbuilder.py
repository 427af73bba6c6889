"""The officer's form builder: a call's application form, part by part (sections,
questions, options, table columns, rules), its preview as applicants see it, its history,
and the next call made from this one. Every write goes through ``formbuilder.save_part``
or ``remove_part``, which number the change and refuse, once dossiers exist, what could
invalidate saved answers (``FormFrozen``: its message is shown, nothing is written).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications import builderforms, formbuilder, services
from applications.access import get_staff_call
from applications.callforms import FormChange, FormRule, FormSection, Option, Question, TableColumn
from applications.models import Application
from applications.questionnaire import Questionnaire, SectionAnswersForm
from portal.context_processors import LANGUAGE_NAMES
from portal.translations import columns, texts

PERM = "applications.edit_call_form"


def _call(request, slug):
    return get_staff_call(request.user, slug, PERM)


def _parts(call) -> dict:
    """The parts of ``call``'s form by the name used in addresses."""
    return {
        "section": FormSection.objects.filter(call=call),
        "question": Question.objects.filter(call=call).select_related("section"),
        "column": TableColumn.objects.filter(question__call=call).select_related("question"),
        "option": Option.objects.filter(
            Q(question__call=call) | Q(column__question__call=call)
        ).select_related("question", "column"),
        "rule": FormRule.objects.filter(call=call),
    }


def _part(call, kind: str, pk: int):
    parts = _parts(call)
    if kind not in parts:
        raise Http404
    return get_object_or_404(parts[kind], pk=pk)


def _data(request):
    return request.POST if request.method == "POST" else None


def _overview(call):
    return redirect("applications:staff_form", slug=call.slug)


@login_required
@require_safe
def overview(request, slug):
    """The call's form as it stands, with the links to change it."""
    call = _call(request, slug)
    questionnaire = Questionnaire.of(call)
    sections = [(s, questionnaire.questions_of(s)) for s in questionnaire.sections]
    return render(
        request,
        "applications/staff/form_overview.html",
        {
            "call": call,
            "sections": sections,
            "rules": questionnaire.rules,
            "version": formbuilder.current_version(call),
            "frozen": formbuilder.is_frozen(call),
        },
    )


def _save(request, call, form, *, with_options=False):
    """Save ``form``'s object through ``save_part`` (and the new options it lists, in the
    same change); a refusal comes back on the form. Returns a response or None."""
    if request.method != "POST" or not form.is_valid():
        return None
    part = form.instance
    try:
        with transaction.atomic():
            change = formbuilder.save_part(part, by=request.user)
            if with_options and form.new_options:
                owner = "question" if isinstance(part, Question) else "column"
                for position, option in enumerate(form.new_options):
                    setattr(option, owner, part)
                    option.position = position
                Option.objects.bulk_create(form.new_options)
                # One change for the officer's one action: it shows the options too.
                change.definition = formbuilder.definition(call)
                change.save(update_fields=["definition"])
    except formbuilder.FormFrozen as frozen:
        form.add_error(None, str(frozen))
        return None
    messages.success(request, _("The form is saved."))
    return _overview(call)


def _page(request, call, form, title, *, part=None, with_options=False):
    response = _save(request, call, form, with_options=with_options)
    if response:
        return response
    return render(
        request,
        "applications/staff/form_part.html",
        {
            "call": call,
            "form": form,
            "title": title,
            "part": part,
            "frozen": formbuilder.is_frozen(call),
        },
    )


def _next_position(queryset) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@login_required
def section_edit(request, slug, pk=None):
    call = _call(request, slug)
    section = _part(call, "section", pk) if pk else None
    if section is None:
        section = FormSection(call=call, position=_next_position(call.form_sections))
    form = builderforms.SectionForm(_data(request), instance=section)
    title = _("Edit the section") if pk else _("Add a section")
    return _page(request, call, form, title, part=section if pk else None)


@login_required
def question_edit(request, slug, pk=None, section_pk=None):
    call = _call(request, slug)
    if pk:
        question = _part(call, "question", pk)
    else:
        section = _part(call, "section", section_pk)
        question = Question(call=call, section=section, position=_next_position(section.questions))
    form = builderforms.QuestionForm(_data(request), instance=question, call=call)
    title = _("Edit the question") if pk else _("Add a question")
    return _page(request, call, form, title, part=question if pk else None, with_options=True)


@login_required
def option_edit(request, slug, pk=None, question_pk=None, column_pk=None):
    call = _call(request, slug)
    if pk:
        option = _part(call, "option", pk)
    elif question_pk:
        question = _part(call, "question", question_pk)
        if question.kind not in Question.WITH_OPTIONS:
            raise Http404
        option = Option(question=question, position=_next_position(question.options))
    else:
        column = _part(call, "column", column_pk)
        if column.kind != TableColumn.Kind.CHOICE:
            raise Http404
        option = Option(column=column, position=_next_position(column.options))
    form = builderforms.OptionForm(_data(request), instance=option)
    title = _("Edit the option") if pk else _("Add an option")
    return _page(request, call, form, title, part=option if pk else None)


@login_required
def column_edit(request, slug, pk=None, question_pk=None):
    call = _call(request, slug)
    if pk:
        column = _part(call, "column", pk)
    else:
        question = _part(call, "question", question_pk)
        if question.kind != Question.Kind.TABLE:
            raise Http404
        column = TableColumn(question=question, position=_next_position(question.columns))
    form = builderforms.ColumnForm(_data(request), instance=column)
    title = _("Edit the column") if pk else _("Add a column")
    return _page(request, call, form, title, part=column if pk else None, with_options=True)


@login_required
def rule_edit(request, slug, pk=None):
    call = _call(request, slug)
    rule = _part(call, "rule", pk) if pk else FormRule(call=call)
    form = builderforms.RuleForm(_data(request), instance=rule, call=call)
    title = _("Edit the rule") if pk else _("Add a rule")
    return _page(request, call, form, title, part=rule if pk else None)


@login_required
def remove(request, slug, kind, pk):
    """Ask, then remove a part of the form (with what it holds)."""
    call = _call(request, slug)
    part = _part(call, kind, pk)
    if request.method == "POST":
        try:
            formbuilder.remove_part(part, by=request.user)
        except formbuilder.FormFrozen as frozen:
            messages.error(request, str(frozen))
        else:
            messages.success(request, _("Removed from the form."))
        return _overview(call)
    return render(
        request,
        "applications/staff/form_remove.html",
        {"call": call, "part": part, "frozen": formbuilder.is_frozen(call)},
    )


@login_required
@require_POST
def move(request, slug, kind, pk, direction):
    """Move a part one place up or down among its siblings: a wording-level change."""
    call = _call(request, slug)
    if direction not in ("up", "down"):
        raise Http404
    formbuilder.move(_part(call, kind, pk), up=direction == "up", by=request.user)
    return _overview(call)


@login_required
@require_safe
def preview(request, slug):
    """The form exactly as an applicant sees it, in each of the portal's languages
    (``?lang=``; untranslated texts show in French, as applicants would see them)."""
    call = _call(request, slug)
    codes = {code.split("-")[0]: code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang")
    if language not in codes:
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    with translation.override(codes.get(language, settings.LANGUAGE_CODE)):
        questionnaire = Questionnaire.of(call)
        sample = Application(call=call, answers={})
        sections = [
            (
                section,
                SectionAnswersForm(
                    None, questionnaire=questionnaire, section=section, application=sample
                ),
            )
            for section in questionnaire.sections
        ]
        rendered = render_to_string(
            "applications/staff/form_preview_sections.html",
            {"sections": sections},
            request=request,
        )
    return render(
        request,
        "applications/staff/form_preview.html",
        {
            "call": call,
            "language": language,
            "languages": [(code.split("-")[0], LANGUAGE_NAMES[code]) for code in codes.values()],
            "rendered": mark_safe(rendered),
        },
    )


@login_required
@require_safe
def history(request, slug):
    """The numbered changes of the call's form, and the form as one of them left it."""
    call = _call(request, slug)
    changes = call.form_changes.select_related("made_by").order_by("-version")
    chosen = None
    version = request.GET.get("version", "")
    if version.isascii() and version.isdecimal():
        chosen = get_object_or_404(FormChange, call=call, version=int(version))
    return render(
        request,
        "applications/staff/form_history.html",
        {
            "call": call,
            "changes": changes.defer("definition"),
            "chosen": chosen,
            "definition": _readable(chosen.definition) if chosen else None,
        },
    )


def _readable(definition: dict) -> dict:
    """A stored definition with its kinds in words, for the history page."""
    kinds = dict(Question.Kind.choices)
    column_kinds = dict(TableColumn.Kind.choices)
    rule_kinds = dict(FormRule.Kind.choices)
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            question["kind_label"] = kinds.get(question.get("kind"), question.get("kind"))
            for column in question.get("columns", []):
                column["kind_label"] = column_kinds.get(column.get("kind"), column.get("kind"))
    for rule in definition.get("rules", []):
        rule["kind_label"] = rule_kinds.get(rule.get("kind"), rule.get("kind"))
    return definition


@login_required
def duplicate(request, slug):
    """Create the next call from this one: form, documents, eligibility questions and
    criteria are copied; the title, address, dates and amounts are asked."""
    source = _call(request, slug)
    form = builderforms.DuplicateCallForm(_data(request), initial=texts(source, "title"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        titles = {column: data.pop(column) for column in columns("title")}
        call = services.duplicate_call(source, titles=titles, **data, by=request.user)
        messages.success(
            request,
            _("The call “%(title)s” is created from “%(source)s”; it is not published yet.")
            % {"title": call.title, "source": source.title},
        )
        return redirect("applications:staff_call_edit", slug=call.slug)
    return render(request, "applications/staff/call_duplicate.html", {"call": source, "form": form})
