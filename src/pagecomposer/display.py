"""The display list: where every glyph, box and rule goes on a page. Plain data, no reportlab.

Coordinates are points from the top-left corner of the trimmed page, y growing downwards, as a
desk measures a page. The renderer turns them into PDF space (origin bottom-left of the bleed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CMYK = tuple[float, float, float, float]


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one font, size and colour on one baseline, each at its own x."""

    font_path: str
    size: float
    color: CMYK
    baseline: float
    xs: tuple[float, ...]  # pen position (glyph origin) of each glyph
    text: str
    role: str = "body"  # body | lead | heading | byline | headline | kicker | subtitle | ad — for tests and reports


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: CMYK | None = None
    stroke: CMYK | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    color: CMYK
    width: float


Item = GlyphRun | Box | Rule


@dataclass
class PageDisplay:
    id: str
    trim_width: float
    trim_height: float
    bleed: float
    items: list[Item] = field(default_factory=list)

    def runs(self, role: str | None = None) -> list[GlyphRun]:
        return [i for i in self.items if isinstance(i, GlyphRun) and (role is None or i.role == role)]
