"""Two secretaries at once: work run in threads, each with a database connection of
its own that commits, as two requests would. Only PostgreSQL can show a race this
way: the SQLite test database is one in-memory connection, and SQLite serialises
its writers anyway.

What the threads commit is outside the test's transaction, so `committed_meetings`
removes it again afterwards: everything of the test year `YEAR`."""
import threading

import pytest
from django.db import connection, connections, models, transaction

from calendar_app.models import Event
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MinutesApproval,
    Paragraph,
    ParagraphNumbering,
    PersonContact,
)
from plans.models import Membership, Person
from sodertorn.lock import lock_bypass

# A year no seed document and no other test uses.
YEAR = 2002

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason=(
    "needs separate connections that commit: the SQLite test database is one in-memory "
    "connection; SQLite serialises its writers, so the race cannot happen there"))


def in_own_connection(fn):
    """fn() in a thread with its own connection, in one transaction committed when
    fn returns (one commit, not one per statement: setting up stays quick)."""
    def run(wait):
        with transaction.atomic():
            return fn()
    return at_once(run)[0]


def at_once(*fns, reraise=True) -> list:
    """Run each fn(wait) in its own thread and connection; each calls wait() where
    it should meet the others (e.g. after loading, before saving). Returns what
    each returned, or the exception it raised (raised here when `reraise`)."""
    barrier = threading.Barrier(len(fns), timeout=30)
    outcomes = [None] * len(fns)

    def run(index, fn):
        try:
            outcomes[index] = fn(barrier.wait)
        except BaseException as error:  # noqa: BLE001 (handed to the test)
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(fns)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, Exception)]
    if errors or (reraise and any(isinstance(o, Exception) for o in outcomes)):
        raise next(o for o in outcomes if isinstance(o, BaseException))
    return outcomes


def _rows(model):
    """All rows of `model` past its managers' guards: past the kallelse nothing of a
    meeting is deleted through them, and the test must remove what it made."""
    return models.QuerySet(model=model)


def _remove_year(year: int, people_before: set) -> None:
    with lock_bypass("test cleanup"):
        meetings = list(_rows(Meeting).filter(event__year=year).values_list("pk", flat=True))
        events = list(_rows(Event).filter(year=year).values_list("pk", flat=True))
        for model in (MinutesApproval, Paragraph, Attendance, AgendaItem):
            ids = list(_rows(model).filter(meeting__in=meetings).values_list("pk", flat=True))
            _rows(model).filter(pk__in=ids).delete()
            model.history.filter(id__in=ids).delete()
        _rows(Meeting).filter(pk__in=meetings).delete()
        Meeting.history.filter(id__in=meetings).delete()
        ParagraphNumbering.objects.filter(year=year).delete()
        _rows(Event).filter(pk__in=events).delete()
        Event.history.filter(id__in=events).delete()
        Membership.objects.filter(start_year=year).delete()
        new_people = Person.objects.exclude(pk__in=people_before)
        PersonContact.objects.filter(person__in=new_people).delete()
        new_people.delete()
    assert not _rows(Event).filter(year=year).exists()


@pytest.fixture
def committed_meetings():
    """Removes, afterwards, what threads committed for meetings of `YEAR`."""
    people_before = in_own_connection(lambda: set(Person.objects.values_list("pk", flat=True)))
    yield YEAR
    in_own_connection(lambda: _remove_year(YEAR, people_before))
