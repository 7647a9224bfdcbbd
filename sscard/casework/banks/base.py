"""What a bank adapter does: build the pre-opening request for a set of cases, and read the bank's answer."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class BankAnswer:
    line: int
    office_code: str  # compact form
    opened: bool
    account_number: str = ""
    reason: str = ""


class BankAdapter(ABC):
    """Registered by id with `registry.register("<id>")`, which sets `identifier`."""

    identifier: str = ""
    label: str = ""

    @abstractmethod
    def build_request(self, *, exchange, applications) -> tuple[str, bytes]:
        """The request for `applications` (in exchange `exchange`): a file name and its content."""

    @abstractmethod
    def parse_response(self, data: bytes) -> list[BankAnswer]:
        """The bank's answers, or `ImportRejected` with the line-level errors of a malformed file."""
