from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sscard.core"
    label = "core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import (
            checks,  # noqa: F401  (registers the plugin-setting check of every registry)
            pgints,
        )

        connection_created.connect(pgints.register, dispatch_uid="sscard.core.pgints")
