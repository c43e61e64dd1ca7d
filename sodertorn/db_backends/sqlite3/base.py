"""SQLite as Django's backend, with one difference: flushing the database (test
teardown, `manage.py flush`) goes through the lock's bypass.

SQLite has no TRUNCATE, so a flush is `DELETE FROM` every table, which the lock's
and the archives' triggers refuse. PostgreSQL flushes with TRUNCATE, which row
triggers do not see."""
from django.db.backends.sqlite3 import base, operations

from sodertorn.lock_sql import BYPASS_TABLE


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements or BYPASS_TABLE not in tables:
            return statements
        statements = [s for s in statements if f'"{BYPASS_TABLE}"' not in s.split(";")[0]]
        return [
            f'INSERT INTO "{BYPASS_TABLE}" ("reason", "created_at") VALUES (\'flush\', CURRENT_TIMESTAMP)',
            *statements,
            f'DELETE FROM "{BYPASS_TABLE}"',
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
