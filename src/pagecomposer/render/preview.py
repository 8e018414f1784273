"""Previews: each page PDF as a PNG (pdfium, no external programs), a contact sheet of the edition,
and, on the PNG only, the desk's guides: the column grid, frame outlines and overset markers (a
red plus at the foot of the last column of a story that does not fit, as InDesign draws it)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from pagecomposer.options import parse_kinds
from pagecomposer.spec.model import StoryElement

GUIDES = ("grid", "frames", "overset")
GRID_COLOUR = (120, 170, 230)
BASELINE_COLOUR = (205, 222, 245)
FRAME_COLOUR = (230, 120, 200)
OVERSET_COLOUR = (230, 20, 20)


def parse_guides(text: str) -> tuple[str, ...]:
    return parse_kinds(text, GUIDES, "guide")


def render_page(pdf_path: Path, dpi: float) -> Image.Image:
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def draw_guides(image: Image.Image, page, dpi: float, guides: tuple[str, ...]) -> None:
    """Draw on the preview image (never on the PDF) in page coordinates: pt from the trim, y down."""
    scale = dpi / 72
    origin = page.display.origin

    def px(x: float, y: float) -> tuple[float, float]:
        return (origin + x) * scale, (origin + y) * scale

    draw = ImageDraw.Draw(image)
    grid, layout = page.grid, page.grid.layout
    if "grid" in guides:
        g = layout.grid
        top, bottom = grid.line_top(1), grid.line_bottom(g.lines_per_column)
        for column in range(1, g.columns + 1):
            for x in (grid.column_left(column), grid.column_right(column)):
                draw.line([px(x, top), px(x, bottom)], fill=GRID_COLOUR, width=1)
        left, right = grid.column_left(1), grid.column_right(g.columns)
        for line in range(1, g.lines_per_column + 1):
            y = grid.baseline(line)
            draw.line([px(left, y), px(right, y)], fill=BASELINE_COLOUR, width=1)
    if "frames" in guides or "overset" in guides:
        for element in page.spec.elements:
            if not isinstance(element, StoryElement):
                continue
            rects = [grid.area_rect(frame) for frame in element.frames]
            if "frames" in guides:
                for rect in rects:
                    draw.rectangle([px(rect.x, rect.y), px(rect.right, rect.bottom)], outline=FRAME_COLOUR, width=2)
            story = next((s for s in page.stories if s.article == element.article), None)
            if "overset" in guides and story is not None and story.overset and rects:
                last = rects[-1]
                x, y = px(last.right, last.bottom)
                size = 6 * scale
                draw.rectangle([x - size, y - size, x + size, y + size], outline=OVERSET_COLOUR, width=2)
                draw.line([x - size * 0.6, y, x + size * 0.6, y], fill=OVERSET_COLOUR, width=2)
                draw.line([x, y - size * 0.6, x, y + size * 0.6], fill=OVERSET_COLOUR, width=2)


def contact_sheet(images: list[Image.Image], columns: int = 4, width: int = 360) -> Image.Image:
    """All pages side by side, in order, each scaled to `width` pixels."""
    thumbs = [im.resize((width, round(im.height * width / im.width))) for im in images]
    height = max(t.height for t in thumbs)
    rows = (len(thumbs) + columns - 1) // columns
    gap = 16
    sheet = Image.new("RGB", (columns * (width + gap) + gap, rows * (height + gap) + gap), (200, 200, 200))
    for index, thumb in enumerate(thumbs):
        row, column = divmod(index, columns)
        sheet.paste(thumb, (gap + column * (width + gap), gap + row * (height + gap)))
    return sheet
