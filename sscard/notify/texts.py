"""Texts that reach a person in the reader's language, whoever caused them (docs/design: "store a message key
and its parameters, render when read").

A `Text` is a message key (the English msgid) with its parameters. It is stored as JSON (in-site messages,
history notes) and rendered when sent (SMS, in the recipient's language) or read (in the reader's language),
so an old message follows a later switch of language. Parameters are plain values (already masked: never
personal data in clear), other texts (translated when rendered), lazy translations (stored by their msgid)
or `Localized` values: reference data captured in every language when written (an outlet's name, address and
opening hours through modeltranslation). `Joined` puts texts one after another (a message and a note).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_of(user) -> str:
    """The language a user reads: their preferred language, else the site's default."""
    code = getattr(user, "preferred_language", "") or ""
    return code if code in languages() else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Localized:
    """One value in every language of the site (reference data captured when the text was written)."""

    values: dict

    @classmethod
    def capture(cls, read: Callable[[], object]) -> Localized:
        values = {}
        for code in languages():
            with translation.override(code):
                values[code] = str(read())
        return cls(values)

    def render(self) -> str:
        current = translation.get_language() or settings.LANGUAGE_CODE
        for code in (current, current.split("-")[0], settings.LANGUAGE_CODE):
            if code in self.values:
                return self.values[code]
        return next(iter(self.values.values()), "")


@dataclass(frozen=True)
class Text:
    """A message key (the English msgid, marked for translation where it is written) and its parameters."""

    key: str
    params: dict = field(default_factory=dict)

    def render(self) -> str:
        text = gettext(self.key)
        if not self.params:
            return text
        return text % {name: _render(value) for name, value in self.params.items()}


@dataclass(frozen=True)
class Joined:
    """Texts shown one after another (empty parts left out)."""

    parts: tuple
    separator: str = "\n"

    def render(self) -> str:
        return self.separator.join(part for part in (_render(p) for p in self.parts) if part)


def _msgid(value: Promise) -> str:
    # A lazy translation keeps the arguments of its call: its msgid (gettext_lazy("...")).
    args = getattr(value, "_args", None)
    return str(args[0]) if args else str(value)


def _render(value) -> str:
    if isinstance(value, (Text, Joined, Localized)):
        return value.render()
    if isinstance(value, Promise):
        return gettext(_msgid(value))
    return "" if value is None else str(value)


def render(value, language: str | None = None) -> str:
    """`value` (a text, a lazy translation or a plain string) rendered in `language` (default: the active one)."""
    if language:
        with translation.override(language):
            return _render(value)
    return _render(value)


def is_text(value) -> bool:
    return isinstance(value, (Text, Joined, Localized, Promise))


def to_json(value):
    """The stored form of a text (None for plain strings: those are stored as they are)."""
    if isinstance(value, Text):
        return {"key": value.key, "params": {name: _param_json(v) for name, v in value.params.items()}}
    if isinstance(value, Joined):
        return {"join": [_param_json(p) for p in value.parts], "sep": value.separator}
    if isinstance(value, Localized):
        return {"i18n": dict(value.values)}
    if isinstance(value, Promise):
        return {"key": _msgid(value), "params": {}}
    return None


def _param_json(value):
    stored = to_json(value)
    if stored is not None:
        return stored
    if isinstance(value, (int, float)) or value is None:
        return value
    return str(value)


def from_json(data):
    """A text back from its stored form (the reverse of `to_json`)."""
    if isinstance(data, dict):
        if "key" in data:
            return Text(str(data["key"]), {name: from_json(v) for name, v in (data.get("params") or {}).items()})
        if "join" in data:
            return Joined(tuple(from_json(p) for p in data["join"]), str(data.get("sep", "\n")))
        if "i18n" in data:
            return Localized(dict(data["i18n"]))
    return data


def render_stored(data, fallback: str = "") -> str:
    """A stored text rendered in the active language; `fallback` (text rendered when written) if none."""
    if not data:
        return fallback
    return _render(from_json(data))
