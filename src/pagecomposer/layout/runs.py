"""A set line placed on the page becomes glyph runs for the display list."""

from __future__ import annotations

from pagecomposer.display import CMYK, GlyphRun
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import SetLine


def line_runs(line: SetLine, left: float, baseline: float, fonts: FontSet, swatches: dict[str, CMYK],
              role: str, color: str | None = None) -> list[GlyphRun]:
    """Split a line into runs of one font, size and colour; each glyph keeps its exact x."""
    runs: list[GlyphRun] = []
    current: list[tuple[float, str]] = []
    key = None
    for glyph, x in zip(line.glyphs, line.xs):
        if glyph.cls.value == "space":
            continue
        glyph_key = (glyph.font, glyph.size, color or glyph.color)
        if key is not None and glyph_key != key and current:
            runs.append(_run(current, key, baseline, fonts, swatches, role))
            current = []
        key = glyph_key
        current.append((left + x + glyph.draw_offset, glyph.char))
    if current and key is not None:
        runs.append(_run(current, key, baseline, fonts, swatches, role))
    return runs


def _run(glyphs, key, baseline, fonts: FontSet, swatches, role) -> GlyphRun:
    font, size, color = key
    return GlyphRun(font_path=str(fonts.files[font]), size=size, color=swatches[color], baseline=baseline,
                    xs=tuple(x for x, _ in glyphs), text="".join(c for _, c in glyphs), role=role)
