"""Kontroll före beslut, the year's chairs and the programme change (issue 11,
items 1, 7 and 3), as the secretariat meets them in the admin; the checklist also
holds for the services called without the admin (the shell, scripts)."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget.models import BudgetLine, FeeArchive
from calendar_app.services import MeetingRow, calendar_meetings_create
from plans.chairs import chairmanship_set
from secretariat.checks import work_plan_checklist
from plans.models import (
    Activity, Body, Chairmanship, Goal, GoalLevel, Membership, Person, PlanCheckConfirmation, Programme, WorkPlan,
)
from secretariat.services import work_plan_copy_to_year, work_plan_decide, work_plan_propose

pytestmark = pytest.mark.django_db

CHAIRS_2018 = [  # the 2019 chairs, set for 2018 in these tests
    ("samarbetskommitten", "chair", "Meeri Wasberg"),
    ("samarbetskommitten", "vice_chair", "Daniel Dronjak"),
    ("ledningsgruppen", "chair", "Rickard Sundbom"),
    ("ledningsgruppen", "vice_chair", "Mats Bergström"),
]


@pytest.fixture
def draft_2018():
    return work_plan_copy_to_year(source=WorkPlan.objects.get(year=2017), year=2018)


@pytest.fixture
def ready_2018(draft_2018):
    """The 2018 draft with its chairs and the committee's three remaining meetings:
    no errors left, only warnings."""
    for body, role, person in CHAIRS_2018:
        chairmanship_set(body=Body.objects.get(slug=body), year=2018, role=role,
                         person=Person.objects.get(name=person))
    committee = Body.objects.get(slug="samarbetskommitten")
    calendar_meetings_create(plan=draft_2018, rows=[
        MeetingRow(datetime.date(2018, month, day), committee) for month, day in ((5, 3), (9, 6), (11, 8))
    ])
    return draft_2018


def messages_of(checklist, level):
    return " ".join(c.message for c in getattr(checklist, level)).replace("\xa0", " ")


def test_the_checklist_finds_what_the_issue_found_in_the_2020_plan(draft_2020):
    checklist = work_plan_checklist(draft_2020)
    errors = messages_of(checklist, "errors")
    assert "Budgeten är inte i balans" in errors and "29 500 kr" in errors
    assert "vice ordförande i Samarbetskommittén" in errors
    assert "Samarbetskommittén har 0 möten i kalendern 2020; samarbetsavtalet kräver minst 6" in errors
    warnings = messages_of(checklist, "warnings")
    assert "Texten nämner fortfarande 2019" in warnings
    assert "är preliminära" in warnings
    assert "folkmängden den 31 december 2017" in warnings


def test_the_checklist_flags_a_fee_line_that_differs_from_the_fees(draft_2020):
    line = draft_2020.budget.lines.get(is_member_fees=True)
    BudgetLine.objects.filter(pk=line.pk).update(amount=line.amount + 1000)
    errors = messages_of(work_plan_checklist(draft_2020), "errors")
    assert "stämmer inte med summan av kommunernas avgifter" in errors


def test_the_checklist_flags_goals_of_another_programme(draft_2020):
    other = Programme.objects.get(short_name="SUP 2010")
    activity = draft_2020.activities.exclude(goal=None).first()
    Activity.objects.filter(pk=activity.pk).update(goal=Goal.objects.filter(programme=other).first())
    checklist = work_plan_checklist(draft_2020)
    goal_errors = [c for c in checklist.errors if "hör till planens program" in c.message]
    assert goal_errors and any(activity.title in d for d in goal_errors[0].details)


def test_the_plan_page_shows_the_checklist(sekretariat, draft_2020):
    page = sekretariat.get(reverse("admin:plans_workplan_change", args=[draft_2020.pk]))
    text = page.content.decode()
    assert "Kontroll före beslut" in text
    assert "Budgeten är inte i balans" in text
    assert reverse("admin:plans_workplan_chairs", args=[draft_2020.pk]) in text


def test_lagg_fram_is_refused_while_errors_remain(sekretariat, draft_2020):
    response = sekretariat.post(reverse("admin:plans_workplan_propose", args=[draft_2020.pk]),
                                {"confirm_warnings": "on"})
    assert response.status_code == 200
    assert "Budgeten är inte i balans" in response.content.decode()
    draft_2020.refresh_from_db()
    assert draft_2020.status == WorkPlan.Status.DRAFT


def test_warnings_need_a_confirmation_that_is_kept_with_the_step(sekretariat, sekretariat_user, ready_2018):
    checklist = work_plan_checklist(ready_2018)
    assert not checklist.errors and checklist.warnings
    url = reverse("admin:plans_workplan_propose", args=[ready_2018.pk])
    refused = sekretariat.post(url, {})
    assert "Kontrollen före beslut har varningar" in refused.content.decode()
    ready_2018.refresh_from_db()
    assert ready_2018.status == WorkPlan.Status.DRAFT

    assert sekretariat.post(url, {"confirm_warnings": "on"}).status_code == 302
    ready_2018.refresh_from_db()
    assert ready_2018.status == WorkPlan.Status.PROPOSED
    record = PlanCheckConfirmation.objects.get(plan=ready_2018)
    assert record.step == "propose" and record.confirmed_by == sekretariat_user
    assert record.warnings == [c.message for c in checklist.warnings]

    response = sekretariat.post(reverse("admin:plans_workplan_decide", args=[ready_2018.pk]), {
        "decided_on": "2018-02-01", "decided_by": Body.objects.get(slug="samarbetskommitten").pk,
        "reference": "§ 3", "confirm_warnings": "on"})
    assert response.status_code == 302
    ready_2018.refresh_from_db()
    assert ready_2018.status == WorkPlan.Status.DECIDED
    assert PlanCheckConfirmation.objects.filter(plan=ready_2018, step="decide").exists()


# -- every path is checked: the services themselves, as the shell calls them ------------


def _decide(plan, user, **kwargs):
    return work_plan_decide(plan=plan, user=user, decided_on=datetime.date(2018, 2, 1),
                            decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 3", **kwargs)


def test_the_shell_cannot_put_forward_a_plan_with_errors(draft_2020):
    with pytest.raises(ValidationError) as refused:
        work_plan_propose(plan=draft_2020, user=None, confirm_warnings=True)
    messages = " ".join(refused.value.messages).replace("\xa0", " ")
    assert "Kontrollen före beslut hittade fel som måste rättas först:" in messages
    assert "Budgeten är inte i balans" in messages and "29 500 kr" in messages
    assert WorkPlan.objects.get(pk=draft_2020.pk).status == WorkPlan.Status.DRAFT
    assert not PlanCheckConfirmation.objects.filter(plan=draft_2020).exists()


def test_the_shell_cannot_decide_a_plan_that_has_errors_since_it_was_put_forward(sekretariat_user, ready_2018):
    work_plan_propose(plan=ready_2018, user=sekretariat_user, confirm_warnings=True)
    Chairmanship.objects.filter(year=2018, body__slug="samarbetskommitten", role="vice_chair").delete()
    with pytest.raises(ValidationError, match="vice ordförande i Samarbetskommittén"):
        _decide(ready_2018, None, confirm_warnings=True)
    plan = WorkPlan.objects.get(pk=ready_2018.pk)
    assert plan.status == WorkPlan.Status.PROPOSED and plan.decided_on is None
    assert not plan.archives.exists()
    assert not FeeArchive.objects.filter(budget__plan=plan).exists()
    assert not PlanCheckConfirmation.objects.filter(plan=plan, step="decide").exists()


def test_warnings_stop_the_services_until_confirmed_and_the_user_is_recorded(sekretariat_user, ready_2018):
    warnings = [c.message for c in work_plan_checklist(ready_2018).warnings]
    assert warnings
    with pytest.raises(ValidationError, match="Kontrollen före beslut har varningar"):
        work_plan_propose(plan=ready_2018, user=sekretariat_user)
    assert WorkPlan.objects.get(pk=ready_2018.pk).status == WorkPlan.Status.DRAFT
    assert not PlanCheckConfirmation.objects.filter(plan=ready_2018).exists()

    work_plan_propose(plan=ready_2018, user=sekretariat_user, confirm_warnings=True)
    record = PlanCheckConfirmation.objects.get(plan=ready_2018, step="propose")
    assert record.confirmed_by == sekretariat_user and record.warnings == warnings

    with pytest.raises(ValidationError, match="Kontrollen före beslut har varningar"):
        _decide(ready_2018, sekretariat_user)
    plan = WorkPlan.objects.get(pk=ready_2018.pk)
    assert plan.status == WorkPlan.Status.PROPOSED and not plan.archives.exists()
    assert not FeeArchive.objects.filter(budget__plan=plan).exists()

    archive = _decide(ready_2018, sekretariat_user, confirm_warnings=True)
    assert WorkPlan.objects.get(pk=ready_2018.pk).status == WorkPlan.Status.DECIDED and archive.pk
    assert FeeArchive.objects.filter(budget__plan=ready_2018).exists()
    assert PlanCheckConfirmation.objects.get(plan=ready_2018, step="decide").confirmed_by == sekretariat_user


def test_warnings_confirmed_without_a_signed_in_person_are_recorded_without_one(ready_2018):
    work_plan_propose(plan=ready_2018, user=None, confirm_warnings=True)
    record = PlanCheckConfirmation.objects.get(plan=ready_2018, step="propose")
    assert record.confirmed_by is None and record.warnings


def test_a_decision_that_fails_after_the_checklist_keeps_no_confirmation(sekretariat_user, ready_2018, monkeypatch):
    work_plan_propose(plan=ready_2018, user=sekretariat_user, confirm_warnings=True)

    def fail(*args, **kwargs):
        raise RuntimeError("WeasyPrint gick sönder")

    monkeypatch.setattr("secretariat.services.html_to_pdf", fail)
    with pytest.raises(RuntimeError):
        _decide(ready_2018, sekretariat_user, confirm_warnings=True)
    assert WorkPlan.objects.get(pk=ready_2018.pk).status == WorkPlan.Status.PROPOSED
    assert not PlanCheckConfirmation.objects.filter(plan=ready_2018, step="decide").exists()


# -- the year's chairs -------------------------------------------------------------


def test_the_chairs_form_creates_the_membership_then_the_chair(sekretariat, draft_2018):
    person = Person.objects.get(name="Meeri Wasberg")
    committee = Body.objects.get(slug="samarbetskommitten")
    assert not Membership.objects.filter(person=person, body=committee, start_year__lte=2018, end_year__gte=2018).exists()
    url = reverse("admin:plans_workplan_chairs", args=[draft_2018.pk])
    assert "Årets ordförande 2018" in sekretariat.get(url).content.decode()
    response = sekretariat.post(url, {"body": committee.pk, "role": "chair", "person": person.pk})
    assert response.status_code == 302
    assert Chairmanship.objects.get(body=committee, year=2018, role="chair").person == person
    assert Membership.objects.filter(person=person, body=committee, start_year=2018).exists()


def test_the_copy_message_links_to_the_chairs_form(sekretariat):
    plan = WorkPlan.objects.get(year=2019)
    response = sekretariat.post(reverse("admin:plans_workplan_copy", args=[plan.pk]), {"year": 2020}, follow=True)
    new = WorkPlan.objects.get(year=2020)
    assert f'href="{reverse("admin:plans_workplan_chairs", args=[new.pk])}"' in response.content.decode()


def test_the_chair_refusal_links_to_the_chairs_form(sekretariat, draft_2018):
    response = sekretariat.post(reverse("admin:plans_chairmanship_add"), {
        "body": Body.objects.get(slug="samarbetskommitten").pk, "year": 2018, "role": "chair",
        "person": Person.objects.get(name="Meeri Wasberg").pk})
    text = response.content.decode()
    assert "är inte ledamot" in text
    assert f'href="{reverse("admin:plans_workplan_chairs", args=[draft_2018.pk])}"' in text


# -- changing programme ---------------------------------------------------------


@pytest.fixture
def sup2035():
    """A stand-in for SUP 2035 (not in the seeds): two levels, goals named like SUP 2013's."""
    programme = Programme.objects.create(name="Södertörns utvecklingsprogram 2035", short_name="SUP 2035",
                                         slug="sup-2035", valid_from=2019, valid_to=2022)
    areas = GoalLevel.objects.create(programme=programme, depth=1, name="målområde", name_plural="målområden")
    goals = GoalLevel.objects.create(programme=programme, depth=2, name="mål", name_plural="mål")
    for position, (area, goal) in enumerate([
        ("Infrastruktur", "Utnyttja den nya infrastrukturen"),
        ("Klimat", "Leda omställningen till ett klimateffektivt samhälle"),
        ("Näringsliv och högskola", "Höj utbildningsnivån på Södertörn"),
    ]):
        parent = Goal.objects.create(programme=programme, level=areas, position=position, title=area)
        Goal.objects.create(programme=programme, level=goals, parent=parent, position=0, title=goal)
    return programme


def test_byt_utvecklingsprogram_maps_every_goal_at_once(sekretariat, draft_2020, sup2035):
    url = reverse("admin:plans_workplan_programme", args=[draft_2020.pk])
    page = sekretariat.get(url, {"programme": sup2035.pk})
    entries = page.context["entries"]
    assert entries and all(e.suggestion.programme == sup2035 for e in entries)
    same_titles = [e for e in entries if Goal.objects.filter(programme=sup2035, title=e.goal.title).exists()]
    assert same_titles and all(e.suggestion.title == e.goal.title for e in same_titles)  # by title and level

    data = {"programme": sup2035.pk, **{f"goal_{e.goal.pk}": e.suggestion.pk for e in entries}}
    incomplete = dict(data)
    incomplete.pop(f"goal_{entries[0].goal.pk}")
    refused = sekretariat.post(url, incomplete)
    assert "Välj ett nytt mål" in refused.content.decode()
    draft_2020.refresh_from_db()
    assert draft_2020.programme.short_name == "SUP 2013"  # nothing changed

    assert sekretariat.post(url, data).status_code == 302
    draft_2020.refresh_from_db()
    assert draft_2020.programme == sup2035
    assert not draft_2020.activities.exclude(goal=None).exclude(goal__programme=sup2035).exists()
    assert not [c for c in work_plan_checklist(draft_2020).errors if "hör till planens program" in c.message]


def test_the_goal_autocomplete_is_filtered_to_the_plans_programme(sekretariat, draft_2020, sup2035):
    draft_2020.programme = sup2035
    draft_2020.save()
    referer = "http://testserver" + reverse("admin:plans_workplan_change", args=[draft_2020.pk])
    response = sekretariat.get(reverse("admin:autocomplete"), {
        "term": "", "app_label": "plans", "model_name": "activity", "field_name": "goal"}, HTTP_REFERER=referer)
    titles = [r["text"] for r in response.json()["results"]]
    assert titles and all(t.startswith("SUP 2035") for t in titles)
    found = sekretariat.get(reverse("admin:autocomplete"), {
        "term": "2035", "app_label": "plans", "model_name": "activity", "field_name": "goal"})
    assert any(r["text"].startswith("SUP 2035") for r in found.json()["results"])


def test_after_a_copy_every_place_naming_the_old_year_is_listed(sekretariat, draft_2020):
    from secretariat.checks import plan_year_mentions
    from plans.models import CollaborationTopic

    activity = draft_2020.activities.first()
    Activity.objects.filter(pk=activity.pk).update(comment="Startar i september 2019.")
    topic = CollaborationTopic.objects.filter(area__plan=draft_2020).first()
    CollaborationTopic.objects.filter(pk=topic.pk).update(body="Under 2019 genomförs aktiviteter.")
    line = draft_2020.budget.lines.first()
    BudgetLine.objects.filter(pk=line.pk).update(note="Enligt utfallet 2019")
    places = [m.place for m in plan_year_mentions(draft_2020, 2019)]
    assert any(p.startswith("Kapitel ") for p in places)
    assert f"Inriktning ”{topic.title}”" in places
    assert f"Aktivitet ”{activity.title}”" in places
    assert f"Budgetposten ”{line.label}”" in places
    page = sekretariat.get(reverse("admin:plans_workplan_change", args=[draft_2020.pk])).content.decode()
    assert "Texten nämner fortfarande 2019" in page and "Startar i september 2019." in page


def test_changing_programme_in_the_plan_form_gives_one_message_with_the_way_out(sekretariat, draft_2020, sup2035):
    from tests.admin_forms import admin_form_data

    url = reverse("admin:plans_workplan_change", args=[draft_2020.pk])
    data = admin_form_data(sekretariat, url)
    data["programme"] = sup2035.pk
    response = sekretariat.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Byt utvecklingsprogram</a> byter dem alla på en gång" in html
    assert html.count("Målet hör till SUP 2013") == 0
    draft_2020.refresh_from_db()
    assert draft_2020.programme.short_name == "SUP 2013"


def test_every_link_of_the_checklist_opens(sekretariat, draft_2018):
    checklist = work_plan_checklist(draft_2018)
    links = {c.link for c in checklist.items if c.link}
    assert links
    for link in links:
        response = sekretariat.get(link)
        assert response.status_code == 200, link  # no "?e=1" redirect for an unknown filter


def test_two_secretaries_deciding_at_once_make_one_decision(sekretariat_user, ready_2018):
    """Both loaded the plan put forward; the second's save finds the plan already
    decided (its version moved on) and is refused: one archive, fees frozen once."""
    work_plan_propose(plan=ready_2018, user=sekretariat_user, confirm_warnings=True)
    first, second = WorkPlan.objects.get(pk=ready_2018.pk), WorkPlan.objects.get(pk=ready_2018.pk)
    _decide(first, sekretariat_user, confirm_warnings=True)
    with pytest.raises(ValidationError):
        work_plan_decide(plan=second, user=None, confirm_warnings=True, decided_on=datetime.date(2018, 2, 8),
                         decided_by=Body.objects.get(slug="samarbetskommitten"), reference="§ 9")
    plan = WorkPlan.objects.get(pk=ready_2018.pk)
    assert (plan.decided_on, plan.decision_reference) == (datetime.date(2018, 2, 1), "§ 3")
    assert plan.archives.count() == 1
    assert PlanCheckConfirmation.objects.filter(plan=plan, step="decide").count() == 1
    assert FeeArchive.objects.filter(budget__plan=plan).count() == 1
