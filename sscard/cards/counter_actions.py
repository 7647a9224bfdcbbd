"""The actions of the counter card page (/staff/counter/card/<number>), one registry so that later pieces
(unlock a PIN, hand over a replacement, take a payment at the counter) add a button without touching the
page or the URLs.

An action has a name (the URL's last part and the prefix of its form's fields), a partial template rendered
in the page's action area with `card`, `form` and `action` in its context, a form class, `available(card,
staff)` (shown or not: ask the state machine, `cardstates.allowed_targets(state, "counter")`, through
`moves_to`), and `run(request, card, cleaned_data)` which calls one service and returns the success message
(a refusal raises a `DomainError`, shown as a message; nothing changes).

Register an action when the app that owns it loads (`AppConfig.ready()`):

    register_counter_action(CounterAction(name="unlock_pin", template="cards/counter/_unlock_pin.html",
                                          form_class=UnlockForm, available=..., run=..., order=30))

The form is bound with the action's name as prefix (its fields are posted as `<name>-<field>`); the built-in
actions use orders 10 (formal loss), 20 (withdrawal) and 90 (cancellation request).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sscard.domain import cardstates


@dataclass(frozen=True)
class CounterAction:
    name: str
    template: str
    form_class: type
    available: Callable  # (card, staff) -> bool
    run: Callable  # (request, card, cleaned_data) -> str, the success message
    order: int = 100


COUNTER_ACTIONS: dict[str, CounterAction] = {}


def register_counter_action(action: CounterAction) -> None:
    COUNTER_ACTIONS[action.name] = action


def moves_to(state: str) -> Callable:
    """`available` for an action that changes the card to `state`: when the state machine allows it at a counter."""
    return lambda card, staff: state in cardstates.allowed_targets(card.state, cardstates.Channel.COUNTER)


def actions_for(card, staff) -> list[CounterAction]:
    """The actions the page offers for this card, in their order."""
    return sorted((a for a in COUNTER_ACTIONS.values() if a.available(card, staff)), key=lambda a: (a.order, a.name))
