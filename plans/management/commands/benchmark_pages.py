"""What the public pages serve per second under gunicorn, against a trivial view with
the same middleware (/healthz): a benchmark, not a test.

Starts gunicorn (2 sync workers, DEBUG=False, collected static files, its own file
cache, a random loopback port) on the configured database and, with --postgres URL,
a second one on PostgreSQL; measures the targets interleaved, round after round, and
prints each one's req/s and its ratio to /healthz of the same round.
"""
import itertools
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from plans.models import WorkPlan
from sodertorn import loadgen

PLAN_YEAR = 2019


def targets(year: int) -> list[tuple[str, str, dict]]:
    """(label, path, headers); an ETag is filled in for the 304 target. The uncached
    plan page gets a new query string per request, so its cache key is always new."""
    return [
        ("trivial /healthz", "/healthz", {}),
        (f"plan /planer/{year}/", f"/planer/{year}/", {}),
        ("handlingsplan", f"/planer/{year}/handlingsplan/", {}),
        ("kalender.ics", "/kalender.ics", {}),
        (f"304 /planer/{year}/", f"/planer/{year}/", {"If-None-Match": None}),
        ("plan utan cache", f"/planer/{year}/?utan-cache=", {}),
    ]


def _create_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist yet."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    params = {k: v for k, v in {
        "host": config.get("HOST"), "port": config.get("PORT") or None,
        "user": config.get("USER"), "password": config.get("PASSWORD") or None,
    }.items() if v}
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    except psycopg.Error as exc:
        raise CommandError(f"PostgreSQL svarar inte eller databasen kan inte skapas: {exc}") from exc


class Command(BaseCommand):
    help = "Mäter sidornas svar per sekund under gunicorn mot en trivial vy (kvoter), på SQLite och PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=5.0, help="per mätning (standard 5)")
        parser.add_argument("--rounds", type=int, default=3, help="omgångar, varvade (standard 3)")
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument(
            "--postgres", metavar="DATABASE_URL",
            help="mät också på PostgreSQL (databasen migreras och seed-data läses in först)",
        )

    def handle(self, *args, seconds, rounds, concurrency, postgres=None, **options):
        if not WorkPlan.objects.filter(year=PLAN_YEAR).exists():
            raise CommandError(f"Planen {PLAN_YEAR} saknas: kör `python manage.py load_seed` först.")
        databases = [("konfigurerad databas: " + settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1], {})]
        if postgres:
            if not postgres.startswith(("postgres://", "postgresql://")):
                raise CommandError("--postgres vill ha en URL som postgres://user@127.0.0.1:5432/namn")
            _create_database(postgres)
            env = {"DATABASE_URL": postgres}
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
            for step in (["migrate", "-v0"], ["load_seed"]):
                subprocess.run(manage + step, env={**os.environ, **env}, check=True,
                               cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL)
            databases.append(("PostgreSQL", env))
        for name, env in databases:
            self.stdout.write(f"\n== {name}: gunicorn 2 arbetare, {concurrency} samtidiga, {rounds}×{seconds:.0f} s")
            with loadgen.gunicorn(environment=env) as (host, port):
                self._measure(host, port, seconds=seconds, rounds=rounds, concurrency=concurrency)

    def _measure(self, host, port, *, seconds, rounds, concurrency):
        plan = targets(PLAN_YEAR)
        # Warm every target once (fills the page cache) and learn the 304 target's ETag.
        status, headers = loadgen.fetch(host, port, f"/planer/{PLAN_YEAR}/")
        if status != 200:
            raise CommandError(f"/planer/{PLAN_YEAR}/ svarade {status}")
        etag = headers["ETag"]
        counter = itertools.count()
        per_second = {label: [] for label, _, _ in plan}
        ratios = {label: [] for label, _, _ in plan}
        errors = 0
        for _ in range(rounds):
            trivial = None
            for label, path, headers in plan:
                if "If-None-Match" in headers:
                    headers = {"If-None-Match": etag}
                requests = [loadgen.Request(path=path)]
                if path.endswith("utan-cache="):
                    requests = [loadgen.Request(path=f"{path}{next(counter)}-{i}") for i in range(2000)]
                loadgen.fetch(host, port, requests[0].path, headers)
                result = loadgen.run_load(
                    host, port, [loadgen.Request(path=r.path, headers=headers) for r in requests],
                    duration=seconds, concurrency=concurrency,
                )
                errors += result.error_count
                per_second[label].append(result.per_second)
                if trivial is None:
                    trivial = result.per_second
                ratios[label].append(result.per_second / trivial if trivial else 0)
        self.stdout.write(f"{'mål':<24} {'svar/s (min–max)':>20} {'kvot mot trivial (min–max)':>28}")
        for label, _, _ in plan:
            rps, ratio = per_second[label], ratios[label]
            self.stdout.write(
                f"{label:<24} {loadgen.median(rps):>8.0f} ({min(rps):.0f}–{max(rps):.0f}) "
                f"{loadgen.median(ratio):>14.3f} ({min(ratio):.3f}–{max(ratio):.3f})"
            )
        rendered = loadgen.median(per_second["plan utan cache"])
        conditional = loadgen.median(per_second[f"304 /planer/{PLAN_YEAR}/"])
        if conditional:
            self.stdout.write(
                f"304 kostar {rendered / conditional:.1%} av en renderad 200 (tid per svar; mål < 10 %)."
            )
        self.stdout.write(f"Fel: {errors}")
