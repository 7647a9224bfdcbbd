"""What the post clerk takes to the carrier: for the produced cards waiting to be posted in the clerk's areas
(`selectors.waiting_for_post`, behind the gate `cases_visible_to`), a printable sheet of address labels (PDF)
and a list for the carrier (CSV, formulas escaped through `domain/spreadsheet.py`, columns in
docs/formats.md, "Post list for the carrier"). Both show personal data in full: each download is one audit
event with the number of cases and their office codes."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from fpdf import FPDF

from sscard.applications.receipt import font_file
from sscard.audit.services import record_event
from sscard.domain import regions, spreadsheet

from . import selectors

CSV_HEADER = ["office_code", "recipient_name", "recipient_phone", "district_code", "address"]

# A4 sheet of 2 × 8 labels (99 × 35.6 mm each inside a 6 mm margin), cut lines drawn.
PAGE_MARGIN = 6.0
COLUMNS, ROWS = 2, 8
PADDING = 3.0


@dataclass(frozen=True)
class Mailing:
    office_code: str
    display_code: str
    name: str
    phone: str
    district_code: str
    address: str  # the full postal address in Chinese, as the carrier reads it: region names and the detail


def mailings(staff) -> list[Mailing]:
    """The cards waiting to be posted in the staff member's areas, oldest application first."""
    rows = []
    for a in selectors.waiting_for_post(staff).order_by("submitted_at", "pk"):
        code = a.post_district or a.post_city or a.post_province
        region = regions.region_full_name(code) or ""
        rows.append(Mailing(office_code=a.office_code, display_code=a.display_code, name=a.recipient_name,
                            phone=a.recipient_phone, district_code=code,
                            address=f"{region} {a.post_detail}".strip()))
    return rows


def record_download(*, staff, kind: str, rows: list[Mailing], request=None) -> None:
    """A staff read of personal data: one event per download, with the count and the cases."""
    record_event(event_type=f"cards.post_{kind}_downloaded", actor=staff, request=request, subject_type="post",
                 subject_id=kind, data={"count": len(rows), "office_codes": [r.office_code for r in rows]})


def carrier_csv(rows: list[Mailing]) -> bytes:
    """The list for the carrier: UTF-8 with a byte-order mark (spreadsheet programs then read the Chinese)."""
    stream = io.StringIO()
    writer = spreadsheet.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow([r.office_code, r.name, r.phone, r.district_code, r.address])
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def labels_pdf(rows: list[Mailing]) -> bytes:
    """The label sheet: recipient's full name and phone, the address wrapped to the label, the office code."""
    path, index = font_file()
    pdf = FPDF(format="A4")
    pdf.set_title("Address labels")
    pdf.set_creator("sscard")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.set_draw_color(170, 170, 170)
    width = (pdf.w - 2 * PAGE_MARGIN) / COLUMNS
    height = (pdf.h - 2 * PAGE_MARGIN) / ROWS
    inner = width - 2 * PADDING
    if not rows:
        pdf.add_page()
        pdf.set_font("cjk", size=12)
        pdf.set_xy(PAGE_MARGIN, PAGE_MARGIN)
        pdf.cell(0, 10, _("No card is waiting to be posted."))
    for i, row in enumerate(rows):
        slot = i % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        x = PAGE_MARGIN + (slot % COLUMNS) * width
        y = PAGE_MARGIN + (slot // COLUMNS) * height
        pdf.rect(x, y, width, height)
        pdf.set_xy(x + PADDING, y + PADDING)
        pdf.set_font("cjk", size=12)
        pdf.cell(inner, 6, f"{row.name}    {row.phone}", new_x="LEFT", new_y="NEXT")
        pdf.set_font("cjk", size=9)
        # at most 5 lines of 4 mm: 120 characters of detail after the region names fit at 9 pt
        pdf.multi_cell(inner, 4, row.address, new_x="LEFT", new_y="NEXT", max_line_height=4)
        pdf.set_font("cjk", size=8)
        pdf.set_xy(x + PADDING, y + height - PADDING - 4)
        pdf.cell(inner, 4, row.display_code, align="R")
    return bytes(pdf.output())
