from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sscard.applications"
    label = "applications"

    def ready(self):
        from .payments import counter, http  # noqa: F401 - registers the payment gateways
