"""Font faces: metrics and ink positions from fonttools, registration with reportlab for embedding.

Every position the composer computes comes from these metrics; reportlab later only places glyphs,
so what the tests read back from the PDF is what this module measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont as FontToolsFont
from fontTools.ttLib import TTLibError

from pagecomposer.errors import FontError

# A punctuation mark whose ink lies inside one half of the em square has the other half as
# compressible blank (clreq §3.1.6). The tolerance allows for ink that just touches the middle.
HALF_EM_TOLERANCE = 0.06


@dataclass
class Face:
    path: Path
    postscript_name: str
    units_per_em: int
    ascent: float  # em, typographic ascender (top of the ideographic em box for CJK fonts)
    descent: float  # em, positive, below the baseline
    _font: FontToolsFont = field(repr=False)
    _cmap: dict[int, str] = field(repr=False)
    _advances: dict[str, int] = field(repr=False)

    def has(self, char: str) -> bool:
        return ord(char) in self._cmap

    def advance(self, char: str) -> float:
        """Advance width in em."""
        return self._advances[self._cmap[ord(char)]] / self.units_per_em

    @lru_cache(maxsize=4096)
    def ink_box(self, char: str) -> tuple[float, float, float, float] | None:
        """(x_min, y_min, x_max, y_max) of the glyph's ink in em, or None for a blank glyph."""
        glyph_name = self._cmap[ord(char)]
        glyph = self._font["glyf"][glyph_name]
        if glyph.numberOfContours == 0:
            return None
        glyph.recalcBounds(self._font["glyf"])
        upem = self.units_per_em
        return glyph.xMin / upem, glyph.yMin / upem, glyph.xMax / upem, glyph.yMax / upem

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


@lru_cache(maxsize=64)
def load_face(path: Path) -> Face:
    try:
        font = FontToolsFont(str(path), lazy=True)
        if "glyf" not in font:
            raise FontError(f"{path.name} has no TrueType outlines; reportlab can embed only TrueType",
                            None, "convert it with tools/build_fonts.py (CFF -> TrueType via fonttools)")
        cmap = font.getBestCmap()
        advances = {name: metrics[0] for name, metrics in font["hmtx"].metrics.items()}
        upem = font["head"].unitsPerEm
        os2 = font["OS/2"]
        name = font["name"].getDebugName(6) or path.stem
    except (OSError, TTLibError, KeyError) as exc:
        raise FontError(f"cannot read font {path}: {exc}") from None
    return Face(path=path, postscript_name=name, units_per_em=upem, ascent=os2.sTypoAscender / upem,
                descent=-os2.sTypoDescender / upem, _font=font, _cmap=cmap, _advances=advances)


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
