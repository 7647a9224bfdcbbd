"""Declaration file formats by id (`csv`, `xlsx`); `RecordsConfig.ready` imports the plugin modules. The format
of an upload is chosen by its file name's ending."""

from __future__ import annotations

from sscard.core.registry import Registry

from .base import DeclarationFormat

register: Registry[DeclarationFormat] = Registry("declaration file format", base=DeclarationFormat)


def format_for(filename: str) -> DeclarationFormat | None:
    """The format reading a file of this name (by its ending, case-insensitive), or None."""
    lowered = (filename or "").lower()
    for identifier in register:
        plugin = register.get(identifier)
        if any(lowered.endswith(ext) for ext in plugin.extensions):
            return plugin
    return None


def extensions() -> list[str]:
    return sorted(ext for identifier in register for ext in register.plugin_class(identifier).extensions)
