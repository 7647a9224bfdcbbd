"""The PDF receipt of a submitted application: Chinese text in an embedded CJK font, a QR code of the
office code. Built with fpdf2 (the font is subset and embedded) and segno."""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from sscard.domain.masking import mask_phone

from .choices import Delivery
from .models import Application

# (path, index in a font collection). Debian: fonts-noto-cjk (preferred) or fonts-wqy-zenhei.
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # index 2 = Noto Sans CJK SC
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)


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


class _Receipt(FPDF):
    pass


def render_receipt(application: Application) -> bytes:
    path, index = font_file()
    pdf = _Receipt(format="A4")
    pdf.set_title(f"Social security card application receipt {application.display_code}")
    pdf.set_creator("sscard")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.add_page()

    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, "社会保障卡申领回执", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 7, _("Social security card application receipt"), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(4)

    qr = segno.make(application.office_code, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    top = pdf.get_y()
    pdf.image(buffer, x=pdf.w - pdf.r_margin - 42, y=top, w=42, h=42)

    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "办件码 / " + _("Office code"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=24)
    pdf.cell(0, 14, application.display_code, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(pdf.w - pdf.l_margin - pdf.r_margin - 48, 6,
                   "凭办件码和身份证号码后六位可在“办件进度查询”页面查询办理进度。\n"
                   + _("Use the office code and the last 6 characters of the ID number to follow the progress."),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 46))

    submitted = timezone.localtime(application.submitted_at)
    delivery = (f"邮寄 / {Delivery.POST.label}" if application.delivery == Delivery.POST
                else f"网点领取 / {Delivery.PICKUP.label}: {application.outlet.label if application.outlet else ''}")
    rows = [
        ("申请人", _("Applicant"), application.masked_name),
        ("证件号码", _("ID number"), application.masked_id_number),
        ("合作银行", _("Partner bank"), application.bank.label),
        ("领卡方式", _("Delivery"), delivery),
        ("提交时间", _("Submitted"), submitted.strftime("%Y-%m-%d %H:%M")),
        ("预计办结日期", _("Expected completion"), application.expected_completion.isoformat()),
    ]
    if application.delivery == Delivery.POST and application.recipient_phone:
        rows.insert(4, ("收件人电话", _("Recipient's phone"), mask_phone(application.recipient_phone)))
    pdf.set_font("cjk", size=11)
    label_w = 70
    for zh, other, value in rows:
        pdf.cell(label_w, 9, f"{zh} / {other}", border="B")
        pdf.cell(0, 9, str(value), border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=10)
    pdf.multi_cell(0, 6,
                   "下一步：工作人员将审核您的申请，审核通过后由合作银行预开户并制卡。每个阶段的变化都会通过短信和站内消息通知您。\n"
                   + _("What happens next: staff review the application; then the bank pre-opens the account and "
                       "the card is made. You are told of each stage by SMS and in-site message."),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=8)
    pdf.cell(0, 5, f"{settings.PORTAL_NAME} · {timezone.localtime():%Y-%m-%d %H:%M}", align="C")
    return bytes(pdf.output())
