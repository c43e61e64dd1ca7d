"""A small HTTP load generator and a gunicorn runner, for `benchmark_pages` and
`loadtest`. Loopback only: both refuse any host that is not this machine.

The clients are processes (each with a few threads and a new connection per request,
as gunicorn's sync workers close every connection), so the generator's own GIL does
not cap what is measured.
"""
import contextlib
import http.client
import ipaddress
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings


class NotLoopback(ValueError):
    pass


def require_loopback(host: str) -> str:
    """The host, if every address it resolves to is this machine's loopback."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as error:
        raise NotLoopback(f"{host}: okänd värd ({error})") from error
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise NotLoopback(f"{host} är inte den här datorn (bara 127.0.0.1/localhost/::1 får belastas).")
    return host


@dataclass
class Request:
    path: str
    weight: int = 1
    revalidate: bool = False  # send If-None-Match with the ETag of the latest answer
    headers: dict = field(default_factory=dict)


@dataclass
class Result:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def _one(host: str, port: int, path: str, headers: dict) -> tuple[int, dict, float]:
    start = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{port}", **headers})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders()), time.perf_counter() - start
    finally:
        connection.close()


def _client_process(host, port, requests, threads, duration, seed, queue):
    """One client process: `threads` readers until the duration is over."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    rng = random.Random(seed)
    weighted = [r for r in requests for _ in range(r.weight)]
    latencies, statuses, errors = [], Counter(), Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def reader(thread_seed):
        local = random.Random(thread_seed)
        etags = {}
        while time.perf_counter() < deadline:
            request = local.choice(weighted)
            headers = dict(request.headers)
            if request.revalidate and request.path in etags:
                headers["If-None-Match"] = etags[request.path]
            try:
                status, response_headers, seconds = _one(host, port, request.path, headers)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors[f"{request.path}: {type(error).__name__}"] += 1
                continue
            if "ETag" in response_headers:
                etags[request.path] = response_headers["ETag"]
            with lock:
                latencies.append(seconds)
                statuses[status] += 1
                if status not in (200, 304):
                    errors[f"{request.path}: HTTP {status}"] += 1

    workers = [threading.Thread(target=reader, args=(rng.random(),)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, statuses, errors))


def run_load(host: str, port: int, requests: list[Request], *, duration: float, concurrency: int) -> Result:
    """`concurrency` readers for `duration` seconds over the weighted mix `requests`."""
    require_loopback(host)
    processes = max(1, min(concurrency, 4))
    per_process = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    started = time.perf_counter()
    children = [
        context.Process(target=_client_process, args=(host, port, requests, n, duration, i, queue))
        for i, n in enumerate(per_process)
    ]
    for child in children:
        child.start()
    result = Result(seconds=0.0)
    for _ in children:
        latencies, statuses, errors = queue.get()
        result.latencies += latencies
        result.statuses.update(statuses)
        result.errors.update(errors)
    for child in children:
        child.join()
    result.seconds = time.perf_counter() - started
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(host: str, port: int, path: str, headers: dict | None = None) -> tuple[int, dict]:
    status, response_headers, _ = _one(host, port, path, headers or {})
    return status, response_headers


@contextlib.contextmanager
def gunicorn(*, workers: int = 2, environment: dict | None = None, stdout=None):
    """A production-like server on a random loopback port: DEBUG=False, static files
    collected into a temporary directory and served by whitenoise, its own file cache.
    Yields (host, port); the server (and only it) is stopped afterwards."""
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    with tempfile.TemporaryDirectory(prefix="sodertorn-bench-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "False",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-" + os.urandom(16).hex()),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(Path(tmp) / "static"),
            "CACHE_DIR": str(Path(tmp) / "cache"),
            **(environment or {}),
        }
        if "CACHE_URL" not in (environment or {}):
            env.pop("CACHE_URL", None)  # the server's own file cache, not a shared one
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "sodertorn.wsgi", "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}", "--no-control-socket", "--log-level", "warning",
            ],
            env=env, cwd=settings.BASE_DIR, stdout=stdout or subprocess.DEVNULL, stderr=stdout or subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"gunicorn avslutades med kod {server.returncode}")
                try:
                    if fetch("127.0.0.1", port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn svarade inte inom 60 s")
                time.sleep(0.2)
            yield "127.0.0.1", port
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def summary(result: Result) -> str:
    return (
        f"{result.count} svar på {result.seconds:.1f} s ({result.per_second:.0f}/s), "
        f"p50 {result.percentile(50) * 1000:.1f} ms, p95 {result.percentile(95) * 1000:.1f} ms, "
        f"fel {result.error_count}"
    )


def median(values):
    return statistics.median(values) if values else float("nan")
