"""Issue 20, found 3: the lock of a decided plan holds below the models too.

Each attempt below went through on the old main: a forgotten manager
(`_base_manager`), a plain `QuerySet(...)`, an m2m through table written as a
model of its own, raw SQL. Now the Python side refuses what it can see and the
database (sodertorn/lock_sql.py) refuses the rest, on SQLite and PostgreSQL; the
one way out of a decision is a recorded reopening."""
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from budget.models import BudgetLine
from calendar_app.models import Event
from plans.models import Activity, Chapter, Network, PlanReopening, WorkPlan
from secretariat.services import work_plan_reopen
from sodertorn.lock import lock_bypass

pytestmark = pytest.mark.django_db

REFUSED = (ValidationError, IntegrityError)
DB_LOCKED = "databasens spärr"


def _refused(attempt):
    """Runs `attempt` in a savepoint and says whether it was refused."""
    try:
        with transaction.atomic():
            attempt()
    except REFUSED:
        return True
    return False


@pytest.fixture
def plan_2019(db):
    return WorkPlan.objects.get(year=2019)


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_base_manager_cannot_unlock_a_decided_plan(plan_2019):
    assert _refused(lambda: WorkPlan._base_manager.filter(year=2019).update(status="draft"))
    plan_2019.refresh_from_db()
    assert plan_2019.status == "decided"


def test_a_plain_queryset_cannot_change_a_decided_plans_parts(plan_2019):
    chapter = plan_2019.chapters.first()
    line = BudgetLine.objects.filter(budget__plan=plan_2019).first()
    event = Event.objects.filter(plan=plan_2019).first()
    attempts = {
        "plan status": lambda: QuerySet(WorkPlan).filter(pk=plan_2019.pk).update(status="draft"),
        "chapter": lambda: QuerySet(Chapter).filter(pk=chapter.pk).update(title="Förfalskad"),
        "budget line": lambda: QuerySet(BudgetLine).filter(pk=line.pk).update(amount=1),
        "event": lambda: QuerySet(Event).filter(pk=event.pk).update(note="Flyttat"),
        "chapter delete": lambda: QuerySet(Chapter).filter(pk=chapter.pk)._raw_delete(connection.alias),
    }
    accepted = [name for name, attempt in attempts.items() if not _refused(attempt)]
    assert accepted == []
    chapter.refresh_from_db()
    assert chapter.title != "Förfalskad"


def test_a_through_table_row_cannot_be_added_to_a_decided_activity(plan_2019):
    activity = Activity.objects.filter(plan=plan_2019).first()
    network = Network.objects.exclude(pk__in=activity.responsible_networks.values("pk")).first()
    through = Activity.responsible_networks.through
    before = through.objects.filter(activity=activity).count()
    assert _refused(lambda: through.objects.create(activity=activity, network=network))
    assert _refused(lambda: through.objects.bulk_create([through(activity=activity, network=network)]))
    assert through.objects.filter(activity=activity).count() == before


def test_raw_sql_cannot_change_a_decided_plan(plan_2019):
    chapter = plan_2019.chapters.first()
    table = Chapter._meta.db_table
    for sql, params in (
        (f"UPDATE {table} SET title = %s WHERE id = %s", ["Förfalskad", chapter.pk]),
        (f"DELETE FROM {table} WHERE id = %s", [chapter.pk]),
        (f"UPDATE {WorkPlan._meta.db_table} SET status = 'draft' WHERE id = %s", [plan_2019.pk]),
        (f"DELETE FROM {WorkPlan._meta.db_table} WHERE id = %s", [plan_2019.pk]),
    ):
        with pytest.raises(IntegrityError, match=DB_LOCKED):
            with transaction.atomic():
                _raw(sql, params)
    chapter.refresh_from_db()
    assert chapter.title != "Förfalskad"


def test_raw_sql_cannot_add_a_row_to_a_decided_plan(plan_2019):
    with pytest.raises(IntegrityError, match=DB_LOCKED):
        with transaction.atomic():
            _raw(
                f"INSERT INTO {Chapter._meta.db_table} (plan_id, position, number, title, kind, body, version) "
                "VALUES (%s, 99, '', 'Smugglad', 'text', '', 1)",
                [plan_2019.pk],
            )
    assert not plan_2019.chapters.filter(title="Smugglad").exists()


def test_the_follow_up_stays_open_in_the_database(plan_2019):
    activity = Activity.objects.filter(plan=plan_2019).first()
    _raw(f"UPDATE {Activity._meta.db_table} SET outcome = %s WHERE id = %s", ["Genomfört enligt plan", activity.pk])
    activity.refresh_from_db()
    assert activity.outcome == "Genomfört enligt plan"


def test_a_reopening_without_a_record_is_refused_by_the_database(plan_2019):
    """Pointing the plan at another plan's reopening does not unlock it either."""
    with pytest.raises(IntegrityError, match=DB_LOCKED):
        with transaction.atomic():
            _raw(f"UPDATE {WorkPlan._meta.db_table} SET status = 'draft' WHERE id = %s", [plan_2019.pk])
    other = WorkPlan.objects.exclude(pk=plan_2019.pk).filter(status="decided").first()
    with lock_bypass("test: a reopening of another plan"):
        foreign = PlanReopening.objects.create(plan=other, reason="Fiktivt skäl för test", previous_decision="-")
    with pytest.raises(IntegrityError, match=DB_LOCKED):
        with transaction.atomic():
            _raw(f"UPDATE {WorkPlan._meta.db_table} SET status = 'draft', last_reopening_id = %s WHERE id = %s",
                 [foreign.pk, plan_2019.pk])
    plan_2019.refresh_from_db()
    assert plan_2019.status == "decided"


def test_the_recorded_reopening_is_the_one_way_out(plan_2019, django_user_model):
    user = django_user_model.objects.create_user("kansli-test")
    reopening = work_plan_reopen(plan=plan_2019, reason="Fiktivt skäl: en rättelse behövs", user=user)
    plan_2019.refresh_from_db()
    assert plan_2019.status == "draft"
    assert plan_2019.last_reopening == reopening
    chapter = plan_2019.chapters.first()
    _raw(f"UPDATE {Chapter._meta.db_table} SET title = %s WHERE id = %s", ["Rättad rubrik", chapter.pk])
    chapter.refresh_from_db()
    assert chapter.title == "Rättad rubrik"


def test_the_bypass_is_invisible_to_other_transactions():
    """The bypass row lives and dies inside its own transaction."""
    from sodertorn.models import LockBypass

    with lock_bypass("test"):
        assert LockBypass.objects.count() == 1
    assert LockBypass.objects.count() == 0
