"""The admin in Swedish (issue 11, item 8): list columns, history pages, choice
labels, times in Europe/Stockholm, and URL fields that say https is required."""
import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import Budget
from sodertorn.lock import lock_bypass
from plans.models import MunicipalDecision, PlanArchive, WorkPlan

pytestmark = pytest.mark.django_db

ENGLISH = ["Display title", "Place display", "Reference date", "Choose a date", "Changed by", "Change reason",
           ">None<", "Date/time"]


def _english_in(html: str) -> list[str]:
    return [word for word in ENGLISH if word.lower() in html.lower()]


@pytest.mark.parametrize("name", ["plans_workplan", "calendar_app_event", "budget_budget", "budget_specialproject",
                                  "plans_activity"])
def test_list_columns_are_swedish(sekretariat, name):
    html = sekretariat.get(reverse(f"admin:{name}_changelist")).content.decode()
    assert _english_in(html) == []


def test_the_history_page_is_swedish_with_choice_labels(admin_client, admin_user):
    budget = Budget.objects.get(year=2017)
    budget.fee_rule, budget.fee_per_inhabitant = Budget.FeeRule.PER_INHABITANT, Decimal("2.00")
    budget._history_user = admin_user
    with lock_bypass():  # 2017 is decided and locked; the history row is what is under test
        budget.save()
    html = admin_client.get(reverse("admin:budget_budget_history", args=[budget.pk])).content.decode()
    assert _english_in(html) == []
    assert "Total avgift fördelad efter folkmängd" in html and "Kronor per invånare" in html
    assert "share" not in html.split('id="change-history"')[1]
    assert "Ändrad" in html and "Ändrad av" in html


def test_archive_times_are_in_stockholm_time():
    plan = WorkPlan.objects.get(year=2019)
    archive = PlanArchive(plan=plan, pdf=b"", sha256="0" * 64, weasyprint_version="x", pdf_variant="x")
    archive.created_at = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.timezone.utc)
    assert "2026-06-01 12.00" in str(archive)  # CEST is UTC+2


def test_url_fields_say_that_https_is_required(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    decision = MunicipalDecision.objects.create(plan=plan, municipality=plan.municipal_decisions.model.municipality.field.related_model.objects.members().first())
    url = reverse("admin:plans_municipaldecision_change", args=[decision.pk])
    for value in ["http://www.haninge.se/protokoll.pdf", "www haninge se"]:
        response = sekretariat.post(url, {"plan": plan.pk, "municipality": decision.municipality_id,
                                          "status": "not_sent", "protocol_url": value})
        assert response.status_code == 200
        assert "https" in " ".join(response.context["adminform"].form.errors["protocol_url"])
