from django import template

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
