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


def setting(expression: str, **env) -> str:
    """The value of a settings expression in a fresh process with `env`."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CONN_MAX_AGE", "CACHE_URL", "CACHE_DIR")}
    environ.update(env)
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environ, "DJANGO_SETTINGS_MODULE": "sodertorn.settings"},
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_keeps_connections_with_health_checks_by_default():
    db = "settings.DATABASES['default']"
    assert setting(f"{db}['CONN_MAX_AGE'], {db}['CONN_HEALTH_CHECKS']",
                   DATABASE_URL="postgres://postgres@127.0.0.1:5432/x") == "60 True"
    assert setting(f"{db}['CONN_MAX_AGE']") == "0"  # SQLite
    assert setting(f"{db}['CONN_MAX_AGE'], {db}['CONN_HEALTH_CHECKS']", DATABASE_URL="postgres://p@127.0.0.1/x",
                   CONN_MAX_AGE="300", CONN_HEALTH_CHECKS="False") == "300 False"


def test_the_cache_is_shared_by_the_workers():
    backend = "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION']"
    assert setting(backend) == f"django.core.cache.backends.filebased.FileBasedCache {ROOT / '.cache'}"
    assert setting(backend, CACHE_URL="redis://127.0.0.1:6379/2") == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/2"
    )
