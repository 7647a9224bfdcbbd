from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sscard.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the plugin-setting check of every registry)
