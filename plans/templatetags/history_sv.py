"""The admin's history pages in Swedish: field names as labels, choice codes as
their labels, times in Europe/Stockholm, nothing as a dash."""
import datetime

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()

HISTORY_TYPES = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


@register.filter
def history_type_sv(value) -> str:
    return HISTORY_TYPES.get(value, value)


def _get(change, key):
    return change[key] if isinstance(change, dict) else getattr(change, key)


def _field(change, record):
    """The model field a change is about; the admin may name it by its verbose name."""
    name = str(_get(change, "field"))
    try:
        return record.instance._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        pass
    try:
        fields = record.instance._meta.fields
    except AttributeError:
        return None
    return next((f for f in fields if str(f.verbose_name).lower() == name.lower()), None)


@register.filter
def history_field_label(change, record) -> str:
    field = _field(change, record)
    return str(field.verbose_name) if field is not None else _get(change, "field")


def history_value(value, field) -> str:
    """A value as the history shows it; the admin hands them over as text already
    ("None", "share", "2017-12-31"), so text is read back through the field."""
    if value is None or value in ("", "None"):
        return "–"
    if isinstance(value, bool) or value in ("True", "False"):
        return "ja" if value in (True, "True") else "nej"
    if field is not None and field.choices:
        return str({str(key): label for key, label in field.flatchoices}.get(str(value), value))
    if isinstance(value, str) and field is not None and field.get_internal_type() in ("DateField", "DateTimeField"):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        if field.get_internal_type() == "DateField":
            value = value.date()
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y H.i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if field is not None and field.is_relation and field.related_model is not None and str(value).isdigit():
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return str(value)


@register.filter
def history_old(change, record) -> str:
    return history_value(_get(change, "old"), _field(change, record))


@register.filter
def history_new(change, record) -> str:
    return history_value(_get(change, "new"), _field(change, record))
