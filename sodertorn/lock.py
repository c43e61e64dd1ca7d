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

BYPASS_TABLE = "sodertorn_lockbypass"
# The SQL condition with which a trigger lets a bypassed write through.
BYPASS_SQL = f"EXISTS (SELECT 1 FROM {BYPASS_TABLE})"


@contextlib.contextmanager
def lock_bypass(reason: str = "seed", using: str = DEFAULT_DB_ALIAS):
    """Writes inside this block skip the lock, in Python and in the database. Only
    for the seed loader, data migrations and test flushes (see the module docstring)."""
    from .models import LockBypass  # the app registry is ready whenever a write happens

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
