"""Choosing where lines end: at natural spacing first, then clreq's 先挤进后推出.

A line takes the glyphs that fit the measure at natural spacing. If the line may not end there
(the next glyph is a ，or the last one a “), it first tries to take in the glyphs up to the next
allowed break by compressing punctuation blanks (push in, 挤进); only if that cannot fit does it end
at the previous allowed break and get stretched (push out, 推出). A single unbreakable unit wider
than the measure (a long URL) is the one case where a rule gives way, and it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from pagecomposer.text.cjk import CharClass
from pagecomposer.text.shaping import Paragraph

FIT_TOLERANCE_PT = 0.001


@dataclass(frozen=True)
class Break:
    end: int  # index one past the line's last glyph
    forced: bool = False  # True when no allowed break fitted and a rule had to give way


def next_break(paragraph: Paragraph, start: int, measure: float) -> Break:
    glyphs, junctions = paragraph.glyphs, paragraph.junctions
    count = len(glyphs)
    limit = measure + FIT_TOLERANCE_PT

    def allowed(end: int) -> bool:
        """May a line end just before glyph `end`?"""
        return end == count or junctions[end - 1].can_break

    # For each candidate end, the line's natural width and how much its punctuation could give up.
    natural_widths: list[float] = []
    shrinkable: list[float] = []
    natural = shrink = 0.0
    for i in range(start, count):
        glyph = glyphs[i]
        natural += (junctions[i - 1].kern if i > start else 0.0) + glyph.advance
        shrink += glyph.shrink_left + glyph.shrink_right
        trailing_space = glyph.advance if glyph.cls is CharClass.SPACE else 0.0  # a line-end space is not set
        natural_widths.append(natural - trailing_space)
        shrinkable.append(shrink)
        if natural - trailing_space - shrink > limit:
            break  # even fully compressed, no longer line can fit
    ends = range(start + 1, start + len(natural_widths) + 1)

    def width(end: int) -> float:
        return natural_widths[end - start - 1]

    natural_end = max((e for e in ends if width(e) <= limit), default=None)
    if natural_end is not None and allowed(natural_end):
        return Break(natural_end)
    # 先挤进: take in glyphs up to the next allowed break if compression makes room for them.
    for end in ends:
        if end > (natural_end or start) and allowed(end) and width(end) - shrinkable[end - start - 1] <= limit:
            return Break(end)
    # 后推出: end at the previous allowed break; justification will stretch the line.
    for end in range((natural_end or start), start, -1):
        if allowed(end):
            return Break(end)
    return Break(natural_end or start + 1, forced=True)
