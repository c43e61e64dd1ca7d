"""How the calendar writes times and names, shared by the pages, the plan's
chapters, the feeds and the warnings."""
import datetime

WEEKDAY_NAMES = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]


def clock(value: datetime.time | None) -> str:
    """12:00 → "12.00", as Swedish documents write times."""
    return value.strftime("%H.%M") if value else ""


def genitive(name: str) -> str:
    """"Ledningsgruppen" → "Ledningsgruppens"; names ending in s stay as they are."""
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def join_names(items) -> str:
    """["Södertälje", "Nykvarn", "Salem"] → "Södertälje, Nykvarn och Salem"."""
    names = [str(getattr(i, "name", i)) for i in items]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


def time_range_text(start: datetime.time | None, end: datetime.time | None) -> str:
    if start and end:
        return f"{clock(start)}–{clock(end)}"
    if start:
        return f"från {clock(start)}"
    return ""


def time_range(event) -> str:
    """"12.00–15.00", "heldag", or nothing when no time is set."""
    if event.all_day:
        return "heldagar" if event.end_date else "heldag"
    return time_range_text(event.start_time, event.end_time)
