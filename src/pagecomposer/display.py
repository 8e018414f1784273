"""The display list: where every glyph, box and rule goes on a page. Plain data, no reportlab.

Coordinates are points from the top-left corner of the trimmed page, y growing downwards, as a
desk measures a page. The renderer turns them into PDF space (origin bottom-left of the bleed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pagecomposer.errors import SourceLocation


class Ink(NamedTuple):
    """A colour as the plant prints it: CMYK percentages (0..1), or a spot colour (专色) with its
    CMYK alternate for proofs."""

    c: float
    m: float
    y: float
    k: float
    spot: str | None = None

    @property
    def coverage(self) -> float:
        """Total area coverage in percent (what the press's ink limit caps)."""
        return (self.c + self.m + self.y + self.k) * 100

    @property
    def is_plain_black(self) -> bool:
        """100 % K and nothing else: the colour that must overprint (no knock-out, no misregister)."""
        return self.spot is None and (self.c, self.m, self.y, self.k) == (0, 0, 0, 1)


CMYK = Ink
PROCESS_INKS = ("Cyan", "Magenta", "Yellow", "Black")  # as separations name the process plates


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
    hscale: float = 1.0  # horizontal scale of the glyphs (a condensed headline)


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


@dataclass(frozen=True)
class Circle:
    x: float  # centre
    y: float
    radius: float
    color: CMYK
    width: float


@dataclass(frozen=True)
class Picture:
    """A photo or an ad file: a raster image (JPEG, PNG, TIFF) or a page of a PDF, placed so that its
    visible part (`crop`, fractions of the source) fills `placed`, clipped to `frame`."""

    path: str
    kind: str  # raster | pdf
    frame: tuple[float, float, float, float]  # x, y, width, height: what is shown
    placed: tuple[float, float, float, float]  # where the (cropped) source lands; may overhang the frame
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # left, top, right, bottom of the source
    convert_rgb: str | None = None  # ICC profile to convert RGB pixels to CMYK through, if allowed
    # A PDF: which page, its rotation and visible box (x0, y0, x1, y1 in the page's own space), the
    # inks it prints, and what was found in it (layout.ad_inspect.AdFacts) for the messages.
    page: int = 1
    rotate: int = 0
    box: tuple[float, float, float, float] | None = None
    inks: tuple[str, ...] = ()
    ad: Any = None
    # (page of the file, fixes, ICC profile) render/ads.py prepared a copy of the page with; then
    # `page`, `rotate` and `box` are the prepared copy's. Empty: the file's page is placed as it is.
    prepared: tuple = ()
    label: str = ""  # "ad '正商集团'": how messages name it
    where: SourceLocation | None = None


@dataclass(frozen=True)
class Keepout:
    """Room an element claims inside a story's frame (a pull quote): text wraps around it; nothing is drawn."""

    x: float
    y: float
    width: float
    height: float


Item = GlyphRun | Box | Rule | Picture | Circle | Keepout


@dataclass
class PageDisplay:
    id: str
    trim_width: float
    trim_height: float
    bleed: float
    items: list[Item] = field(default_factory=list)
    slug: float = 0.0  # room outside the bleed for printer's marks (0: the MediaBox is the BleedBox)

    @property
    def origin(self) -> float:
        """Distance from the MediaBox edge to the trim edge."""
        return self.bleed + self.slug

    def inks(self) -> list[str]:
        """The inks the page prints, each a plate: the process inks any item uses, then spot inks in
        the order they are met. A PDF picture brings the inks found in it (after any preparation);
        a raster picture is CMYK or grey. Registration colour (/All) is on every plate, not an ink."""
        process = dict.fromkeys(PROCESS_INKS, False)
        spots: dict[str, None] = {}

        for item in self.items:
            if isinstance(item, Picture):
                for name in item.inks or PROCESS_INKS:
                    if name in process:
                        process[name] = True
                    else:
                        spots[name] = None
        for ink in self.colours():
            if ink.spot == "All":
                continue
            if ink.spot:
                spots[ink.spot] = None
                continue
            for name, value in zip(PROCESS_INKS, ink[:4]):
                process[name] = process[name] or value > 0
        return [name for name, used in process.items() if used] + list(spots)

    def colours(self):
        """Every colour the page's glyphs, boxes, rules and circles are drawn in, in order."""
        for item in self.items:
            if isinstance(item, Box):
                yield from (ink for ink in (item.fill, item.stroke) if ink is not None)
            elif isinstance(item, (GlyphRun, Rule, Circle)):
                yield item.color

    def runs(self, role: str | None = None) -> list[GlyphRun]:
        return [i for i in self.items if isinstance(i, GlyphRun) and (role is None or i.role == role)]
