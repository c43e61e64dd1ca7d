from django.apps import AppConfig


class SecretariatConfig(AppConfig):
    """The roof: the secretariat's work that spans the rooms (plans, calendar_app,
    budget, meetings): copying a plan to next year, the decision flow and its
    checks, the documents that gather a plan's calendar and budget, the seed loader.
    It imports the rooms; no room imports it. It owns no models."""

    name = "secretariat"
    verbose_name = "Kansliets arbetsflöden"
