"""The admin: special projects (§ 7) show each member's share; budgets show the fees."""
import pytest
from django.urls import reverse

from budget.models import Budget, SpecialProject

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ")


def test_a_special_project_shows_each_municipalitys_share_of_its_cost(sekretariat):
    project = SpecialProject.objects.create(name="Gemensam trafikutredning", year=2017, amount=100_000)
    response = sekretariat.get(reverse("admin:budget_specialproject_change", args=[project.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "fördelning per kommun (§ 7)" in text.lower()
    assert "Folkmängd 31 december 2016" in text
    assert "22 384 kr" in text  # Huddinge: 100 000 × 107 538 / 480 431
    assert "100 000 kr" in text  # the shares add up


def test_a_special_project_without_population_figures_names_them(sekretariat):
    project = SpecialProject.objects.create(name="Utredning 2012", year=2012, amount=50_000)
    text = _text(sekretariat.get(reverse("admin:budget_specialproject_change", args=[project.pk])))
    assert "Kan inte beräknas" in text
    assert "Botkyrka (31 december 2011)" in text


def test_a_new_special_project_can_be_added_in_the_admin(sekretariat):
    response = sekretariat.post(reverse("admin:budget_specialproject_add"), {
        "name": "Regional cykelplan", "year": 2018, "amount": 80_000, "population_date": "", "description": "",
        "source": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    project = SpecialProject.objects.get(name="Regional cykelplan")
    text = _text(sekretariat.get(reverse("admin:budget_specialproject_change", args=[project.pk])))
    assert "Folkmängd 31 december 2017" in text and "80 000 kr" in text


def test_the_budget_change_view_shows_the_fees_and_links_to_the_fee_page(sekretariat):
    budget = Budget.objects.get(year=2017)
    text = _text(sekretariat.get(reverse("admin:budget_budget_change", args=[budget.pk])))
    assert "211 525 kr" in text
    assert 'href="/budget/2017/avgifter/"' in text


def test_population_and_budget_lists_open_in_the_admin(sekretariat):
    for name in ["budget_population", "budget_budget", "budget_budgetline", "budget_specialproject"]:
        assert sekretariat.get(reverse(f"admin:{name}_changelist")).status_code == 200
