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
