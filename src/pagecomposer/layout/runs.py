"""A set line placed on the page becomes display items: glyph runs (and the rules that join a ——)."""

from __future__ import annotations

from pagecomposer.display import CMYK, GlyphRun, Rule
from pagecomposer.text.cjk import CharClass
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import SetLine


def line_items(line: SetLine, left: float, baseline: float, fonts: FontSet, swatches: dict[str, CMYK],
              role: str, color: str | None = None, condense: float = 1.0) -> list[GlyphRun | Rule]:
    """Split a line into runs of one font, size and colour; each glyph keeps its exact x (a
    condensed line's positions are scaled with its glyphs)."""
    runs: list[GlyphRun] = []
    current: list[tuple[float, str]] = []
    key = None
    for glyph, x in zip(line.glyphs, line.xs):
        if glyph.cls.value == "space":
            continue
        glyph_key = (glyph.font, glyph.size, color or glyph.color)
        if key is not None and glyph_key != key and current:
            runs.append(_run(current, key, baseline, fonts, swatches, role, condense))
            current = []
        key = glyph_key
        current.append((left + (x + glyph.draw_offset) * condense, glyph.char))
    if current and key is not None:
        runs.append(_run(current, key, baseline, fonts, swatches, role, condense))
    joins = _dash_joins(line, left, baseline, fonts, swatches, color) if condense == 1.0 else []
    return runs + joins


def _dash_joins(line: SetLine, left: float, baseline: float, fonts: FontSet, swatches: dict[str, CMYK],
                color: str | None) -> list[Rule]:
    """A 破折号 is one unbroken line two ems long; a font's — has side bearings, so two of them show
    a gap. The glyphs stay (the text must copy out as ——); a rule of the dash's own weight bridges it."""
    joins = []
    for i in range(len(line.glyphs) - 1):
        a, b = line.glyphs[i], line.glyphs[i + 1]
        if a.cls is not CharClass.DASH or b.cls is not CharClass.DASH:
            continue
        box_a = fonts.face(a.font).ink_box(a.char)
        box_b = fonts.face(b.font).ink_box(b.char)
        if box_a is None or box_b is None:
            continue
        start = left + line.xs[i] + a.draw_offset + box_a[2] * a.size
        end = left + line.xs[i + 1] + b.draw_offset + box_b[0] * b.size
        if end - start <= 0.01:
            continue
        middle = baseline - (box_a[1] + box_a[3]) / 2 * a.size
        thickness = (box_a[3] - box_a[1]) * a.size
        # Overlap the inks a little so no hairline gap shows at any resolution.
        joins.append(Rule(start - 0.1, middle, end + 0.1, middle, swatches[color or a.color], thickness))
    return joins


def _run(glyphs, key, baseline, fonts: FontSet, swatches, role, condense: float = 1.0) -> GlyphRun:
    font, size, color = key
    return GlyphRun(font_path=str(fonts.files[font]), size=size, color=swatches[color], baseline=baseline,
                    xs=tuple(x for x, _ in glyphs), text="".join(c for _, c in glyphs), role=role,
                    hscale=condense)
