"""Reading glyph positions back out of a written PDF, in trim coordinates (pt, y down).

pdfium (pypdfium2) is used rather than pdfminer: pdfminer skips the character spacing (Tc) after
the last glyph of each string, so it misplaces glyphs wherever a line changes font subset.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class PdfChar:
    text: str
    x0: float  # pen position (origin) in trim coordinates
    x1: float  # x0 + advance
    baseline: float
    size: float


def read_chars(path, bleed: float, page_index: int = 0) -> list[PdfChar]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[page_index]
        height = page.get_height()
        textpage = page.get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        box = pdfium_c.FS_RECTF()
        chars = []
        for index in range(pdfium_c.FPDFText_CountChars(textpage)):
            text = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
            if text == "\x02":
                text = "-"  # pdfium reports a hyphen that ends a line as its soft-hyphen marker
            if text.isspace() or text == "\x00":
                continue
            pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
            pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box)
            chars.append(PdfChar(text, x.value - bleed, box.right - bleed, round(height - y.value - bleed, 3),
                                 round(pdfium_c.FPDFText_GetFontSize(textpage, index), 3)))
        return chars
    finally:
        pdf.close()


def lines_by_baseline(chars: list[PdfChar], left: float, right: float) -> dict[float, list[PdfChar]]:
    """Characters between left and right (one column), grouped by baseline, each line left to right."""
    lines: dict[float, list[PdfChar]] = defaultdict(list)
    for c in chars:
        middle = (c.x0 + c.x1) / 2
        if left - 0.5 <= middle <= right + 0.5:
            lines[c.baseline].append(c)
    return {y: sorted(cs, key=lambda c: c.x0) for y, cs in sorted(lines.items())}


def in_placed_pdf(page, char: PdfChar) -> bool:
    """Is the character part of a placed PDF ad (its own text, not ours)?"""
    from pagecomposer.display import Picture

    for item in page.display.items:
        if isinstance(item, Picture) and item.kind == "pdf":
            x, y, w, h = item.frame
            if x <= char.x0 <= x + w and y <= char.baseline <= y + h:
                return True
    return False
