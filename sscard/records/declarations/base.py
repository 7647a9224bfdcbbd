"""What a declaration file format does: turn the bytes of an uploaded file into lines of text.

A plugin is registered by id with `registry.register("<id>")` (which sets `identifier`) and says which file
name endings it reads. `parse` returns the lines (`RawLine`: line number, the text of each field, where each
field is) or raises `FileRejected` with every error it found (`LineError`: line, column, code, message)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from sscard.domain.declaration import FileRejected, LineError, RawLine, read_header

__all__ = ["DeclarationFormat", "FileRejected", "LineError", "RawLine", "lines_of"]


class DeclarationFormat(ABC):
    identifier: str = ""
    extensions: tuple[str, ...] = ()
    media_type: str = "application/octet-stream"

    def sniff(self, content: bytes) -> bool:
        """Whether the bytes are surely of this format whatever the file is called (an XLSX archive saved
        under a .csv name); False where the content says nothing."""
        return False

    @abstractmethod
    def parse(self, content: bytes) -> list[RawLine]:
        """The file's lines after its header row, or `FileRejected`."""


def lines_of(rows, *, column_name) -> list[RawLine]:
    """Lines from the rows of a table: `rows` yields (line number, [cell text]), the header row first;
    `column_name(line, index, header_text)` names a cell in errors. Blank rows are skipped (their numbers are
    kept, so a line number is the row the user sees in their program)."""
    rows = iter(rows)
    header = None
    for line, cells in rows:
        if any((cell or "").strip() for cell in cells):
            header = (line, cells)
            break
    if header is None:
        raise FileRejected([LineError.of(1, "", "empty_file")])
    header_line, header_cells = header
    headers = [(cell or "").strip().lstrip("\ufeff") for cell in header_cells]
    mapping, errors = read_header(headers, [column_name(header_line, i, h) for i, h in enumerate(headers)],
                                  line=header_line)
    if errors:
        raise FileRejected(errors)
    result: list[RawLine] = []
    for line, cells in rows:
        if not any((cell or "").strip() for cell in cells):
            continue
        values, columns = {}, {}
        for index, cell in enumerate(cells):
            name = mapping.get(index)
            if name is None:
                if (cell or "").strip():
                    errors.append(LineError.of(line, column_name(line, index, ""), "cell_without_header"))
                continue
            values[name] = cell or ""
            columns[name] = column_name(line, index, headers[index])
        for index, name in mapping.items():  # a short row: its missing cells are empty
            if name not in values:
                values[name] = ""
                columns[name] = column_name(line, index, headers[index])
        result.append(RawLine(line, values, columns))
    if errors:
        raise FileRejected(errors)
    return result
