"""One lock for a decided plan and everything it shows.

A plan the committee has decided is a public record: the public page and the PDF
the kommunstyrelser decided on must not drift apart. So every model whose rows a
plan shows (chapters, collaboration areas and topics, activities, the events of its
Kalendarium, its budget and budget lines, the chairs of its year, the host
rotations it prints, the delmål it sets) inherits
`Lockable`, which refuses, in the model layer, whatever path the write takes:

- `save()` of a row in a decided plan (unless only its `lock_free_fields` changed,
  e.g. an activity's follow-up or a budget line's outcome), of a new row into one,
  and of a row moved into or out of one (admin forms, inlines, history revert,
  shell, imports);
- `delete()` and cascades (a `pre_delete` receiver, which also catches the rows
  Django's collector deletes for a parent);
- `QuerySet.update()`, `delete()`, `bulk_create()` and `bulk_update()` (bulk actions);
- many-to-many changes (`m2m_changed`).

Each refusal is a `ValidationError` in Swedish (code "locked"); `full_clean()`
raises it too, so admin forms show it instead of failing.

A model says how it finds its plan with `lock_path` (the lookup from the model to its
`WorkPlan`, e.g. "area__plan", or "set_in_plan" for the delmål a plan sets); models
found otherwise override `locked_q()`, `lock_year_lookup()` and `_lock_years_for()`
(the chairs, found by year), or `lock_years_of()` when no lookup leads to the plan
(the host rotations, shown by every decided plan whose printed range holds their
series and year, `WorkPlan.rotation_ranges()`). The plan itself is locked by
`WorkPlan`, whose status only the workflow services change; only "Öppna igen"
(`plans.services.work_plan_reopen`, the reason kept as a `PlanReopening`) unlocks.

`lock_bypass()` switches the lock off for the current thread. It exists for the
seed loader, which registers the plans decided before this system (and re-loads
them), and for data migrations: nothing else may use it.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import class_prepared, m2m_changed, pre_delete

from sodertorn.lock import bypassed, lock_bypass  # noqa: F401 (lock_bypass: re-exported for callers)
from sodertorn.locking import Versioned, VersionedQuerySet

DECIDED = "decided"  # WorkPlan.Status.DECIDED, without importing the model here
ALWAYS_FREE = frozenset({"version"})  # bookkeeping of optimistic locking, changed by every save

def _years_text(years) -> str:
    years = sorted(set(years))
    if len(years) == 1:
        return f"Verksamhetsplanen för {years[0]} är beslutad"
    return f"Verksamhetsplanerna för {', '.join(map(str, years[:-1]))} och {years[-1]} är beslutade"


def locked_error(model, years) -> ValidationError:
    """The Swedish refusal: which plan, what cannot change, what still can, and how to unlock."""
    if model.lock_path is None and hasattr(model, "WORKFLOW_FIELDS"):  # the plan itself
        return ValidationError(
            f"{_years_text(years)} och låst. Den ändras bara om den öppnas igen med ett registrerat skäl "
            "(”Öppna igen” på planens sida i administrationen).", code="locked")
    free = [
        str(model._meta.get_field(name).verbose_name)
        for name in getattr(model, "lock_free_fields", ()) if name not in ALWAYS_FREE
    ]
    one = len(set(years)) == 1
    noun = getattr(model, "lock_noun", None)  # e.g. "värdskap som {planen} visar"
    what = (noun.format(planen="planen" if one else "planerna") if noun
            else f"{model._meta.verbose_name_plural} i {'den' if one else 'dem'}")
    message = (
        f"{_years_text(years)} och {'låst' if one else 'låsta'}: {what} "
        "kan inte ändras, läggas till, flyttas in eller ut eller raderas."
    )
    if free:
        message += f" Bara {', '.join(free)} kan fyllas i."
    message += (f" Öppna {'planen' if one else 'planerna'} igen med ett skäl (”Öppna igen” på planens sida i "
                "administrationen) om något måste ändras.")
    return ValidationError(message, code="locked")


def locked_years(queryset) -> set:
    """The years of the decided plans that rows of `queryset` belong to."""
    return queryset.model.lock_years_of(queryset)


class LockedQuerySet(VersionedQuerySet):
    """Bulk writes that refuse to touch a row of a decided plan."""

    def _locked_years(self) -> set:
        return locked_years(self)

    def update(self, **kwargs):
        if bypassed() or set(kwargs) <= self.model.free_fields():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            years = self._locked_years()
            if years:
                raise locked_error(self.model, years)
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            # Moved into a decided plan by the update? Checked after the write, inside
            # the transaction, so that expressions (F(), subqueries) count too.
            moved_in = locked_years(self.model._base_manager.using(self.db).filter(pk__in=pks))
            if moved_in:
                raise locked_error(self.model, moved_in)
            return count

    update.queryset_only = True

    def delete(self):
        if not bypassed():
            years = self._locked_years()
            if years:
                raise locked_error(self.model, years)
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not bypassed():
            years = set().union(*(obj._lock_years_for() for obj in objs)) if objs else set()
            if years:
                raise locked_error(self.model, years)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not bypassed() and not set(fields) <= self.model.free_fields():
            years = locked_years(self.model._base_manager.using(self.db).filter(pk__in=[o.pk for o in objs]))
            years |= set().union(*(obj._lock_years_for() for obj in objs)) if objs else set()
            if years:
                raise locked_error(self.model, years)
        return super().bulk_update(objs, fields, *args, **kwargs)


class LockedManager(models.Manager.from_queryset(LockedQuerySet)):
    pass


class Lockable(Versioned):
    """A part of what a decided plan shows; see the module docstring. Every part is
    edited in forms, so it is also `Versioned` (optimistic locking, sodertorn/locking.py)."""

    lock_path = "plan"  # the lookup from this model to its WorkPlan
    lock_free_fields: tuple[str, ...] = ()  # fields that stay editable in a decided plan
    lock_noun: str | None = None  # the rows in the message, if not "<verbose_name_plural> i den"

    objects = LockedManager()

    class Meta:
        abstract = True

    # -- how a model finds its plan ------------------------------------------

    @classmethod
    def locked_q(cls) -> Q:
        """The rows that belong to a decided plan."""
        return Q(**{f"{cls.lock_path}__status": DECIDED})

    @classmethod
    def lock_year_lookup(cls) -> str:
        return f"{cls.lock_path}__year"

    @classmethod
    def lock_years_of(cls, queryset) -> set:
        """The years of the decided plans that rows of `queryset` belong to (1 query)."""
        return set(queryset.filter(cls.locked_q()).order_by().values_list(cls.lock_year_lookup(), flat=True).distinct())

    @classmethod
    def free_fields(cls) -> set:
        return set(cls.lock_free_fields) | ALWAYS_FREE

    def _lock_years_for(self) -> set:
        """The years of the decided plans this row would belong to with its current
        (unsaved) values: follows the first step of `lock_path` by its id."""
        first, _, rest = self.lock_path.partition("__")
        field = self._meta.get_field(first)
        target = getattr(self, field.attname)
        if target is None:
            return set()
        related = field.related_model
        if not rest:
            return set(related._base_manager.filter(pk=target, status=DECIDED).values_list("year", flat=True))
        return set(
            related._base_manager.filter(pk=target, **{f"{rest}__status": DECIDED})
            .values_list(f"{rest}__year", flat=True)
        )

    # -- checks ----------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        """Whether the saved row belongs to a decided plan."""
        return bool(self._saved_lock_years())

    def _saved_lock_years(self) -> set:
        if self.pk is None or self._state.adding:
            return set()
        return locked_years(type(self)._base_manager.filter(pk=self.pk))

    def _changed_fields(self, update_fields=None) -> list[str]:
        """Fields whose value differs from the saved row (1 query)."""
        fields = [
            f for f in self._meta.concrete_fields
            if not f.primary_key and (update_fields is None or f.name in update_fields or f.attname in update_fields)
        ]
        saved = type(self)._base_manager.filter(pk=self.pk).values(*[f.attname for f in fields]).first()
        if saved is None:
            return []
        changed = []
        for f in fields:
            mine = getattr(self, f.attname)
            try:
                mine = f.to_python(mine)
            except ValidationError:
                pass
            theirs = saved[f.attname]
            if hasattr(mine, "name") and not isinstance(mine, str):  # FieldFile
                mine = mine.name
            if mine != theirs and not (mine in (None, "") and theirs in (None, "")):
                changed.append(f.name)
        return changed

    def lock_check(self, update_fields=None) -> None:
        """Raises the Swedish ValidationError if saving this row now would change,
        add to or move into or out of a decided plan."""
        if bypassed():
            return
        saved_years = self._saved_lock_years()
        if saved_years:
            changed = set(self._changed_fields(update_fields)) - self.free_fields()
            if changed:
                raise locked_error(type(self), saved_years)
            return
        new_years = self._lock_years_for()
        if new_years:
            raise locked_error(type(self), new_years)

    def full_clean(self, *args, **kwargs):
        """The model's own validation and the lock, reported together."""
        errors = {}
        for check in (lambda: super(Lockable, self).full_clean(*args, **kwargs), self.lock_check):
            try:
                check()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.lock_check(kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Checked before Django's collector opens its transaction; the pre_delete
        # receiver below refuses the rows a cascade reaches.
        if not bypassed():
            years = self._saved_lock_years()
            if years:
                raise locked_error(type(self), years)
        return super().delete(*args, **kwargs)


# -- deletes and many-to-many changes ------------------------------------------


class Undeletable:
    """A public record that is never deleted (plans, archived PDFs, frozen fees): the
    model names why in `undeletable_message`; its queryset takes
    UndeletableQuerySetMixin."""

    undeletable_message = "Allmänna handlingar raderas aldrig."

    def delete(self, *args, **kwargs):
        raise ValidationError(self.undeletable_message, code="undeletable")


class UndeletableQuerySetMixin:
    """For public records that are never deleted (plans, archived PDFs): the model
    names why in `undeletable_message`; a pre_delete receiver refuses the rest."""

    def delete(self):
        raise ValidationError(self.model.undeletable_message, code="undeletable")

    delete.queryset_only = True


def _refuse_locked_delete(sender, instance, **kwargs):
    if bypassed():
        return
    years = instance._saved_lock_years()
    if years:
        raise locked_error(sender, years)


def _refuse_delete(sender, instance, **kwargs):
    raise ValidationError(sender.undeletable_message, code="undeletable")


def _connect(sender, **kwargs):
    """Connects the delete receivers per model: receivers for a sender keep Django's
    fast deletes for every other model."""
    if sender._meta.abstract:
        return
    if issubclass(sender, Lockable):
        pre_delete.connect(_refuse_locked_delete, sender=sender, weak=False, dispatch_uid=f"lock-{sender._meta.label}")
    if getattr(sender, "undeletable_message", None):
        pre_delete.connect(_refuse_delete, sender=sender, weak=False, dispatch_uid=f"undeletable-{sender._meta.label}")


class_prepared.connect(_connect, weak=False, dispatch_uid="plans-lock-connect")


def _refuse_locked_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Responsible municipalities, networks, hosts… are part of what the plan shows."""
    if bypassed() or action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if not reverse:
        if isinstance(instance, Lockable) and (pk_set or action == "pre_clear"):
            years = instance._saved_lock_years()
            if years:
                raise locked_error(type(instance), years)
        return
    if not (isinstance(model, type) and issubclass(model, Lockable)):
        return
    if action == "pre_clear":
        source = next(f for f in sender._meta.concrete_fields if f.related_model is type(instance))
        target = next(f for f in sender._meta.concrete_fields if f.related_model is model and f is not source)
        pk_set = set(sender._base_manager.filter(**{source.attname: instance.pk}).values_list(target.attname, flat=True))
    if pk_set:
        years = locked_years(model._base_manager.filter(pk__in=pk_set))
        if years:
            raise locked_error(model, years)


m2m_changed.connect(_refuse_locked_m2m, weak=False, dispatch_uid="plans-lock-m2m")
