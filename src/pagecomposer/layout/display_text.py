"""Single lines of display type (headlines, kickers, ad copy): set, fitted to a width, placed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from pagecomposer.spec.model import Style
from pagecomposer.story.model import Run
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import SetLine, set_line
from pagecomposer.text.shaping import MissingChar, shape

@dataclass
class DisplayLine:
    line: SetLine  # set at measure / condense: its xs are scaled by `condense` when placed
    style: Style
    scale: float  # 1.0 unless the line had to be shrunk to fit
    missing: list[MissingChar]
    condense: float = 1.0  # horizontal scale of the glyphs (长体), 1.0 unless condensed to fit

    @property
    def size(self) -> float:
        return self.style.size * self.scale

    @property
    def overflow(self) -> bool:
        return self.line.natural_width > self.line.measure + 0.01

    @property
    def width(self) -> float:
        """Width on the page, condensing applied."""
        return self.line.natural_width * self.condense


def set_display_line(text: str, style: Style, fonts: FontSet, measure: float, align: str = "center") -> DisplayLine:
    """One line, natural spacing, aligned in `measure`. Too wide, it is first condensed (长体, down to
    the style's condense_min), then reduced in size (down to its fit_min); wider still, it overflows
    and the caller reports it."""
    paragraph = shape([Run(text)], style, fonts)
    # Natural width, before any fitting (set_line would already squeeze a line wider than its measure).
    natural = set_line(paragraph, 0, len(paragraph.glyphs), 1e9, last=True, align="left").natural_width
    condense = scale = 1.0
    if natural > measure + 0.01:
        condense = max(style.condense_min, measure / natural)
        if natural * condense > measure + 0.01:
            scale = max(style.fit_min, measure / (natural * condense))
    scaled = replace(style, size=style.size * scale)
    if scale != 1.0:
        paragraph = shape([Run(text)], scaled, fonts)
    line = set_line(paragraph, 0, len(paragraph.glyphs), measure / condense, last=True, align=align)
    return DisplayLine(line, scaled, scale, paragraph.missing, condense)
