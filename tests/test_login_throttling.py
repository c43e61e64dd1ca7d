"""Login throttling (django-axes): after a few wrong passwords for one username from
one address, logging in is refused for a while, on the site's login page and in the
admin, with a Swedish message."""
import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "hemligt-lösen-1"  # sekretariat_user's


def attempt(client, url, username, password):
    return client.post(url, {"username": username, "password": password, "next": "/"})


def fail_until_locked(client, url, username="kansli"):
    responses = [attempt(client, url, username, "fel-lösen") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert all(r.status_code == 200 for r in responses[:-1])
    return responses[-1]


def test_throttling_is_on_by_default():
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT <= 10
    assert "axes.backends.AxesStandaloneBackend" == settings.AUTHENTICATION_BACKENDS[0]


def test_wrong_passwords_lock_the_login_even_for_the_right_password(client, sekretariat_user):
    locked = fail_until_locked(client, LOGIN)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "För många misslyckade inloggningar" in text and "Försök igen om 15 minuter" in text
    right = attempt(client, LOGIN, "kansli", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_locked_with_the_same_message(client, sekretariat_user):
    locked = fail_until_locked(client, ADMIN_LOGIN)
    assert locked.status_code == 429 and "För många misslyckade inloggningar" in locked.content.decode()
    assert attempt(client, LOGIN, "kansli", PASSWORD).status_code == 429


def test_another_username_from_the_same_address_can_still_log_in(client, sekretariat_user, lasare_user):
    fail_until_locked(client, LOGIN)
    response = attempt(client, LOGIN, "direktor", "hemligt-lösen-2")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(lasare_user.pk)


def test_the_lock_lifts_after_the_cool_off(client, sekretariat_user):
    from axes.models import AccessAttempt

    fail_until_locked(client, LOGIN)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = attempt(client, LOGIN, "kansli", PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(sekretariat_user.pk)


def test_a_successful_login_resets_the_count(client, sekretariat_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, LOGIN, "kansli", "fel-lösen")
    assert attempt(client, LOGIN, "kansli", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, LOGIN, "kansli", "fel-lösen").status_code == 200
