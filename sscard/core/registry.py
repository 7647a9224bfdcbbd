"""One shape for every extension point (Open Forms style): a `Registry` of plugin classes by id.

An extension point has a `base.py` (what a plugin does), a `registry.py` with one `Registry` instance, and one
module per plugin, registered by id with the instance as a class decorator::

    register = Registry("SMS gateway", base=SmsGateway, setting="SMS_GATEWAY", env="SSCARD_SMS_GATEWAY",
                        check_id="notify.E001")

    @register("outbox")
    class OutboxGateway(SmsGateway): ...

The app's `AppConfig.ready` imports the plugin modules, so every plugin is registered when the app loads. The
setting a registry declares names the plugin(s) in use: one id, or a mapping whose values are ids (e.g. a
bank code to an adapter id). The system check in `sscard.core.checks` reports a setting that names no
registered plugin, and whatever the chosen plugins' own `checks()` report about their configuration.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

P = TypeVar("P")

_registries: list[Registry] = []


class UnknownPlugin(ImproperlyConfigured, LookupError):
    """No plugin is registered under the id asked for."""


class Registry(Generic[P]):
    def __init__(self, name: str, *, base: type[P], setting: str = "", env: str = "", check_id: str = "",
                 default: str = ""):
        """`name`: what a plugin is ("SMS gateway"), for the (English) messages of errors and checks. `setting`: the Django setting naming the
        plugin(s) in use (checked by `check()`), `env` its environment variable (for hints), `check_id` the id
        of the check message for an unknown plugin, `default` the id used where the setting names none."""
        self.name = name
        self.base = base
        self.setting = setting
        self.env = env
        self.check_id = check_id
        self.default = default
        self._plugins: dict[str, type[P]] = {}
        _registries.append(self)

    # --- registering ----------------------------------------------------------------------------------

    def __call__(self, identifier: str):
        """Class decorator: `@register("outbox")` registers the class under "outbox" and sets its
        `identifier`. An id already taken is refused (two plugins must never answer to one name)."""
        if not identifier or not isinstance(identifier, str):
            raise TypeError(f"a {self.name} is registered under an id, e.g. @register(\"name\")")

        def decorator(cls: type[P]) -> type[P]:
            if identifier in self._plugins:
                raise ValueError(f"{self.name} {identifier!r} is already registered "
                                 f"(by {self._plugins[identifier].__qualname__})")
            if not (isinstance(cls, type) and issubclass(cls, self.base)):
                raise TypeError(f"{cls!r} is not a {self.base.__name__}")
            cls.identifier = identifier
            self._plugins[identifier] = cls
            return cls

        return decorator

    @contextmanager
    def temporarily(self, identifier: str, cls: type[P]):
        """Register `cls` under `identifier` for the duration of a `with` block (tests)."""
        self(identifier)(cls)
        try:
            yield cls
        finally:
            self._plugins.pop(identifier, None)

    # --- looking up -----------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[str]:
        """The registered ids, sorted."""
        return iter(sorted(self._plugins))

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins

    def __len__(self) -> int:
        return len(self._plugins)

    def plugin_class(self, identifier: str) -> type[P]:
        try:
            return self._plugins[identifier]
        except (KeyError, TypeError):
            known = ", ".join(self) or "none"
            raise UnknownPlugin(f"Unknown {self.name} {identifier!r} (registered: {known})") from None

    def get(self, identifier: str) -> P:
        """A new instance of the plugin registered under `identifier`; `UnknownPlugin` (an
        `ImproperlyConfigured` and a `LookupError`) naming the registered ids if there is none."""
        return self.plugin_class(identifier)()

    def configured(self, key: str | None = None) -> P:
        """The plugin the setting names: the setting itself when it is one id, or its value for `key` when it
        is a mapping (the registry's default where the mapping has no entry)."""
        value = getattr(settings, self.setting, None) if self.setting else None
        if isinstance(value, Mapping):
            value = value.get(key) if key is not None else None
        return self.get(value or self.default)

    # --- checking the settings ------------------------------------------------------------------------

    def configured_ids(self) -> list[str]:
        """Every id the setting names (one, or the values of a mapping), plus the default."""
        value = getattr(settings, self.setting, None) if self.setting else None
        if isinstance(value, Mapping):
            ids = [str(item) for item in value.values()]
        elif value in (None, ""):
            ids = []
        else:
            ids = [str(value)]
        if self.default and self.default not in ids:
            ids.append(self.default)
        return ids

    def check(self, app_configs=None, **kwargs) -> list[CheckMessage]:
        """An error for each id in the setting that no plugin answers to; then what each chosen plugin's
        `checks()` (if it has one) reports about its own configuration."""
        messages: list[CheckMessage] = []
        where = f"{self.setting} ({self.env})" if self.env else self.setting
        for identifier in self.configured_ids():
            if identifier not in self._plugins:
                known = ", ".join(self) or "none"
                messages.append(Error(
                    f"{where} names the {self.name} {identifier!r}, which is not registered.",
                    hint=f"Use one of the registered ids: {known}.",
                    id=self.check_id or "core.E001",
                ))
                continue
            plugin = self.get(identifier)
            if hasattr(plugin, "checks"):
                messages.extend(plugin.checks())
        return messages


def registries() -> list[Registry]:
    """Every registry created so far (each app's `ready` imports its own)."""
    return list(_registries)
