"""Database helpers shared by the apps.

Swedish sorts å, ä, ö after z (a … z å ä ö). PostgreSQL's default collation and
SQLite's binary order both get that wrong, so lists ordered by a name use
`swedish("name")`: the ICU collation on PostgreSQL, and on SQLite a collation of
the same name that this module registers on every new connection.
"""
import unicodedata

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

PG_COLLATION = "sv-SE-x-icu"
SQLITE_COLLATION = "swedish"

_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Letters that Swedish sorts as plain letters (é as e, ü as y, æ as ä, ø as ö).
_FOLD = {"é": "e", "è": "e", "ü": "y", "æ": "ä", "ø": "ö", "á": "a", "à": "a"}


def swedish_sort_key(text: str) -> tuple:
    key = []
    for ch in (text or "").lower():
        ch = _FOLD.get(ch, ch)
        if ch in _RANK:
            key.append((1, _RANK[ch], ""))
        elif ch.isdigit():
            key.append((0, int(ch), ""))
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            key.append((1, _RANK[base], "") if base in _RANK else (2, 0, ch))
    return tuple(key)


def _sqlite_swedish(a: str, b: str) -> int:
    ka, kb = swedish_sort_key(a), swedish_sort_key(b)
    return (ka > kb) - (ka < kb)


def _register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_swedish)


connection_created.connect(_register_sqlite_collation)


def swedish(field: str) -> Collate:
    """An ordering expression that sorts `field` in Swedish alphabetical order."""
    name = PG_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(F(field), name)
