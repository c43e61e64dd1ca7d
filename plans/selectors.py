"""Reads of the plans app that shape data for the pages, the PDFs and the exports.
The documents that also gather the calendar and the budget (the plan page and PDF,
the start page) are in secretariat/selectors.py.

Each document has one context builder; the HTML page and the PDF call the same
one, so nothing exists in only one of them. Every builder runs a fixed number of
queries whatever the size of the plan (see tests/plans/test_queries.py).
"""
from collections import defaultdict

from django.db.models import Prefetch

from sodertorn.db import swedish
from sodertorn.locking import describe_changes
from sodertorn.printed import printed_names_apply, printed_names_take

from .models import (
    Activity,
    Chapter,
    Goal,
    Municipality,
    Network,
    PlanArchive,
    Programme,
    WorkPlan,
)


# The shared registers a plan names, whose rows stay editable after the decision:
# what the decided plan printed is kept with it (WorkPlan.printed_names).
PLAN_PRINTED_NAMES = (
    ("plans.Person", ("name", "title")),
    ("plans.Municipality", ("name", "is_member")),
    ("plans.Body", ("name", "short_name")),
    ("plans.Network", ("name", "short_name")),
    ("plans.Goal", ("title",)),
    ("plans.Programme", ("name", "short_name")),
    ("plans.Document", ("title",)),
    ("calendar_app.EventSeries", ("name",)),
)


def printed_names_of(plan: WorkPlan) -> dict | None:
    """The names a decided plan printed; None for a plan that is not decided, which
    shows the registers as they are."""
    if plan is None or plan.status != WorkPlan.Status.DECIDED:
        return None
    return plan.printed_names or None


def work_plan_printed_names_take(plan: WorkPlan, document: dict) -> dict:
    """The snapshot of what `document` (the plan's built document) names, with every
    member municipality, whose names the cover lists (1 query)."""
    members = list(Municipality.objects.members())
    return printed_names_take({**document, "_members": members}, PLAN_PRINTED_NAMES)


def work_plan_printed_names_apply(plan: WorkPlan, document) -> None:
    """Puts the names a decided plan printed back on `document`'s instances (no query)."""
    printed_names_apply(printed_names_of(plan), document)


def visible_plans(user):
    """The plans `user` may read (WorkPlan.objects.visible_to), with programme and decider."""
    return WorkPlan.objects.visible_to(user).select_related("programme", "decided_by")


def activities_for_plan(plan: WorkPlan):
    """The action plan's rows with everything a row shows (4 queries)."""
    return (
        plan.activities.select_related("goal__level", "goal__parent__parent", "topic")
        .prefetch_related(
            Prefetch("responsible_municipalities", queryset=Municipality.objects.order_by(swedish("name"))),
            "responsible_networks",
            "responsible_people",
        )
        .order_by("position", "id")
    )


def archived_pdf(plan: WorkPlan) -> PlanArchive | None:
    """The frozen PDF a decided plan serves, if it was decided in this system."""
    if plan.status != WorkPlan.Status.DECIDED:
        return None
    return plan.archives.filter(decided_on=plan.decided_on).order_by("-created_at").first()


def rendering_notice(plan: WorkPlan, archive) -> str:
    """What a decided plan's rendered PDF (and page) says it is, when it is not the
    file archived at the decision: the plans decided before this system have no
    archived file, so theirs is a rendering of what was registered."""
    if plan.status != WorkPlan.Status.DECIDED:
        return ""
    if archive is None:
        return ("Planen beslutades innan den fördes in i systemet. Denna PDF är en återgivning av det "
                "registrerade innehållet, inte den undertecknade originalhandlingen.")
    return (f"Denna PDF är en ny återgivning av det registrerade innehållet. Handlingen som beslutades är den "
            f"arkiverade PDF:en (SHA-256 {archive.sha256}).")


def goal_tree(programme: Programme, user=None) -> list[dict]:
    """The programme's goals as nested nodes, with networks and activities by year.

    With `user`, only activities of plans that user may read are attached, so the
    page neither lists nor counts unpublished ones. Four queries whatever the
    depth: goals, their networks, their activities (with plans), and nothing per node."""
    activities = Activity.objects.select_related("plan").order_by("plan__year", "position")
    if user is not None:
        activities = activities.visible_to(user)
    goals = list(
        Goal.objects.filter(programme=programme)
        .select_related("level", "set_in_plan")
        .prefetch_related(
            Prefetch("networks", queryset=Network.objects.order_by("name")),
            Prefetch("activities", queryset=activities),
        )
        .order_by("level__depth", "position", "id")
    )
    children = defaultdict(list)
    for goal in goals:
        children[goal.parent_id].append(goal)

    def build(parent_id):
        return [{"goal": g, "children": build(g.pk)} for g in children.get(parent_id, [])]

    return build(None)


def networks_overview():
    return Network.objects.select_related("reports_to").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.select_related("programme").order_by("programme__valid_from", "position"))
    ).order_by(swedish("name"))


def network_detail(network: Network, user=None) -> dict:
    """The network page; with `user`, only activities and topics of plans they may read."""
    activities = network.activities.select_related("plan", "goal").order_by("-plan__year", "position")
    topics = network.topics.select_related("area__plan").order_by("-area__plan__year")
    if user is not None:
        activities = activities.visible_to(user)
        topics = topics.visible_to(user)
    members = {m.municipality_id: m for m in network.members.select_related("person", "municipality")}
    municipalities = Municipality.objects.members().order_by(swedish("name"))
    return {
        "network": network,
        "members": [(m, members.get(m.pk)) for m in municipalities],
        "goals": network.goals.select_related("programme", "level").order_by("programme__valid_from", "position"),
        "activities": activities,
        "topics": topics,
    }


def _decisions_summary(plan: WorkPlan, records: dict, decided: int, members: int) -> str:
    """"3 av 8 kommuner har beslutat"; for a plan decided before the system, whose
    municipal decisions were never registered here, say that instead of "0 av 8"."""
    if not records and plan.status == WorkPlan.Status.DECIDED and not plan.decided_on:
        return "Planen beslutades innan den fördes in här; kommunernas beslut är inte registrerade i systemet"
    return f"{decided} av {members} kommuner har beslutat"


def municipal_decisions(plan: WorkPlan) -> dict:
    """Where each member municipality stands with the plan: one row per member,
    also for those with no record yet (2 queries), and the summary counts."""
    from django.conf import settings

    from .models import MunicipalDecision

    records = {d.municipality_id: d for d in MunicipalDecision.objects.filter(plan=plan).select_related("municipality")}
    rows = []
    for municipality in Municipality.objects.members().order_by(swedish("name")):
        decision = records.get(municipality.pk) or MunicipalDecision(plan=plan, municipality=municipality)
        rows.append(decision)
    decided = sum(1 for d in rows if d.status == MunicipalDecision.Status.DECIDED)
    weeks = settings.DECISION_REMINDER_WEEKS
    overdue = [d for d in rows if d.is_late()]
    return {
        "decisions": rows,
        "decided_count": decided,
        "member_count": len(rows),
        "all_decided": bool(rows) and decided == len(rows),
        "summary": _decisions_summary(plan, records, decided, len(rows)),
        "overdue": overdue,
        "reminder_weeks": weeks,
    }


def plan_changes_since(plan: WorkPlan, version: int) -> list[str]:
    """What others saved in the plan and its parts after `version` (from the history)."""
    loaded = plan.history.filter(version=version).order_by("history_date").first()
    since = loaded.history_date if loaded else None
    records = plan.history.filter(version__gt=version).select_related("history_user").order_by("history_date")
    lines = describe_changes(records, fallback="planen")
    if since:
        for model, what in ((Chapter, "kapitel"), (Activity, "aktiviteten")):
            for record in model.history.filter(plan_id=plan.pk, history_date__gt=since).select_related("history_user"):
                lines.append(f"{what} ”{record.title}” ändrades av {record.history_user or 'okänd'} {record.history_date:%Y-%m-%d %H.%M}")
    return lines or ["planen har sparats i en nyare version"]
