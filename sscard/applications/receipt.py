"""The PDF receipt of a submitted application: Chinese text in an embedded CJK font, a QR code of the
office code. Built with fpdf2 (the font is subset and embedded) and segno.

The receipt is in Chinese, and bilingual only where that helps: a reader of another language gets every label
in Chinese with their language under it, and names and addresses in their language with the Chinese (on the
signs and envelopes) beside it. A Chinese reader gets each label and line once. Every text is wrapped
(`multi_cell`), so nothing runs off the page; the outlet's address and hours (pick-up) or the masked postal
address (post) are on it."""

from __future__ import annotations

import functools
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from fpdf import FPDF
from fpdf.enums import WrapMode

from sscard.domain import regions
from sscard.domain.masking import mask_name, mask_phone

from .choices import Delivery
from .models import Application

# (path, index in a font collection). Debian: fonts-noto-cjk (preferred) or fonts-wqy-zenhei.
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2 = Noto Sans CJK SC
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)

CHINESE = "zh-hans"
MASKED_DETAIL = "***"  # the street address, hidden as on the case page (the district stays readable)

# Page geometry in millimetres (A4).
MARGIN = 18
LABEL_WIDTH = 58
QR_SIZE = 40
MAIN_SIZE, SECOND_SIZE = 11, 9  # font sizes: Chinese and values; a label's second language
SECOND_GREY = 70  # dark enough to read on a print-out (contrast above 7:1 on white)

TITLE = gettext_lazy("Social security card application receipt")
OFFICE_CODE = gettext_lazy("Office code")
HOW_TO_FOLLOW = gettext_lazy("Use the office code and the last 6 characters of the ID number to follow the "
                             "progress.")
APPLICANT = gettext_lazy("Applicant")
ID_NUMBER = gettext_lazy("ID number")
PARTNER_BANK = gettext_lazy("Partner bank")
DELIVERY = gettext_lazy("Delivery")
PICKUP_OUTLET = gettext_lazy("Pick-up outlet")
ADDRESS = gettext_lazy("Address")
OPENING_HOURS = gettext_lazy("Opening hours")
OUTLET_PHONE = gettext_lazy("Outlet phone")
RECIPIENT = gettext_lazy("Recipient")
RECIPIENT_PHONE = gettext_lazy("Recipient's phone")
POSTAL_ADDRESS = gettext_lazy("Postal address")
SUBMITTED_ON = gettext_lazy("Submitted on")
EXPECTED_COMPLETION = gettext_lazy("Expected completion")
WHAT_NEXT = gettext_lazy("What happens next: staff review the application; then the bank pre-opens the account "
                         "and the card is made. You are told of each stage by SMS and in-site message.")


def font_file() -> tuple[str, int]:
    configured = getattr(settings, "SSCARD_RECEIPT_FONT", "")
    if configured:
        path, _sep, index = configured.partition("#")
        return path, int(index or 0)
    for path, index in FONT_CANDIDATES:
        if Path(path).exists():
            return path, index
    raise ImproperlyConfigured("No CJK font for PDF receipts: install the Debian package fonts-noto-cjk "
                               "or set SSCARD_RECEIPT_FONT=/path/font.ttc#index")


# The common font: the CJK font cut down once to the characters of GB 2312 (6,763 hanzi: nearly every name),
# ASCII, Latin-1 and Latin Extended (Spanish, pinyin) and the usual punctuation and full-width forms. fpdf2 parses
# the font for each document and cuts it down again when it writes the PDF: on the 65,000 glyphs of Noto Sans CJK
# that is ~0.5 s of CPU a document, on the ~7,700 of the common font ~65 ms. Built once per machine (~7 s) into
# VAR_DIR/fonts/ and reused by every process; a document with a character outside it (a rare name) is rendered
# again with the full font (the yearly statement, the person's year PDF).
COMMON_FONT_VERSION = 1


def _common_codepoints() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x250)) | set(range(0x2000, 0x2070))
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


@functools.lru_cache(maxsize=2)
def common_font(source: str, index: int) -> str:
    """The path of the common font cut from `source` (built on first use, then kept on disk)."""
    from fontTools import subset, ttLib

    stat = os.stat(source)
    tag = hashlib.sha256(f"{source}#{index}#{stat.st_size}#{stat.st_mtime_ns}#{COMMON_FONT_VERSION}".encode())
    path = Path(settings.VAR_DIR) / "fonts" / f"cjk-common-{tag.hexdigest()[:16]}.otf"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        font = ttLib.TTFont(source, fontNumber=index, lazy=True)
        options = subset.Options()
        options.layout_features, options.name_IDs, options.notdef_outline = [], ["*"], True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_common_codepoints())
        subsetter.subset(font)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(temporary))
        os.replace(temporary, path)  # atomic: another process never reads half a file
    return str(path)


def add_cjk_font(pdf: FPDF, *, full: bool = False) -> None:
    """The CJK font as "cjk": the common font, or the full one (`full`, after a render found a character the
    common font lacks: `pdf.fonts["cjk"].missing_glyphs`)."""
    path, index = font_file()
    if full:
        pdf.add_font("cjk", "", path, collection_font_number=index)
    else:
        pdf.add_font("cjk", "", common_font(path, index))


def cjk_pdf_bytes(build) -> bytes:
    """The bytes of the document `build(full)` makes (an FPDF whose font "cjk" comes from `add_cjk_font(pdf,
    full=full)`): made with the common font, and made again with the full one when a character was missing."""
    pdf = build(False)
    if pdf.fonts["cjk"].missing_glyphs:
        pdf = build(True)
    return bytes(pdf.output())


def receipt_language(user=None) -> str:
    """The reader's language: the account's preferred language where it has one, else the language the
    receipt is requested in."""
    return getattr(user, "preferred_language", "") or get_language() or settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Languages:
    """Chinese, and the reader's language when it is another one (`other` is None for a Chinese reader)."""

    other: str | None

    @classmethod
    def for_reader(cls, language: str) -> Languages:
        language = (language or "").lower()
        return cls(None if not language or language.startswith("zh") else language)

    def chinese(self, text) -> str:
        with translation.override(CHINESE):
            return str(text)

    def reader(self, text) -> str:
        with translation.override(self.other or CHINESE):
            return str(text)

    def label(self, text) -> list[str]:
        """A label in Chinese, and under it in the reader's language if that says something else."""
        chinese, other = self.chinese(text), self.reader(text)
        return [chinese] if other == chinese else [chinese, other]

    def both(self, other: str, chinese: str) -> str:
        """A value in the reader's language with the Chinese beside it ("Banco de China (中国银行)"), once
        where the two are the same or only one is known."""
        if not other or other == chinese:
            return chinese or other
        if not chinese:
            return other
        return f"{other} ({chinese})"


class _Receipt(FPDF):
    def __init__(self, *, wrapmode: WrapMode):
        super().__init__(format="A4")
        self.wrapmode = wrapmode

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def paragraph(self, text: str, *, size: float, width: float = 0, line: float = 5.5, align="L", grey=0):
        self.set_font("cjk", size=size)
        self.set_text_color(grey)
        self.multi_cell(width or self.content_width, line, text, align=align, wrapmode=self.wrapmode,
                        new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)

    def _height(self, width: float, text: str, size: float, line: float) -> float:
        self.set_font("cjk", size=size)
        return self.multi_cell(width, line, text, dry_run=True, output="HEIGHT", wrapmode=self.wrapmode)

    def row(self, labels: list[str], value: str):
        """One line of the table: the label (Chinese, then the reader's language, smaller) on the left, the
        value wrapped on the right, a rule under both. A row never breaks across pages."""
        pad = 1.5
        value_width = self.content_width - LABEL_WIDTH
        sized = [(text, MAIN_SIZE if i == 0 else SECOND_SIZE) for i, text in enumerate(labels)]
        label_height = sum(self._height(LABEL_WIDTH - 2, text, size, size * 0.5) for text, size in sized)
        value_height = self._height(value_width, value, MAIN_SIZE, 6)
        height = max(label_height, value_height) + 2 * pad
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        self.set_y(top + pad)
        for text, size in sized:
            self.set_font("cjk", size=size)
            self.set_text_color(0 if size == MAIN_SIZE else SECOND_GREY)
            self.multi_cell(LABEL_WIDTH - 2, size * 0.5, text, align="L", wrapmode=self.wrapmode,
                            new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.set_xy(self.l_margin + LABEL_WIDTH, top + pad)
        self.set_font("cjk", size=MAIN_SIZE)
        self.multi_cell(value_width, 6, value, align="L", wrapmode=self.wrapmode, new_x="LMARGIN", new_y="NEXT")
        bottom = top + height
        self.set_draw_color(160)
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_xy(self.l_margin, bottom)


def _region_in(code: str, language: str) -> str:
    """The county, prefecture and province of `code` in `language`, most specific first ("Distrito de
    Wuchang, Wuhan, Hubei"); "" where the table has no name in that language."""
    names: list[str] = []
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        name = regions.localized_name(candidate, language)
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


def _rows(application: Application, lang: Languages) -> list[tuple[list[str], str]]:
    submitted = timezone.localtime(application.submitted_at)
    delivery = Delivery(application.delivery)
    rows = [
        (lang.label(APPLICANT), application.masked_name),
        (lang.label(ID_NUMBER), application.masked_id_number),
        (lang.label(PARTNER_BANK), _name(application.bank, lang)),
        (lang.label(DELIVERY), lang.both(lang.reader(delivery.label), lang.chinese(delivery.label))),
    ]
    if delivery == Delivery.PICKUP and application.outlet:
        outlet = application.outlet
        rows += [
            (lang.label(PICKUP_OUTLET), _name(outlet, lang)),
            (lang.label(ADDRESS), lang.both(_field(outlet, "address", lang.other), _field(outlet, "address", None))),
            (lang.label(OPENING_HOURS), _field(outlet, "hours", lang.other)),
        ]
        if outlet.phone:
            rows.append((lang.label(OUTLET_PHONE), outlet.phone))
    elif delivery == Delivery.POST:
        code = application.post_district or application.post_city or application.post_province
        chinese = regions.region_full_name(code) or ""
        other = _region_in(code, lang.other) if lang.other else ""
        rows += [
            (lang.label(RECIPIENT), mask_name(application.recipient_name)),
            (lang.label(RECIPIENT_PHONE), mask_phone(application.recipient_phone)),
            (lang.label(POSTAL_ADDRESS), f"{lang.both(other, chinese)} {MASKED_DETAIL}".strip()),
        ]
    rows += [
        (lang.label(SUBMITTED_ON), submitted.strftime("%Y-%m-%d %H:%M")),
        (lang.label(EXPECTED_COMPLETION), application.expected_completion.isoformat()),
    ]
    return rows


def _field(row, field: str, language: str | None) -> str:
    """A translated reference field (django-modeltranslation) in `language` (None: Chinese), with the
    model's own fallback (English, then Chinese) for a language nobody has written."""
    with translation.override(language or CHINESE):
        return getattr(row, field) or ""


def _name(row, lang: Languages) -> str:
    """A bank's or outlet's name: in the reader's language with the Chinese name (on the signs) beside it."""
    return lang.both(_field(row, "name", lang.other), _field(row, "name", None))


def render_receipt(application: Application, *, language: str | None = None) -> bytes:
    """The receipt as PDF bytes, in Chinese and (if it is another) the reader's `language` (default: the
    active language)."""
    lang = Languages.for_reader(language if language is not None else receipt_language())
    path, index = font_file()
    pdf = _Receipt(wrapmode=WrapMode.WORD if lang.other else WrapMode.CHAR)
    pdf.set_title(f"{lang.chinese(TITLE)} {application.display_code}")
    pdf.set_lang("zh-CN" if lang.other is None else lang.other)
    pdf.set_creator("sscard")
    pdf.set_margins(MARGIN, 15, MARGIN)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.add_page()

    pdf.paragraph(lang.chinese(TITLE), size=18, line=10, align="C")
    if lang.other:
        pdf.paragraph(lang.reader(TITLE), size=11, line=6, align="C")
    pdf.ln(4)

    qr = segno.make(application.office_code, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    top = pdf.get_y()
    pdf.image(buffer, x=pdf.w - pdf.r_margin - QR_SIZE, y=top, w=QR_SIZE, h=QR_SIZE)

    beside_qr = pdf.content_width - QR_SIZE - 6
    for i, text in enumerate(lang.label(OFFICE_CODE)):
        pdf.paragraph(text, size=12 if i == 0 else 10, width=beside_qr, line=6, grey=0 if i == 0 else SECOND_GREY)
    pdf.paragraph(application.display_code, size=24, width=beside_qr, line=13)
    pdf.paragraph(lang.chinese(HOW_TO_FOLLOW), size=10, width=beside_qr)
    if lang.other:
        pdf.paragraph(lang.reader(HOW_TO_FOLLOW), size=10, width=beside_qr)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE) + 4)

    pdf.set_draw_color(160)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    for labels, value in _rows(application, lang):
        pdf.row(labels, str(value))
    pdf.ln(6)

    pdf.paragraph(lang.chinese(WHAT_NEXT), size=10)
    if lang.other:
        pdf.ln(1)
        pdf.paragraph(lang.reader(WHAT_NEXT), size=10)
    pdf.ln(6)
    portal = lang.both(lang.reader(settings.PORTAL_NAME), lang.chinese(settings.PORTAL_NAME))
    pdf.paragraph(f"{portal} · {timezone.localtime():%Y-%m-%d %H:%M}", size=8, align="C", line=4)
    return bytes(pdf.output())
