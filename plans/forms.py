"""Forms of the plan's decision flow in the admin."""
import datetime

from django import forms

from .models import Body, Programme, WorkPlan


class _PlanForm(forms.Form):
    def __init__(self, *args, plan: WorkPlan, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)


class CopyPlanForm(_PlanForm):
    year = forms.IntegerField(label="År för den nya planen", min_value=2000, max_value=2100)
    programme = forms.ModelChoiceField(
        label="Utvecklingsprogram", queryset=Programme.objects.order_by("-valid_from"), required=False,
        help_text="Förvalt är det program som gäller det nya året.",
    )

    def __init__(self, *args, plan, **kwargs):
        from .services import programme_in_force

        super().__init__(*args, plan=plan, **kwargs)
        self.fields["year"].initial = plan.year + 1
        self.fields["programme"].initial = programme_in_force(plan.year + 1, prefer=plan.programme)
        self.help = (
            f"Kapitel, samverkansområden och handlingsplanen kopieras från {plan.year}. Uppföljningen nollställs, "
            "årets värdkommuner hämtas från rotationen, ordförande lämnas tomma och budgeten kopieras med "
            "avgifterna beräknade på den senaste fullständiga folkmängden. Planen för "
            f"{plan.year} ändras inte."
        )

    def clean(self):
        from .services import programme_in_force

        cleaned = super().clean()
        year = cleaned.get("year")
        if year and not cleaned.get("programme"):
            programme = programme_in_force(year, prefer=self.plan.programme)
            if programme is None:
                raise forms.ValidationError(
                    f"Inget utvecklingsprogram gäller {year}. Lägg först in det nya programmet "
                    "(Utvecklingsprogram i administrationen) och skapa sedan planen.",
                    code="no_programme",
                )
            cleaned["programme"] = programme
        return cleaned


class _CheckedForm(_PlanForm):
    """A step behind "Kontroll före beslut": the page shows the checklist above the form."""

    checked = True
    confirm_warnings = forms.BooleanField(
        label="Jag har läst varningarna i kontrollen och vill gå vidare", required=False,
        help_text="Vilka varningar du bekräftade sparas med ditt namn och tiden.",
    )


class ProposeForm(_CheckedForm):
    help = "Planen blir ”för beslut”. Den kan fortfarande ändras tills den beslutas."


class DecideForm(_CheckedForm):
    field_order = ["decided_on", "decided_by", "reference"]
    decided_on = forms.DateField(label="Beslutsdatum", widget=forms.DateInput(attrs={"type": "date"}))
    decided_by = forms.ModelChoiceField(label="Beslutande organ", queryset=Body.objects.filter(kind=Body.Kind.COMMITTEE))
    reference = forms.CharField(label="Paragraf/referens", max_length=100, help_text="T.ex. § 12")
    help = (
        "När beslutet registreras blir planen skrivskyddad och dess PDF arkiveras med en SHA-256-summa. "
        "Den arkiverade filen är det som sedan visas på webben."
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["decided_on"].initial = datetime.date.today()
        self.fields["decided_by"].initial = Body.objects.filter(kind=Body.Kind.COMMITTEE).first()


class ReopenForm(_PlanForm):
    reason = forms.CharField(label="Skäl", widget=forms.Textarea(attrs={"rows": 4}))
    help = "Beslutet och skälet till att planen öppnas registreras. Den arkiverade PDF:en finns kvar."


class SendForm(_PlanForm):
    sent_on = forms.DateField(label="Skickad", widget=forms.DateInput(attrs={"type": "date"}))
    help = "Alla åtta kommuner som ännu inte fått planen markeras som ”skickad” med detta datum."

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["sent_on"].initial = datetime.date.today()
