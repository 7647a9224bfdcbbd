"""Shared set-up of the e-card tests: a card in a given state, its holder's SMS code, an issued e-card."""

import re

from sscard.cards import ecards
from sscard.cards.models import Card
from sscard.domain.casestates import State
from sscard.notify.models import OutboxSms
from tests.casework.conftest import give_card, new_application


def card_in(state="active", application=None):
    card = give_card(application or new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=card.pk).update(state=state)
    card.refresh_from_db()
    return card


def last_code(phone: str) -> str:
    sms = OutboxSms.objects.filter(phone=phone).order_by("-id").first()
    assert sms is not None, "no SMS was sent"
    return re.search(r"(?<!\d)(\d{6})(?!\d)", sms.text).group(1)


def issued(card, capture):
    """Issue the card's e-card through the service, as the holder does on the page."""
    with capture(execute=True):
        ecards.request_issue_code(user=card.holder, card=card)
    return ecards.issue_ecard(user=card.holder, card=card, sms_code=last_code(card.holder.phone))


def decode_qr_svg(svg: str) -> str:
    """Read the QR code of an SVG drawn by `sscard.cards.qr` back to its text: the path's runs of dark modules
    are drawn into a bitmap, which zxing-cpp (the decoder phone scanners are built on) reads."""
    import zxingcpp
    from PIL import Image, ImageDraw

    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg).group(1)
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # h: a run of dark modules on the row whose middle is y
            row = int(y)
            draw.rectangle([x * scale, row * scale, (x + numbers[0]) * scale - 1, (row + 1) * scale - 1], fill=0)
            x += numbers[0]
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, f"{len(results)} QR codes read"
    return results[0].text
