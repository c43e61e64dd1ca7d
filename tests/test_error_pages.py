"""Error pages speak Swedish and keep the site's frame (header, footer, way home)."""
import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_404_in_swedish(anonym):
    response = anonym.get("/planer/1999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan finns inte" in html and 'lang="sv"' in html
    assert reverse("plans:home") in html


def test_a_bad_request_answers_400_in_swedish(anonym):
    # A forged Host header is refused by Django with its 400 handler.
    response = anonym.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Felaktig förfrågan" in response.content.decode()


def test_a_server_error_answers_500_in_swedish(settings):
    # The handler renders 500.html without a request context; it must still work.
    from django.views.defaults import server_error
    from django.test import RequestFactory

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_successful_logins_are_not_logged_with_address_and_browser(sekretariat_user):
    from axes.models import AccessLog

    client = Client()
    assert client.post(reverse("login"), {"username": "kansli", "password": "hemligt-lösen-1"}).status_code == 302
    assert not AccessLog.objects.exists()
