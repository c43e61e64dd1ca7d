from django.apps import AppConfig

READER_PERMISSIONS = ["view_unapproved", "view_assignment", "view_paragraphadoption"]


def grant(Group, Permission, using="default"):
    """Sekretariat may do everything with meetings (history records excepted);
    Läsare read unapproved minutes, handlingar and the follow-up. Run once by the
    data migration; later permissions follow the role rule in plans.apps (granted
    once, when they first appear)."""
    secretariat = Group.objects.using(using).filter(name="Sekretariat").first()
    reader = Group.objects.using(using).filter(name="Läsare").first()
    if not (secretariat and reader):
        return
    domain = Permission.objects.using(using).filter(content_type__app_label="meetings").exclude(
        content_type__model__startswith="historical"
    )
    secretariat.permissions.add(*domain)
    reader.permissions.add(*domain.filter(codename__in=READER_PERMISSIONS))


def guard_meeting_event(sender, instance, raw=False, **kwargs):
    """Refuses moving a kallat meeting's event (see meeting_event_change_error). A
    signal, because the guard belongs to the meetings app and calendar_app must
    not depend on it; the calendar's admin form asks the same function, registered
    in calendar_app.guards, to show the message as a form error."""
    from django.core.exceptions import ValidationError

    from .models import meeting_event_change_error

    if raw:
        return
    error = meeting_event_change_error(instance)
    if error:
        raise ValidationError(error)


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Sammanträden"

    def ready(self):
        from django.db.models.signals import pre_save

        from calendar_app.guards import event_change_guard_register
        from calendar_app.models import Event

        from .models import meeting_event_change_error

        pre_save.connect(guard_meeting_event, sender=Event, dispatch_uid="sodertorn_guard_meeting_event")
        # The calendar's admin form asks the same rule to show it as a form error.
        event_change_guard_register(meeting_event_change_error)
