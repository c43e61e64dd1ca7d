"""The load generator behind `loadtest` and `benchmark_pages`: loopback only, and it
counts what it claims to count."""
import http.server
import threading

import pytest
from django.core.management import CommandError, call_command

from sodertorn import loadgen


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
