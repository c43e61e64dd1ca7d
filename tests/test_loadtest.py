"""The load generator behind `loadtest` and `benchmark_pages`: loopback only, and it
counts what it claims to count."""
import http.server
import threading

import pytest
from django.core.management import CommandError, call_command

from sodertorn import loadgen
from tests.environment import requires_postgresql


@pytest.fixture
def tiny_server():
    """A loopback server that answers 200, 304 to If-None-Match, and 500 on /trasig."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/trasig":
                self.send_response(500)
            elif self.headers.get("If-None-Match") == '"v1"':
                self.send_response(304)
            else:
                self.send_response(200)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("host", ["10.0.0.1", "192.168.1.10", "8.8.8.8"])
def test_the_load_test_refuses_a_host_that_is_not_this_machine(host):
    with pytest.raises(CommandError, match="inte den här datorn"):
        call_command("loadtest", "--url", f"http://{host}:8000", "--seconds", "1")


def test_the_load_generator_refuses_other_hosts_too():
    with pytest.raises(loadgen.NotLoopback):
        loadgen.run_load("10.0.0.1", 80, [loadgen.Request("/")], duration=0.1, concurrency=1)


def test_readers_revalidate_and_answers_are_counted(tiny_server):
    result = loadgen.run_load(
        "127.0.0.1", tiny_server, [loadgen.Request("/", revalidate=True)], duration=0.5, concurrency=3
    )
    assert result.count > 3
    assert result.statuses[200] >= 1 and result.statuses[304] >= 1
    assert result.error_count == 0
    assert 0 < result.percentile(50) <= result.percentile(95)


def test_a_server_error_is_an_error(tiny_server):
    result = loadgen.run_load(
        "127.0.0.1", tiny_server, [loadgen.Request("/"), loadgen.Request("/trasig")], duration=0.5, concurrency=2
    )
    assert result.errors["/trasig: HTTP 500"] > 0
    assert result.error_count == result.statuses[500]


@pytest.mark.django_db
@requires_postgresql
def test_the_benchmark_creates_its_postgresql_database_when_missing(settings):
    import uuid

    import psycopg

    from plans.management.commands.benchmark_pages import _create_database

    db = settings.DATABASES["default"]
    name = f"sodertorn_bench_{uuid.uuid4().hex[:8]}"
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db['USER']}@"
    url = f"postgres://{auth}{db['HOST']}:{db['PORT'] or 5432}/{name}"
    params = {"host": db["HOST"], "user": db["USER"], "password": db.get("PASSWORD") or None, "dbname": "postgres"}
    try:
        _create_database(url)
        _create_database(url)  # a second run finds it and leaves it
        with psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
            assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    finally:
        with psycopg.connect(autocommit=True, **{k: v for k, v in params.items() if v}) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db
def test_the_benchmark_refuses_a_database_url_that_is_not_postgresql():
    with pytest.raises(CommandError, match="postgres://"):
        call_command("benchmark_pages", postgres="mysql://root@127.0.0.1/x", seconds=0.1, rounds=1)
