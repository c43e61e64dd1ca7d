"""The test suite never writes into a database people work in: the seed is loaded
only into the test database pytest-django creates, and only when a selected test
uses a database at all."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import load_backend

from tests.environment import NotATestDatabase, require_test_database

ROOT = Path(__file__).resolve().parent.parent


def run(*args, database: Path):
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    environ["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=600)


def plans_in(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT count(*) FROM plans_workplan").fetchone()[0]


def test_tests_that_need_no_database_leave_a_real_database_untouched(tmp_path):
    database = tmp_path / "arbete.sqlite3"
    migrated = run("manage.py", "migrate", "--no-input", database=database)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert plans_in(database) == 0

    result = run("-m", "pytest", "-q", "-n", "0", "tests/budget/test_largest_remainder.py", database=database)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert plans_in(database) == 0


def wrapper_for(name: str, **test):
    """A connection (never opened) to the database `name`, with the current engine."""
    settings = {**connection.settings_dict, "NAME": name, "TEST": {**connection.settings_dict["TEST"], **test}}
    return load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias="probe")


@pytest.mark.parametrize("name", ["/srv/sodertorn/db.sqlite3", "sodertorn", "attest_sodertorn"])
def test_the_seed_guard_refuses_a_database_that_is_not_a_test_database(name):
    with pytest.raises(NotATestDatabase, match="is not a test database"):
        require_test_database(wrapper_for(name, NAME=None))


@pytest.mark.parametrize("name, test_name", [
    ("test_sodertorn", None), ("sodertorn_ci", "sodertorn_ci"), ("/tmp/test_sodertorn.sqlite3", None),
])
def test_the_seed_guard_accepts_a_test_database(name, test_name):
    require_test_database(wrapper_for(name, NAME=test_name))


def test_the_seed_guard_accepts_the_database_of_this_session(db):
    require_test_database(connection)
