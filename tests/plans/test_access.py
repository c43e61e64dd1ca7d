"""Decided plans are public documents; drafts are for signed-in readers only."""
import pytest
from django.urls import reverse

from plans.models import WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    source = WorkPlan.objects.get(year=2019)
    return WorkPlan.objects.create(year=2020, programme=source.programme, status=WorkPlan.Status.DRAFT)


URLS = ["plans:work_plan_detail", "plans:work_plan_pdf", "plans:action_plan"]


@pytest.mark.parametrize("name", URLS)
def test_anyone_reads_a_decided_plan(anonym, name):
    assert anonym.get(reverse(name, args=[2019])).status_code == 200


@pytest.mark.parametrize("name", URLS)
def test_the_public_does_not_see_a_draft(anonym, draft, name):
    assert anonym.get(reverse(name, args=[draft.year])).status_code == 404


@pytest.mark.parametrize("name", URLS)
def test_a_reader_reads_a_draft(lasare, draft, name):
    assert lasare.get(reverse(name, args=[draft.year])).status_code == 200


def test_the_secretariat_reads_a_draft(sekretariat, draft):
    assert sekretariat.get(draft.get_absolute_url()).status_code == 200


def test_a_signed_in_user_without_a_role_does_not_see_a_draft(client, django_user_model, draft):
    client.force_login(django_user_model.objects.create_user("utomstående"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_plan_list_shows_drafts_only_to_readers(anonym, lasare_user, client, draft):
    assert "Verksamhetsplan och budget 2020" not in anonym.get(reverse("plans:work_plan_list")).content.decode()
    client.force_login(lasare_user)
    page = client.get(reverse("plans:work_plan_list")).content.decode()
    assert "Verksamhetsplan och budget 2020" in page
    assert "Utkast" in page


def test_login_and_logout_pages_use_the_site_layout(anonym):
    page = anonym.get(reverse("login")).content.decode()
    assert "Logga in" in page and "Tillgänglighetsredogörelse" in page


def test_logout_requires_a_post_with_csrf(client, lasare_user):
    client.force_login(lasare_user)
    assert client.get(reverse("logout")).status_code == 405


@pytest.mark.parametrize("url", ["/", "/planer/", "/planer/2019/", "/program/sup-2040/", "/natverk/", "/tillganglighet/"])
def test_every_page_links_the_accessibility_statement_and_sends_a_csp(anonym, url):
    response = anonym.get(url)
    assert response.status_code == 200
    assert reverse("plans:accessibility") in response.content.decode()
    csp = response["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]:
        assert directive in csp
