"""The record of warnings a user confirmed when proposing or deciding a plan
(imported by plans.models; kept apart from the plan's own models)."""
from django.conf import settings
from django.db import models


class PlanCheckConfirmation(models.Model):
    """Which warnings of "Kontroll före beslut" were passed, by whom and when."""

    class Step(models.TextChoices):
        PROPOSE = "propose", "Lägg fram för beslut"
        DECIDE = "decide", "Registrera beslut"

    plan = models.ForeignKey("plans.WorkPlan", verbose_name="plan", on_delete=models.PROTECT,
                             related_name="check_confirmations")
    step = models.CharField("steg", max_length=10, choices=Step.choices)
    warnings = models.JSONField("bekräftade varningar", default=list)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bekräftad av", null=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("bekräftad", auto_now_add=True)

    class Meta:
        app_label = "plans"
        verbose_name = "bekräftad varning före beslut"
        verbose_name_plural = "bekräftade varningar före beslut"
        ordering = ["plan", "-confirmed_at"]

    def __str__(self):
        return f"{self.plan} – {self.get_step_display()} {self.confirmed_at:%Y-%m-%d}"

    @property
    def warnings_text(self) -> str:
        return " · ".join(self.warnings)
