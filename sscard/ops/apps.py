from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "sscard.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from . import metrics

        metrics.connect_celery_signals()
