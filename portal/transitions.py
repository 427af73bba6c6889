"""Running a state-machine transition: permission, conditions, save and history, atomically.

Every machine (dossiers, labels, activity reports) goes through ``perform`` so that each
change writes exactly one ``StateChange`` row in the same transaction as the new state, and a
concurrent change of the same object is reported instead of silently overwritten.
"""

import copy
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import (
    ConcurrentTransition,
    FSMFieldMixin,
    TransitionNotAllowed,
)

from portal.models import StateChange


class Problem(str):
    """A reason an operation is refused, which names the form field it is about (``None``:
    the form as a whole), so that a form shows it next to that field."""

    field: str | None

    def __new__(cls, message: str, field: str | None = None) -> "Problem":
        problem = super().__new__(cls, message)
        problem.field = field
        return problem


SYSTEM = {"actor": "system"}
"""``custom=`` of a transition that only the portal itself runs (a scheduled job, a service
following another change): it has no permission, and ``perform`` refuses it to every person."""


def is_system_transition(method) -> bool:
    """Whether every transition of ``method`` is run by the portal itself."""
    return all(t.custom.get("actor") == "system" for t in method._django_fsm.transitions.values())


class TransitionRefused(Exception):
    """The transition may not run now; ``reasons`` says why, in words for the user (a
    ``Problem`` names the field it is about)."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(str(reason) for reason in reasons))
        self.reasons = reasons


def perform(
    obj: models.Model,
    name: str,
    *,
    by,
    comment: str = "",
    at=None,
    check: Callable[[], list[str]] | None = None,
    system: bool = False,
    **kwargs,
) -> StateChange:
    """Run transition ``name`` of ``obj`` for user ``by`` and record it.

    The object's row is locked first and ``obj`` is reloaded from it, so that the checks,
    the transition and the receipt that follows see what is stored (a section a co-member
    saved since ``obj`` was loaded included), and only the fields the transition changed
    are written: nothing else loaded earlier overwrites a newer value. ``check`` returns
    the reasons (translated) the transition cannot run, shown to the user; the
    transition's own conditions and permission are checked as well, the permission first (a
    person who may not act learns nothing of the object). ``system=True`` says the portal
    itself acts (a scheduled job, the demo), without a user and without a permission; a
    transition marked ``custom=SYSTEM`` runs only that way. Raises ``TransitionRefused``,
    ``PermissionError`` or ``ConcurrentTransition`` (the state changed since ``obj`` was
    loaded).
    """
    if by is None and not system:
        raise PermissionError(f"{name} needs the user who performs it")
    if by is not None and system:
        raise ValueError(f"{name}: the portal itself acts without a user")
    method = getattr(obj, name)
    if not system and is_system_transition(method):
        raise PermissionError(f"{name} is run by the portal itself, never by a person")
    field = method._django_fsm.field
    with transaction.atomic():
        expected = field.get_state(obj)
        try:
            stored_row = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        except ObjectDoesNotExist:
            raise ConcurrentTransition(f"{obj!r} is no longer in the database") from None
        _reload(obj, stored_row)
        stored = field.get_state(obj)
        if stored != expected:
            raise ConcurrentTransition(f"{obj!r} is {stored} in the database")
        if not method._django_fsm.has_transition(stored):
            label = dict(field.flatchoices).get(stored, stored)
            raise TransitionRefused(
                [
                    _("This action is no longer possible: the state is now “%(state)s”.")
                    % {"state": label}
                ]
            )
        # The permission alone (django-fsm's has_transition_perm also asks the conditions,
        # whose failure is a refusal with reasons, below).
        if not system and not method._django_fsm.has_transition_perm(obj, stored, by):
            raise PermissionError(name)
        reasons = check() if check else []
        if reasons:
            raise TransitionRefused(reasons)
        before = _values(obj)
        try:
            method(by=by, comment=comment, **kwargs)
        except TransitionNotAllowed as error:
            raise TransitionRefused([str(error)]) from error
        obj.save(update_fields=_changed(obj, before) | {field.name})
        return StateChange.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            transition=name,
            source=stored,
            target=field.get_state(obj),
            by=by,
            at=at or timezone.now(),
            comment=comment,
        )


def perform_all(
    objects: list[models.Model], name: str, *, comment: Callable[[models.Model], str], at=None
) -> list[models.Model]:
    """Run the portal's own transition ``name`` (``custom=SYSTEM``) on each of ``objects``,
    of one model, as ``perform`` runs it on one, in a few statements for a job that changes
    thousands: the rows are locked and reloaded together, an object whose state changed
    since it was loaded or that the transition no longer applies to is left out, the fields
    the transition set are written in one ``UPDATE`` per state left and values given
    (``_alike``) and the history rows in one ``bulk_create`` (``comment(obj)`` each).
    Returns the objects changed, as stored. Raises ``ConcurrentTransition``, nothing
    written, if a row is no longer in the state read when it is written: PostgreSQL's row
    locks leave no room for that, and on SQLite a writer at the same moment fails with
    "database is locked" instead, so the check guards against a change made within the
    same transaction (``perform``'s own guard is django-fsm's conditional save)."""
    if not objects:
        return []
    model = type(objects[0])
    keys = [obj.pk for obj in objects]
    if len(set(keys)) != len(keys) or any(type(obj) is not model for obj in objects):
        raise ValueError("perform_all takes distinct objects of one model")
    if not is_system_transition(getattr(objects[0], name)):
        raise PermissionError(f"{name} is run by a person, one object at a time")
    field = getattr(objects[0], name)._django_fsm.field
    content_type = ContentType.objects.get_for_model(model)
    at = at or timezone.now()
    auto_now = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    changed, changes, fields, moments = [], [], {field.name}, {}
    with transaction.atomic():
        # Locked in the order of their keys, whoever else locks several of them.
        stored_rows = {
            row.pk: row
            for row in model._default_manager.select_for_update().filter(pk__in=keys).order_by("pk")
        }
        for obj in objects:
            expected = field.get_state(obj)
            if obj.pk not in stored_rows:
                continue
            _reload(obj, stored_rows[obj.pk])
            stored = field.get_state(obj)
            method = getattr(obj, name)
            if stored != expected or not method._django_fsm.has_transition(stored):
                continue
            text = comment(obj)
            before = _values(obj)
            try:
                method(by=None, comment=text)
            except TransitionNotAllowed:
                continue
            for refreshed in auto_now:  # what save() would set, one moment for the chunk
                if refreshed.attname in moments:
                    setattr(obj, refreshed.attname, moments[refreshed.attname])
                else:
                    moments[refreshed.attname] = refreshed.pre_save(obj, add=False)
            fields |= _changed(obj, before)
            changed.append(obj)
            changes.append(
                StateChange(
                    content_type=content_type,
                    object_id=obj.pk,
                    transition=name,
                    source=stored,
                    target=field.get_state(obj),
                    by=None,
                    at=at,
                    comment=text,
                )
            )
        # Each row written only if still in the state read: SQLite, which locks no row,
        # may have let another change in since (PostgreSQL's locks do not).
        for (source, values), group in _alike(changed, changes, fields).items():
            rows = model._default_manager.filter(**{field.name: source})
            if values is None:  # values of their own: one CASE per field and row
                written = rows.bulk_update(group, fields)
            else:
                written = rows.filter(pk__in=[obj.pk for obj in group]).update(
                    **{name: value for name, _type, value in values}
                )
            if written != len(group):
                raise ConcurrentTransition(f"{name}: a {model.__name__} changed meanwhile")
        StateChange.objects.bulk_create(changes)
    for obj in changed:
        # What save() does after writing: django-fsm's next conditional save expects this.
        update_initial_state = getattr(obj, "_update_initial_state", None)
        if update_initial_state is not None:
            update_initial_state()
    return changed


def _alike(
    changed: list[models.Model], changes: list[StateChange], fields: set[str]
) -> dict[tuple, list[models.Model]]:
    """The changed objects grouped by the state they left and the values the transition gave
    ``fields``: a job's transition usually gives every object the same ones (its state, a
    date), written by one ``UPDATE``. Objects with a value that cannot be compared (a list,
    a dictionary) are grouped under ``None`` for ``bulk_update``."""
    names = sorted(fields)
    groups: dict[tuple, list[models.Model]] = {}
    for obj, change in zip(changed, changes, strict=True):
        meta = obj._meta
        # Whether a value is a boolean too: True and 1 are equal, and would share one value.
        values = tuple(
            (name, isinstance(value, bool), value)
            for name in names
            for value in [getattr(obj, meta.get_field(name).attname)]
        )
        try:
            hash(values)
        except TypeError:
            values = None
        groups.setdefault((change.source, values), []).append(obj)
    return groups


def _reload(obj: models.Model, stored_row: models.Model) -> None:
    """Give ``obj`` the values of ``stored_row``, its row as just read and locked.

    What ``refresh_from_db`` does, but without django-fsm's way of writing a protected state
    field (it unprotects the field on the class for the time of the query, which another
    thread waiting on the same lock sees switched back and then fails with "Direct state
    modification is not allowed"). A related object stays cached only if its key is the same.
    """
    obj._prefetched_objects_cache = {}
    for field in obj._meta.concrete_fields:
        value = stored_row.__dict__[field.attname]
        if field.is_relation and field.is_cached(obj) and obj.__dict__.get(field.attname) != value:
            field.delete_cached_value(obj)
        obj.__dict__[field.attname] = value
    for relation in obj._meta.related_objects:
        if relation.is_cached(obj):
            relation.delete_cached_value(obj)
    obj._state.db = stored_row._state.db
    update_initial_state = getattr(obj, "_update_initial_state", None)
    if update_initial_state is not None:
        update_initial_state()


def _values(obj: models.Model) -> dict[str, object]:
    """The stored value of each concrete field, copied so that a transition that changes a
    list or a dictionary in place still shows as a change."""
    values = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        values[field.attname] = value.name if isinstance(value, FieldFile) else copy.deepcopy(value)
    return values


def _changed(obj: models.Model, before: dict[str, object]) -> set[str]:
    """The fields the transition set (and those refreshed on every save, like ``auto_now``)."""
    after = _values(obj)
    return {
        field.name
        for field in obj._meta.concrete_fields
        if not field.primary_key
        and (after[field.attname] != before[field.attname] or getattr(field, "auto_now", False))
    }


def arrival(obj: models.Model, transition: str, *, by, comment: str = "", at=None) -> StateChange:
    """The history row, unsaved, of ``obj`` arriving in its present state from nowhere:
    created in its first state (``"create"``) or imported in a later one (``"import"``)."""
    field = next(f for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin))
    return StateChange(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        transition=transition,
        source="",
        target=field.get_state(obj),
        by=by,
        at=at or timezone.now(),
        comment=comment,
    )


def record_creation(obj: models.Model, *, by, comment: str = "") -> StateChange:
    """The first history row of an object created in its initial state (e.g. a label)."""
    change = arrival(obj, "create", by=by, comment=comment)
    change.save()
    return change


# The names of the steps written by ``note``, by event, as the history shows them in place
# of the state; apps above fill it in their ``AppConfig.ready`` (lazy translations).
NOTE_NAMES: dict[str, str] = {}


def step(obj: models.Model, event: str, *, by, comment: str = "", at=None) -> StateChange:
    """A step in ``obj``'s life that keeps its state (a label's non-conformity opened or
    closed), unsaved, as its history writes it like a transition: ``event`` names the step,
    source and target are the present state. ``note`` saves one; a job writing many saves
    them together (``bulk_create``)."""
    field = next(f for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin))
    state = field.get_state(obj)
    return StateChange(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        transition=event,
        source=state,
        target=state,
        by=by,
        at=at or timezone.now(),
        comment=comment,
    )


def note(obj: models.Model, event: str, *, by, comment: str = "", at=None) -> StateChange:
    """Write a step (see ``step``) in ``obj``'s history."""
    change = step(obj, event, by=by, comment=comment, at=at)
    change.save()
    return change


def history(obj: models.Model) -> list[StateChange]:
    """The state changes of ``obj``, oldest first, with who made them and the states' names."""
    changes = list(
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("by")
    )
    field = next(f for f in obj._meta.concrete_fields if isinstance(f, FSMFieldMixin))
    labels = dict(field.flatchoices)
    for change in changes:
        change.source_label = labels.get(change.source, change.source)
        change.target_label = labels.get(change.target, change.target)
        if change.transition in NOTE_NAMES:
            change.target_label = NOTE_NAMES[change.transition]
    return changes


__all__ = [
    "ConcurrentTransition",
    "Problem",
    "TransitionRefused",
    "history",
    "perform",
    "perform_all",
    "record_creation",
]
