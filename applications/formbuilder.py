"""Changes to a call's form, as officers make them: every change is numbered in the call's
history with the form as it then stood, and once a dossier has been started a change that
could invalidate saved answers is refused (``FormFrozen``): removing a question, an option
or a column, changing a code or a type, tightening a constraint, adding a required question
or a rule. Wording (labels, help, titles, option labels) and order remain free.

``definition`` writes a form as plain data and ``install`` builds one from it: the history
keeps definitions, call duplication copies one, and the demo and migrations install theirs.
"""

from decimal import Decimal

from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applications.callforms import (
    FormChange,
    FormRule,
    FormSection,
    Option,
    Question,
    TableColumn,
)
from portal.translations import columns

WORDING = {
    FormSection: (*columns("title"), *columns("intro"), "position"),
    Question: (*columns("label"), *columns("help"), "position", "section"),
    Option: (*columns("label"), "position"),
    TableColumn: (*columns("label"), "position"),
    FormRule: (),
}


class FormFrozen(Exception):
    """The change would invalidate answers already saved; ``str()`` says why, to the user."""


def is_frozen(call) -> bool:
    """A dossier has been started on the call: saved answers must stay valid. In a
    transaction, the call's row is locked first, as ``start_application`` locks it: a
    change of the form and the first dossier cannot cross."""
    type(call).objects.select_for_update().filter(pk=call.pk).first()
    return call.applications.exists()


def _questions_of(part) -> list:
    return list(part.questions.all()) if isinstance(part, FormSection) else []


def _check_figure(question, *, removed: bool) -> None:
    """An eligibility question checks the figure a number question gives, by its code:
    that question keeps its code and stays."""
    stored = Question.objects.filter(pk=question.pk).values_list("code", flat=True).first()
    if stored is None or (not removed and stored == question.code):
        return
    checked = question.section.call.eligibility_questions.filter(figure=stored).first()
    if checked is not None:
        raise FormFrozen(
            _(
                "The eligibility question “%(question)s” checks this figure: change that "
                "question first."
            )
            % {"question": checked.text}
        )


def _frozen_message(detail: str) -> str:
    return _(
        "Applications have already been started on this call: %(detail)s Wording changes "
        "(labels, help, titles) remain possible."
    ) % {"detail": detail}


# Plain data -------------------------------------------------------------------------------

# Every language of the texts; a definition written before German and Dutch simply lacks
# their keys.
_SECTION = (*columns("title"), *columns("intro"))
_QUESTION = (
    "code",
    "kind",
    *columns("label"),
    *columns("help"),
    "required",
    "max_length",
    "max_words",
    "min_value",
    "max_value",
    "directory",
)
_OPTION = ("code", *columns("label"))
_COLUMN = ("code", "kind", *columns("label"), "summed")


def _plain(obj, names) -> dict:
    values = {}
    for name in names:
        value = getattr(obj, name)
        values[name] = str(value) if isinstance(value, Decimal) else value
    return values


def definition(call) -> dict:
    """The call's form as JSON-ready data, in order."""
    options = models.Prefetch("options", Option.objects.order_by("position", "pk"))
    sections = call.form_sections.order_by("position", "pk").prefetch_related(
        models.Prefetch(
            "questions",
            Question.objects.order_by("position", "pk").prefetch_related(
                options,
                models.Prefetch(
                    "columns",
                    TableColumn.objects.order_by("position", "pk").prefetch_related(options),
                ),
            ),
        )
    )
    return {
        "sections": [
            {
                **_plain(section, _SECTION),
                "questions": [
                    {
                        **_plain(question, _QUESTION),
                        "options": [_plain(o, _OPTION) for o in question.options.all()],
                        "columns": [
                            {
                                **_plain(column, _COLUMN),
                                "options": [_plain(o, _OPTION) for o in column.options.all()],
                            }
                            for column in question.columns.all()
                        ],
                    }
                    for question in section.questions.all()
                ],
            }
            for section in sections
        ],
        "rules": [
            {
                "kind": rule.kind,
                "question": rule.question.code,
                "other": rule.other.code if rule.other else None,
                "core_field": rule.core_field,
                "column": rule.column.code if rule.column else None,
                "option_code": rule.option_code,
                "percent": None if rule.percent is None else str(rule.percent),
            }
            for rule in call.form_rules.select_related("question", "other", "column").order_by("pk")
        ],
    }


@transaction.atomic
def install(call, data: dict, *, by=None, summary: str = "") -> None:
    """Build ``data`` (a ``definition``) as the call's form, after its current sections,
    and record it in the history."""
    start = call.form_sections.aggregate(last=Max("position"))["last"]
    start = -1 if start is None else start
    questions: dict[str, Question] = {}
    for s_index, section_data in enumerate(data.get("sections", []), start=start + 1):
        section = FormSection.objects.create(
            call=call, position=s_index, **{k: section_data.get(k, "") for k in _SECTION}
        )
        for q_index, q in enumerate(section_data.get("questions", [])):
            question = Question.objects.create(
                call=call,
                section=section,
                position=q_index,
                **{k: q[k] for k in _QUESTION if k in q},
            )
            questions[question.code] = question
            Option.objects.bulk_create(
                Option(question=question, position=i, **{k: o.get(k, "") for k in _OPTION})
                for i, o in enumerate(q.get("options", []))
            )
            for c_index, c in enumerate(q.get("columns", [])):
                column = TableColumn.objects.create(
                    question=question, position=c_index, **{k: c[k] for k in _COLUMN if k in c}
                )
                Option.objects.bulk_create(
                    Option(column=column, position=i, **{k: o.get(k, "") for k in _OPTION})
                    for i, o in enumerate(c.get("options", []))
                )
    for r in data.get("rules", []):
        question = questions.get(r["question"]) or call.questions.get(code=r["question"])
        FormRule.objects.create(
            call=call,
            kind=r["kind"],
            question=question,
            other=(questions.get(r["other"]) or call.questions.get(code=r["other"]))
            if r.get("other")
            else None,
            core_field=r.get("core_field") or "",
            column=question.columns.get(code=r["column"]) if r.get("column") else None,
            option_code=r.get("option_code") or "",
            percent=r.get("percent"),
        )
    record(call, FormChange.Kind.STRUCTURE, summary or _("Form created."), by=by)


def record(call, kind: str, summary: str, *, by=None) -> FormChange:
    """Number a change of the call's form and keep the form as it now stands."""
    type(call).objects.select_for_update().filter(pk=call.pk).first()
    last = call.form_changes.aggregate(last=Max("version"))["last"] or 0
    return FormChange.objects.create(
        call=call,
        version=last + 1,
        kind=kind,
        summary=summary[:500],
        definition=definition(call),
        made_by=by,
    )


def current_version(call) -> int:
    return call.form_changes.aggregate(last=Max("version"))["last"] or 0


# What a change does to saved answers ------------------------------------------------------


def _structure_changed(obj, stored) -> list[str]:
    """The fields beyond wording and order that differ between ``stored`` and ``obj``."""
    return [
        f.name
        for f in obj._meta.concrete_fields
        if f.name not in WORDING[type(obj)] + ("id",)
        and f.attname != "section_id"
        and getattr(obj, f.attname) != getattr(stored, f.attname)
    ]


def _tightens(obj, stored) -> str:
    """Why changing ``stored`` into ``obj`` could invalidate answers ("" if it cannot)."""
    changed = _structure_changed(obj, stored)
    if not changed:
        return ""
    if isinstance(obj, Question):
        loosening = {
            "required": not obj.required,
            "max_length": obj.text_limit >= stored.text_limit,
            "max_words": obj.max_words is None
            or (stored.max_words is not None and obj.max_words >= stored.max_words),
            "min_value": obj.min_value is None
            or (stored.min_value is not None and obj.min_value <= stored.min_value),
            "max_value": obj.max_value is None
            or (stored.max_value is not None and obj.max_value >= stored.max_value),
        }
        tight = [name for name in changed if not loosening.get(name, False)]
        if "code" in tight or "kind" in tight:
            return _("the code and the type of a question cannot change.")
        if tight:
            return _("its constraints may only be loosened, not tightened.")
        return ""
    if isinstance(obj, FormRule):
        if changed == ["percent"] and obj.percent is not None and stored.percent is not None:
            return "" if obj.percent >= stored.percent else _("a rule may only be loosened.")
        return _("a rule may only be loosened or removed.")
    return _("codes and types cannot change.")


def change_kind(obj, stored) -> str:
    """Whether changing ``stored`` into ``obj`` touches the structure or only the words."""
    if _structure_changed(obj, stored):
        return FormChange.Kind.STRUCTURE
    return FormChange.Kind.WORDING


def _call_of(obj):
    if isinstance(obj, Question):
        return obj.section.call
    if isinstance(obj, FormSection | FormRule):
        return obj.call
    if isinstance(obj, TableColumn):
        return obj.question.call
    return (obj.question or obj.column.question).call


def _describe(obj) -> str:
    return _("%(kind)s “%(name)s”") % {
        "kind": str(obj._meta.verbose_name).capitalize(),
        "name": obj,
    }


@transaction.atomic
def save_part(obj, *, by=None) -> FormChange | None:
    """Save a section, question, option, column or rule of a call's form, new or edited;
    refused with ``FormFrozen`` when it could invalidate saved answers."""
    call = _call_of(obj)
    frozen = is_frozen(call)
    if obj.pk is None:
        if frozen and isinstance(obj, Question) and obj.required:
            raise FormFrozen(_frozen_message(_("a question added now must be optional.")))
        if frozen and isinstance(obj, FormRule):
            raise FormFrozen(_frozen_message(_("a new rule would tighten the form.")))
        if isinstance(obj, Question):
            obj.call = obj.section.call
        obj.save()
        return record(
            call,
            FormChange.Kind.STRUCTURE,
            _("%(part)s added.") % {"part": _describe(obj)},
            by=by,
        )
    stored = type(obj).objects.get(pk=obj.pk)
    if isinstance(obj, Question):
        _check_figure(obj, removed=False)
    if frozen:
        reason = _tightens(obj, stored)
        if reason:
            raise FormFrozen(_frozen_message(reason))
    kind = change_kind(obj, stored)
    obj.save()
    if kind == FormChange.Kind.WORDING and all(
        getattr(obj, name) == getattr(stored, name) for name in WORDING[type(obj)]
    ):
        return None
    return record(call, kind, _("%(part)s changed.") % {"part": _describe(obj)}, by=by)


@transaction.atomic
def remove_part(obj, *, by=None) -> FormChange:
    """Remove a part of a call's form; once dossiers exist, only a rule (which loosens the
    form) or an empty section may go."""
    call = _call_of(obj)
    for question in [obj] if isinstance(obj, Question) else _questions_of(obj):
        _check_figure(question, removed=True)
    if is_frozen(call):
        empty_section = isinstance(obj, FormSection) and not obj.questions.exists()
        if not (isinstance(obj, FormRule) or empty_section):
            raise FormFrozen(
                _frozen_message(_("removing it would lose or invalidate saved answers."))
            )
    summary = _("%(part)s removed.") % {"part": _describe(obj)}
    obj.delete()
    return record(call, FormChange.Kind.STRUCTURE, summary, by=by)


def siblings(part):
    """The parts ``part`` is ordered among: a section's among the call's, a question's in
    its section, a column's in its table, an option's in its question or column."""
    if isinstance(part, FormSection):
        return part.call.form_sections.all()
    if isinstance(part, Question):
        return part.section.questions.all()
    if isinstance(part, TableColumn):
        return part.question.columns.all()
    return (part.question or part.column).options.all()


@transaction.atomic
def move(part, *, up: bool, by=None) -> FormChange | None:
    """Move ``part`` one place up or down among its siblings, as one wording change of the
    form (order never invalidates an answer); nothing when it is already first or last."""
    ordered = list(siblings(part).order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == part.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(ordered):
        return None
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            type(sibling).objects.filter(pk=sibling.pk).update(position=position)
    summary = _("%(part)s moved.") % {"part": _describe(part)}
    return record(_call_of(part), FormChange.Kind.WORDING, summary, by=by)
