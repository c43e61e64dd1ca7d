"""Archives: write-once rows in a hash chain.

An archive (a decided plan's PDF, justerade minutes, frozen fees) is written once
and never changed or deleted. The rule is enforced three times:

1. In Python: `WriteOnceModel` saves only new rows, and its queryset (the default
   and the base manager) refuses update(), delete(), bulk_update() and upserts.
2. In the database: on PostgreSQL a pgtrigger `Protect` trigger (UPDATE, DELETE)
   declared in the model's Meta and created by its migration; on SQLite the same as
   plain triggers (`SQLiteWriteOnceTriggers` in the migration, restored after every
   `migrate`, since SQLite drops a table's triggers when Django rebuilds the table).
   SQLite's triggers let a flush through (see sodertorn/db_backends/sqlite3).
3. A hash chain over every archive (`ArchiveLink`): each `ChainedArchive` row is
   appended, in the transaction that writes it, as a link holding its fields (the
   file as its SHA-256) and the hash of the link before it. A row rewritten past
   the triggers (a superuser who disables them) no longer matches its link, and a
   rewritten link breaks every hash after it: `verify_archives` finds both.

The chain proves the rows against each other; an attacker who rewrites a row, its
link and every later link in one go is found only by comparing the head hash that
`verify_archives` prints with one noted elsewhere.

This module names no domain model: an archive is any subclass of ChainedArchive.
"""
from __future__ import annotations

import dataclasses
import datetime
import decimal
import hashlib
import json

import pgtrigger
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.migrations.operations.base import Operation

from .lock_sql import BYPASS_SQL

GENESIS_HASH = "0" * 64
WRITE_ONCE_MESSAGE = "Arkiverade handlingar ändras och raderas aldrig."


def write_once_error(model) -> ValidationError:
    return ValidationError(getattr(model, "write_once_message", WRITE_ONCE_MESSAGE), code="write_once")


class WriteOnceProtect(pgtrigger.Protect):
    """pgtrigger's Protect with the refusal in Swedish."""

    def get_func(self, model):
        return self.format_sql(
            "RAISE EXCEPTION 'Arkiverade handlingar ändras och raderas aldrig (% i tabellen %).', "
            "TG_OP, TG_TABLE_NAME;"
        )


def write_once_triggers() -> list:
    return [WriteOnceProtect(name="write_once", operation=pgtrigger.Update | pgtrigger.Delete)]


class WriteOnceQuerySet(models.QuerySet):
    """Reads and inserts only."""

    def update(self, **kwargs):
        raise write_once_error(self.model)

    def _update(self, values):
        # Model.save() of an existing row lands here (through _base_manager); a raw
        # save of a new row (loaddata) finds nothing to update and inserts.
        if self.exists():
            raise write_once_error(self.model)
        return 0

    def delete(self):
        raise write_once_error(self.model)

    delete.queryset_only = True

    def _raw_delete(self, using):
        raise write_once_error(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise write_once_error(self.model)

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):
            raise write_once_error(self.model)
        if issubclass(self.model, ChainedArchive):
            # Each archive is appended to the chain in its own save().
            if kwargs.get("ignore_conflicts"):
                raise ValueError("Arkiv i arkivkedjan kan inte skapas med ignore_conflicts.")
            objs = list(objs)
            with transaction.atomic(using=self.db):
                for obj in objs:
                    obj.save(using=self.db)
            return objs
        return super().bulk_create(objs, *args, **kwargs)


class WriteOnceModel(models.Model):
    """A row that is inserted once and never updated or deleted, on any path.

    Subclasses keep these Meta options by declaring `class Meta(WriteOnceModel.Meta)`;
    a system check (sodertorn.E001) refuses a subclass that does not."""

    write_once_message = WRITE_ONCE_MESSAGE
    objects = WriteOnceQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "objects"
        triggers = write_once_triggers()

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise write_once_error(type(self))
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if self.pk is not None and type(self)._base_manager.using(using).filter(pk=self.pk).exists():
            raise write_once_error(type(self))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise write_once_error(type(self))

    delete.alters_data = True


class ChainedArchive(WriteOnceModel):
    """An archive: write-once, and appended to the archive chain when saved.

    `archive_file_field` names the BinaryField holding the archived file (its
    SHA-256 sits in the field `sha256`); `archive_subject_fields` the fields that
    say what the archive is of (`archive_was_made` looks archives up by them, also
    after their row has gone)."""

    archive_file_field: str | None = "pdf"
    archive_subject_fields: tuple[str, ...] = ()

    class Meta(WriteOnceModel.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            archive_chain_append(self, using=using)

    save.alters_data = True


# -- the chain -----------------------------------------------------------------


def _plain(value):
    """A field's value as JSON, the same whether read from SQLite or PostgreSQL."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (bytes, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, dict)):
        return value
    return str(value)


def _binary_attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]


def record_of(model, values: dict) -> dict:
    """What a link fixes of an archive row: every concrete field but the primary
    key, files as their SHA-256."""
    return {
        f.attname: _plain(values[f.attname])
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname in values
    }


def record_text(record: dict) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def subject_of(values: dict, subject_fields) -> str:
    return ":".join("" if values[name] is None else str(_plain(values[name])) for name in subject_fields)


def link_hash(*, previous_hash: str, seq: int, label: str, object_pk: int, subject: str,
              file_sha256: str, record: str) -> str:
    payload = json.dumps([seq, label, object_pk, subject, file_sha256, record], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256((previous_hash + payload).encode()).hexdigest()


def _row_values(model, pk, using: str, *, with_files: bool) -> dict:
    names = [f.attname for f in model._meta.concrete_fields]
    if not with_files:
        names = [n for n in names if n not in _binary_attnames(model)]
    return model._base_manager.using(using).filter(pk=pk).values(*names).get()


def append_link(*, link_model, lock_model, using: str, model, values: dict, file_field: str | None,
                subject_fields) -> None:
    """Appends one archive row (its `values`, files included) to the chain.

    Appends are serialised by a row lock on the chain's one lock row, taken before
    the head is read, so two decisions at once never fork the chain (on SQLite the
    transaction already holds the database's write lock)."""
    lock_model._base_manager.using(using).bulk_create([lock_model(pk=1)], ignore_conflicts=True)
    lock_model._base_manager.using(using).select_for_update().get(pk=1)
    head = link_model._base_manager.using(using).order_by("-seq").values("seq", "hash").first()
    seq, previous = (head["seq"] + 1, head["hash"]) if head else (1, GENESIS_HASH)
    file = values.get(file_field) if file_field else None
    fields = {
        "seq": seq,
        "label": model._meta.label_lower,
        "object_pk": values[model._meta.pk.attname],
        "subject": subject_of(values, subject_fields),
        "file_sha256": hashlib.sha256(bytes(file)).hexdigest() if file is not None else "",
        "record": record_text(record_of(model, values)),
    }
    link_model.objects.using(using).create(**fields, previous_hash=previous, hash=link_hash(previous_hash=previous, **fields))


def archive_chain_append(instance: ChainedArchive, *, using: str) -> None:
    """Appends a just-inserted archive row to the chain, as the database holds it."""
    model = type(instance)
    values = _row_values(model, instance.pk, using, with_files=False)
    for name in _binary_attnames(model):
        values[name] = getattr(instance, name)  # the bytes just inserted: no need to read them back
    append_link(
        link_model=global_apps.get_model("sodertorn", "ArchiveLink"),
        lock_model=global_apps.get_model("sodertorn", "ArchiveChainLock"),
        using=using, model=model, values=values, file_field=model.archive_file_field,
        subject_fields=model.archive_subject_fields,
    )


def archive_was_made(model, **subject) -> bool:
    """Whether the chain has a link for an archive of `model` with these subject
    values (in the order of `archive_subject_fields`), even if its row is gone."""
    key = subject_of(subject, model.archive_subject_fields)
    return global_apps.get_model("sodertorn", "ArchiveLink").objects.filter(
        label=model._meta.label_lower, subject=key
    ).exists()


def chain_existing(*specs):
    """A migration operation that appends the existing rows of archive models to
    the chain, in the order given: specs are (app_label, model_name, order_by,
    file_field, subject_fields). Rows already in the chain are skipped."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        using = schema_editor.connection.alias
        link_model = apps.get_model("sodertorn", "ArchiveLink")
        lock_model = apps.get_model("sodertorn", "ArchiveChainLock")
        for app_label, model_name, order_by, file_field, subject_fields in specs:
            model = apps.get_model(app_label, model_name)
            label = model._meta.label_lower
            linked = set(link_model.objects.using(using).filter(label=label).values_list("object_pk", flat=True))
            names = [f.attname for f in model._meta.concrete_fields]
            for values in model._base_manager.using(using).order_by(*order_by).values(*names).iterator():
                if values[model._meta.pk.attname] not in linked:
                    append_link(link_model=link_model, lock_model=lock_model, using=using, model=model,
                                values=values, file_field=file_field, subject_fields=subject_fields)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)


# -- SQLite triggers -----------------------------------------------------------


def sqlite_trigger_sql(table: str) -> list[str]:
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_write_once_{op.lower()}" BEFORE {op} ON "{table}" '
        f"WHEN NOT {BYPASS_SQL} "
        f"BEGIN SELECT RAISE(ABORT, 'Arkiverade handlingar ändras och raderas aldrig ({op} i tabellen {table}).'); END"
        for op in ("UPDATE", "DELETE")
    ]


def sqlite_drop_trigger_sql(table: str) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{table}_write_once_{op}"' for op in ("update", "delete")]


class SQLiteWriteOnceTriggers(Operation):
    """The write-once triggers of a model's table on SQLite (a no-op elsewhere:
    PostgreSQL has the model's pgtrigger triggers)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str):
        self.model_name = model_name

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label, state):
        pass

    def _run(self, app_label, schema_editor, state, sql):
        if schema_editor.connection.vendor != "sqlite":
            return
        table = state.apps.get_model(app_label, self.model_name)._meta.db_table
        for statement in sql(table):
            schema_editor.execute(statement)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, to_state, sqlite_trigger_sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, from_state, sqlite_drop_trigger_sql)

    def describe(self):
        return f"SQLite-triggers som gör {self.model_name} skrivskyddad"


def write_once_models() -> list:
    return [m for m in global_apps.get_models() if issubclass(m, WriteOnceModel)]


def sqlite_triggers_restore(using: str = "default", **kwargs) -> None:
    """post_migrate: Django rebuilds an SQLite table for many schema changes and the
    table's triggers go with it; put back any that are missing."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in write_once_models():
            if model._meta.db_table in tables:
                for statement in sqlite_trigger_sql(model._meta.db_table):
                    cursor.execute(statement)


def refuse_delete(sender, instance, **kwargs):
    """pre_delete: the deletes that reach no model's delete() (cascades, collectors)."""
    raise write_once_error(sender)


def check_write_once_models(app_configs=None, **kwargs):
    """sodertorn.E001: a write-once model that lost its Meta (its triggers, or the
    refusing base manager) because its Meta does not extend WriteOnceModel.Meta."""
    from django.core import checks

    errors = []
    for model in write_once_models():
        triggers = getattr(model._meta, "triggers", [])
        if not (
            issubclass(model._base_manager._queryset_class, WriteOnceQuerySet)
            and issubclass(model._default_manager._queryset_class, WriteOnceQuerySet)
            and any(isinstance(t, WriteOnceProtect) for t in triggers)
        ):
            errors.append(checks.Error(
                f"{model._meta.label} skyddas inte som arkiv: dess Meta ska ärva WriteOnceModel.Meta "
                "(triggers och base_manager_name).",
                obj=model, id="sodertorn.E001",
            ))
    return errors


# -- verification --------------------------------------------------------------


@dataclasses.dataclass
class Mismatch:
    label: str
    pk: int | None
    message: str

    def __str__(self):
        where = f"{self.label} {self.pk}" if self.pk is not None else self.label
        return f"{where}: {self.message}"


@dataclasses.dataclass
class Verification:
    links: int = 0
    head_hash: str = GENESIS_HASH
    rows: dict = dataclasses.field(default_factory=dict)  # label -> rows checked
    mismatches: list = dataclasses.field(default_factory=list)


def verify_archives(using: str = "default") -> Verification:
    """Recomputes every archived file's SHA-256 against its row, every row against
    its link, and every link's hash from the one before it."""
    link_model = global_apps.get_model("sodertorn", "ArchiveLink")
    result = Verification()
    problems = result.mismatches
    links_by_row = {}
    previous, expected_seq = GENESIS_HASH, 1
    for link in link_model._base_manager.using(using).order_by("seq").iterator():
        result.links += 1
        where = link_model._meta.label_lower
        if link.seq != expected_seq:
            problems.append(Mismatch(where, link.pk, f"länk nr {link.seq} där nr {expected_seq} väntades (länkar saknas)"))
        if link.previous_hash != previous:
            problems.append(Mismatch(where, link.pk, f"länk nr {link.seq}: föregående hash {link.previous_hash[:12]}… "
                                                     f"är inte föregående länks {previous[:12]}…"))
        computed = link_hash(previous_hash=link.previous_hash, seq=link.seq, label=link.label,
                             object_pk=link.object_pk, subject=link.subject, file_sha256=link.file_sha256,
                             record=link.record)
        if computed != link.hash:
            problems.append(Mismatch(where, link.pk, f"länk nr {link.seq}: hashen stämmer inte med länkens innehåll"))
        links_by_row[(link.label, link.object_pk)] = link
        previous, expected_seq = link.hash, link.seq + 1
    result.head_hash = previous

    for model in write_once_models():
        if not issubclass(model, ChainedArchive):
            continue
        label = model._meta.label_lower
        seen = set()
        count = 0
        names = [f.attname for f in model._meta.concrete_fields]
        for values in model._base_manager.using(using).order_by("pk").values(*names).iterator(chunk_size=20):
            count += 1
            pk = values[model._meta.pk.attname]
            seen.add(pk)
            file = values.get(model.archive_file_field) if model.archive_file_field else None
            if file is not None and "sha256" in values:
                actual = hashlib.sha256(bytes(file)).hexdigest()
                if actual != values["sha256"]:
                    problems.append(Mismatch(label, pk, f"filens SHA-256 är {actual}, raden anger {values['sha256']}"))
            link = links_by_row.get((label, pk))
            if link is None:
                problems.append(Mismatch(label, pk, "arkivet saknas i arkivkedjan (infört utanför systemet?)"))
                continue
            recorded = json.loads(link.record)
            current = record_of(model, values)
            changed = [name for name in recorded if current.get(name, "<saknas>") != recorded[name]]
            if changed:
                verbose = {f.attname: f"{f.verbose_name} ({f.attname})" for f in model._meta.concrete_fields}
                problems.append(Mismatch(label, pk, "ändrat sedan arkiveringen: " + ", ".join(verbose.get(n, n) for n in changed)))
            if link.file_sha256 and file is not None and hashlib.sha256(bytes(file)).hexdigest() != link.file_sha256:
                if model.archive_file_field not in changed:
                    problems.append(Mismatch(label, pk, "filen är inte den som arkiverades"))
        result.rows[model._meta.verbose_name_plural] = count
        for (link_label, pk), link in links_by_row.items():
            if link_label == label and pk not in seen:
                problems.append(Mismatch(label, pk, f"arkivet i länk nr {link.seq} finns inte längre (raderat)"))
    return result
