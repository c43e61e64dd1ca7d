"""The names a decided or justerat document printed, kept with it.

A decided plan's and a justerat meeting's own rows are locked (sodertorn/lock.py),
but the registers they name are shared and stay editable: a person, a municipality,
a body, a network, a programme goal. Renamed afterwards, the page and a new
rendering of the PDF would print the new name in a document that was decided with
the old one. So when the document is decided, its builder's context is read for the
names it shows (`printed_names_take`), the result is stored in the owner's own row
(locked with it), and every later build of the document puts those names back on
the freshly fetched instances (`printed_names_apply`), in memory, never saved.

The format is plain JSON, so that it can live in a JSONField:

    {"version": 1, "names": {"plans.Person": {"12": {"name": "Anna Ek", "title": "…"}}}}

Keys of "names" are model labels and primary keys as text (JSON objects have text
keys); only the fields asked for are kept. Both functions walk the context the
builder made (dicts, lists, evaluated querysets, model instances and the relations
already cached on them) and never query: applying a snapshot costs no query per row.
This module names no model: the callers say which (model label, fields) to keep.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence

from django.db import models

VERSION = 1


def instances_in(*roots) -> Iterator[models.Model]:
    """Every model instance reachable from `roots` without a query: containers,
    evaluated querysets, and on each instance its cached relations (select_related,
    fetched foreign keys, reverse one-to-ones) and prefetched sets."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, (str, bytes, int, float)):
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, models.Model):
            yield item
            stack.extend(item._state.fields_cache.values())
            for cached in getattr(item, "_prefetched_objects_cache", {}).values():
                stack.append(cached)
        elif isinstance(item, models.QuerySet):
            if item._result_cache is not None:  # an unevaluated queryset is never run here
                stack.extend(item._result_cache)
        elif isinstance(item, dict):  # keys too: a body as the key of its chairs
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))


def _wanted(fields: Sequence[tuple[str, Sequence[str]]]) -> dict[str, tuple[str, ...]]:
    return {label: tuple(names) for label, names in fields}


def printed_names_take(context, fields: Sequence[tuple[str, Sequence[str]]]) -> dict:
    """The snapshot of the names `context` (a document builder's result) shows:
    for each (model label, field names) in `fields`, the fields' values on every
    instance of that model found in the context."""
    wanted = _wanted(fields)
    names: dict[str, dict[str, dict]] = {}
    for obj in instances_in(context):
        label = obj._meta.label
        if label in wanted and obj.pk is not None:
            names.setdefault(label, {})[str(obj.pk)] = {name: getattr(obj, name) for name in wanted[label]}
    return {"version": VERSION, "names": names}


def printed_names_apply(snapshot: dict | None, context) -> None:
    """Puts the snapshot's names on the instances in `context` (in memory, never
    saved). An empty snapshot (a draft, an unjusterat meeting, a record from before
    snapshots) changes nothing; instances the snapshot does not know keep theirs."""
    if not snapshot:
        return
    if snapshot.get("version") != VERSION:
        raise ValueError(f"Okänd version av sparade namn: {snapshot.get('version')!r}.")
    names = snapshot.get("names", {})
    if not names:
        return
    for obj in instances_in(context):
        values = names.get(obj._meta.label, {}).get(str(obj.pk))
        if values:
            for name, value in values.items():
                setattr(obj, name, value)


def printed_value(snapshot: dict | None, label: str, pk, name: str, default):
    """One printed value, for code that reads names without instances (a list of
    values): `default` when the snapshot does not have it."""
    if not snapshot:
        return default
    return snapshot.get("names", {}).get(label, {}).get(str(pk), {}).get(name, default)


def printed_pks(snapshot: dict | None, label: str) -> Iterable[str] | None:
    """The primary keys (as text) of `label` the snapshot knows, None without a snapshot."""
    if not snapshot:
        return None
    return snapshot.get("names", {}).get(label, {}).keys()
