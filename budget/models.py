"""Budgets, population figures and the rules that turn them into member fees."""
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from plans.lock import PlanPart
from plans.models import Municipality, PlanPartManager, Sourced, WorkPlan
from sodertorn.archive import ChainedArchive
from sodertorn.markdown import validate_markdown


class Population(models.Model):
    """Folkmängd of one municipality on one date, with its published source."""

    municipality = models.ForeignKey(
        Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="populations"
    )
    date = models.DateField("datum")
    inhabitants = models.PositiveIntegerField("folkmängd", validators=[MinValueValidator(1)])
    source_text = models.CharField("källa", max_length=300)

    class Meta:
        verbose_name = "folkmängd"
        verbose_name_plural = "folkmängd"
        ordering = ["-date", "municipality__name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "date"], name="one_figure_per_date")]

    def __str__(self):
        return f"{self.municipality} {self.date:%Y-%m-%d}: {self.inhabitants}"


class Budget(Sourced, PlanPart):
    class FeeRule(models.TextChoices):
        SHARE = "share", "Total avgift fördelad efter folkmängd"
        PER_INHABITANT = "per_inhabitant", "Kronor per invånare"
        INDEXED = "indexed", "Grundavgift omräknad med kommunens folkmängd (avtalet § 8)"

    year = models.PositiveSmallIntegerField(
        "år", unique=True, error_messages={"unique": "Det finns redan en budget för det året."}
    )
    plan = models.OneToOneField(
        WorkPlan, verbose_name="verksamhetsplan", null=True, blank=True, on_delete=models.PROTECT, related_name="budget"
    )
    objects = PlanPartManager()  # Budget.objects.visible_to(user): as public as its plan

    fee_rule = models.CharField("avgiftsregel", max_length=20, choices=FeeRule.choices, default=FeeRule.SHARE)
    fee_per_inhabitant = models.DecimalField(
        "kronor per invånare", max_digits=6, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    population_date = models.DateField(
        "folkmängd per datum", null=True, blank=True,
        help_text="Lämnas tomt för 31 december året före budgetåret.",
    )
    base_total = models.PositiveIntegerField(
        "grundavgift totalt (kr)", null=True, blank=True,
        help_text="För regeln i avtalet § 8: 860 000 kr år 2010.",
    )
    base_population_date = models.DateField(
        "grundavgiftens folkmängdsdatum", null=True, blank=True,
        help_text="För regeln i avtalet § 8: 2009-12-31.",
    )
    fee_decision = models.CharField(
        "beslut om avgiften", max_length=300, blank=True,
        help_text="T.ex. ”Södertörns samarbetskommitté 2017-02-02” eller ”Samarbetsavtalet § 8”.",
    )
    fee_decision_date = models.DateField("beslutsdatum för avgiften", null=True, blank=True)
    note = models.TextField(
        "anmärkning", blank=True, help_text="Markdown. Visas under budgeten.", validators=[validate_markdown]
    )
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "budget"
        verbose_name_plural = "budgetar"
        ordering = ["-year"]

    def __str__(self):
        return f"Budget {self.year}"

    def get_absolute_url(self):
        return reverse("budget:budget_detail", args=[self.year])

    @property
    def reference_date(self) -> datetime.date:
        return self.population_date or datetime.date(self.year - 1, 12, 31)

    def clean(self):
        if self.fee_rule == self.FeeRule.PER_INHABITANT and not self.fee_per_inhabitant:
            raise ValidationError({"fee_per_inhabitant": "Ange avgiften i kronor per invånare."})
        if self.fee_rule == self.FeeRule.INDEXED and not (self.base_total and self.base_population_date):
            raise ValidationError({"base_total": "Ange grundavgiften och det datum dess folkmängd avser."})
        if self.fee_rule != self.FeeRule.PER_INHABITANT and self.fee_per_inhabitant:
            raise ValidationError({"fee_per_inhabitant": "Kronor per invånare används bara med regeln ”kronor per invånare”."})
        if self.plan_id and self.plan.year != self.year:
            raise ValidationError({"plan": f"Planen gäller {self.plan.year}, budgeten {self.year}."})


class BudgetLine(Sourced, PlanPart):
    """A line of a budget. In a decided plan only the outcome (utfall) can be filled in."""

    lock_path = "budget__plan"
    lock_free_fields = ("actual_amount",)

    class Kind(models.TextChoices):
        INCOME = "income", "Intäkt"
        COST = "cost", "Kostnad"

    budget = models.ForeignKey(Budget, verbose_name="budget", on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField("typ", max_length=10, choices=Kind.choices)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    label = models.CharField("post", max_length=200)
    amount = models.PositiveIntegerField("belopp (kr)", help_text="Hela kronor.")
    approximate = models.BooleanField("ungefärligt (ca)", default=False)
    is_member_fees = models.BooleanField(
        "medlemsavgifter", default=False, help_text="Intäktsraden som kommunernas avgifter utgör."
    )
    note = models.CharField("fotnot", max_length=300, blank=True)
    actual_amount = models.PositiveIntegerField(
        "utfall (kr)", null=True, blank=True, help_text="Fylls i efter året, för årsredovisningen."
    )
    history = HistoricalRecords(inherit=False)

    class Meta:
        verbose_name = "budgetpost"
        verbose_name_plural = "budgetposter"
        ordering = ["budget", "kind", "position"]

    def __str__(self):
        return f"{self.label}: {self.amount} kr"

    @property
    def outcome_difference(self) -> int | None:
        """Utfall minus budget, once the outcome is known."""
        return None if self.actual_amount is None else self.actual_amount - self.amount

    def clean(self):
        if self.is_member_fees and self.kind != self.Kind.INCOME:
            raise ValidationError({"is_member_fees": "Medlemsavgifterna är en intäkt."})


class SpecialProject(Sourced):
    """A joint project outside the budget, split by population (Samarbetsavtal § 7)."""

    name = models.CharField("namn", max_length=200)
    year = models.PositiveSmallIntegerField("år")
    amount = models.PositiveIntegerField("kostnad att fördela (kr)", validators=[MinValueValidator(1)])
    population_date = models.DateField("folkmängd per datum", null=True, blank=True,
                                       help_text="Lämnas tomt för 31 december året före.")
    description = models.TextField("beskrivning", blank=True)

    class Meta:
        verbose_name = "särskilt projekt"
        verbose_name_plural = "särskilda projekt"
        ordering = ["-year", "name"]

    def __str__(self):
        return f"{self.name} ({self.year})"

    @property
    def reference_date(self) -> datetime.date:
        return self.population_date or datetime.date(self.year - 1, 12, 31)


class FeeArchive(ChainedArchive):
    """A budget's fees as decided: frozen with the plan's decision, so that later
    population corrections (import_population --replace, a deleted figure) change
    neither the fee page nor the fee decision documents of a decided plan.

    Made by `budget.services.budget_fees_freeze`: at the decision in this system
    (with each member's fee PDF, byte for byte, and its SHA-256), and by the seed
    loader for the plans decided before the system (figures only: their documents
    were signed on paper and are rendered from these frozen figures)."""

    budget = models.ForeignKey(Budget, verbose_name="budget", on_delete=models.PROTECT, related_name="fee_archives")
    decided_on = models.DateField("beslutsdatum", null=True)
    reference_date = models.DateField("folkmängd per")
    member_fee_income = models.PositiveIntegerField("medlemsavgifter i budgeten", null=True)
    base_total_population = models.PositiveIntegerField("folkmängd på grundavgiftens datum", null=True)
    problems = models.TextField("hinder", blank=True)
    weasyprint_version = models.CharField("WeasyPrint-version", max_length=20, blank=True)
    created_at = models.DateTimeField("fryst", auto_now_add=True)

    write_once_message = "Frysta avgifter och arkiverade avgiftsunderlag ändras och raderas aldrig."
    archive_file_field = None
    archive_subject_fields = ("budget_id", "decided_on")

    class Meta(ChainedArchive.Meta):
        verbose_name = "frysta avgifter"
        verbose_name_plural = "frysta avgifter"
        ordering = ["budget", "-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"Avgifter {self.budget.year} ({self.created_at:%Y-%m-%d})"


class FeeArchiveRow(ChainedArchive):
    """One member's frozen population figure and fee, and its archived fee PDF."""

    archive = models.ForeignKey(FeeArchive, verbose_name="frysta avgifter", on_delete=models.PROTECT, related_name="rows")
    municipality = models.ForeignKey(Municipality, verbose_name="kommun", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("ordning")
    inhabitants = models.PositiveIntegerField("folkmängd", null=True)
    source_text = models.CharField("källa", max_length=300, blank=True)
    fee = models.PositiveIntegerField("avgift (kr)", null=True)
    pdf = models.BinaryField("beslutsunderlag (PDF)", null=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    write_once_message = FeeArchive.write_once_message
    archive_subject_fields = ("archive_id", "municipality_id")

    class Meta(ChainedArchive.Meta):
        verbose_name = "fryst avgift"
        verbose_name_plural = "frysta avgifter per kommun"
        ordering = ["archive", "position"]
        constraints = [models.UniqueConstraint(fields=["archive", "municipality"], name="one_frozen_fee_per_member")]

    def __str__(self):
        return f"{self.municipality}: {self.fee} kr"
