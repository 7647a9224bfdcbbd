"""Synthetic test pictures: a portrait on a light plain background, and bad ones."""

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter


def portrait(width=600, height=800, background=(246, 246, 244), fmt="JPEG", seed=1, busy=False) -> bytes:
    rnd = random.Random(seed)
    image = Image.new("RGB", (width, height), background)
    noise = Image.effect_noise((width, height), 6).convert("RGB")
    image = Image.blend(image, noise, 0.04)
    draw = ImageDraw.Draw(image)
    if busy:  # a bookshelf behind the person
        for x in range(0, width, 24):
            draw.rectangle([x, 0, x + 12, height], fill=(rnd.randrange(40, 200), rnd.randrange(20, 120), 30))
    cx = width // 2
    # shoulders and clothes
    draw.ellipse([cx - width * 0.45, height * 0.72, cx + width * 0.45, height * 1.3], fill=(30, 40, 80))
    # face with texture
    face = [cx - width * 0.2, height * 0.2, cx + width * 0.2, height * 0.68]
    draw.ellipse(face, fill=(224, 180, 150))
    for _ in range(2500):
        x = rnd.uniform(face[0] + 20, face[2] - 20)
        y = rnd.uniform(face[1] + 20, face[3] - 20)
        c = rnd.randrange(150, 230)
        draw.point((x, y), fill=(c, int(c * 0.8), int(c * 0.65)))
    draw.ellipse([cx - width * 0.21, height * 0.15, cx + width * 0.21, height * 0.33], fill=(20, 15, 10))
    draw.ellipse([cx - 60, height * 0.4, cx - 30, height * 0.43], fill=(40, 30, 20))
    draw.ellipse([cx + 30, height * 0.4, cx + 60, height * 0.43], fill=(40, 30, 20))
    draw.line([cx - 40, height * 0.58, cx + 40, height * 0.58], fill=(150, 60, 60), width=5)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    if fmt == "PNG":
        image.save(out, format="PNG")
    else:
        image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def dark_background_portrait(**kwargs) -> bytes:
    return portrait(background=(40, 40, 45), **kwargs)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png_header(width=20000, height=20000) -> bytes:
    """A small file that claims an enormous size (a decompression bomb): the 1-bit header of a width×height
    picture and a tiny zlib stream in place of its pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit per pixel, grey
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + _png_chunk(b"IEND", b""))


def png_bomb(width=6300, height=6300) -> bytes:
    """A complete, valid PNG of width×height black pixels (1 bit each) that compresses to a few kilobytes."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte and the row's pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF) claims width×height pixels: what a reader sees before decoding."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")  # marker, length (2), precision (1), height (2), width (2)
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The (marker, payload) segments of a JPEG before its image data (SOS), read by hand, not by Pillow."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments, pos = [], 2
    while True:
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segments.append((marker, data[pos + 4:pos + 2 + length]))
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return segments
        pos += 2 + length


def two_colour_picture(width=800, height=600, left=(250, 250, 250), right=(200, 215, 235)) -> Image.Image:
    """A picture whose left half is one light colour and right half another."""
    image = Image.new("RGB", (width, height), left)
    image.paste(right, (width // 2, 0, width, height))
    return image


def jpeg_bytes(image: Image.Image, **save) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, **save)
    return out.getvalue()
