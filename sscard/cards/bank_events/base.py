"""What a card-event bank adapter does: deliver one event (or leave it for the day's file), and fetch the bank's
list of frozen cards (or leave it for a file staff upload)."""

from __future__ import annotations

from abc import ABC, abstractmethod


class DeliveryError(Exception):
    """The bank did not acknowledge the event: retried later. The message names no personal data."""


class BankEventAdapter(ABC):
    """Registered by id with `registry.register("<id>")`, which sets `identifier`."""

    identifier: str = ""
    label: str = ""
    # True: events are pushed by the `deliver_bank_event` task (and swept by beat); False: they wait for staff
    # to download the day's outgoing file, and the bank's list of frozen cards comes as a file too.
    pushes: bool = False

    @abstractmethod
    def deliver(self, event) -> None:
        """Deliver `event` (a `BankCardEvent`) and return once the bank acknowledged it; `DeliveryError`
        otherwise."""

    def fetch_frozen(self, bank) -> set[str]:
        """The card numbers the bank has frozen (`DeliveryError` if it cannot be read)."""
        raise DeliveryError("this adapter receives the list of frozen cards as a file")
