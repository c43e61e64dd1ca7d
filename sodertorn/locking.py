"""Optimistic locking for admin forms of models with django-simple-history.

The form carries the id of the newest history record its editor loaded; if
someone saved the object since, the save is refused with who changed what, and
the form keeps what the editor typed."""
from django import forms


def describe_changes(records, *, ignore=("version",), fallback="posten") -> list[str]:
    """History records as sentences: "undertitel ändrades av kansli 2026-11-23 14.32"."""
    lines = []
    for record in records:
        previous = record.prev_record
        fields = [c.field for c in record.diff_against(previous).changes if c.field not in ignore] if previous else []
        model = record.instance_type
        names = ", ".join(str(model._meta.get_field(f).verbose_name) for f in fields) or fallback
        lines.append(f"{names} ändrades av {record.history_user or 'okänd'} {record.history_date:%Y-%m-%d %H.%M}")
    return lines


class StaleEditGuardForm(forms.ModelForm):
    loaded_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_revision"].initial = self._latest_revision()

    def _latest_revision(self) -> int | None:
        return self.instance.history.order_by("-history_id").values_list("history_id", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_revision")
        if self.instance.pk and loaded is not None and loaded != self._latest_revision():
            newer = self.instance.history.filter(history_id__gt=loaded).select_related("history_user").order_by("history_id")
            changes = describe_changes(newer)
            raise forms.ValidationError(
                "Någon annan har sparat detta medan du redigerade, så dina ändringar sparades inte. "
                "Det du skrev finns kvar i formuläret. Ändringar sedan du öppnade: " + "; ".join(changes) + ".",
                code="stale",
            )
        return cleaned
