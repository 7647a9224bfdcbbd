"""The statement as PDF, rendered from its stored contents and code (not stored: docs/records.md says why).

Chinese, plus the reader's language where it is not Chinese (the receipt's `Languages`), in the common font
(below) or the full CJK font where a character is missing from it. Deterministic: the same contents and code give
the same bytes (the creation date is the statement's issue date)."""

from __future__ import annotations

import datetime as dt
import io
import json

import segno
from django.utils.translation import gettext_lazy
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from sscard.applications.receipt import Languages, add_cjk_font, cjk_pdf_bytes
from sscard.domain.contributions import yuan
from sscard.domain.masking import mask_id_number
from sscard.domain.statement import group_code

from ..models import TYPE_LABELS
from ..person_selectors import BENEFIT_LABELS

MARGIN = 16
QR_SIZE = 42
SECOND_GREY = 70

TITLE = gettext_lazy("Statement of personal social insurance rights")
YEAR = gettext_lazy("Year")
NUMBER = gettext_lazy("Statement number")
ISSUED_ON = gettext_lazy("Issued on")
NAME = gettext_lazy("Name")
SSN = gettext_lazy("Social security number")
CONTRIBUTIONS = gettext_lazy("Contributions of the year by insurance type")
TYPE = gettext_lazy("Insurance type")
MONTHS_PAID = gettext_lazy("Months paid")
EMPLOYEE = gettext_lazy("Employee share")
EMPLOYER = gettext_lazy("Employer share")
ARREARS = gettext_lazy("Arrears")
TOTAL = gettext_lazy("Total")
MONTHS_TOTAL = gettext_lazy("Contribution months to the end of the year")
ACCOUNTS = gettext_lazy("Personal accounts (yuan)")
ACCOUNT = gettext_lazy("Account")
OPENING = gettext_lazy("Balance on 1 January")
CREDITS = gettext_lazy("Credited")
INTEREST = gettext_lazy("Interest")
OTHER = gettext_lazy("Other movements")
CLOSING = gettext_lazy("Balance on 31 December")
BENEFITS = gettext_lazy("Benefits of the year")
NO_BENEFITS = gettext_lazy("No benefit in this year.")
NO_CONTRIBUTIONS = gettext_lazy("No contribution recorded in this year.")
ACCOUNT_LABELS = {"pension": gettext_lazy("Pension account"), "medical": gettext_lazy("Medical account")}
VERIFY = gettext_lazy("Verification code: anyone can check this statement at %(url)s by scanning the QR code or "
                      "entering the code. The page shows the name (masked), the year and the totals as issued.")
OBJECT = gettext_lazy("Where to object: if a figure is wrong, ask your social insurance agency (any outlet, or the "
                      "12333 hotline) to verify it, with your evidence. The agency checks the record and corrects "
                      "it by a new version; you are told either way.")
FREE = gettext_lazy("This statement is free of charge.")
VERIFY_PATH = "/records/statements/verify/"


class _Page(FPDF):
    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def text(self, text: str, *, size: float = 9.5, width: float = 0, line: float = 4.8, align="L", grey=0):
        self.set_font("cjk", size=size)
        self.set_text_color(grey)
        self.multi_cell(width or self.content_width, line, text, align=align, wrapmode=self.wrapmode,
                        new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)

    def grid(self, header: list[str], rows: list[list[str]], widths: list[float]):
        """A table: the header row, then the rows, horizontal rules."""
        self.set_font("cjk", size=8.5)
        self.set_draw_color(150)
        with self.table(col_widths=widths, width=self.content_width, line_height=4.6, text_align="LEFT",
                        first_row_as_headings=True, headings_style=FontFace(emphasis=""), borders_layout="HORIZONTAL_LINES", padding=0.8,
                        wrapmode=self.wrapmode) as table:
            for cells in [header, *rows]:
                row = table.row()
                for cell in cells:
                    row.cell(cell)


def render_statement(*, contents_bytes: bytes, code: str, language: str, site_url: str = "") -> bytes:
    """The PDF of a statement: with the common font, or the full one where the common font lacks a character."""
    contents = json.loads(contents_bytes)
    return cjk_pdf_bytes(lambda full: _render(contents, code, language, site_url, full=full))


def _render(contents: dict, code: str, language: str, site_url: str, *, full: bool) -> FPDF:
    lang = Languages.for_reader(language)
    pdf = _Page(format="A4")
    pdf.wrapmode = WrapMode.WORD if lang.other else WrapMode.CHAR
    issued = dt.date.fromisoformat(contents["issued_on"])
    pdf.set_creation_date(dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC))
    pdf.set_title(f"{lang.chinese(TITLE)} {contents['year']} {contents['serial']}")
    pdf.set_lang("zh-CN" if lang.other is None else lang.other)
    pdf.set_creator("sscard")
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(True, margin=14)
    add_cjk_font(pdf, full=full)
    pdf.add_page()

    def both(label) -> str:
        parts = lang.label(label)
        return " / ".join(parts)

    pdf.text(f"{lang.chinese(TITLE)} ({contents['year']})", size=16, line=8, align="C")
    if lang.other:
        pdf.text(f"{lang.reader(TITLE)} ({contents['year']})", size=10, line=5.5, align="C", grey=SECOND_GREY)
    pdf.ln(3)
    top = pdf.get_y()
    qr = segno.make(code, error="l", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=4, border=4)
    buffer.seek(0)
    pdf.image(buffer, x=pdf.w - pdf.r_margin - QR_SIZE, y=top, w=QR_SIZE, h=QR_SIZE)
    beside = pdf.content_width - QR_SIZE - 4
    person = contents["person"]
    for label, value in ((NAME, person["name"]), (SSN, mask_id_number(person["id_number"])),
                         (YEAR, str(contents["year"])), (NUMBER, contents["serial"]),
                         (ISSUED_ON, contents["issued_on"])):
        pdf.text(f"{both(label)}: {value}", width=beside, size=9.5, line=5.2)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE) + 3)

    def type_label(t: str) -> str:
        label = TYPE_LABELS.get(t)
        return " / ".join(lang.label(label)) if label else t

    pdf.text(both(CONTRIBUTIONS), size=10.5, line=6)
    rows = [[type_label(r["type"]), str(r["paid_months"]), yuan(r["employee_fen"]), yuan(r["employer_fen"]),
             f"{yuan(r['arrears_fen'])} ({r['arrears_months']})" if r["arrears_months"] else "0.00"]
            for r in contents["contributions"]]
    totals = contents["totals"]
    if rows:
        rows.append([both(TOTAL), "", yuan(totals["employee_fen"]), yuan(totals["employer_fen"]),
                     yuan(totals["arrears_fen"])])
        pdf.grid([both(TYPE), both(MONTHS_PAID), both(EMPLOYEE), both(EMPLOYER), both(ARREARS)], rows,
                  [34, 14, 18, 18, 16])
    else:
        pdf.text(both(NO_CONTRIBUTIONS))
    pdf.ln(2)
    months = "; ".join(f"{type_label(t)}: {n}" for t, n in contents["months_total"].items()) or "0"
    pdf.text(f"{both(MONTHS_TOTAL)}: {months}")
    pdf.ln(2)
    pdf.text(both(ACCOUNTS), size=10.5, line=6)
    pdf.grid([both(ACCOUNT), both(OPENING), both(CREDITS), both(INTEREST), both(OTHER), both(CLOSING)],
              [[" / ".join(lang.label(ACCOUNT_LABELS[a["account"]])), yuan(a["opening_fen"]), yuan(a["credits_fen"]),
                yuan(a["interest_fen"]), yuan(a["other_fen"]), yuan(a["closing_fen"])]
               for a in contents["accounts"]], [26, 16, 16, 14, 16, 16])
    pdf.ln(2)
    pdf.text(both(BENEFITS), size=10.5, line=6)
    if contents["benefits"]:
        for b in contents["benefits"]:
            label = BENEFIT_LABELS.get(b["type"])
            name = " / ".join(lang.label(label)) if label else b["type"]
            pdf.text(f"{name}: {yuan(b['amount_fen'])} ({b['count']})")
    else:
        pdf.text(both(NO_BENEFITS))
    pdf.ln(3)
    url = site_url.rstrip("/") + VERIFY_PATH
    pdf.text(lang.chinese(VERIFY) % {"url": url}, size=8.5, line=4.4)
    if lang.other:
        pdf.text(lang.reader(VERIFY) % {"url": url}, size=8.5, line=4.4, grey=SECOND_GREY)
    pdf.set_font("cjk", size=7)
    pdf.multi_cell(0, 3.4, group_code(code, 8), wrapmode=WrapMode.WORD, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.text(lang.chinese(OBJECT), size=8.5, line=4.4)
    if lang.other:
        pdf.text(lang.reader(OBJECT), size=8.5, line=4.4, grey=SECOND_GREY)
    pdf.text(" / ".join(lang.label(FREE)), size=8.5, line=4.4)
    return pdf
