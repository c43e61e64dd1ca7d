"""Meetings, conferences and the host rotations of the recurring conferences."""
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.lock import DECIDED, PlanPart
from sodertorn.lock import LockedQuerySet
from sodertorn.lock import bypassed as lock_bypassed
from plans.models import Body, Municipality, Sourced, WorkPlan
from sodertorn.dates import FlexibleDate, Precision
from sodertorn.markdown import validate_markdown
from sodertorn.validators import validate_single_line

from .formatting import join_names


def _printed_by_decided_plans(slugs) -> dict[str, list[int]]:
    """{slug: years of the decided plans whose host tables are keyed by it}
    (WorkPlan.rotation_years), 1 query."""
    slugs = set(slugs)
    printed: dict[str, list[int]] = {}
    for plan in WorkPlan.objects.filter(status=DECIDED).exclude(rotation_years={}).only("year", "rotation_years"):
        for slug in slugs & set(plan.rotation_years or {}):
            printed.setdefault(slug, []).append(plan.year)
    return printed


def _slug_locked_error(slug: str, years: list[int]) -> ValidationError:
    many = len(years) > 1
    return ValidationError(
        {"slug": f"Kortnamnet ”{slug}” knyter seriens värdskap till tabellerna i verksamhetsplan{'erna' if many else 'en'} "
                 f"för {join_names(sorted(years))}, som är beslutad{'e' if many else ''}; det kan inte ändras. Byt namnet i stället."},
        code="locked",
    )


class EventSeriesQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "slug" in kwargs:
            printed = _printed_by_decided_plans(self.values_list("slug", flat=True))
            for slug, years in printed.items():
                if kwargs["slug"] != slug:
                    raise _slug_locked_error(slug, years)
        return super().update(**kwargs)

    update.queryset_only = True


class EventSeries(Sourced):
    """A recurring event: Södertörnskonferensen, Södertörns rådslag, Nyckeltalsdagen,
    the committee's planning conference. A decided plan's host tables name the series
    by slug (WorkPlan.rotation_years), so that slug is then fixed."""

    name = models.CharField("namn", max_length=150, unique=True)
    slug = models.SlugField(unique=True)
    body = models.ForeignKey(
        Body, verbose_name="organ", null=True, blank=True, on_delete=models.PROTECT, related_name="series",
        help_text="Om serien hör till ett organ, t.ex. kommitténs planeringskonferens.",
    )
    position = models.PositiveSmallIntegerField("ordning", default=0)
    description = models.TextField("beskrivning", blank=True, help_text="Markdown.", validators=[validate_markdown])
    hosts_per_year = models.PositiveSmallIntegerField(
        "värdkommuner per år", default=0, help_text="0 om serien inte har roterande värdskap."
    )
    every_other_year = models.BooleanField("vartannat år", default=False)

    class Meta:
        verbose_name = "återkommande händelse"
        verbose_name_plural = "återkommande händelser"
        ordering = ["position", "name"]

    objects = EventSeriesQuerySet.as_manager()

    def __str__(self):
        return self.name

    def check_slug(self) -> None:
        """Refuses a new slug for a series that a decided plan's host tables name."""
        if self.pk is None or lock_bypassed():
            return
        saved = type(self)._base_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
        if saved is None or saved == self.slug:
            return
        years = _printed_by_decided_plans([saved]).get(saved)
        if years:
            raise _slug_locked_error(saved, years)

    def clean(self):
        super().clean()
        self.check_slug()

    def save(self, *args, **kwargs):
        self.check_slug()
        super().save(*args, **kwargs)


class EventQuerySet(LockedQuerySet):
    def visible_to(self, user):
        """The events `user` may see: preliminary events are the secretariat's drafts
        (Event.preliminary_visible_to)."""
        return self if Event.preliminary_visible_to(user) else self.filter(preliminary=False)

    def held(self):
        """Without the notes that a meeting does not take place ("September inget möte
        p.g.a. valet"): what feeds, upcoming lists, meeting counts and clashes look at."""
        return self.exclude(kind=Event.Kind.NO_MEETING)


class Event(Sourced, FlexibleDate, PlanPart):
    """A meeting or conference. Events in a decided plan's Kalendarium are locked
    with the plan (plans/lock.py)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Möte"
        PLANNING = "planning", "Planeringskonferens"
        CONFERENCE = "conference", "Konferens"
        # A plan's note that a body does not meet (VP 2010: "September inget möte
        # p.g.a. valet"): printed in its list, never in a feed or a count.
        NO_MEETING = "no_meeting", "Inget möte"

    uid = models.UUIDField("UID", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("typ", max_length=20, choices=Kind.choices, default=Kind.MEETING)
    body = models.ForeignKey(
        Body, verbose_name="organ", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    series = models.ForeignKey(
        EventSeries, verbose_name="serie", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    plan = models.ForeignKey(
        WorkPlan, verbose_name="i verksamhetsplan", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="events", help_text="Planen vars kalendarium tar upp händelsen.",
    )
    title = models.CharField(
        "rubrik", max_length=200, blank=True, help_text="Lämnas tom för organets eller seriens namn.",
        validators=[validate_single_line],
    )
    year = models.PositiveSmallIntegerField("år")
    start_time = models.TimeField("starttid", null=True, blank=True)
    end_time = models.TimeField("sluttid", null=True, blank=True)
    all_day = models.BooleanField("heldag", default=False)
    place = models.ForeignKey(
        Municipality, verbose_name="plats (kommun)", null=True, blank=True, on_delete=models.PROTECT, related_name="events_here"
    )
    venue = models.CharField(
        "lokal/plats", max_length=150, blank=True, help_text="T.ex. StorSthlm.", validators=[validate_single_line]
    )
    hosts = models.ManyToManyField(Municipality, verbose_name="värdkommuner", blank=True, related_name="hosted_events")
    note = models.CharField("anmärkning", max_length=300, blank=True, validators=[validate_single_line])
    preliminary = models.BooleanField(
        "preliminär", default=False,
        help_text="Ett utkast som kansliet ännu justerar, t.ex. kopierat från förra årets mötesmönster. "
        "Visas bara för inloggade med behörighet och finns inte i kalenderfilerna.",
    )
    sort_key = models.DateField("sorteringsdatum", editable=False)
    history = HistoricalRecords(inherit=False)

    objects = models.Manager.from_queryset(EventQuerySet)()

    class Meta:
        verbose_name = "kalenderhändelse"
        verbose_name_plural = "kalenderhändelser"
        ordering = ["sort_key", "start_time", "id"]
        indexes = [models.Index(fields=["year", "sort_key"])]

    def __str__(self):
        return f"{self.display_title} {self.date_display(with_year=True)}"

    def get_absolute_url(self):
        return reverse("calendar_app:event_detail", args=[self.uid])

    @staticmethod
    def preliminary_visible_to(user) -> bool:
        """Preliminary events are shown to those who edit the calendar and to readers
        of drafts (WorkPlan.drafts_visible_to), never to the public."""
        return user.has_perm("calendar_app.change_event") or WorkPlan.drafts_visible_to(user)

    def flexible_year(self):
        return self.year

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == self.Kind.PLANNING and self.body_id:
            return f"{self.body.short_name}s planeringskonferens"
        if self.series_id:
            name = self.series.name
        else:
            name = self.body.short_name if self.body_id else "Händelse"
        return f"{name}: inget möte" if self.is_no_meeting else name

    @property
    def is_no_meeting(self) -> bool:
        return self.kind == self.Kind.NO_MEETING

    @property
    def place_display(self) -> str:
        return ", ".join(p for p in (self.venue, self.place.name if self.place_id else "") if p)

    def check_no_meeting(self) -> None:
        """"Inget möte" says that no meeting takes place: it has no time and no place.
        Checked by clean() for forms and by save() for every other path."""
        if not self.is_no_meeting:
            return
        given = [label for value, label in (
            (self.start_time, "starttid"), (self.end_time, "sluttid"), (self.all_day, "heldag"),
            (self.place_id, "plats"), (self.venue, "lokal"),
        ) if value]
        if given:
            raise ValidationError({"kind": (
                f"”Inget möte” säger att inget möte hålls och kan inte ha {', '.join(given)}. "
                "Skriv skälet under Anmärkning, t.ex. ”p.g.a. valet”."
            )})

    def save(self, *args, **kwargs):
        self.check_no_meeting()
        self.sort_key = self.sort_date()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        try:
            self.clean_flexible_date()
        except ValidationError as e:
            errors.update(e.message_dict)
        if not self.body_id and not self.series_id and not self.title:
            errors["title"] = "Ange organ, serie eller en rubrik."
        if self.start_time and self.end_time and self.end_time <= self.start_time and self.date_precision != Precision.SPAN:
            errors["end_time"] = "Sluttiden måste ligga efter starttiden."
        try:
            self.check_no_meeting()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.plan_id and self.year not in (self.plan.year, self.plan.year + 1):
            errors["plan"] = f"Händelsen ligger {self.year}; planen för {self.plan.year} tar bara upp sitt år och början av nästa."
        if errors:
            raise ValidationError(errors)


class HostRotation(Sourced, PlanPart):
    """Which municipalities host a recurring conference a given year.

    Rotations are shared between plans: each plan shows the years it printed
    (`WorkPlan.rotation_ranges()`). A rotation that a decided plan shows is locked
    with it (plans/lock.py), and no rotation can be added into such a range; the
    years no decided plan shows stay editable."""

    lock_path = None
    lock_noun = "värdskap som {planen} visar"

    series = models.ForeignKey(EventSeries, verbose_name="serie", on_delete=models.CASCADE, related_name="rotations")
    year = models.PositiveSmallIntegerField("år")
    hosts = models.ManyToManyField(Municipality, verbose_name="värdkommuner", related_name="host_rotations")
    note = models.CharField("anmärkning", max_length=200, blank=True)

    class Meta:
        verbose_name = "värdskap"
        verbose_name_plural = "värdskap (rotation)"
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_rotation_per_series_and_year")]

    def __str__(self):
        return f"{self.series} {self.year}"

    # -- the lock (plans/lock.py): found by series and year, as the chairs by year --

    @staticmethod
    def _decided_plans() -> list[WorkPlan]:
        return list(WorkPlan._base_manager.filter(status=DECIDED).only("year", "rotation_years"))

    @staticmethod
    def _shown_q(plans) -> models.Q:
        q = models.Q(pk__in=[])  # matches nothing when no plan is decided
        for plan in plans:
            q |= plan.rotation_q()
        return q

    @classmethod
    def lock_keys_of(cls, rule, queryset) -> set:
        """The years of the decided plans that show rows of `queryset` (2 queries)."""
        plans = cls._decided_plans()
        if not plans:
            return set()
        rows = queryset.filter(cls._shown_q(plans)).order_by().values_list("series__slug", "year").distinct()
        return {plan.year for slug, year in rows for plan in plans if plan.shows_rotation(slug, year)}

    def lock_keys_for(self, rule) -> set:
        if self.series_id is None or self.year is None:
            return set()
        slug = EventSeries.objects.filter(pk=self.series_id).values_list("slug", flat=True).first()
        return {plan.year for plan in self._decided_plans() if plan.shows_rotation(slug, self.year)}


NO_MEETING_HOSTS = "”Inget möte” har ingen värdkommun."


def validate_hosts(series: EventSeries, hosts, kind: str | None = None) -> None:
    """Hosts must be members, and no more than the series has per year; a note that
    no meeting takes place has none. Called from the admin form, since many-to-many
    values are not seen by clean() (the last rule is also kept by refuse_no_meeting_hosts)."""
    hosts = list(hosts)
    if hosts and kind == Event.Kind.NO_MEETING:
        raise ValidationError(NO_MEETING_HOSTS)
    outsiders = [m.name for m in hosts if not m.is_member]
    if outsiders:
        raise ValidationError(f"{', '.join(outsiders)} är inte medlem i samverkan och kan inte vara värd.")
    if series and series.hosts_per_year and len(hosts) > series.hosts_per_year:
        raise ValidationError(
            f"{series} har {series.hosts_per_year} värdkommun{'er' if series.hosts_per_year > 1 else ''} per år, inte {len(hosts)}."
        )


@receiver(m2m_changed, sender=Event.hosts.through)
def refuse_no_meeting_hosts(sender, instance, action, reverse, pk_set, **kwargs):
    """Every path that adds hosts (admin, shell, imports) passes here."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        refused = Event.objects.filter(pk__in=pk_set, kind=Event.Kind.NO_MEETING).exists()
    else:
        refused = instance.kind == Event.Kind.NO_MEETING
    if refused:
        raise ValidationError(NO_MEETING_HOSTS)
