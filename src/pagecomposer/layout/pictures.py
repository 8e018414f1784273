"""Photos and ad files on the page: where the picture lands, its caption, and whether it will print.

A PDF (a delivered ad) is inspected first (ad_inspect.py): its page, boxes and rotation, and what
it holds that the press may not take; what no setting allows is refused here. Its visible part,
like a photo's (after `crop`), is scaled to fit inside its frame (fit) or to cover it,
cut at the frame's edges (fill). Its effective resolution at that size is computed here, from
the source's pixels, and reported when it is under the layout's minimum; an RGB picture is refused
or marked for conversion through the press profile, as the layout says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING


from pagecomposer.display import Picture
from pagecomposer.errors import SourceLocation, SpecError
from pagecomposer.layout.flow import Warning
from pagecomposer.layout.grid import PageGrid, Rect
from pagecomposer.layout.runs import line_items
from pagecomposer.spec.model import Layout
from pagecomposer.story.model import Run
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import set_paragraph
from pagecomposer.text.shaping import shape

if TYPE_CHECKING:
    from pagecomposer.layout.ad_inspect import AdFacts

RGB_MODES = {"RGB", "RGBA", "P", "LA", "RGBX"}
GREY_MODES = {"1", "L", "I;16", "I", "F"}  # placed as grey: the black plate only
CMYK_MODES = {"CMYK"}
# What else Pillow opens (Lab and HSV TIFFs, YCbCr) has no conversion to the press's plates here:
# written as it is it would be read as RGB, so it is refused.
MODE_NAMES = {"LAB": "Lab", "HSV": "HSV", "YCbCr": "YCbCr"}
# A photo for a broadsheet page is at most a few tens of megapixels; a file claiming far more is a
# decompression bomb or a mistake, refused before it is decoded.
MAX_PIXELS = 150_000_000
CAPTION_GAP_LINES = 0  # the caption sits on the grid lines right under the picture


def pillow():
    """PIL.Image with the decompression-bomb limit set; imported when a page has a picture (a page
    of text is built without loading Pillow at all)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


@dataclass(frozen=True)
class SourceInfo:
    kind: str  # raster | pdf
    width: float  # pixels (raster) or points (pdf, as a viewer shows the page: after /Rotate)
    height: float
    mode: str = ""  # PIL mode of a raster
    ad: AdFacts | None = None  # what the PDF's page holds (ad_inspect.py)


def source_info(path: Path, page: int | None = 1) -> SourceInfo:
    """The picture's size and kind; a PDF's page `page` inspected (None: the PDF must have only one).
    Cached by the file's size and time, so an ad replaced under the same name (--watch) is read again."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise SpecError(f"cannot read the picture {path.name}: {exc.strerror or exc}") from None
    return _source_info(path, page, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _source_info(path: Path, page: int | None, size: int, mtime_ns: int) -> SourceInfo:
    if path.suffix.lower() == ".pdf":
        from pagecomposer.layout.ad_inspect import AdFileError, inspect_pdf  # pikepdf: only for a page with a PDF

        try:
            facts = inspect_pdf(path, page)
        except AdFileError as exc:
            raise SpecError(str(exc), None, exc.hint) from None
        return SourceInfo("pdf", *facts.size, ad=facts)
    Image = pillow()
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                raise SpecError(f"image {path.name} claims {image.width} x {image.height} pixels, more than "
                                f"{MAX_PIXELS:,}", None, "scale it to the size it prints at")
            # Decoded in full now, under the pixel limit: a file cut short or damaged is found while
            # the spec is checked, not when a page is half written.
            image.load()
            return SourceInfo("raster", image.width, image.height, image.mode)
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise SpecError(f"cannot read the image {path.name}: {exc}", None,
                        "the file is damaged or cut short: export or copy it again") from None


def placement(frame: Rect, info: SourceInfo, crop: tuple[float, float, float, float], fit: str) -> Rect:
    """Where the cropped source lands so that it fits inside, or covers, the frame (centred)."""
    visible_w = info.width * (crop[2] - crop[0])
    visible_h = info.height * (crop[3] - crop[1])
    scales = (frame.width / visible_w, frame.height / visible_h)
    scale = min(scales) if fit == "fit" else max(scales)
    width, height = visible_w * scale, visible_h * scale
    return Rect(frame.x + (frame.width - width) / 2, frame.y + (frame.height - height) / 2, width, height)


def picture(path: Path, frame: Rect, crop, fit: str, layout: Layout, where: SourceLocation | None,
            what: str, warnings: list[Warning], page: int | None = None) -> Picture:
    try:
        info = source_info(path, page)
    except SpecError as exc:  # name the element that places the file, not just the file
        raise SpecError(exc.message, where, exc.hint or "replace the file with a readable PDF, JPEG, PNG or TIFF") from None
    placed = placement(frame, info, crop, fit)
    if info.ad is not None:
        refuse_ad(info.ad, layout, where, what)
        return Picture(path=str(path), kind="pdf", frame=(frame.x, frame.y, frame.width, frame.height),
                       placed=(placed.x, placed.y, placed.width, placed.height), crop=crop, page=info.ad.page,
                       rotate=info.ad.rotate, box=info.ad.visible, inks=info.ad.inks, ad=info.ad, label=what,
                       where=where)
    convert = None
    if info.kind == "raster":
        settings = layout.print
        ppi = info.width * (crop[2] - crop[0]) / (placed.width / 72)
        if ppi < settings.min_ppi - 0.5:
            warnings.append(Warning(where, f"{what} {path.name} is {ppi:.0f} ppi at its printed size "
                                    f"(under {settings.min_ppi:.0f})", "use a larger original or place it smaller"))
        refuse_raster(info, path, layout, where, what)
        if info.mode in RGB_MODES:
            convert = str(settings.icc_profile)
    inks = ("Black",) if info.mode in GREY_MODES else ("Cyan", "Magenta", "Yellow", "Black")
    return Picture(path=str(path), kind=info.kind, frame=(frame.x, frame.y, frame.width, frame.height),
                   placed=(placed.x, placed.y, placed.width, placed.height), crop=crop, convert_rgb=convert, inks=inks)


ASK_FOR_X1A = "ask the advertiser for a PDF/X-1a file"


def refuse_raster(info: SourceInfo, path: Path, layout: Layout, where: SourceLocation | None, what: str) -> None:
    """A photo the plates cannot take as the layout is set: RGB when it refuses RGB, and any colour
    model there is no conversion for."""
    if info.mode in RGB_MODES:
        if layout.print.rgb_images == "refuse":
            raise SpecError(f"{what} {path.name} is RGB ({info.mode}); this layout refuses RGB pictures", where,
                            "convert it to CMYK for the press, or set print: {rgb_images: convert, icc_profile: …}")
        return
    if info.mode not in GREY_MODES | CMYK_MODES:
        model = MODE_NAMES.get(info.mode, info.mode)
        raise SpecError(f"{what} {path.name} is in {model} colour, which this composer cannot separate", where,
                        "convert it to CMYK (or RGB, with rgb_images: convert) before placing it")


def check_placed_file(path: Path, page: int | None, layout: Layout, where: SourceLocation | None,
                      what: str) -> None:
    """Everything `picture` refuses about a photo or an ad file, without placing it: the file read
    in full, the ad's contents and the photo's colour model checked (used before any page is written)."""
    try:
        info = source_info(path, page)
    except SpecError as exc:
        raise SpecError(exc.message, where, exc.hint or "replace the file with a readable PDF, JPEG, PNG or TIFF") from None
    if info.ad is not None:
        refuse_ad(info.ad, layout, where, what)
    elif info.kind == "raster":
        refuse_raster(info, path, layout, where, what)


def refuse_ad(ad: AdFacts, layout: Layout, where: SourceLocation | None, what: str) -> None:
    """What no setting lets through (fonts not embedded), and what this layout says to refuse
    rather than fix (colour, spot inks). Transparency is decided when the page is written: it
    depends on the PDF/X version (render/ads.py)."""
    name = Path(ad.path).name
    settings = layout.print
    if ad.unembedded_fonts:
        raise SpecError(f"{what} {name}: font {ad.unembedded_fonts[0]} is not embedded"
                        + (f" (and {len(ad.unembedded_fonts) - 1} more)" if len(ad.unembedded_fonts) > 1 else ""),
                        where, f"{ASK_FOR_X1A}: every font embedded")
    if ad.colour and settings.ad_colour == "refuse":
        raise SpecError(f"{what} {name} has colour the press cannot print as it is: {ad.colour[0]}", where,
                        f"{ASK_FOR_X1A} (CMYK only), or set print: {{ad_colour: convert}}")
    if ad.spots and settings.spot_inks == "refuse":
        raise SpecError(f"{what} {name} uses spot ink {', '.join(ad.spots)}", where,
                        f"{ASK_FOR_X1A} in CMYK, or set print: {{spot_inks: process}} (or keep, with the plates)")


def image_items(element, grid: PageGrid, layout: Layout, fonts: FontSet, warnings: list[Warning]) -> list:
    """A photo in its area, its caption set on the area's last grid lines."""
    rect = grid.area_rect(element.area)
    items: list = []
    frame = rect
    if element.caption:
        style = layout.styles["caption"]
        lines = set_paragraph(shape([Run(element.caption)], style, fonts), rect.width, align=style.align)
        count = max(len(lines), element.caption_lines)
        pitch = layout.grid.pitch
        face = fonts.face(style.fonts[0])
        last_em_top = rect.bottom - style.size
        for index, line in enumerate(lines):
            em_top = last_em_top - (count - 1 - index) * pitch
            items += line_items(line, rect.x, em_top + face.ascent * style.size, fonts, layout.swatches, "caption")
        caption_top = last_em_top - (count - 1) * pitch
        frame = Rect(rect.x, rect.y, rect.width, caption_top - layout.grid.line_gap - rect.y)
    items.insert(0, picture(element.file, frame, element.crop, element.fit, layout, element.where, "image", warnings,
                            element.page))
    return items
