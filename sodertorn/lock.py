"""The lock's ground floor: what lets a write through it.

A record that is decided or justerat (a plan, a meeting's minutes, a frozen fee)
never changes, on any path. The rule is enforced twice: in Python (the models'
save/delete, querysets and m2m receivers) and in the database (triggers), so that
raw SQL and forgotten managers are refused too.

`lock_bypass()` switches both off for the current thread and transaction. It exists
for the seed loader, which registers the plans decided before this system, for data
migrations and for flushing a test database: nothing else may use it. Reopening a
decided record is not a bypass: it is a recorded transition of its own.
"""
from __future__ import annotations

import contextlib
import threading

from django.db import DEFAULT_DB_ALIAS, transaction

_state = threading.local()

from .lock_sql import BYPASS_SQL, BYPASS_TABLE  # noqa: F401 (the database's side of the bypass)


@contextlib.contextmanager
def lock_bypass(reason: str = "seed", using: str = DEFAULT_DB_ALIAS):
    """Writes inside this block skip the lock, in Python and in the database. Only
    for the seed loader, data migrations and test flushes (see the module docstring)."""
    from django.apps import apps

    LockBypass = apps.get_model("sodertorn", "LockBypass")  # noqa: N806 (the registry is ready at any write)

    previous = getattr(_state, "bypass", False)
    _state.bypass = True
    try:
        with transaction.atomic(using=using):
            row = LockBypass.objects.using(using).create(reason=reason[:200])
            yield
            # On an exception the transaction rolls back, and the row with it.
            LockBypass.objects.using(using).filter(pk=row.pk).delete()
    finally:
        _state.bypass = previous


def bypassed() -> bool:
    return getattr(_state, "bypass", False)


# -- the lock in Python ---------------------------------------------------------
#
# A *lock owner* is a record whose state locks it and its parts: a decided plan, a
# justerat meeting. It is a `Lockable` model that says, as class attributes and
# methods, which state locks (`lock_state_q`), which field names the record in a
# message (`lock_key`, e.g. the plan's year), and how the refusal reads
# (`lock_error`). A *part* is a `Lockable` model with a `lock_path`: the lookup
# from the part to its owner ("area__plan"). A model may be a part of several
# owners (a calendar event is shown by a decided plan and is the date of a
# justerat meeting): an app above registers the further rule with `lock_also()`,
# so the model's own app need not know the owner's.
#
# Each check asks every rule of the model and raises the first owner's refusal.

from django.apps import apps as _apps  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.db import models  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.db.models.signals import class_prepared, m2m_changed, pre_delete, pre_save  # noqa: E402

from .locking import Versioned, VersionedQuerySet  # noqa: E402

ALWAYS_FREE = frozenset({"version"})  # optimistic locking's bookkeeping, raised by every save


class LockRule:
    """One way a model's rows are locked: by `owner` (a model label), through `path`
    (None: the row is the owner, or the model overrides the lookups)."""

    def __init__(self, owner: str, path: str | None, free_fields=(), noun: str | None = None, state: str | None = None):
        self.owner_label, self.path, self.free_fields, self.noun = owner, path, tuple(free_fields), noun
        self.state = state  # which of the owner's locked states, if it has several (None: its first)

    @property
    def owner(self):
        return _apps.get_model(self.owner_label)

    def is_own(self, model) -> bool:
        """Whether this is an owner's rule for its own rows (a plan, a meeting)."""
        return self.path is None and self.owner_label == model._meta.label

    def prefix(self) -> str:
        return f"{self.path}__" if self.path else ""

    def locked_q(self) -> Q:
        return self.owner.lock_state_q(self.prefix(), state=self.state)

    def state_sql(self, alias: str) -> str:
        return self.owner.lock_state_sql(alias, state=self.state)

    def key_lookup(self) -> str:
        return f"{self.prefix()}{self.owner.lock_key}"

    def keys_of(self, queryset) -> set:
        """The keys (plan years, meeting ids) of the locked owners of `queryset`'s rows (1 query)."""
        return set(queryset.filter(self.locked_q()).order_by().values_list(self.key_lookup(), flat=True).distinct())

    def keys_for(self, obj) -> set:
        """The keys of the locked owners `obj` would belong to with its unsaved
        values: follows the first step of the path by its id."""
        if not self.path:
            return set()
        first, _, rest = self.path.partition("__")
        field = obj._meta.get_field(first)
        if not field.concrete:  # a reverse relation (the event's meeting): a new row has none
            return set()
        target = getattr(obj, field.attname)
        if target is None:
            return set()
        owner = self.owner
        related = field.related_model
        prefix = f"{rest}__" if rest else ""
        return set(
            related._base_manager.filter(owner.lock_state_q(prefix, state=self.state), pk=target)
            .values_list(f"{prefix}{owner.lock_key}", flat=True)
        )


class LockHit:
    """Rows of `model` found locked by owners of `owner` with `keys`."""

    def __init__(self, model, rule: LockRule, keys: set):
        self.model, self.rule, self.keys = model, rule, keys

    def error(self) -> ValidationError:
        return self.rule.owner.lock_error(self.model, self.rule, self.keys)


_extra_rules: dict[str, list[LockRule]] = {}


def lock_also(model_label: str, rule: LockRule) -> None:
    """Adds a rule to a model of another app (called at import of the owner's models)."""
    _extra_rules.setdefault(model_label, []).append(rule)


def lock_hit(queryset) -> LockHit | None:
    """The first owner that locks rows of `queryset`, if any."""
    model = queryset.model
    for rule in model.lock_rules():
        keys = model.lock_keys_of(rule, queryset)
        if keys:
            return LockHit(model, rule, keys)
    return None


def locked_error(model, keys, rule: LockRule | None = None) -> ValidationError:
    """The refusal for rows of `model` locked by the owners with `keys` (its first rule by default)."""
    rule = rule or model.lock_rules()[0]
    return rule.owner.lock_error(model, rule, keys)


@contextlib.contextmanager
def database_lock_as_validation_error():
    """The database's refusal (sodertorn/lock_sql.py) as the Swedish ValidationError
    the Python side raises, for paths the Python checks did not see."""
    from django.db import IntegrityError

    try:
        yield
    except IntegrityError as exc:
        if "databasens spärr" in str(exc):
            raise ValidationError(str(exc).splitlines()[0], code="locked") from exc
        raise


class LockedQuerySet(VersionedQuerySet):
    """Bulk writes that refuse to touch a locked row."""

    def _refuse_if_locked(self, queryset=None):
        hit = lock_hit(self if queryset is None else queryset)
        if hit:
            raise hit.error()

    def update(self, **kwargs):
        if bypassed() or set(kwargs) <= self.model.free_fields():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            self._refuse_if_locked()
            self._refuse_move_in(kwargs)
            pks = list(self.values_list("pk", flat=True))
            with database_lock_as_validation_error():
                count = super().update(**kwargs)
            # Moved into a locked owner by the update? Checked after the write, inside
            # the transaction, so that expressions (F(), subqueries) count too.
            self._refuse_if_locked(self.model._base_manager.using(self.db).filter(pk__in=pks))
            return count

    update.queryset_only = True

    def _refuse_move_in(self, kwargs):
        """An update that sets a part's owner to a locked one, said before the write
        (the database would refuse it too, with a shorter message)."""
        values = {}
        for name, value in kwargs.items():
            if hasattr(value, "resolve_expression"):
                continue
            try:
                field = self.model._meta.get_field(name)
            except Exception:
                continue
            if field.concrete:
                values[field.attname] = getattr(value, "pk", value)
        if values:
            self.model(**values).lock_check_new()

    def delete(self):
        if not bypassed():
            self._refuse_if_locked()
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not bypassed():
            for obj in objs:
                obj.lock_check_new()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not bypassed() and not set(fields) <= self.model.free_fields():
            self._refuse_if_locked(self.model._base_manager.using(self.db).filter(pk__in=[o.pk for o in objs]))
            for obj in objs:
                obj.lock_check_new()
        return super().bulk_update(objs, fields, *args, **kwargs)


class LockedManager(models.Manager.from_queryset(LockedQuerySet)):
    pass


class Lockable(Versioned):
    """A row that a locked owner's state freezes (see the comment above). Every
    such row is edited in forms, so it is also `Versioned` (sodertorn/locking.py).
    The model's `objects` is also its base manager (`_base_manager`), so that
    Django-internal and "forgotten" manager paths are refused too."""

    lock_owner: str = ""  # the owner's model label, e.g. "plans.WorkPlan"
    lock_path: str | None = None  # the lookup from this model to its owner
    lock_free_fields: tuple[str, ...] = ()  # fields that stay editable in a locked owner
    lock_noun: str | None = None  # the rows in the message, if not "<verbose_name_plural> i den"
    lock_state: str | None = None  # which of the owner's locked states locks this model (None: its first)

    objects = LockedManager()

    class Meta:
        abstract = True

    # -- how a model finds its owners ---------------------------------------

    @classmethod
    def lock_rules(cls) -> list[LockRule]:
        own = LockRule(cls.lock_owner or cls._meta.label, cls.lock_path, cls.lock_free_fields, cls.lock_noun, cls.lock_state)
        return [own, *_extra_rules.get(cls._meta.label, ())]

    @classmethod
    def lock_keys_of(cls, rule: LockRule, queryset) -> set:
        """The keys of `rule`'s locked owners of `queryset`'s rows. Models found
        otherwise than by a lookup (the chairs by year, the host rotations by the
        ranges plans print) override it for their own rule."""
        return rule.keys_of(queryset)

    def lock_keys_for(self, rule: LockRule) -> set:
        """The keys of `rule`'s locked owners this row would belong to with its unsaved values."""
        return rule.keys_for(self)

    # -- the same rules in SQL (sodertorn/lock_sql.py) --------------------------------

    @classmethod
    def lock_row_sql(cls, rule: LockRule, row: str) -> str | None:
        """SQL true when `row` (NEW, OLD, an alias) is locked by `rule`. Models found
        otherwise than by a lookup override it (None: Python alone keeps the rule)."""
        from .lock_sql import path_locked_sql

        if rule.path:
            return path_locked_sql(cls, rule.path, rule.state_sql, row)
        if rule.is_own(cls):
            return rule.state_sql(row)
        return None

    @classmethod
    def lock_transition_sql(cls, vendor: str) -> str | None:
        """An owner's recorded way out of its locked state, in SQL (NEW and OLD)."""
        return None

    @classmethod
    def lock_sql_message(cls) -> str:
        owners = dict.fromkeys(rule.owner for rule in cls.lock_rules())
        return " ".join(owner.lock_db_message for owner in owners)

    @classmethod
    def free_fields(cls, rule: LockRule | None = None) -> set:
        rules = [rule] if rule else cls.lock_rules()
        # A field is free only if every owner leaves it free.
        free = set.intersection(*(set(r.free_fields) for r in rules)) if rules else set()
        return free | ALWAYS_FREE

    # -- checks ----------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        """Whether the saved row belongs to a locked owner."""
        return self._saved_lock_hit() is not None

    def _saved_lock_hit(self) -> LockHit | None:
        if self.pk is None or self._state.adding:
            return None
        return lock_hit(type(self)._base_manager.filter(pk=self.pk))

    def _saved_lock_years(self) -> set:  # kept for callers that name the plan's years
        hit = self._saved_lock_hit()
        return hit.keys if hit else set()

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

    def lock_check_new(self) -> None:
        """Refuses a row that its unsaved values put into a locked owner."""
        for rule in self.lock_rules():
            keys = self.lock_keys_for(rule)
            if keys:
                raise rule.owner.lock_error(type(self), rule, keys)

    def lock_check(self, update_fields=None) -> None:
        """Raises the Swedish ValidationError if saving this row now would change,
        add to or move into or out of a locked owner."""
        if bypassed():
            return
        hit = self._saved_lock_hit()
        if hit:
            changed = set(self._changed_fields(update_fields)) - self.free_fields(hit.rule)
            if changed:
                raise hit.error()
            return
        self.lock_check_new()

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
            hit = self._saved_lock_hit()
            if hit:
                raise hit.error()
        return super().delete(*args, **kwargs)


# -- records never deleted --------------------------------------------------------


class Undeletable:
    """A public record that is never deleted (plans, archived PDFs, frozen fees): the
    model names why in `undeletable_message`; its queryset takes
    UndeletableQuerySetMixin."""

    undeletable_message = "Allmänna handlingar raderas aldrig."

    def delete(self, *args, **kwargs):
        raise ValidationError(self.undeletable_message, code="undeletable")


class UndeletableQuerySetMixin:
    def delete(self):
        raise ValidationError(self.model.undeletable_message, code="undeletable")

    delete.queryset_only = True


# -- deletes, many-to-many changes, the base manager ------------------------------------


def _refuse_locked_delete(sender, instance, **kwargs):
    if bypassed():
        return
    hit = instance._saved_lock_hit()
    if hit:
        raise hit.error()


def _refuse_delete(sender, instance, **kwargs):
    raise ValidationError(sender.undeletable_message, code="undeletable")


def _lockable_sides(through):
    return [f for f in through._meta.concrete_fields if f.is_relation and issubclass(f.related_model, Lockable)]


def _refuse_locked_through_row(sender, instance, **kwargs):
    """A row of an m2m through table written as a model of its own
    (`Activity.responsible_networks.through.objects.create(…)`), not through the
    relation's manager: refused when its lockable side is locked."""
    if bypassed():
        return
    for field in _lockable_sides(sender):
        pks = {getattr(instance, field.attname)}
        if instance.pk is not None and not instance._state.adding:
            pks |= set(sender._base_manager.filter(pk=instance.pk).values_list(field.attname, flat=True))
        hit = lock_hit(field.related_model._base_manager.filter(pk__in=pks - {None}))
        if hit:
            raise hit.error()


def _connect(sender, **kwargs):
    """Per model: the delete receivers (receivers for a sender keep Django's fast
    deletes for every other model), and `objects` as the base manager."""
    if sender._meta.abstract or sender.__module__ == "__fake__":  # "__fake__": migrations' historical models
        return
    if issubclass(sender, Lockable):
        pre_delete.connect(_refuse_locked_delete, sender=sender, weak=False, dispatch_uid=f"lock-{sender._meta.label}")
        if sender._meta.base_manager_name is None:
            sender._meta.base_manager_name = "objects"
    if sender._meta.auto_created:  # an m2m through table: its sides may not be prepared yet
        def through_receivers(model=sender):
            if _lockable_sides(model):
                uid = f"lock-through-{model._meta.label}"
                pre_save.connect(_refuse_locked_through_row, sender=model, weak=False, dispatch_uid=uid)
                pre_delete.connect(_refuse_locked_through_row, sender=model, weak=False, dispatch_uid=uid)
        _pending_through.append(through_receivers)
    if getattr(sender, "undeletable_message", None):
        pre_delete.connect(_refuse_delete, sender=sender, weak=False, dispatch_uid=f"undeletable-{sender._meta.label}")


_pending_through: list = []


def connect_through_tables() -> None:
    """Called when the app registry is ready (SodertornConfig.ready): every model, and
    so both sides of every through table, is known then."""
    while _pending_through:
        _pending_through.pop()()


class_prepared.connect(_connect, weak=False, dispatch_uid="sodertorn-lock-connect")


def _refuse_locked_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Responsible municipalities, networks, hosts, an ärende's goals… are part of what the owner shows."""
    if bypassed() or action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if not reverse:
        if isinstance(instance, Lockable) and (pk_set or action == "pre_clear"):
            hit = instance._saved_lock_hit()
            if hit:
                raise hit.error()
        return
    if not (isinstance(model, type) and issubclass(model, Lockable)):
        return
    if action == "pre_clear":
        source = next(f for f in sender._meta.concrete_fields if f.related_model is type(instance))
        target = next(f for f in sender._meta.concrete_fields if f.related_model is model and f is not source)
        pk_set = set(sender._base_manager.filter(**{source.attname: instance.pk}).values_list(target.attname, flat=True))
    if pk_set:
        hit = lock_hit(model._base_manager.filter(pk__in=pk_set))
        if hit:
            raise hit.error()


m2m_changed.connect(_refuse_locked_m2m, weak=False, dispatch_uid="sodertorn-lock-m2m")
