"""The default card-event adapter: events wait for staff to download the bank's outgoing file of the day; the
bank acknowledges them with an ack file, reports losses with an events file and sends its list of frozen cards
as a file, all uploaded on the staff page (/staff/bank-events/). Formats in docs/formats.md, "Bank card
events"."""

from __future__ import annotations

from .base import BankEventAdapter, DeliveryError
from .registry import register

OUTGOING_HEADER = ["event_id", "kind", "card_number", "bank_account", "occurred_at", "from_state", "to_state"]
ACK_HEADER = ["event_id"]
INCOMING_HEADER = ["event_id", "kind", "card_number", "occurred_at"]
FROZEN_HEADER = ["card_number"]


@register("file_exchange")
class FileExchangeAdapter(BankEventAdapter):
    label = "CSV file exchange"
    pushes = False

    def deliver(self, event) -> None:
        raise DeliveryError("delivered in the day's outgoing file")

    @staticmethod
    def outgoing_row(event) -> list[str]:
        p = event.payload
        return [p["event_id"], p["kind"], p["card_number"], p["bank_account"], p["occurred_at"], p["from_state"],
                p["to_state"]]
