"""What a test needs from the machine it runs on, said one way.

Every test that needs something outside Python (a program, a file from npm, the
PostgreSQL backend) is marked with one of the `requires_*` markers below, so that it
skips with the reason and the remedy where that is missing, and never fails instead.
`bin/setup` installs all of them; CI has them all.

`require_test_database` is the guard of the seed fixture: the suite loads the seed
only into the database pytest-django created for it."""
import shutil
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")


def _missing_programs(programs) -> list[str]:
    return [program for program in programs if shutil.which(program) is None]


def requires_programs(*programs: str, remedy: str = "bin/setup installs it") -> pytest.MarkDecorator:
    """Skip unless every program is on PATH."""
    missing = _missing_programs(programs)
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not installed ({remedy})")


def requires_files(*paths: Path, remedy: str) -> pytest.MarkDecorator:
    missing = [path for path in paths if not path.exists()]
    names = ", ".join(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) for path in missing)
    return pytest.mark.skipif(bool(missing), reason=f"{names} missing ({remedy})")


def requires_all(*markers: pytest.MarkDecorator) -> pytest.MarkDecorator:
    """One marker that skips when any of `markers` would (the first reason is given)."""
    for marker in markers:
        if marker.args[0]:
            return marker
    return pytest.mark.skipif(False, reason="")


# The Nu Html Checker (the W3C validator's engine): java and the npm package vnu-jar.
requires_vnu = requires_all(
    requires_programs("java"),
    requires_files(VNU, remedy="bin/setup runs npm install"),
)

# The browser tests: Chromium (driven by Playwright) and axe-core from npm.
requires_browser = requires_all(
    requires_files(CHROMIUM, remedy="bin/setup installs chromium"),
    requires_files(AXE, remedy="bin/setup runs npm install"),
)

# poppler's pdftotext, which reads the position of every word on a PDF page.
requires_pdftotext = requires_programs("pdftotext", remedy="bin/setup installs poppler-utils")

requires_redis = requires_programs("redis-server")

# Tests of what only PostgreSQL does (separate committing connections, its own
# database). CI runs the suite once more with DATABASE_URL=postgres://….
requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: runs in the PostgreSQL stage of CI (DATABASE_URL=postgres://…)"
)
# Tests of SQLite's own triggers; the PostgreSQL stage has pgtrigger's instead.
requires_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="needs SQLite: runs in the SQLite stage of CI (no DATABASE_URL)"
)


class NotATestDatabase(RuntimeError):
    pass


def is_test_database(conn) -> bool:
    """Whether `conn` names a database pytest-django created for this run: SQLite in
    memory, the database's TEST NAME, or a name Django gives test databases (test_…,
    with the worker's suffix under xdist)."""
    name = str(conn.settings_dict["NAME"] or "")
    if conn.vendor == "sqlite" and conn.creation.is_in_memory_db(name):
        return True
    test_name = (conn.settings_dict.get("TEST") or {}).get("NAME")
    if test_name and name == str(test_name):
        return True
    return Path(name).name.startswith("test_")


def require_test_database(conn=connection) -> None:
    """Raise unless `conn` is a test database; the seed fixture calls it before writing."""
    if not is_test_database(conn):
        raise NotATestDatabase(
            f"The database {conn.settings_dict['NAME']!r} is not a test database: the test suite "
            "loads the seed only into the database pytest-django creates (test_… or SQLite in memory). "
            "Check DATABASE_URL and the database's TEST settings."
        )
