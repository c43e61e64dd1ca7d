"""A server error in production is never silent: it is written to stderr with its
traceback, and mailed to the administrators when ADMINS is configured."""
import io
import logging
import sys

import pytest
from django.core import mail
from django.urls import include, path

from tests.test_settings import run_manage


def broken_view(request):
    raise RuntimeError("trasig vy för test")


# The site's own URLs too: the error pages link home (plans:home).
urlpatterns = [path("trasig/", broken_view), path("", include("sodertorn.urls"))]

pytestmark = [pytest.mark.urls("tests.test_error_logging"), pytest.mark.django_db]


def stderr_handler(logger_name: str) -> logging.StreamHandler:
    """The stream handler that the logger (or an ancestor it propagates to) writes stderr with."""
    logger = logging.getLogger(logger_name)
    while logger:
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler and handler.stream in (sys.stderr, sys.__stderr__):
                return handler
        logger = logger.parent if logger.propagate else None
    raise AssertionError(f"no stderr handler for {logger_name}")


@pytest.fixture
def captured_stderr():
    handler = stderr_handler("django.request")
    buffer = io.StringIO()
    original = handler.setStream(buffer)
    yield buffer
    handler.setStream(original)


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


def test_a_server_error_is_written_to_stderr_with_its_traceback(settings, failing_client, captured_stderr):
    settings.DEBUG = False
    response = failing_client.get("/trasig/")
    assert response.status_code == 500
    logged = captured_stderr.getvalue()
    assert "Internal Server Error: /trasig/" in logged
    assert "RuntimeError: trasig vy för test" in logged


def test_a_not_found_page_is_not_logged_as_an_error(settings, failing_client, captured_stderr):
    settings.DEBUG = False
    assert failing_client.get("/finns-inte/").status_code == 404
    assert captured_stderr.getvalue() == ""


def test_a_server_error_is_mailed_to_the_admins_when_configured(settings, failing_client, captured_stderr):
    settings.DEBUG = False
    settings.ADMINS = [("Drift", "drift@example.se")]
    failing_client.get("/trasig/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["drift@example.se"]
    assert "/trasig/" in mail.outbox[0].subject
    assert "trasig vy för test" in mail.outbox[0].body


def test_no_mail_without_admins(settings, failing_client, captured_stderr):
    settings.DEBUG = False
    settings.ADMINS = []
    failing_client.get("/trasig/")
    assert mail.outbox == []


def test_admins_and_mail_server_come_from_the_environment():
    result = run_manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.ADMINS); print(s.EMAIL_HOST, s.EMAIL_PORT, s.SERVER_EMAIL)",
        ADMINS="Kansliet <it@example.se>, drift@example.se",
        EMAIL_URL="smtp://smtp.example.se:587",
        SERVER_EMAIL="sodertorn@example.se",
    )
    assert result.returncode == 0, result.stderr
    assert "[('Kansliet', 'it@example.se'), ('drift@example.se', 'drift@example.se')]" in result.stdout
    assert "smtp.example.se 587 sodertorn@example.se" in result.stdout


def test_without_admins_nobody_is_mailed():
    result = run_manage("shell", "-c", "from django.conf import settings as s; print(s.ADMINS)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
