"""Font faces: metrics and ink positions from fonttools, registration with reportlab for embedding.

Every position the composer computes comes from these metrics; reportlab later only places glyphs,
so what the tests read back from the PDF is what this module measured.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import fontTools

from pagecomposer import fontcache
from pagecomposer.errors import FontError

# A punctuation mark whose ink lies inside one half of the em square has the other half as
# compressible blank (clreq §3.1.6). The tolerance allows for ink that just touches the middle.
HALF_EM_TOLERANCE = 0.06


# Glyphs whose ink is looked at (punctuation's blank sides, the dash joins): their boxes are kept
# with the cached metrics, so a build never has to open the outlines for them.
INK_CATEGORIES = ("P", "S")


@dataclass
class Face:
    path: Path
    postscript_name: str
    units_per_em: int
    ascent: float  # em, typographic ascender (top of the ideographic em box for CJK fonts)
    descent: float  # em, positive, below the baseline
    _cmap: dict[int, str] = field(repr=False)
    _advances: dict[str, int] = field(repr=False)
    _ink: dict[int, tuple[int, int, int, int] | None] = field(repr=False, default_factory=dict)

    def has(self, char: str) -> bool:
        return ord(char) in self._cmap

    def advance(self, char: str) -> float:
        """Advance width in em."""
        return self._advances[self._cmap[ord(char)]] / self.units_per_em

    @lru_cache(maxsize=4096)
    def ink_box(self, char: str) -> tuple[float, float, float, float] | None:
        """(x_min, y_min, x_max, y_max) of the glyph's ink in em, or None for a blank glyph."""
        code = ord(char)
        box = self._ink[code] if code in self._ink else _glyph_box(_outlines(self.path), self._cmap[code])
        if box is None:
            return None
        upem = self.units_per_em
        return box[0] / upem, box[1] / upem, box[2] / upem, box[3] / upem

    def ink_half(self, char: str) -> str:
        """'left', 'right' or 'centre': which half of its advance a glyph's ink occupies."""
        box = self.ink_box(char)
        advance = self.advance(char)
        if box is None or advance == 0:
            return "centre"
        middle = advance / 2
        if box[2] <= middle + HALF_EM_TOLERANCE:
            return "left"
        if box[0] >= middle - HALF_EM_TOLERANCE:
            return "right"
        return "centre"

    def __hash__(self) -> int:
        return hash(self.path)


@lru_cache(maxsize=16)
def _outlines(path: Path):
    """The fontTools font (imported only when the cache does not answer)."""
    from fontTools.ttLib import TTFont

    return TTFont(str(path), lazy=True)


def _glyph_box(font, glyph_name: str) -> tuple[int, int, int, int] | None:
    glyph = font["glyf"][glyph_name]
    if glyph.numberOfContours == 0:
        return None
    glyph.recalcBounds(font["glyf"])
    return glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax


def _read_metrics(path: Path) -> dict:
    """Everything the composer measures with, as plain data (see fontcache)."""
    from fontTools.ttLib import TTLibError

    try:
        font = _outlines(path)
        if "glyf" not in font:
            raise FontError(f"{path.name} has no TrueType outlines; reportlab can embed only TrueType",
                            None, "convert it with tools/build_fonts.py (CFF -> TrueType via fonttools)")
        problem = _glyph_table_problem(font)
        if problem:
            raise FontError(f"font {path.name} is damaged: {problem}", None,
                            "replace the font file with a good copy (the foundry's original)")
        cmap = font.getBestCmap()
        upem = font["head"].unitsPerEm
        os2 = font["OS/2"]
        ink = {code: _glyph_box(font, name) for code, name in cmap.items()
               if unicodedata.category(chr(code))[0] in INK_CATEGORIES}
        return {"name": font["name"].getDebugName(6) or path.stem, "upem": upem,
                "ascent": os2.sTypoAscender / upem, "descent": -os2.sTypoDescender / upem, "cmap": cmap,
                "advances": {name: metrics[0] for name, metrics in font["hmtx"].metrics.items()}, "ink": ink}
    except (OSError, TTLibError, KeyError, AssertionError, struct.error, ValueError, IndexError, TypeError) as exc:
        raise FontError(f"cannot read font {path.name}: {exc}", None,
                        "replace the font file with a good copy (the foundry's original)") from None


def _glyph_table_problem(font) -> str | None:
    """Why the glyph table cannot be what reportlab will subset from, or None. A structural walk of
    every glyph's header and contour ends (fontTools' full decompile takes seconds for a CJK
    face); random bytes break a header or the rising contour ends within a glyph or two."""
    data = font.reader["glyf"]
    offsets = font["loca"].locations
    glyphs = font["maxp"].numGlyphs
    if len(offsets) < glyphs + 1:
        return f"the glyph index (loca) lists {len(offsets) - 1} glyphs, the font {glyphs}"
    for index in range(glyphs):
        start, end = offsets[index], offsets[index + 1]
        if end < start or end > len(data):
            return f"glyph {index} lies outside the glyph table"
        if end > start:
            problem = _glyph_problem(data, start, end, glyphs)
            if problem:
                return f"glyph {index} {problem}"
    return None


def _glyph_problem(data: bytes, start: int, end: int, glyphs: int) -> str | None:
    if end - start < 10:
        return "is shorter than its header"
    contours, x_min, y_min, x_max, y_max = struct.unpack_from(">hhhhh", data, start)
    if x_min > x_max or y_min > y_max:
        return "has a bounding box that is inside out"
    if contours >= 0:
        header = 10 + 2 * contours + 2
        if start + header > end:
            return "has more contours than bytes"
        ends = struct.unpack_from(f">{contours}H", data, start + 10)
        if any(later <= earlier for earlier, later in zip(ends, ends[1:])):
            return "has contour ends that do not rise"
        points = ends[-1] + 1 if ends else 0
        (instructions,) = struct.unpack_from(">H", data, start + 10 + 2 * contours)
        least = header + instructions + (1 if points else 0)  # flags can repeat: one byte at the least
        if start + least > end or end - start - header - instructions > 5 * points + 4:
            return "has points that do not fit its length"
        return None
    if contours != -1:
        return f"has {contours} contours"
    return _composite_problem(data, start + 10, end, glyphs)


def _composite_problem(data: bytes, at: int, end: int, glyphs: int) -> str | None:
    """A composite glyph: components (flags, glyph index, offsets, scale) until MORE_COMPONENTS is clear."""
    while True:
        if at + 4 > end:
            return "has a component cut short"
        flags, component = struct.unpack_from(">HH", data, at)
        if component >= glyphs:
            return f"uses glyph {component}, which the font does not have"
        at += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
        at += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0  # scale forms
        if at > end:
            return "has a component cut short"
        if not flags & 0x0020:  # MORE_COMPONENTS
            return None


@lru_cache(maxsize=64)
def load_face(path: Path) -> Face:
    # "checked": metrics cached before glyph tables were checked are read again (see _glyph_table_problem).
    metrics = fontcache.cached("metrics", path, f"fonttools {fontTools.version} checked",
                               lambda: _read_metrics(path))
    return Face(path=path, postscript_name=metrics["name"], units_per_em=metrics["upem"],
                ascent=metrics["ascent"], descent=metrics["descent"], _cmap=metrics["cmap"],
                _advances=metrics["advances"], _ink=metrics["ink"])


class FontSet:
    """The fonts of one layout, by the keys its styles use."""

    def __init__(self, files: dict[str, Path]):
        self.files = dict(files)

    def face(self, key: str) -> Face:
        return load_face(self.files[key])

    def first_with(self, keys: tuple[str, ...], char: str) -> str | None:
        """The first font key in a fallback chain whose face has `char`."""
        for key in keys:
            if self.face(key).has(char):
                return key
        return None

    def first_full_width(self, keys: tuple[str, ...], char: str) -> str | None:
        """The first font in the chain whose `char` is one em wide (Chinese punctuation is; a Kai
        face's proportional “ ” · are not, so they are taken from the next face that has them)."""
        for key in keys:
            face = self.face(key)
            if face.has(char) and abs(face.advance(char) - 1.0) < 0.01:
                return key
        return None
