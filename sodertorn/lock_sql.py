"""The lock in the database: triggers made from the models' lock rules.

What no Python path may change is also refused by the database, so that raw SQL,
psql and a forgotten manager are refused too. For every lockable model this
module writes, from the same rules the Python side uses (sodertorn/lock.py),
triggers that refuse an INSERT, UPDATE or DELETE of a row whose owner is locked
(a decided plan, a justerat meeting), unless a `lock_bypass()` row is visible to
the writing transaction. They are (re)made after every `migrate`
(`install_lock_triggers`, a post_migrate receiver), on PostgreSQL as PL/pgSQL
trigger functions, on SQLite as plain triggers, so they always match the code.

This module imports no model at import time: the SQLite backend imports it.
"""
BYPASS_TABLE = "sodertorn_lockbypass"
# The SQL condition with which a trigger lets a bypassed write through.
BYPASS_SQL = f"EXISTS (SELECT 1 FROM {BYPASS_TABLE})"

import hashlib

PREFIX = "sodertorn_lock_"


def _name(table: str, suffix: str = "") -> str:
    name = f"{PREFIX}{table}{suffix}"
    if len(name) > 60:  # PostgreSQL's identifiers end at 63 bytes
        name = f"{PREFIX}{hashlib.sha1(name.encode()).hexdigest()[:16]}{suffix}"
    return name


def quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def distinct(vendor: str, a: str, b: str) -> str:
    """Null-safe "differs": `IS DISTINCT FROM` on PostgreSQL, `IS NOT` on SQLite."""
    return f"({a} IS DISTINCT FROM {b})" if vendor == "postgresql" else f"({a} IS NOT {b})"


def path_locked_sql(model, path: str, state_sql, row: str) -> str:
    """SQL that is true when the owner reached from `row` (a row of `model`, e.g.
    NEW) through the lookup `path` is in the locked state; `state_sql(alias)` is
    the owner's condition on its own table."""
    current, ref_alias, ref_model = model, row, model
    tables, conditions = [], []
    for i, segment in enumerate(path.split("__")):
        field = current._meta.get_field(segment)
        target = field.related_model
        alias = f"l{i}"
        if field.concrete:  # forward foreign key or one-to-one
            cond = f"{alias}.{target._meta.pk.column} = {ref_alias}.{field.column}"
        else:  # a reverse relation: the other table points here
            remote = field.remote_field
            cond = f"{alias}.{remote.column} = {ref_alias}.{ref_model._meta.pk.column}"
        tables.append(f"{target._meta.db_table} {alias}")
        conditions.append(cond)
        current, ref_alias, ref_model = target, alias, target
    return f"EXISTS (SELECT 1 FROM {', '.join(tables)} WHERE {' AND '.join(conditions)} AND ({state_sql(ref_alias)}))"


def row_locked_sql(model, row: str, parts_only: bool = False) -> str | None:
    """SQL that is true when `row` (NEW, OLD or an alias of `model`'s table) is
    locked by any of the model's rules; None when no rule can be said in SQL.
    `parts_only`: without the owner's own state (a plan may become decided)."""
    parts = []
    for rule in model.lock_rules():
        if parts_only and rule.is_own(model):
            continue
        sql = model.lock_row_sql(rule, row)
        if sql:
            parts.append(f"({sql})")
    return " OR ".join(parts) or None


def changed_sql(vendor: str, model, free: set) -> str:
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key and f.name not in free]
    return " OR ".join(distinct(vendor, f"OLD.{c}", f"NEW.{c}") for c in columns) or "0 = 1"


def model_rules_sql(vendor: str, model):
    """(insert, update, delete) conditions refusing writes of `model`'s rows."""
    locked_new, locked_old = row_locked_sql(model, "NEW", parts_only=True), row_locked_sql(model, "OLD")
    if locked_old is None:
        return None
    locked_new = locked_new or "0 = 1"
    changed = changed_sql(vendor, model, model.free_fields())
    update = f"({changed}) AND (({locked_old}) OR ({locked_new}))"
    allowed = model.lock_transition_sql(vendor)  # an owner's recorded way out, if it has one
    if allowed:
        update = f"({update}) AND NOT ({allowed})"
    return locked_new, update, locked_old


def through_rules_sql(vendor: str, through, sides):
    """(insert, update, delete) conditions for an m2m through table with lockable sides."""
    def side_locked(row):
        parts = []
        for field in sides:
            target = field.related_model
            sql = row_locked_sql(target, "x")
            if sql:
                parts.append(
                    f"EXISTS (SELECT 1 FROM {target._meta.db_table} x "
                    f"WHERE x.{target._meta.pk.column} = {row}.{field.column} AND ({sql}))"
                )
        return " OR ".join(parts) or None
    new, old = side_locked("NEW"), side_locked("OLD")
    if old is None:
        return None
    return new, f"({old}) OR ({new})", old


def _pg_sql(table: str, message: str, insert: str, update: str, delete: str) -> list[str]:
    function = _name(table)
    raise_ = f"RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = {quote(message)};"
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF {BYPASS_SQL} THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF {insert} THEN {raise_} END IF;
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF {update} THEN {raise_} END IF;
    RETURN NEW;
  END IF;
  IF {delete} THEN {raise_} END IF;
  RETURN OLD;
END
$body$""",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _sqlite_sql(table: str, message: str, insert: str, update: str, delete: str) -> list[str]:
    statements = []
    for op, condition in (("INSERT", insert), ("UPDATE", update), ("DELETE", delete)):
        name = _name(table, f"_{op.lower()}")
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW "
            f"WHEN NOT {BYPASS_SQL} AND ({condition}) "
            f"BEGIN SELECT RAISE(ABORT, {quote(message)}); END",
        ]
    return statements


def lock_trigger_sql(vendor: str) -> list[str]:
    """Every statement that (re)makes the lock's triggers for the current models."""
    from django.apps import apps

    def lockable(model) -> bool:  # a sodertorn.lock.Lockable (not imported: lock imports this module)
        return hasattr(model, "lock_rules") and not model._meta.abstract

    statements = []
    done = set()
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in done or model._meta.proxy or not model._meta.managed:
            continue
        if lockable(model):
            rules = model_rules_sql(vendor, model)
            message = model.lock_sql_message()
        elif model._meta.auto_created:
            sides = [f for f in model._meta.concrete_fields if f.is_relation and lockable(f.related_model)]
            rules = through_rules_sql(vendor, model, sides) if sides else None
            message = sides[0].related_model.lock_sql_message() if sides else ""
        else:
            continue
        if rules is None:
            continue
        done.add(table)
        make = _pg_sql if vendor == "postgresql" else _sqlite_sql
        statements += make(table, message, *rules)
    return statements


def install_lock_triggers(using: str = "default", **kwargs) -> None:
    """post_migrate: (re)makes the triggers, so that they always follow the code."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        for statement in lock_trigger_sql(connection.vendor):
            cursor.execute(statement)
