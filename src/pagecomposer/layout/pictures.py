"""Photos and ad files on the page: where the picture lands, its caption, and whether it will print.

The picture's visible part (after `crop`) is scaled to fit inside its frame (fit) or to cover it,
cut at the frame's edges (fill). Its effective resolution at that size is computed here, from
the source's pixels, and reported when it is under the layout's minimum; an RGB picture is refused
or marked for conversion through the press profile, as the layout says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


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

RGB_MODES = {"RGB", "RGBA", "P", "LA", "RGBX"}
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
    width: float  # pixels (raster) or points (pdf)
    height: float
    mode: str = ""  # PIL mode of a raster


@lru_cache(maxsize=64)
def source_info(path: Path) -> SourceInfo:
    if path.suffix.lower() == ".pdf":
        import pikepdf

        try:
            with pikepdf.open(path) as pdf:
                page = pdf.pages[0]
                box = [float(v) for v in (page.obj.get("/TrimBox") or page.mediabox)]
        except (pikepdf.PdfError, IndexError) as exc:
            raise SpecError(f"cannot read the PDF ad {path.name}: {exc}") from None
        return SourceInfo("pdf", box[2] - box[0], box[3] - box[1])
    Image = pillow()
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                raise SpecError(f"image {path.name} claims {image.width} x {image.height} pixels, more than "
                                f"{MAX_PIXELS:,}", None, "scale it to the size it prints at")
            return SourceInfo("raster", image.width, image.height, image.mode)
    except (OSError, Image.DecompressionBombError) as exc:
        raise SpecError(f"cannot read the image {path.name}: {exc}") from None


def placement(frame: Rect, info: SourceInfo, crop: tuple[float, float, float, float], fit: str) -> Rect:
    """Where the cropped source lands so that it fits inside, or covers, the frame (centred)."""
    visible_w = info.width * (crop[2] - crop[0])
    visible_h = info.height * (crop[3] - crop[1])
    scales = (frame.width / visible_w, frame.height / visible_h)
    scale = min(scales) if fit == "fit" else max(scales)
    width, height = visible_w * scale, visible_h * scale
    return Rect(frame.x + (frame.width - width) / 2, frame.y + (frame.height - height) / 2, width, height)


def picture(path: Path, frame: Rect, crop, fit: str, layout: Layout, where: SourceLocation | None,
            what: str, warnings: list[Warning]) -> Picture:
    try:
        info = source_info(path)
    except SpecError as exc:  # name the element that places the file, not just the file
        raise SpecError(exc.message, where, "replace the file with a readable PDF, JPEG, PNG or TIFF") from None
    placed = placement(frame, info, crop, fit)
    convert = None
    if info.kind == "raster":
        settings = layout.print
        ppi = info.width * (crop[2] - crop[0]) / (placed.width / 72)
        if ppi < settings.min_ppi - 0.5:
            warnings.append(Warning(where, f"{what} {path.name} is {ppi:.0f} ppi at its printed size "
                                    f"(under {settings.min_ppi:.0f})", "use a larger original or place it smaller"))
        if info.mode in RGB_MODES:
            if settings.rgb_images == "refuse":
                raise SpecError(f"{what} {path.name} is RGB ({info.mode}); this layout refuses RGB pictures", where,
                                "convert it to CMYK for the press, or set print: {rgb_images: convert, icc_profile: …}")
            convert = str(settings.icc_profile)
    return Picture(path=str(path), kind=info.kind, frame=(frame.x, frame.y, frame.width, frame.height),
                   placed=(placed.x, placed.y, placed.width, placed.height), crop=crop, convert_rgb=convert)


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
    items.insert(0, picture(element.file, frame, element.crop, element.fit, layout, element.where, "image", warnings))
    return items
