"""The e-card's QR code as inline SVG (segno: pure Python, well kept). A token is `SSC1:` + Base45, whose
alphabet is exactly QR's alphanumeric set, so segno encodes it in alphanumeric mode (5.5 bits a character)."""

import segno
from django.utils.html import escape


def svg(token: str, *, title: str = "") -> str:
    """The QR code of `token` as an `<svg>` element without size (it scales with CSS), quiet zone included;
    with a `title`, an image with that accessible name."""
    code = segno.make(token, error="m", micro=False)
    drawn = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="ecard-qr", lineclass=None,
                            title=title or None, dark="#000", light="#fff")
    if title:
        drawn = drawn.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return drawn
