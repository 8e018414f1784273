"""Reading glyph positions back out of a written PDF (pdfplumber), in trim coordinates (pt, y down)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pdfplumber


@dataclass(frozen=True)
class PdfChar:
    text: str
    x0: float  # pen position (origin) in trim coordinates
    x1: float  # x0 + advance
    baseline: float
    size: float
    font: str


def read_chars(path, bleed: float, page_index: int = 0) -> list[PdfChar]:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_index]
        height = page.height
        chars = []
        for c in page.chars:
            matrix = c["matrix"]
            baseline = height - matrix[5] - bleed
            chars.append(PdfChar(c["text"], c["x0"] - bleed, c["x1"] - bleed, round(baseline, 3),
                                 round(c["size"], 3), c["fontname"]))
        return chars


def lines_by_baseline(chars: list[PdfChar], left: float, right: float) -> dict[float, list[PdfChar]]:
    """Characters between left and right (one column), grouped by baseline, each line left to right."""
    lines: dict[float, list[PdfChar]] = defaultdict(list)
    for c in chars:
        middle = (c.x0 + c.x1) / 2
        if left - 0.5 <= middle <= right + 0.5:
            lines[c.baseline].append(c)
    return {y: sorted(cs, key=lambda c: c.x0) for y, cs in sorted(lines.items())}
