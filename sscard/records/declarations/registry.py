"""Declaration file formats by id (`csv`, `xlsx`); `RecordsConfig.ready` imports the plugin modules. The format
of an upload is chosen by its file name's ending, or by its content where that is sure."""

from __future__ import annotations

from sscard.core.registry import Registry

from .base import DeclarationFormat

register: Registry[DeclarationFormat] = Registry("declaration file format", base=DeclarationFormat)


def format_for(filename: str, content: bytes = b"") -> DeclarationFormat | None:
    """The format reading a file: None unless its name ends in an accepted ending (case-insensitive); then the
    format its content surely is (an XLSX archive named .csv), else the one its ending names."""
    lowered = (filename or "").lower()
    plugins = [register.get(identifier) for identifier in register]
    by_name = next((p for p in plugins if any(lowered.endswith(ext) for ext in p.extensions)), None)
    if by_name is None:
        return None
    return next((p for p in plugins if p.sniff(content)), by_name)


def extensions() -> list[str]:
    return sorted(ext for identifier in register for ext in register.plugin_class(identifier).extensions)
