"""Bad input is refused with a clear Swedish message, and nothing saved is lost."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from calendar_app.admin import EventForm, HostRotationForm
from calendar_app.models import Event, EventSeries
from plans.models import Activity, Body, Chairmanship, Goal, Municipality, Person, WorkPlan

pytestmark = pytest.mark.django_db


def messages(exc: ValidationError) -> str:
    return " ".join(m for msgs in exc.message_dict.values() for m in msgs)


def test_an_event_cannot_end_before_it_starts():
    event = Event(body=Body.objects.get(slug="ledningsgruppen"), year=2020, date_precision="span",
                  start_date=datetime.date(2020, 4, 6), end_date=datetime.date(2020, 4, 2))
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "Slutdatumet kan inte ligga före startdatumet." in messages(exc.value)


def test_a_meeting_cannot_end_before_its_start_time():
    event = Event(body=Body.objects.get(slug="samarbetskommitten"), year=2020, date_precision="day",
                  start_date=datetime.date(2020, 2, 6), start_time=datetime.time(15), end_time=datetime.time(12))
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "Sluttiden måste ligga efter starttiden." in messages(exc.value)


def test_a_negative_cost_is_refused_in_swedish():
    """The field's own bound, but the editor must read why, in Swedish, next to the field."""
    plan = WorkPlan.objects.get(year=2017)
    activity = Activity(plan=plan, title="Workshop", cost=-5, date_precision="ongoing")
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert exc.value.message_dict["cost"] == ["Kontrollera att detta värde är större än eller lika med 0."]


def test_an_activity_cannot_serve_a_goal_of_another_programme():
    plan = WorkPlan.objects.get(year=2017)  # SUP 2013
    goal_2040 = Goal.objects.filter(programme__slug="sup-2040").first()
    activity = Activity(plan=plan, title="Laddinfrastruktur", goal=goal_2040, date_precision="ongoing")
    with pytest.raises(ValidationError) as exc:
        activity.full_clean()
    assert "inte till planens program SUP 2013" in messages(exc.value)


def test_two_plans_for_one_year_are_refused():
    existing = WorkPlan.objects.get(year=2017)
    duplicate = WorkPlan(year=2017, programme=existing.programme)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "Det finns redan en verksamhetsplan för det året." in messages(exc.value)
    assert WorkPlan.objects.get(year=2017).chapters.count() == existing.chapters.count()


def test_a_host_must_be_a_member_municipality():
    series = EventSeries.objects.get(slug="sodertorns-radslag")
    stockholm = Municipality.objects.get(slug="stockholm")
    form = HostRotationForm(data={"series": series.pk, "year": 2030, "hosts": [stockholm.pk]})
    assert not form.is_valid()
    assert "Stockholm är inte medlem i samverkan och kan inte vara värd." in form.errors["hosts"]


def test_radslag_has_one_host_a_year():
    series = EventSeries.objects.get(slug="sodertorns-radslag")
    two = Municipality.objects.filter(slug__in=["salem", "tyreso"])
    form = HostRotationForm(data={"series": series.pk, "year": 2031, "hosts": [m.pk for m in two]})
    assert not form.is_valid()
    assert "Södertörns rådslag har 1 värdkommun per år, inte 2." in form.errors["hosts"]


def test_an_event_form_refuses_a_non_member_host():
    stockholm = Municipality.objects.get(slug="stockholm")
    form = EventForm(data={
        "kind": "conference", "series": EventSeries.objects.get(slug="sodertornskonferensen").pk,
        "year": 2030, "date_precision": "unset", "hosts": [stockholm.pk],
    })
    assert not form.is_valid()
    assert "hosts" in form.errors


def test_a_chair_must_be_a_member_of_the_body():
    outsider = Person.objects.create(name="Anna Andersson", municipality=Municipality.objects.get(slug="salem"))
    chair = Chairmanship(body=Body.objects.get(slug="samarbetskommitten"), year=2030,
                         role=Chairmanship.Role.CHAIR, person=outsider)
    with pytest.raises(ValidationError) as exc:
        chair.full_clean()
    assert "Anna Andersson är inte ledamot i Samarbetskommittén år 2030." in messages(exc.value)


def test_a_goal_cannot_hang_under_a_goal_of_another_programme():
    sup2013_goal = Goal.objects.filter(programme__slug="sup-2013", level__depth=1).first()
    sup2040 = sup2013_goal.programme.__class__.objects.get(slug="sup-2040")
    goal = Goal(programme=sup2040, parent=sup2013_goal, level=sup2040.levels.get(depth=2), title="Nytt mål")
    with pytest.raises(ValidationError) as exc:
        goal.full_clean()
    assert "Det överordnade målet hör till ett annat program." in messages(exc.value)
