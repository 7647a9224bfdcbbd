"""CSV declaration files: UTF-8 (with or without a BOM) or GBK/GB18030 as Excel saves CSV on Chinese Windows.

The encoding is detected, never guessed from the locale: a UTF-8 BOM -> utf-8-sig; else bytes that are valid
UTF-8 are UTF-8 (a GBK file of Chinese text is practically never valid UTF-8); else GB18030 (a superset of GBK).
Text that is neither, or that decodes to control or private-use characters (a UTF-16 file, random bytes), is
refused with one error. Errors name the column by its header."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata

from .base import DeclarationFormat, FileRejected, LineError, RawLine, lines_of
from .registry import register

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def decode(content: bytes) -> str:
    """The text of a CSV file (see the module's rules), or `FileRejected("not_text")`."""
    not_text = FileRejected([LineError.of(0, "", "not_text")])
    if content.startswith(codecs.BOM_UTF8):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise not_text from None
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError:
                raise not_text from None
    for char in set(text):
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _ALLOWED_CONTROLS) or category in ("Co", "Cn", "Cs") \
                or char == "\ufffd":
            raise not_text
    return text


@register("csv")
class CsvFormat(DeclarationFormat):
    extensions = (".csv",)
    media_type = "text/csv"

    def parse(self, content: bytes) -> list[RawLine]:
        text = decode(content)
        reader = csv.reader(io.StringIO(text, newline=""))

        def rows():
            try:
                for cells in reader:
                    yield reader.line_num, cells
            except csv.Error:
                raise FileRejected([LineError.of(reader.line_num, "", "not_text")]) from None

        def column_name(line, index, header):
            return header or f"#{index + 1}"

        return lines_of(rows(), column_name=column_name)
