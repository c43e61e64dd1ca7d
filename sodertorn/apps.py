from django.apps import AppConfig


class SodertornConfig(AppConfig):
    name = "sodertorn"
    verbose_name = "Södertörn"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .freshness import watch_writes
        from .lock import connect_through_tables

        connect_through_tables()
        connection_created.connect(watch_writes, dispatch_uid="sodertorn.freshness.watch_writes")
