"""The e-card's QR code as inline SVG (segno: pure Python, well kept). A token is `SSC1:` + Base45, whose
alphabet is exactly QR's alphanumeric set, so segno encodes it in alphanumeric mode (5.5 bits a character)."""

import segno


def svg(token: str, *, title: str = "") -> str:
    """The QR code of `token` as an `<svg>` element without size (it scales with CSS), quiet zone included."""
    code = segno.make(token, error="m", micro=False)
    return code.svg_inline(scale=1, border=4, omitsize=True, svgclass="ecard-qr", lineclass=None,
                           title=title or None, dark="#000", light="#fff")
