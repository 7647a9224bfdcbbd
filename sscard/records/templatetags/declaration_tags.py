"""Template filters of the declaration pages."""

from django import template

register = template.Library()


@register.filter
def money(fen) -> str:
    """Integer fen as yuan with thousands separators: 438000 -> "4,380.00"."""
    if fen is None or fen == "":
        return ""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
