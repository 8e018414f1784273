"""Latin runs inside Chinese text, shaped with HarfBuzz so their pairs are kerned (AV, Ty, 5G …).

reportlab draws glyphs at the positions we give it and applies no OpenType features, so the
kerned advances are computed here and carried in the glyphs' positions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb

# Only positioning (kern) is wanted: reportlab draws each character's cmap glyph, so any glyph
# substitution (a ligature, a localized or contextual form) would be measured here but never drawn.
FEATURES = {"kern": True, "liga": False, "clig": False, "calt": False, "locl": False, "ccmp": False,
            "rlig": False}


@lru_cache(maxsize=16)
def _font(path: Path) -> tuple[hb.Font, int]:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


@lru_cache(maxsize=4096)
def kerned_advances(path: Path, text: str) -> tuple[float, ...] | None:
    """Advance of each character of `text` in em, kerning applied; None if HarfBuzz did not map the
    run one glyph per character (then the caller keeps the plain advances)."""
    font, upem = _font(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, FEATURES)
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    if len(infos) != len(text) or [info.cluster for info in infos] != list(range(len(text))):
        return None
    if any(info.codepoint != font.get_nominal_glyph(ord(ch)) for info, ch in zip(infos, text)):
        return None  # a glyph was substituted after all: its width is not the drawn glyph's
    return tuple(position.x_advance / upem for position in positions)
