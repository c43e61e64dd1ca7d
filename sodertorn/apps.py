from django.apps import AppConfig


class SodertornConfig(AppConfig):
    name = "sodertorn"
    verbose_name = "Södertörn"

    def ready(self):
        from django.core import checks
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_delete

        from . import archive
        from .freshness import watch_writes
        from .lock import connect_through_tables
        from .lock_sql import install_lock_triggers

        connect_through_tables()
        # Once per migrate (sender: this app), after every app's migrations.
        post_migrate.connect(install_lock_triggers, sender=self, dispatch_uid="sodertorn.lock_sql.install")
        connection_created.connect(watch_writes, dispatch_uid="sodertorn.freshness.watch_writes")
        for model in archive.write_once_models():
            pre_delete.connect(archive.refuse_delete, sender=model, weak=False,
                               dispatch_uid=f"write-once-{model._meta.label}")
        post_migrate.connect(archive.sqlite_triggers_restore, sender=self, dispatch_uid="sodertorn.archive.sqlite_triggers")
        checks.register(archive.check_write_once_models, checks.Tags.models)
