"""Synthetic test pictures: a portrait on a light plain background, and bad ones."""

import io
import random

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


def huge_png_header(width=20000, height=20000) -> bytes:
    """A small file that claims an enormous size (a decompression bomb)."""
    image = Image.new("1", (width, height))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
