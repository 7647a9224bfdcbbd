from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def field_widget(bound_field):
    """Render a field's widget wired to its help text and errors for screen readers."""
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    attrs = {}
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


# Punctuation that joins two pieces of text follows the language (full-width in Chinese: "网上申领：申请人",
# "制卡中（银行预开户中）", "中国银行、招商银行"), so it is translated like any other text ("punctuation"
# context in the catalogues) instead of being written into the templates.

@register.simple_tag
def colon() -> str:
    """": " between a label and its value ("：" in Chinese)."""
    return pgettext("punctuation", ": ")


@register.simple_tag
def open_paren() -> str:
    """" (" before a remark on what precedes it ("（" in Chinese)."""
    return pgettext("punctuation", " (")


@register.simple_tag
def close_paren() -> str:
    """")" after the remark ("）" in Chinese)."""
    return pgettext("punctuation", ")")


@register.filter
def join_list(values) -> str:
    """The items of a list joined with the language's separator (", ", "、" in Chinese); escaped."""
    return mark_safe(conditional_escape(pgettext("punctuation", ", ")).join(conditional_escape(v) for v in values))


@register.filter
def yuan(fen) -> str:
    """Integer fen as yuan with two decimals: 123450 -> "1234.50" (empty for no value)."""
    from sscard.domain.contributions import yuan as to_yuan

    return "" if fen in (None, "") else to_yuan(int(fen))
