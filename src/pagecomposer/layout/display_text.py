"""Single lines of display type (headlines, kickers, ad copy): set, fitted to a width, placed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pagecomposer.spec.model import Style
from pagecomposer.story.model import Run
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import SetLine, set_line
from pagecomposer.text.shaping import MissingChar, shape

# Below this share of its style size a headline is not shrunk further; it is reported instead.
MIN_FIT_SCALE = 0.7


@dataclass
class DisplayLine:
    line: SetLine
    style: Style
    scale: float  # 1.0 unless the line had to be shrunk to fit
    missing: list[MissingChar]

    @property
    def size(self) -> float:
        return self.style.size * self.scale

    @property
    def overflow(self) -> bool:
        return self.line.natural_width > self.line.measure + 0.01


def set_display_line(text: str, style: Style, fonts: FontSet, measure: float, align: str = "center") -> DisplayLine:
    """One line, natural spacing, aligned in `measure`; shrunk (down to MIN_FIT_SCALE) if too wide."""
    scale = 1.0
    for _ in range(2):
        scaled = replace(style, size=style.size * scale)
        paragraph = shape([Run(text)], scaled, fonts)
        line = set_line(paragraph, 0, len(paragraph.glyphs), measure, last=True, align=align)
        if line.natural_width <= measure + 0.01 or scale < 1.0:
            break
        scale = max(MIN_FIT_SCALE, measure / line.natural_width)
    return DisplayLine(line, scaled, scale, paragraph.missing)
