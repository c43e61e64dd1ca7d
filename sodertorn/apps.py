from django.apps import AppConfig


class SodertornConfig(AppConfig):
    name = "sodertorn"
    verbose_name = "Södertörn"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .freshness import watch_writes
        from .lock import connect_through_tables

        connect_through_tables()

        from django.db.models.signals import post_migrate

        from .lock_sql import install_lock_triggers

        # Once per migrate (sender: this app), after every app's migrations.
        post_migrate.connect(install_lock_triggers, sender=self, dispatch_uid="sodertorn.lock_sql.install")
        connection_created.connect(watch_writes, dispatch_uid="sodertorn.freshness.watch_writes")
