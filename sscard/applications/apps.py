from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sscard.applications"
    label = "applications"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sscard.reference.models import Holiday, ServiceSettings, Stage

        from .selectors import forget_configuration

        for model in (ServiceSettings, Stage, Holiday):
            for signal in (post_save, post_delete):
                signal.connect(forget_configuration, sender=model,
                               dispatch_uid=f"sscard.applications.forget_configuration.{model.__name__}")
