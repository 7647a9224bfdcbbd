"""Reads of reference data that more than one feature app needs."""

from sscard.domain import casestates

from .models import Stage


def stage_order() -> list[str]:
    """Every case state in the order the stage table gives it (`Stage.order`, edited in the admin); a state
    without a row keeps its place from the domain defaults, after the configured ones."""
    configured = list(Stage.objects.order_by("order", "id").values_list("code", flat=True))
    known = set(configured)
    defaults = [s.state.value for s in sorted(casestates.DEFAULT_STAGES, key=lambda s: s.order)]
    return [code for code in configured if code in set(defaults)] + [s for s in defaults if s not in known]
