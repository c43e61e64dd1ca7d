"""Copying a plan whose programme has ended: the copy form offers the programme in
force for the new year and never answers 500 (issue 11, item 2)."""
import pytest
from django.urls import reverse

from plans.models import GoalLevel, Programme, WorkPlan
from secretariat.services import work_plan_copy_to_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup2013_ended():
    """As in the issue: SUP 2013 valid to 2018, so a 2020 plan cannot keep it."""
    Programme.objects.filter(short_name="SUP 2013").update(valid_to=2018)


@pytest.fixture
def sup2035(sup2013_ended):
    programme = Programme.objects.create(name="Södertörns utvecklingsprogram 2035", short_name="SUP 2035",
                                         slug="sup-2035", valid_from=2019, valid_to=2022)
    GoalLevel.objects.create(programme=programme, depth=1, name="mål", name_plural="mål")
    return programme


def test_copy_form_offers_the_programme_in_force_when_the_old_one_has_ended(sekretariat, sup2035):
    plan = WorkPlan.objects.get(year=2019)
    page = sekretariat.get(reverse("admin:plans_workplan_copy", args=[plan.pk]))
    assert page.status_code == 200
    assert page.context["form"].fields["programme"].initial == sup2035
    response = sekretariat.post(reverse("admin:plans_workplan_copy", args=[plan.pk]),
                                {"year": 2020, "programme": sup2035.pk})
    new = WorkPlan.objects.get(year=2020)
    assert response.status_code == 302
    assert new.programme == sup2035


def test_copy_refuses_an_ended_programme_with_a_message_not_a_500(sekretariat, sup2035):
    plan = WorkPlan.objects.get(year=2019)
    sup2013 = Programme.objects.get(short_name="SUP 2013")
    response = sekretariat.post(reverse("admin:plans_workplan_copy", args=[plan.pk]),
                                {"year": 2020, "programme": sup2013.pk})
    assert response.status_code == 200
    assert "SUP 2013 gäller 2013–2018, inte 2020" in response.content.decode()
    assert not WorkPlan.objects.filter(year=2020).exists()


def test_copy_refuses_clearly_when_no_programme_is_in_force(sekretariat, sup2013_ended):
    plan = WorkPlan.objects.get(year=2019)
    response = sekretariat.post(reverse("admin:plans_workplan_copy", args=[plan.pk]), {"year": 2020})
    assert response.status_code == 200
    assert "Inget utvecklingsprogram gäller 2020" in response.content.decode()
    assert not WorkPlan.objects.filter(year=2020).exists()


def test_the_copy_service_takes_the_new_programme(sup2035):
    new = work_plan_copy_to_year(source=WorkPlan.objects.get(year=2019), year=2020, programme=sup2035)
    assert new.programme == sup2035
    # The goals stay as they were; the checklist and "Byt utvecklingsprogram" deal with them.
    assert new.activities.exclude(goal=None).exists()
