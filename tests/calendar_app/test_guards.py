"""The calendar asks other apps' rules about an event without importing them."""
import pytest

from calendar_app import guards
from calendar_app.models import Event

pytestmark = pytest.mark.django_db


def test_the_meetings_app_registers_its_rule_once_at_startup():
    """meetings.apps registers meeting_event_change_error; the calendar's admin form asks it."""
    from meetings.models import meeting_event_change_error

    assert guards._guards.count(meeting_event_change_error) == 1
    guards.event_change_guard_register(meeting_event_change_error)
    assert guards._guards.count(meeting_event_change_error) == 1


def test_the_first_refusing_guard_gives_the_reason(monkeypatch):
    """A guard returns why not, or None; an unsaved event passes the meetings rule."""
    monkeypatch.setattr(guards, "_guards", [lambda event: None, lambda event: "nej", lambda event: "aldrig"])
    assert guards.event_change_error(Event()) == "nej"
    monkeypatch.setattr(guards, "_guards", [lambda event: None])
    assert guards.event_change_error(Event()) is None
