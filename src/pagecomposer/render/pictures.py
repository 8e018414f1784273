"""Drawing pictures: raster images through reportlab (CMYK or grey only), PDF ads as form XObjects.

A PDF ad is placed after reportlab has written the page, with pikepdf: its page becomes a form
XObject drawn into the frame, so its vectors, fonts and colours reach the plate untouched.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pikepdf

from pagecomposer.atomic import replacing
from pagecomposer.display import Picture
from pagecomposer.layout.pictures import pillow
from pagecomposer.render.pdfx import save_pdf


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


def upright(box: tuple[float, float, float, float], rotate: int) -> tuple[float, ...]:
    """The matrix (a b c d e f) taking the page's own space to the page as a viewer shows it (turned
    clockwise by /Rotate), with the visible box's lower-left corner at the origin."""
    x0, y0, x1, y1 = box
    return {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
            270: (0, 1, -1, 0, y1, -x0)}[rotate]


def _source_page(pic: Picture):
    """The Pdf holding the picture's page, and the page: the prepared copy if the ad was fixed."""
    if pic.prepared:
        from pagecomposer.render.ads import prepared_pdf

        source = pikepdf.open(io.BytesIO(prepared_pdf(pic.path, *pic.prepared)))
        return source, source.pages[0]
    source = pikepdf.open(pic.path)
    return source, source.pages[pic.page - 1]


SHOW_TEXT = {"Tj", "TJ", "'", '"'}


def _fonts_shown(stream, depth: int = 0, xobjects=None) -> set[str]:
    """Names of the fonts a content stream shows text in (the font set by Tf when Tj, TJ, ' or "
    runs; q/Q keep it, as the text state is part of the graphics state), with those of the forms
    it draws that have no resources of their own (they use the caller's)."""
    names: set[str] = set()
    if xobjects is None:
        xobjects = stream.get("/Resources", {}).get("/XObject", {})
    current, saved = None, []
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "Tf" and operands:
            current = str(operands[0])
        elif op in SHOW_TEXT and current is not None:
            names.add(current)
        elif op == "q":
            saved.append(current)
        elif op == "Q" and saved:
            current = saved.pop()
        elif op == "Do" and operands and depth < 8:
            inner = xobjects.get(str(operands[0])) if xobjects else None
            if isinstance(inner, pikepdf.Stream) and inner.get("/Subtype") == "/Form" and "/Resources" not in inner:
                names |= _fonts_shown(inner, depth + 1, xobjects)
    return names


def _drop_unused_fonts(form: pikepdf.Stream) -> None:
    """Keep only the fonts the ad's page shows text in: agency files (reportlab's, for one) list a
    Helvetica they never use, which would reach our page unembedded and fail preflight, though it
    prints nothing. What the ad draws is unchanged."""
    resources = form.get("/Resources")
    fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(fonts, pikepdf.Dictionary):
        return
    shown = _fonts_shown(form)
    if all(name in shown for name in fonts.keys()):
        return
    kept = pikepdf.Dictionary({name: font for name, font in fonts.items() if name in shown})
    own = pikepdf.Dictionary({key: value for key, value in resources.items()})  # the page's may be shared
    own[pikepdf.Name.Font] = kept
    form.Resources = own


def place_pdf_pictures(path: Path, pictures: list[Picture], trim_height: float, origin: float) -> None:
    """Draw each PDF picture into its frame on the (single) page of the file at path; `origin` is the
    distance from the MediaBox edge to the trim (bleed plus any slug)."""
    bleed = origin
    if not pictures:
        return
    # Saved to a temporary of our own and renamed over path (not pikepdf's in-place save, whose
    # temporary a full disk or a kill would leave behind under a name no sweep knows).
    with replacing(path) as rewritten, pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        # The page's own content leaves its graphics state behind (overprint on after black text);
        # fence it in, so an ad is drawn from the default state as its maker designed it.
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n"), prepend=False)
        for number, pic in enumerate(pictures):
            source, source_page = _source_page(pic)
            with source:
                # The page's own space; its /Rotate is applied by the matrix below, not by the form.
                form = source_page.as_form_xobject(handle_transformations=False)
                form.BBox = pikepdf.Array(pic.box)
                _drop_unused_fonts(form)
                if "/Group" in source_page.obj and "/Group" not in form:
                    # Only a page allowed live transparency (PDF/X-4) gets here with a group: keep it,
                    # it says how the ad's transparency composites. Under X-1a it was flattened away.
                    form.Group = source_page.obj.Group
                form = pdf.copy_foreign(form)
            name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/PCAd{number}"))  # fixed: reproducible
            x0, y0, x1, y1 = pic.box
            width, height = (y1 - y0, x1 - x0) if pic.rotate in (90, 270) else (x1 - x0, y1 - y0)
            crop = pic.crop
            vx0, vx1 = crop[0] * width, crop[2] * width  # the visible part, as the viewer shows the page
            vy1, vy0 = height - crop[1] * height, height - crop[3] * height  # PDF y grows upwards
            px, py, pw, ph = pic.placed
            left, bottom = bleed + px, bleed + trim_height - py - ph
            sx, sy = pw / (vx1 - vx0), ph / (vy1 - vy0)
            fx, fy, fw, fh = pic.frame
            clip = f"{bleed + fx:.4f} {bleed + trim_height - fy - fh:.4f} {fw:.4f} {fh:.4f} re W n"
            # pikepdf's Matrix composes as `cm` does: upright first, then the scale and offset.
            matrix = (pikepdf.Matrix(*upright(pic.box, pic.rotate))
                      @ pikepdf.Matrix(sx, 0, 0, sy, left - vx0 * sx, bottom - vy0 * sy)).shorthand
            cm = " ".join(f"{v:.6f}" if i < 4 else f"{v:.4f}" for i, v in enumerate(matrix)) + " cm"
            page.contents_add(pdf.make_stream(f"q {clip} {cm} {name} Do Q\n".encode()), prepend=False)
        save_pdf(pdf, rewritten, deterministic_id=True)
