"""Optimistic locking: one mechanism for every model edited in forms.

Each `Versioned` row carries a `version` that every save raises by one, in the same
statement that checks it: `UPDATE … SET version = v + 1 WHERE pk = … AND version = v`,
where v is the version the saving instance was loaded with. Two saves that start
from the same version can therefore never both succeed, on SQLite (one writer at a
time) as on PostgreSQL (the row is locked by the first UPDATE until its transaction
ends; the second then finds the new version and changes no row). The losing save
raises `StaleEdit`, a Swedish ValidationError listing what the other saves changed
(from django-simple-history, see `describe_changes`).

Forms (`VersionedForm`, also for admin inlines) carry the version their editor loaded
in a hidden field: a save based on an older version is refused in `clean()`, with the
same list, and the form keeps what the editor typed. A form whose row did not change
saves nothing, so a page with many inline rows never overwrites a row it did not edit.
`VersionedAdminMixin` runs a change form again when its save lost the race between
that check and the write, so that even then the editor sees the message and keeps
the input.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F

STALE_MESSAGE = (
    "Någon annan har sparat {what} medan du redigerade, så dina ändringar sparades inte. "
    "Det du skrev finns kvar i formuläret. Ändringar sedan du öppnade: {changes}."
)


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


def changes_since(instance, version: int) -> list[str]:
    """What was saved to `instance` after `version`, from its history (if it has one)."""
    history = getattr(type(instance), "history", None)
    if history is None:
        return [f"{instance._meta.verbose_name} har sparats i en nyare version"]
    records = (
        instance.history.filter(version__gt=version).select_related("history_user").order_by("history_date")
    )
    return describe_changes(records) or [f"{instance._meta.verbose_name} har sparats i en nyare version"]


def _normalised(value):
    """Text as a form gives it back: CR LF as LF, surrounding white space stripped."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class StaleEdit(ValidationError):
    """A save based on a version that is no longer the newest."""

    def __init__(self, instance, version: int, what: str | None = None):
        what = what or f"{instance._meta.verbose_name} ”{instance}”"
        changes = "; ".join(changes_since(instance, version))
        super().__init__(STALE_MESSAGE.format(what=what, changes=changes), code="stale")


class VersionedQuerySet(models.QuerySet):
    """Bulk updates raise the version too, so that a form loaded before one is stale."""

    def update(self, **kwargs):
        kwargs.setdefault("version", F("version") + 1)
        return super().update(**kwargs)

    update.queryset_only = True


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        "version", default=1, editable=False,
        help_text="Räknas upp vid varje sparning; skyddar mot att två personers ändringar skriver över varandra.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        expected = self.version
        model = type(self)
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            # The check and the claim in one statement (see the module docstring).
            claimed = model._base_manager.filter(pk=self.pk, version=expected).update(version=expected + 1)
            if not claimed:
                if model._base_manager.filter(pk=self.pk).exists():
                    raise StaleEdit(self, expected)
                return super().save(*args, **kwargs)  # deleted meanwhile: Django inserts it again
            self.version = expected + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = set(kwargs["update_fields"]) | {"version"}
            try:
                return super().save(*args, **kwargs)
            except Exception:
                self.version = expected
                raise


class VersionedForm(forms.ModelForm):
    """A model form that carries the version its editor loaded (see the module docstring)."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    stale_what = None  # e.g. "planen"; default: the model's name and the row
    is_revert = False  # simple-history's revert form: the instance holds an old version's values

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            version = self.instance.version
            if self.is_revert:  # a revert edits the row as it is now
                version = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list(
                    "version", flat=True).first()
            self.fields["loaded_version"].initial = version

    @property
    def changed_data(self):
        # The hidden version is bookkeeping: a row is changed only by what its editor typed.
        return [name for name in super().changed_data if name != "loaded_version"]

    def has_changed(self):
        if getattr(self, "_unchanged_since_loaded", False):
            return False
        return self.is_revert or bool(self.changed_data)

    def _edited_since(self, loaded: int) -> bool:
        """Whether the editor changed anything against the version they loaded.

        Django compares a bound form with the row as it is now, so a row someone
        else saved meanwhile looks changed by every form that still shows the old
        values (the plan page's inlines re-post every chapter). The version the
        editor loaded is in the history: compared with it, such a form is
        unchanged, and is neither refused nor saved. Without history, or for a
        many-to-many field, the form counts as changed (and is refused)."""
        history = getattr(type(self.instance), "history", None)
        record = history.filter(id=self.instance.pk, version=loaded).order_by("-history_id").first() if history else None
        if record is None:
            return True
        for name in self.changed_data:
            try:
                field = self.instance._meta.get_field(name)
            except Exception:
                return True
            if field.many_to_many or not hasattr(record, field.attname):
                return True
            old, new = getattr(record, field.attname), self.cleaned_data.get(name)
            if field.is_relation:
                new = getattr(new, "pk", new)
            old, new = _normalised(old), _normalised(new)
            if old in (None, "") and new in (None, ""):
                continue
            if old != new:
                return True
        return False

    def stale_changes(self, loaded: int) -> list[str]:
        return changes_since(self.instance, loaded)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != loaded and self.has_changed():
                if not self.is_revert and not self._edited_since(loaded):
                    self._unchanged_since_loaded = True
                    return cleaned
                what = self.stale_what or f"{self.instance._meta.verbose_name} ”{self.instance}”"
                raise forms.ValidationError(
                    STALE_MESSAGE.format(what=what, changes="; ".join(self.stale_changes(loaded))), code="stale",
                )
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        loaded = self.cleaned_data.get("loaded_version") if hasattr(self, "cleaned_data") else None
        if self.instance.pk and loaded is not None:
            self.instance.version = loaded  # the save claims the version the editor loaded


class VersionedAdminMixin:
    """Admin side of the versions: a change form saves its own row only when its
    editor changed it (inline rows are saved on their own, only when changed), and
    runs again when its save lost the race to another save between the form's
    check and the write (StaleEdit): the second run's check then sees the other
    save, shows what changed and keeps the editor's input."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        match = getattr(request, "resolver_match", None)
        if match and (match.url_name or "").endswith("_simple_history") and issubclass(form, VersionedForm):
            return type(form.__name__, (form,), {"is_revert": True})
        return form

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEdit:
            return super().changeform_view(request, object_id, form_url, extra_context)
