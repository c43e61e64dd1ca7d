"""Next year's plan from this year's, the decision flow, the archive, history and
concurrent edits: the secretariat's yearly routine."""
import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from budget.models import Budget, Population
from budget.selectors import newest_population_date
from calendar_app.models import Event
from sodertorn.lock import lock_bypass
from plans.models import Activity, Body, Chapter, PlanArchive, WorkPlan
from secretariat.services import work_plan_copy_to_year, work_plan_decide, work_plan_propose, work_plan_reopen
from tests.plans.ready import plan_make_ready

pytestmark = pytest.mark.django_db


def snapshot(plan: WorkPlan):
    return (
        list(plan.chapters.values_list("title", "body")),
        list(plan.activities.values_list("title", "cost", "follow_up_status", "start_date")),
        list(plan.budget.lines.values_list("label", "amount")),
    )


@pytest.fixture
def ready_2020(draft_2020):
    """The 2020 draft without errors in Kontroll före beslut; its warnings remain."""
    return plan_make_ready(draft_2020)


def test_the_copy_carries_chapters_areas_and_activities_into_a_draft(plan_2019, draft_2020):
    assert draft_2020.status == WorkPlan.Status.DRAFT
    assert [c.number for c in draft_2020.chapters.all()] == [c.number for c in plan_2019.chapters.all()]
    assert draft_2020.chapters.get(kind="budget").title == "Budget 2020"
    assert draft_2020.activities.count() == plan_2019.activities.count()
    assert draft_2020.areas.count() == plan_2019.areas.count()
    radslag = draft_2020.activities.get(title__icontains="Rådslag 2019")
    assert radslag.start_date == datetime.date(2020, 4, 10)


def test_the_copy_resets_the_follow_up(plan_2019):
    Activity.objects.filter(plan=plan_2019).update(follow_up_status="done", outcome="Klart", actual_cost=5)
    copy = work_plan_copy_to_year(source=plan_2019, year=2020)
    assert set(copy.activities.values_list("follow_up_status", "outcome", "actual_cost")) == {("", "", None)}


def test_the_copy_leaves_the_source_plan_untouched(plan_2019):
    before = snapshot(plan_2019)
    work_plan_copy_to_year(source=plan_2019, year=2020)
    assert snapshot(WorkPlan.objects.get(year=2019)) == before


def test_the_copy_refuses_a_year_that_already_has_a_plan(plan_2019):
    with pytest.raises(ValidationError, match="Det finns redan en verksamhetsplan för 2017"):
        work_plan_copy_to_year(source=plan_2019, year=2017)
    with pytest.raises(CommandError, match="Det finns redan en verksamhetsplan för 2017"):
        call_command("copy_plan", "2019", "2017")


def test_the_copy_takes_conference_hosts_from_the_rotation_and_leaves_chairs_empty(draft_2020):
    conference = Event.objects.get(plan=draft_2020, series__slug="sodertornskonferensen")
    assert sorted(m.name for m in conference.hosts.all()) == ["Botkyrka", "Salem"]
    radslag = Event.objects.get(plan=draft_2020, series__slug="sodertorns-radslag")
    assert [m.name for m in radslag.hosts.all()] == ["Nynäshamn"]
    assert conference.date_display() == "datum fastställs senare"
    assert not draft_2020.archives.exists()
    from plans.models import Chairmanship

    assert not Chairmanship.objects.filter(year=2020).exists()


def test_the_copied_budget_recomputes_the_fee_on_the_newest_population(draft_2020):
    budget = Budget.objects.get(year=2020)
    reference = newest_population_date()
    assert reference == datetime.date(2017, 12, 31)  # 2024 is not complete in the data
    total = sum(Population.objects.filter(date=reference).values_list("inhabitants", flat=True))
    fees = budget.lines.get(is_member_fees=True)
    assert fees.amount == 4 * total
    assert budget.population_date == reference


def test_a_plan_goes_from_draft_to_decided_and_its_pdf_is_frozen(ready_2020, sekretariat_user, anonym):
    draft_2020 = ready_2020
    committee = Body.objects.get(slug="samarbetskommitten")
    assert anonym.get(reverse("plans:work_plan_pdf", args=[2020])).status_code == 404
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    archive = work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                               decided_on=datetime.date(2019, 12, 19), decided_by=committee, reference="§ 45")
    pdf = anonym.get(reverse("plans:work_plan_pdf", args=[2020]))
    assert pdf.content == bytes(archive.pdf)
    assert hashlib.sha256(pdf.content).hexdigest() == archive.sha256
    page = anonym.get(reverse("plans:work_plan_detail", args=[2020])).content.decode()
    assert archive.sha256 in page
    assert "19 december 2019" in page


def test_the_archived_pdf_is_served_even_after_the_text_changes(ready_2020, sekretariat_user, anonym):
    draft_2020 = ready_2020
    committee = Body.objects.get(slug="samarbetskommitten")
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    archive = work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                               decided_on=datetime.date(2019, 12, 19), decided_by=committee, reference="§ 45")
    with lock_bypass():  # the lock refuses this; even past it, the archive does not move
        Chapter.objects.filter(plan=draft_2020, number="1").update(body="Ändrad text efter beslutet.")
    assert anonym.get(reverse("plans:work_plan_pdf", args=[2020])).content == bytes(archive.pdf)


def test_a_decision_needs_a_date_a_body_and_a_paragraph(ready_2020, sekretariat_user):
    draft_2020 = ready_2020
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    with pytest.raises(ValidationError, match="Ange beslutsdatum, beslutande organ och paragraf"):
        work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                         decided_on=datetime.date(2019, 12, 19),
                         decided_by=Body.objects.get(slug="samarbetskommitten"), reference=" ")
    assert WorkPlan.objects.get(year=2020).status == WorkPlan.Status.PROPOSED


def test_a_draft_cannot_be_decided_without_being_proposed(ready_2020, sekretariat_user):
    draft_2020 = ready_2020
    with pytest.raises(ValidationError, match="måste vara lagd för beslut"):
        work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                         decided_on=datetime.date(2019, 12, 19),
                         decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 1")


def test_reopening_records_the_reason_and_keeps_the_archive(ready_2020, sekretariat_user):
    draft_2020 = ready_2020
    work_plan_propose(plan=draft_2020, user=sekretariat_user, confirm_warnings=True)
    work_plan_decide(plan=draft_2020, user=sekretariat_user, confirm_warnings=True,
                     decided_on=datetime.date(2019, 12, 19),
                     decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 45")
    with pytest.raises(ValidationError, match="Skriv varför"):
        work_plan_reopen(plan=draft_2020, reason="", user=sekretariat_user)
    reopening = work_plan_reopen(plan=draft_2020, reason="Budgeten ändrad efter nya befolkningssiffror.", user=sekretariat_user)
    draft_2020.refresh_from_db()
    assert draft_2020.status == WorkPlan.Status.DRAFT and draft_2020.decided_on is None
    assert "§ 45" in reopening.previous_decision
    assert PlanArchive.objects.filter(plan=draft_2020).count() == 1


def test_plans_are_never_deleted(plan_2019):
    with pytest.raises(ValidationError, match="raderas aldrig"):
        plan_2019.delete()
    assert WorkPlan.objects.filter(year=2019).exists()
