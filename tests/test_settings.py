"""Production settings pass Django's deployment checks; development needs no configuration."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environ.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True)


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="False", SECRET_KEY="x" * 20 + "a-long-random-production-secret-value-1234567890",
        ALLOWED_HOSTS="sodertorn.example.se",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="sodertorn.example.se")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
