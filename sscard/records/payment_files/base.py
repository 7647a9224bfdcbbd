"""What a bank payment file format does: turn the file's bytes into payment lines, or list every error with its
line and column. The business checks of a line (the bill, its area, its amount) are the service's
(`sscard.records.payments`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileError:
    """An error of a file: `line` 1-based (the header is line 1; 0: the whole file), `column` the header name
    ("" for the whole line), `message` an English msgid with its `params`."""

    line: int
    column: str
    code: str
    message: str
    params: dict = field(default_factory=dict)

    def translated(self) -> str:
        text = _(self.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


class PaymentFileRejected(Exception):
    """The file has errors: nothing of it is applied."""

    def __init__(self, errors: list[FileError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass(frozen=True)
class PaymentLine:
    line: int
    bill_number: str
    amount_fen: int
    reference: str
    paid_on: date


class PaymentFileFormat:
    """A bank payment file format. `identifier` is set by the registry."""

    identifier = ""
    media_type = "text/csv"

    def parse(self, content: bytes, *, today: date) -> list[PaymentLine]:
        """The lines of the file; raises `PaymentFileRejected` listing every error."""
        raise NotImplementedError
