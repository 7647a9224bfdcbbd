"""The PDF receipt in each language (zh-Hans, es, en), read back as a citizen would read it: rendered to PNG
(pdftoppm) and to text (pdftotext). Chinese readers get every label once; other readers get each label in
Chinese and in their language, once each. The outlet's address and hours, or the masked postal address, are
on it, and nothing leaves the page."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from sscard.accounts.models import User
from sscard.reference.models import Outlet
from tests.casework.conftest import new_application, new_citizen

pytestmark = pytest.mark.django_db

EAST_LAKE = "东湖高新区政务服务中心社保卡窗口"  # the outlet with the longest names and address

# What each reader must find on the receipt, written by hand. Labels: each exactly once, as a cell of its own.
CHINESE_LABELS = ["办件码", "申请人", "证件号码", "合作银行", "领卡方式", "提交时间", "预计办结日期"]
CHINESE_PICKUP = ["领卡网点", "地址", "办公时间", "网点电话"]
CHINESE_POST = ["收件人", "收件人电话", "邮寄地址"]
LABELS = {
    "zh-hans": {"common": CHINESE_LABELS, "pickup": CHINESE_PICKUP, "post": CHINESE_POST},
    "es": {"common": CHINESE_LABELS + ["Código de trámite", "Solicitante", "Número de documento", "Banco colaborador",
                                       "Entrega", "Fecha de presentación", "Finalización prevista"],
           "pickup": CHINESE_PICKUP + ["Punto de recogida", "Dirección", "Horario de atención",
                                       "Teléfono del punto de atención"],
           "post": CHINESE_POST + ["Destinatario", "Teléfono del destinatario", "Dirección postal"]},
    "en": {"common": CHINESE_LABELS + ["Office code", "Applicant", "ID number", "Partner bank", "Delivery",
                                       "Submitted on", "Expected completion"],
           "pickup": CHINESE_PICKUP + ["Pick-up outlet", "Address", "Opening hours", "Outlet phone"],
           "post": CHINESE_POST + ["Recipient", "Recipient's phone", "Postal address"]},
}
# Values (compared with all white space removed, as a wrapped line may break anywhere).
PICKUP_VALUES = {
    "zh-hans": ["社会保障卡申领回执", EAST_LAKE, "武汉市东湖新技术开发区政务服务中心", "周一至周五 9:00–17:00",
                "服务网点领取", "中国工商银行", "凭办件码和身份证号码后六位可查询办理进度。"],
    "es": ["社会保障卡申领回执", "Justificante de solicitud de la tarjeta de seguridad social",
           "Ventanilla de tarjetas, Centro de Servicios Administrativos de la Zona de Alta Tecnología del Lago del "
           f"Este ({EAST_LAKE})",
           "Centro de Servicios Administrativos de la Zona de Desarrollo de Alta Tecnología del Lago del Este, Wuhan "
           "(武汉市东湖新技术开发区政务服务中心)",
           "De lunes a viernes, 9:00–17:00", "Recoger en un punto de atención (服务网点领取)",
           "Banco Industrial y Comercial de China (中国工商银行)", "凭办件码和身份证号码后六位可查询办理进度。",
           "Utilice el código de trámite y los últimos 6 caracteres del número de identidad"],
    "en": ["社会保障卡申领回执", "Social security card application receipt",
           f"East Lake High-tech Zone service centre card counter ({EAST_LAKE})",
           "East Lake High-tech Development Zone Government Service Centre, Wuhan (武汉市东湖新技术开发区政务服务中心)",
           "Monday to Friday 9:00–17:00", "Pick up at a service outlet (服务网点领取)",
           "Industrial and Commercial Bank of China (中国工商银行)"],
}
POST_VALUES = {
    "zh-hans": ["邮寄", "湖北省武汉市武昌区 ***", "张*"],
    "es": ["Envío por correo postal (邮寄)", "Distrito de Wuchang, Wuhan, Hubei (湖北省武汉市武昌区) ***", "张*"],
    "en": ["Send by post (邮寄)", "Wuchang District, Wuhan, Hubei (湖北省武汉市武昌区) ***", "张*"],
}
# Never on a reader's receipt: another language, and the old doubled labels.
ABSENT = {
    "zh-hans": ["Office code", "Código de trámite", "Applicant", "办件码 / 办件码", "邮寄 / 邮寄"],
    "es": ["Office code", "Applicant", "Bank of China"],
    "en": ["Código de trámite", "Solicitante", "Banco"],
}
MARGIN_PT = 18 / 25.4 * 72  # the receipt's side margin, 18 mm
A4_PT = (595.28, 841.89)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _need(tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils, installed by scripts/ensure-chromium.sh) is missing: cannot read the PDF")


_RENDERED: dict = {}  # (language, delivery): (application, PDF bytes); a CJK receipt takes seconds to render


def _receipt(tmp_path, language, *, delivery):
    """A citizen's receipt of a new application, downloaded with the browser in `language`: the application
    and the path of the PDF. Rendered once per language and delivery for this module (the same bytes are
    read by several tests; nothing writes to them)."""
    path = tmp_path / f"receipt-{language}-{delivery}.pdf"
    if (language, delivery) in _RENDERED:
        application, data = _RENDERED[language, delivery]
        path.write_bytes(data)
        return application, path
    citizen = new_citizen("张三")
    outlet = Outlet.objects.get(name_zh_hans=EAST_LAKE) if delivery == "pickup" else None
    application = new_application(citizen, delivery=delivery, outlet=outlet)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(citizen)
    response = client.get(reverse("applications:receipt", args=[application.office_code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path.write_bytes(response.content)
    _RENDERED[language, delivery] = application, response.content
    return application, path


def _text(path, *options):
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _cells(layout_text):
    """Every cell of the page as pdftotext -layout lays it out: the pieces of each line between runs of
    two or more spaces."""
    return [cell for line in layout_text.splitlines() for cell in re.split(r"\s{2,}", line.strip()) if cell]


def _squeeze(text):
    return "".join(text.split())


def _readable(path):
    """The whole page's text, then the value column's alone (read whole, the label column's lines would
    come between a wrapped value's lines), each with all white space removed."""
    value_column = ["-x", str(round((18 + 58) / 25.4 * 72) - 1), "-y", "0", "-W", "400", "-H", "842"]
    return _squeeze(_text(path)) + "\n" + _squeeze(_text(path, *value_column))


class _Words(HTMLParser):
    """The pages and words of `pdftotext -bbox` (an XHTML document)."""

    def __init__(self):
        super().__init__()
        self.pages, self.words, self._word = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "page":
            self.pages.append((float(attrs["width"]), float(attrs["height"])))
        elif tag == "word":
            self._word = {k: float(attrs[k]) for k in ("xmin", "ymin", "xmax", "ymax")}

    def handle_data(self, data):
        if self._word is not None:
            self._word["text"] = data
            self.words.append(self._word)
            self._word = None


@pytest.mark.parametrize("delivery", ["pickup", "post"])
@pytest.mark.parametrize("language", ["zh-hans", "es", "en"])
def test_each_label_is_on_the_receipt_once_in_chinese_and_once_in_the_readers_language(tmp_path, language,
                                                                                     delivery):
    _need("pdftotext")
    _application, path = _receipt(tmp_path, language, delivery=delivery)
    cells = _cells(_text(path, "-layout"))
    other = "post" if delivery == "pickup" else "pickup"
    for label in LABELS[language]["common"] + LABELS[language][delivery]:
        assert cells.count(label) == 1, (language, label, cells)
    for label in set(LABELS[language][other]) - set(LABELS[language][delivery]):
        assert label not in cells, (language, label)
    text = _text(path)
    for absent in ABSENT[language]:
        assert absent not in text, (language, absent)
    # The two paragraphs once each (Chinese printed Chinese twice): their Chinese beginnings.
    assert text.count("凭办件码") == 1 and text.count("下一步") == 1


@pytest.mark.parametrize("language", ["zh-hans", "es", "en"])
def test_a_pickup_receipt_names_the_outlet_with_its_address_and_hours(tmp_path, language):
    _need("pdftotext")
    application, path = _receipt(tmp_path, language, delivery="pickup")
    text = _readable(path)
    for value in PICKUP_VALUES[language]:
        assert _squeeze(value) in text, (language, value)
    assert application.display_code in text and "12345" in text  # the office code, the outlet's phone
    assert application.subject_id_number not in text and application.masked_id_number in text


@pytest.mark.parametrize("language", ["zh-hans", "es", "en"])
def test_a_post_receipt_shows_the_postal_address_masked(tmp_path, language):
    _need("pdftotext")
    application, path = _receipt(tmp_path, language, delivery="post")
    text = _readable(path)
    for value in POST_VALUES[language]:
        assert _squeeze(value) in text, (language, value)
    assert "珞喻路" not in text  # the street address stays hidden, as on the case page
    assert application.recipient_phone not in text
    assert application.recipient_phone[:3] + "****" + application.recipient_phone[-4:] in text


@pytest.mark.parametrize("delivery", ["pickup", "post"])
@pytest.mark.parametrize("language", ["zh-hans", "es", "en"])
def test_nothing_leaves_the_page(tmp_path, language, delivery):
    """Every word inside the side margins and above the bottom margin, on one A4 page; the rendered page
    has ink only inside the margins too (the QR code and the rules are no words). The pick-up receipts'
    pages are saved as docs/screenshots/receipt-<language>.png."""
    _need("pdftotext")
    _need("pdftoppm")
    _application, path = _receipt(tmp_path, language, delivery=delivery)
    words = _Words()
    words.feed(_text(path, "-bbox"))
    assert len(words.pages) == 1, "the receipt is one page"
    width, height = words.pages[0]
    assert (round(width, 2), round(height, 2)) == A4_PT
    assert len(words.words) > 20  # the page was read (a Chinese line is a few long "words")
    for word in words.words:
        assert word["xmin"] >= MARGIN_PT - 1 and word["xmax"] <= width - MARGIN_PT + 1, (language, word)
        assert word["ymax"] <= height - 15 / 25.4 * 72, (language, word)

    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    image = Image.open(tmp_path / "page.png").convert("L")
    left, _top, right, bottom = image.point(lambda v: 255 if v < 200 else 0).getbbox()
    px_per_mm = image.width / 210
    assert left >= (18 - 1) * px_per_mm and right <= image.width - (18 - 1) * px_per_mm, (left, right)
    assert bottom <= image.height - 14 * px_per_mm
    if delivery == "pickup":  # the README shows these: the page down to the footer, in 16 greys
        image.crop((0, 0, image.width, bottom + 40)).quantize(16).save(SCREENSHOTS / f"receipt-{language}.png",
                                                                       optimize=True)


def test_the_receipt_is_in_the_accounts_preferred_language_where_it_has_one(tmp_path, monkeypatch):
    """An account may keep a preferred language (added by the language work of issue 11); the receipt then
    follows it, whatever the language of the page it is downloaded from."""
    _need("pdftotext")
    citizen = new_citizen("张三")
    application = new_application(citizen, delivery="pickup")
    if "preferred_language" in {field.name for field in User._meta.get_fields()}:
        User.objects.filter(pk=citizen.pk).update(preferred_language="es")
    else:
        monkeypatch.setattr(User, "preferred_language", "es", raising=False)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(citizen)
    response = client.get(reverse("applications:receipt", args=[application.office_code]))
    path = tmp_path / "receipt.pdf"
    path.write_bytes(response.content)
    cells = _cells(_text(path, "-layout"))
    assert "Código de trámite" in cells and "Office code" not in cells
