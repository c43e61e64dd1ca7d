"""The copy to next year decides every field of every model it writes (COPY_FIELDS in
plans/services.py): copied, or reset on purpose. A new field fails here until it is
put in one of the lists."""
import pytest

from plans.models import Activity, WorkPlan
from plans.services import COPY_FIELDS
from secretariat.services import work_plan_copy_to_year
from sodertorn.lock import lock_bypass

pytestmark = pytest.mark.django_db

# Changed on the way, on purpose: the year in titles, dates moved by the years
# between, the topic its copy in the new plan.
CHANGED = {"title", "start_date", "end_date", "topic"}


def _fields(model) -> set[str]:
    """The model's own fields and many-to-many relations (not the primary key, not
    reverse relations)."""
    return {
        f.name for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and not getattr(f, "primary_key", False)
    }


@pytest.mark.parametrize("model", list(COPY_FIELDS), ids=lambda m: m.__name__)
def test_every_field_of_a_copied_model_is_copied_or_reset_on_purpose(model):
    copied, reset = set(COPY_FIELDS[model]["copied"]), set(COPY_FIELDS[model]["reset"])
    assert not copied & reset, f"{model.__name__}: both copied and reset: {sorted(copied & reset)}"
    undecided = _fields(model) - copied - reset
    assert not undecided, (
        f"{model.__name__}: neither copied nor reset by the copy to next year: {sorted(undecided)}; "
        "add each to COPY_FIELDS in plans/services.py"
    )
    assert not (copied | reset) - _fields(model), f"{model.__name__}: no such field: {sorted((copied | reset) - _fields(model))}"


def test_the_copy_has_every_copied_value_of_every_activity():
    """The 2019 action plan copied to 2020: each copied field equal, the follow-up empty."""
    source = WorkPlan.objects.get(year=2019)
    source_activity = source.activities.order_by("position", "id").first()
    with lock_bypass():  # 2019 is decided; an amount the source could not show, as the seed would load it
        Activity.objects.filter(pk=source_activity.pk).update(cost_illegible="4000…")
    plan = work_plan_copy_to_year(source=source, year=2020)
    assert plan.activities.exists()
    pairs = zip(source.activities.order_by("position", "id"), plan.activities.order_by("position", "id"), strict=True)
    for old, new in pairs:
        for name in set(COPY_FIELDS[Activity]["copied"]) - CHANGED:
            field = Activity._meta.get_field(name)
            if field.many_to_many:
                assert set(getattr(new, name).all()) == set(getattr(old, name).all()), name
            else:
                assert getattr(new, field.attname) == getattr(old, field.attname), name
        assert (new.follow_up_status, new.outcome, new.actual_cost) == ("", "", None)
    assert plan.activities.order_by("position", "id").first().cost_illegible == "4000…"


def test_the_copy_keeps_a_collaboration_areas_chapter_number():
    source = WorkPlan.objects.get(year=2019)
    plan = work_plan_copy_to_year(source=source, year=2020)
    assert plan.areas.exists()
    assert list(plan.areas.order_by("position").values_list("number", "title")) == list(
        source.areas.order_by("position").values_list("number", "title")
    )
