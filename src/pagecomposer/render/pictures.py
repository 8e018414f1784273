"""Drawing pictures: raster images through reportlab (CMYK or grey only), PDF ads as form XObjects.

A PDF ad is placed after reportlab has written the page, with pikepdf: its page becomes a form
XObject drawn into the frame, so its vectors, fonts and colours reach the plate untouched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pikepdf

from pagecomposer.display import Picture
from pagecomposer.layout.pictures import pillow


@lru_cache(maxsize=16)
def load_raster(path: str, crop: tuple[float, float, float, float], convert_rgb: str | None):
    """The picture's visible pixels (a PIL image), in CMYK or grey: what the plate can print."""
    Image = pillow()
    with Image.open(path) as source:
        image = source.copy()
    if crop != (0.0, 0.0, 1.0, 1.0):
        w, h = image.size
        image = image.crop((round(crop[0] * w), round(crop[1] * h), round(crop[2] * w), round(crop[3] * h)))
    if image.mode in ("1", "I;16", "I", "F"):
        image = image.convert("L")
    if image.mode in ("P", "RGBA", "LA", "RGBX"):
        flat = Image.new("RGB", image.size, (255, 255, 255))  # transparency flattened on paper white
        rgba = image.convert("RGBA")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    if image.mode == "RGB":
        if convert_rgb is None:
            raise ValueError(f"{path} is RGB and no conversion was allowed")
        from PIL import ImageCms

        image = ImageCms.profileToProfile(image, ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(convert_rgb), outputMode="CMYK",
                                          renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    return image


def place_pdf_pictures(path: Path, pictures: list[Picture], trim_height: float, origin: float) -> None:
    """Draw each PDF picture into its frame on the (single) page of the file at path; `origin` is the
    distance from the MediaBox edge to the trim (bleed plus any slug)."""
    bleed = origin
    if not pictures:
        return
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        # The page's own content leaves its graphics state behind (overprint on after black text);
        # fence it in, so an ad is drawn from the default state as its maker designed it.
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n"), prepend=False)
        for number, pic in enumerate(pictures):
            with pikepdf.open(pic.path) as source:
                source_page = source.pages[0]
                box = [float(v) for v in (source_page.obj.get("/TrimBox") or source_page.mediabox)]
                form = source_page.as_form_xobject()
                form.BBox = pikepdf.Array(box)
                form = pdf.copy_foreign(form)
            name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/PCAd{number}"))  # fixed: reproducible
            x0, y0, x1, y1 = box
            crop = pic.crop
            vx0, vx1 = x0 + crop[0] * (x1 - x0), x0 + crop[2] * (x1 - x0)
            vy1, vy0 = y1 - crop[1] * (y1 - y0), y1 - crop[3] * (y1 - y0)  # PDF y grows upwards
            px, py, pw, ph = pic.placed
            left, bottom = bleed + px, bleed + trim_height - py - ph
            sx, sy = pw / (vx1 - vx0), ph / (vy1 - vy0)
            fx, fy, fw, fh = pic.frame
            clip = f"{bleed + fx:.4f} {bleed + trim_height - fy - fh:.4f} {fw:.4f} {fh:.4f} re W n"
            matrix = f"{sx:.6f} 0 0 {sy:.6f} {left - vx0 * sx:.4f} {bottom - vy0 * sy:.4f} cm"
            page.contents_add(pdf.make_stream(f"q {clip} {matrix} {name} Do Q\n".encode()), prepend=False)
        pdf.save(path, deterministic_id=True)
