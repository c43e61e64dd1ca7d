"""Shared fixtures: the seed data loaded once per test database, and the personas.

Personas, as the secretariat speaks of them:
- `sekretariat`: staff in the Sekretariat group, edits in the admin;
- `lasare`: a signed-in reader (Läsare group), reads drafts;
- `anonym`: the public, reads decided plans only.
"""
import os

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from pytest_django.fixtures import _get_databases_for_test

from secretariat.seed import seed_load
from tests.environment import CHROMIUM, require_test_database, requires_browser

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def uses_database(item: pytest.Item) -> bool:
    """Whether a test uses a database, by pytest-django's own rule (the one that
    decides which test databases to create)."""
    return bool(_get_databases_for_test(item)[0])


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The test database with the seed in it. pytest-django creates test databases only
    for the selected tests that use one; without any, the connection still names the
    database of the settings, which the seed must never be written into."""
    if not any(uses_database(item) for item in request.session.items):
        return
    with django_db_blocker.unblock():
        require_test_database(connection)
        seed_load()


def pytest_collection_modifyitems(items):
    """Every browser test needs Chromium and axe-core, and skips alike without them."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(requires_browser)


def ensure_roles():
    """The groups come from a migration; a transactional test flushes them with
    everything else. The role rule of plans.apps makes them whole again (a no-op
    while they are there)."""
    from plans.apps import grant_new_role_permissions

    for name in ("Sekretariat", "Läsare"):
        Group.objects.get_or_create(name=name)
    grant_new_role_permissions(sender=None)


@pytest.fixture(scope="module", autouse=True)
def _seed_after_flush(request, django_db_blocker):
    """Transactional tests (the browser tests) empty the database when they end, and
    pytest-django does not always run them last: a module that runs after one in the
    same process would find no seed data and no roles. Put both back, committed,
    before the module's first test (module scope: outside any test's transaction).
    A module whose tests use no database is left alone, and so is the database."""
    if not any(uses_database(item) for item in request.session.items if item.getparent(pytest.Module) is request.node):
        return
    request.getfixturevalue("django_db_setup")
    from plans.models import WorkPlan

    with django_db_blocker.unblock():
        require_test_database(connection)
        if not WorkPlan.objects.exists() or not Group.objects.filter(name="Läsare").exists():
            ensure_roles()
            seed_load()


@pytest.fixture(autouse=True)
def _fast_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    from sodertorn import freshness

    cache.clear()
    # Every test starts from the same database, hence the same content version: the
    # worker's copies of pages (keyed by it) must not carry over from another test.
    freshness._recent.clear()


@pytest.fixture
def sekretariat_user(db):
    user = User.objects.create_user("kansli", password="hemligt-lösen-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


@pytest.fixture
def lasare_user(db):
    user = User.objects.create_user("direktor", password="hemligt-lösen-2")
    user.groups.add(Group.objects.get(name="Läsare"))
    return user


# Each persona has a client of its own: a test that uses two personas (or a
# persona and pytest-django's `client`) must never act as the wrong one.
@pytest.fixture
def sekretariat(sekretariat_user):
    client = Client()
    client.force_login(sekretariat_user)
    return client


@pytest.fixture
def lasare(lasare_user):
    client = Client()
    client.force_login(lasare_user)
    return client


@pytest.fixture
def anonym(db):
    return Client()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as an inline script; the site's CSP would refuse it.
    return {**browser_context_args, "bypass_csp": True, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture(autouse=True)
def _patient_browser(request):
    """Some admin steps render PDFs before answering (a decision archives the plan and
    eight fee documents); on a loaded 2-core machine that can outlast Playwright's
    30 s default. Wait longer rather than fail on time."""
    if request.node.get_closest_marker("browser") and "page" in request.fixturenames:
        page = request.getfixturevalue("page")  # Playwright's (other tests may name a parameter "page")
        if hasattr(page, "set_default_timeout"):
            page.set_default_timeout(120_000)
            page.set_default_navigation_timeout(120_000)
