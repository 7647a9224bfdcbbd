"""The downloads of "Query and verification": a person's record of a year as CSV and PDF, an employer's
contributions of a year (or a month) as CSV. CSV cells go through the one formula-escaping writer
(`domain/spreadsheet.py`); amounts are written as numbers (yuan with two decimals), so a negative correction
stays a number. The PDF is built with fpdf2 and the common CJK font of the receipts' module (`applications.receipt.add_cjk_font`),
in the reader's language (Chinese for a Chinese reader); names and ID numbers are masked on both."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from sscard.applications.receipt import add_cjk_font, cjk_pdf_bytes
from sscard.domain import spreadsheet
from sscard.domain.contributions import yuan

from .selectors import YearRecord

BOM = "\ufeff"  # Excel opens a UTF-8 CSV with Chinese text correctly only with it


def _money(fen: int) -> Decimal:
    return Decimal(yuan(fen))


def _text(text) -> Decimal:
    return Decimal(str(text))


def person_csv(record: YearRecord, *, masked_name: str, masked_id_number: str) -> str:
    """One table: the year's contributions by month and insurance type, then the year's account movements and
    benefits, each row naming its part."""
    out = io.StringIO()
    out.write(BOM)
    writer = spreadsheet.writer(out)
    writer.writerow([_("Name"), masked_name, _("ID number"), masked_id_number, _("Year"), record.year or ""])
    writer.writerow([_("Part"), _("Month or day"), _("Insurance type or account"), _("Employer"), _("Base"),
                     _("Employer amount"), _("Employee amount or amount"), _("Status"), _("Version")])
    for row in record.records.rows:
        writer.writerow([_("Contribution"), row.month_label, str(row.type_label), row.employer_name,
                         _text(row.base_yuan), _text(row.employer_yuan), _text(row.employee_yuan),
                         str(row.status_label), row.version])
    for movement in record.movements:
        writer.writerow([_("Account movement"), movement.day.isoformat(), str(movement.get_account_display()),
                         "", "", "", _money(movement.amount_fen), str(movement.get_kind_display()), ""])
    for benefit in record.benefits:
        writer.writerow([_("Benefit"), benefit.period_start.isoformat(), str(benefit.label), "", "", "",
                         _money(benefit.amount_fen), "", ""])
    return out.getvalue()


class _Echo:
    def write(self, value):
        return value


def employer_csv_lines(rows: Iterable, *, employer_name: str, year: int, month=None) -> Iterator[str]:
    """The employer's CSV as lines, for a streaming response: the labels in the active language (kept for the
    whole stream, which runs after the view returned)."""
    language = translation.get_language()
    writer = spreadsheet.writer(_Echo())  # formulas escaped, like every export

    def generate():
        with translation.override(language):
            yield BOM
            yield writer.writerow([_("Employer"), employer_name, _("Year"), year,
                                   _("Month"), month.strftime("%Y-%m") if month else ""])
            yield writer.writerow([_("Month"), _("ID number"), _("Name"), _("Insurance type"), _("Base"),
                                   _("Employer amount"), _("Employee amount"), _("Status"), _("Version")])
            for row in rows:
                yield writer.writerow([row.month_label, row.masked_id_number, row.name, str(row.type_label),
                                       _money(row.base_fen), _money(row.employer_fen), _money(row.employee_fen),
                                       str(row.status_label), row.version])

    return generate()


# --- PDF ----------------------------------------------------------------------------------------------------

MARGIN = 15


class _Pdf(FPDF):
    def heading(self, text: str, size: float = 12):
        self.set_font("cjk", size=size)
        self.ln(2)
        self.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT", wrapmode=self.wrapmode)
        self.ln(1)

    def grid(self, headings: list[str], rows: list[list[str]], widths: tuple[int, ...], empty: str):
        self.set_font("cjk", size=8)
        if not rows:
            self.multi_cell(0, 5, empty, new_x="LMARGIN", new_y="NEXT", wrapmode=self.wrapmode)
            return
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.5, wrapmode=self.wrapmode,
                        first_row_as_headings=True,
                        headings_style=FontFace(emphasis="", fill_color=(230, 230, 230))) as table:
            for cells in [headings, *rows]:
                line = table.row()
                for cell in cells:
                    line.cell(str(cell))


def person_pdf(record: YearRecord, *, masked_name: str, masked_id_number: str, language: str) -> bytes:
    """The person's record of a year as PDF bytes, every label in `language`: in the common CJK font, or again in
    the full font where the common one lacks a character (a rare employer name)."""
    return cjk_pdf_bytes(lambda full: _person_pdf(record, masked_name=masked_name, masked_id_number=masked_id_number,
                                                  language=language, full=full))


def _person_pdf(record: YearRecord, *, masked_name: str, masked_id_number: str, language: str, full: bool) -> _Pdf:
    with translation.override(language):
        pdf = _Pdf(format="A4")
        pdf.wrapmode = WrapMode.CHAR if language.lower().startswith("zh") else WrapMode.WORD
        title = _("Social insurance record of %(year)s") % {"year": record.year or "—"}
        pdf.set_title(title)
        pdf.set_lang(language)
        pdf.set_creator("sscard")
        pdf.set_margins(MARGIN, 15, MARGIN)
        pdf.set_auto_page_break(True, margin=15)
        add_cjk_font(pdf, full=full)
        pdf.add_page()
        pdf.set_font("cjk", size=16)
        pdf.multi_cell(0, 9, title, align="C", new_x="LMARGIN", new_y="NEXT", wrapmode=pdf.wrapmode)
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(0, 6, f"{_('Name')}: {masked_name}    {_('ID number')}: {masked_id_number}",
                       new_x="LMARGIN", new_y="NEXT", wrapmode=pdf.wrapmode)
        records = record.records
        pdf.heading(_("Contributions"))
        pdf.grid([_("Month"), _("Insurance type"), _("Employer"), _("Base"), _("Employer amount"),
                  _("Employee amount"), _("Status"), _("Version")],
                 [[r.month_label, str(r.type_label), r.employer_name, r.base_yuan, r.employer_yuan, r.employee_yuan,
                   str(r.status_label), str(r.version)] for r in records.rows],
                 (16, 26, 40, 20, 20, 20, 22, 12), _("No contribution recorded yet."))
        pdf.heading(_("Contribution months"))
        pdf.grid([_("Insurance type"), _("Months paid"), _("Gaps (months not paid)")],
                 [[str(t.label), str(t.months.count),
                   ", ".join(g.first.strftime("%Y-%m") if g.months == 1 else
                             f"{g.first:%Y-%m} – {g.last:%Y-%m}" for g in t.months.gaps) or _("none")]
                  for t in records.contribution_months],
                 (50, 30, 100), _("No contribution recorded yet."))
        pdf.heading(_("Personal accounts"))
        pdf.grid([_("Pension account"), _("Medical account")],
                 [[f"{records.pension_yuan} {_('yuan')}", f"{records.medical_yuan} {_('yuan')}"]], (90, 90), "")
        pdf.grid([_("Day"), _("Account"), _("Kind"), _("Month"), _("Amount (yuan)")],
                 [[m.day.isoformat(), str(m.get_account_display()), str(m.get_kind_display()),
                   m.month.strftime("%Y-%m") if m.month else "", yuan(m.amount_fen)] for m in record.movements],
                 (30, 40, 40, 30, 40), _("No movement yet."))
        pdf.heading(_("Benefits received"))
        pdf.grid([_("Benefit"), _("From"), _("Until"), _("Amount (yuan)")],
                 [[str(b.label), b.period_start.isoformat(), b.period_end.isoformat(), yuan(b.amount_fen)]
                  for b in record.benefits],
                 (70, 35, 35, 40), _("No benefit recorded."))
        pdf.ln(4)
        pdf.set_font("cjk", size=8)
        pdf.multi_cell(0, 4, f"{settings.PORTAL_NAME!s} · {timezone.localtime():%Y-%m-%d %H:%M}", align="C",
                       new_x="LMARGIN", new_y="NEXT", wrapmode=pdf.wrapmode)
        return pdf
