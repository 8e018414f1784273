"""Make the example edition's photos: drawn scenes standing in for agency photos, delivered as CMYK
JPEGs at newspaper resolution (so no RGB conversion is involved).

    python tools/make_example_photos.py examples/edition/photos
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

SIZE = (3400, 2000)  # 300 ppi at about 29 x 17 cm: enough for a photo across the full page width


def _canvas(seed: int, top: tuple[int, int, int], bottom: tuple[int, int, int]):
    """(random numbers, image, its drawing) for one scene, the image filled with a sky from top to bottom."""
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    return random.Random(seed), image, draw


def skyline(seed: int) -> Image.Image:
    """A city at dusk: towers with lit windows over a river."""
    rng, image, draw = _canvas(seed, (38, 52, 96), (236, 150, 92))
    width, height = SIZE
    ground = int(height * 0.78)
    x = 0
    while x < width:
        w = rng.randint(90, 220)
        h = rng.randint(250, 1050)
        shade = rng.randint(25, 60)
        draw.rectangle([x, ground - h, x + w, ground], fill=(shade, shade + 5, shade + 20))
        for wy in range(ground - h + 30, ground - 20, 42):
            for wx in range(x + 14, x + w - 20, 30):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 12, wy + 20], fill=(250, 214, 130))
        x += w + rng.randint(4, 30)
    for y in range(ground, height):
        t = (y - ground) / (height - ground)
        draw.line([(0, y), (width, y)], fill=(int(60 + 40 * t), int(70 + 30 * t), int(110 - 20 * t)))
    return image.filter(ImageFilter.GaussianBlur(1.2))


def fields(seed: int) -> Image.Image:
    """Spring fields: rows of young crops to the horizon, a tractor's track."""
    rng, image, draw = _canvas(seed, (120, 170, 225), (220, 232, 240))
    width, height = SIZE
    horizon = int(height * 0.38)
    for row in range(60):
        y0 = horizon + int((row / 60) ** 1.8 * (height - horizon))
        y1 = horizon + int(((row + 1) / 60) ** 1.8 * (height - horizon))
        green = (60 + rng.randint(0, 30), 140 + rng.randint(0, 40), 50) if row % 2 else (120, 100, 60)
        draw.rectangle([0, y0, width, y1], fill=green)
    draw.polygon([(width * 0.45, horizon), (width * 0.55, horizon), (width * 0.9, height), (width * 0.2, height)],
                 fill=(140, 115, 80))
    return image.filter(ImageFilter.GaussianBlur(1.5))


def runners(seed: int) -> Image.Image:
    """A marathon: a crowd of runners in coloured shirts on an avenue."""
    rng, image, draw = _canvas(seed, (150, 190, 230), (200, 215, 225))
    width, height = SIZE
    draw.rectangle([0, int(height * 0.45), width, height], fill=(90, 90, 95))
    for _ in range(420):
        scale = rng.uniform(0.4, 1.3)
        x = rng.randint(0, width)
        y = int(height * 0.45 + scale * height * 0.38)
        shirt = rng.choice([(220, 40, 40), (250, 200, 30), (40, 120, 220), (240, 240, 240), (30, 170, 90)])
        draw.ellipse([x - 14 * scale, y - 120 * scale, x + 14 * scale, y - 92 * scale], fill=(200, 160, 130))
        draw.rectangle([x - 22 * scale, y - 92 * scale, x + 22 * scale, y - 40 * scale], fill=shirt)
        draw.rectangle([x - 18 * scale, y - 40 * scale, x + 18 * scale, y], fill=(40, 40, 50))
    return image.filter(ImageFilter.GaussianBlur(1.0))


SCENES = {"skyline.jpg": skyline, "fields.jpg": fields, "marathon.jpg": runners}


def to_press_cmyk(image: Image.Image) -> Image.Image:
    """RGB to CMYK with full grey-component replacement: the grey of every colour goes to the black
    plate, so no pixel carries more than 200 % ink (newsprint takes 240 %)."""
    c, m, y = (ImageChops.invert(band) for band in image.split())
    k = ImageChops.darker(ImageChops.darker(c, m), y)
    return Image.merge("CMYK", (ImageChops.subtract(c, k), ImageChops.subtract(m, k), ImageChops.subtract(y, k), k))


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, scene in SCENES.items():
        # Converted to CMYK as a photo desk would deliver it; 300 ppi at about 20 x 14 cm.
        to_press_cmyk(scene(sum(map(ord, name)))).save(out / name, quality=85, dpi=(300, 300))
        print(out / name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "examples/edition/photos")
