from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sscard.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from .guard import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="sscard.audit.sqlite_functions")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_functions(connection=connection)
