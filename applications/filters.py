import django_filters
from django import forms
from django.db import connections
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from applications.models import Application, Option, Question
from applications.questionnaire import answer_expression
from portal.postcodes import Province

KIND = Question.Kind
# Answers the list filters on: one of the options (among several chosen, too), yes or no,
# a range of numbers (a table by its total).
CHOICE_KINDS = (KIND.CHOICE, KIND.CHOICES, KIND.YES_NO)
NUMBER_KINDS = (KIND.INTEGER, KIND.DECIMAL, KIND.AMOUNT, KIND.PERCENTAGE, KIND.TABLE)


def call_questions(call) -> list[Question]:
    """The questions of ``call`` in the order of its form, with their options: read once
    (two queries, whatever their number) for the list's filters and the export's columns."""
    return list(
        Question.objects.filter(call=call)
        .select_related("section")
        .prefetch_related(Prefetch("options", Option.objects.order_by("position", "pk")))
    )


def answer_alias(question: Question) -> str:
    """The name under which the answer to ``question`` is annotated on dossiers."""
    return f"answer_{question.pk}"


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the officers' dossier list; the same filters drive its exports. Given
    the call's ``questions``, one more filter per question that can be filtered on (see
    :data:`CHOICE_KINDS`, :data:`NUMBER_KINDS`), named after its code and read in SQL."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Application.State.choices, empty_label=_("All states")
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Province.choices, empty_label=_("All provinces")
    )
    submitted_after = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_before = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Application
        fields = ["q", "state", "province", "submitted_after", "submitted_before"]

    def __init__(self, data=None, queryset=None, *, questions=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.questions = [q for q in questions if q.kind in CHOICE_KINDS + NUMBER_KINDS]
        for question in self.questions:
            for name, filter_ in question_filters(question).items():
                if name in self.filters or name == "page":
                    name = f"answer_{name}"  # a code that is also a filter's name
                filter_.parent = self
                filter_.model = self.queryset.model
                self.filters[name] = filter_

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(project_title__icontains=value)
            | Q(organisation__legal_name__icontains=value)
            | Q(organisation__trade_name__icontains=value)
            | Q(municipality__icontains=value)
        )


def question_filters(question: Question) -> dict[str, django_filters.Filter]:
    """The filters of one question: ``<code>`` (an option chosen, or yes / no) or ``<code>_min``
    and ``<code>_max`` (numbers; a table's total)."""
    alias = answer_alias(question)

    def on_answer(lookup, value_of=lambda value: value, *, indexed=False):
        """The filter's method: ``lookup`` between the answer and ``value_of(value)`` in SQL;
        ``indexed``, on PostgreSQL: the answers must contain the answer (``exact``) or a list
        holding the option chosen (``contains``), which the answers' index serves
        (migration 0021)."""

        def method(queryset, name, value):
            if value in (None, ""):
                return queryset
            if indexed and connections[queryset.db].vendor == "postgresql":
                answer = value_of(value) if lookup == "exact" else [value]
                return queryset.filter(answers__contains={question.code: answer})
            return queryset.alias(**{alias: answer_expression(question)}).filter(
                **{f"{alias}__{lookup}": value_of(value)}
            )

        return method

    def is_yes(value) -> bool:
        return value == "yes"

    label = question.label
    if question.kind == KIND.YES_NO:
        return {
            question.code: django_filters.ChoiceFilter(
                label=label,
                choices=[("yes", _("Yes")), ("no", _("No"))],
                empty_label=_("Any answer"),
                method=on_answer("exact", is_yes, indexed=True),
            )
        }
    if question.kind in (KIND.CHOICE, KIND.CHOICES):
        # Several choices are read as their JSON list's text, where a code stands quoted.
        several = question.kind == KIND.CHOICES
        return {
            question.code: django_filters.ChoiceFilter(
                label=label,
                choices=[(option.code, option.label) for option in question.options.all()],
                empty_label=_("Any answer"),
                method=on_answer("contains", lambda code: f'"{code}"', indexed=True)
                if several
                else on_answer("exact", indexed=True),
            )
        }
    if question.kind == KIND.TABLE:
        label = _g("%(question)s (total)") % {"question": label}
    return {
        f"{question.code}_min": django_filters.NumberFilter(
            label=_g("%(question)s: at least") % {"question": label}, method=on_answer("gte")
        ),
        f"{question.code}_max": django_filters.NumberFilter(
            label=_g("%(question)s: at most") % {"question": label}, method=on_answer("lte")
        ),
    }


def submitted_applications(call, query, questions=None) -> ApplicationFilter:
    """The staff list of a call: its submitted dossiers, newest first, filtered by
    ``query`` (with the filters of the call's ``questions``, read here when not given);
    its exports use the same."""
    queryset = (
        call.applications.filter(submitted_at__isnull=False)
        .select_related("organisation")
        .order_by("-submitted_at", "-pk")
    )
    if questions is None:
        questions = call_questions(call)
    return ApplicationFilter(query or None, queryset=queryset, questions=questions)
