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
    def ink_half(self, char: str) -> str:
        """'left', 'right' or 'centre': which half of its advance a glyph's ink occupies."""
        glyph_name = self._cmap[ord(char)]
        glyph = self._font["glyf"][glyph_name]
        advance = self._advances[glyph_name]
        if glyph.numberOfContours == 0 or advance == 0:
            return "centre"
        glyph.recalcBounds(self._font["glyf"])
        middle = advance / 2
        tolerance = HALF_EM_TOLERANCE * self.units_per_em
        if glyph.xMax <= middle + tolerance:
            return "left"
        if glyph.xMin >= middle - tolerance:
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
