from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Planer, program och organisation"

    def ready(self):
        # Registers the Swedish collation on every new SQLite connection.
        import sodertorn.db  # noqa: F401
