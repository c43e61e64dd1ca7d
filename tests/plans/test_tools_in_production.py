"""The development tools refuse a production database (DEBUG=False) unless forced,
and create_demo_users never resets an existing account's password unless asked."""
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("command", ["load_seed", "create_demo_users"])
def test_a_development_tool_refuses_to_run_with_debug_off(settings, command):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command(command)
    message = str(refused.value)
    assert "DEBUG=False" in message and "--force" in message
    assert "produktion" in message and "production" in message


def test_create_demo_users_refused_in_production_leaves_admin_alone(settings):
    settings.DEBUG = False
    admin = User.objects.create_superuser("admin", password="produktionens-lösen-1")
    with pytest.raises(CommandError):
        call_command("create_demo_users")
    admin.refresh_from_db()
    assert admin.check_password("produktionens-lösen-1")


def test_create_demo_users_creates_missing_accounts_but_keeps_existing_passwords(settings, capsys):
    settings.DEBUG = True
    admin = User.objects.create_superuser("admin", password="mitt-eget-lösen-1")
    call_command("create_demo_users")
    out = capsys.readouterr().out
    admin.refresh_from_db()
    assert admin.check_password("mitt-eget-lösen-1")
    assert "admin" in out and "finns redan" in out and "--reset" in out
    kansliet = User.objects.get(username="kansliet")
    assert kansliet.groups.filter(name="Sekretariat").exists() and kansliet.is_staff
    password = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("kansliet"))
    assert kansliet.check_password(password)


def test_create_demo_users_reset_sets_new_printed_passwords(settings, capsys):
    settings.DEBUG = True
    User.objects.create_superuser("admin", password="mitt-eget-lösen-1")
    call_command("create_demo_users", reset=True)
    out = capsys.readouterr().out
    password = next(line.split()[1] for line in out.splitlines() if line.strip().startswith("admin"))
    admin = User.objects.get(username="admin")
    assert not admin.check_password("mitt-eget-lösen-1")
    assert admin.check_password(password) and admin.is_superuser


def test_load_seed_runs_in_production_when_forced(settings, capsys):
    settings.DEBUG = False
    call_command("load_seed", force=True)
    assert "Seed" in capsys.readouterr().out
