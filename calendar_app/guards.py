"""Rules that other apps put on calendar events, asked without the calendar
importing those apps: an app above (meetings: a kallat meeting's date and body)
registers a guard in its AppConfig.ready(), and the calendar's admin form asks
`event_change_error` to show the refusal as a form error. The apps' own
save-time guards (signals) stay theirs; this only lets the calendar ask."""
from collections.abc import Callable

EventChangeGuard = Callable[["Event"], str | None]  # noqa: F821 (calendar_app.models.Event)

_guards: list[EventChangeGuard] = []


def event_change_guard_register(guard: EventChangeGuard) -> None:
    """Ask `guard(event)` before an event is changed; it returns why not, or None.
    Registering the same guard twice registers it once."""
    if guard not in _guards:
        _guards.append(guard)


def event_change_error(event) -> str | None:
    """Why `event` (unsaved changes included) may not be saved, by the first
    registered guard that refuses; None when every guard allows it."""
    for guard in _guards:
        if error := guard(event):
            return error
    return None
