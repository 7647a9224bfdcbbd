"""System check of every extension point: each setting names a registered plugin, and the chosen plugins'
own configuration checks pass (see `sscard.core.registry`)."""

from django.core.checks import Tags, register

from .registry import registries


@register("plugins", Tags.security)
def check_plugin_settings(app_configs=None, **kwargs):
    """Not a deploy-only check: `migrate`, `collectstatic` and `check` (the release steps) refuse to run on a
    setting that names no plugin, or on a plugin whose own check refuses the configuration."""
    return [message for registry in registries() for message in registry.check()]
