"""Setting one line: compress or stretch it to the measure and give every glyph its x.

Shrinking takes the blank halves of punctuation, the line-end mark first (clreq: 行末点号半角
before anything else). Stretching spreads the remaining room evenly over the gaps between
characters, never inside a Latin word, a —— or a …… . A paragraph's last line keeps its natural
spacing and sits flush left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pagecomposer.text.cjk import CharClass
from pagecomposer.text.shaping import Glyph, Paragraph


@dataclass(frozen=True)
class SetLine:
    glyphs: tuple[Glyph, ...]
    xs: tuple[float, ...]  # slot start of each glyph, from the line's left edge
    measure: float  # the width the line was set to (without its indent)
    indent: float
    natural_width: float
    stretch_per_gap: float  # pt added to each stretchable gap (0 for a last or unjustified line)
    shrunk: float  # pt taken out of punctuation blanks to make the line fit
    last: bool
    start: int  # glyph range in the paragraph
    end: int

    @property
    def width(self) -> float:
        """Set width from the left edge of the first slot to the right edge of the last."""
        if not self.glyphs:
            return 0.0
        return self.xs[-1] + self.glyphs[-1].advance - self.indent

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def _shrink(glyphs: list[Glyph], needed: float) -> float:
    """Take `needed` pt out of punctuation blanks, line end first; returns what was taken."""
    taken = 0.0
    order = [len(glyphs) - 1] + list(range(len(glyphs) - 2, -1, -1))
    for index in order:
        if taken >= needed:
            break
        glyph = glyphs[index]
        cut = min(glyph.shrink_right, needed - taken)
        if cut > 0:
            glyph = replace(glyph, advance=glyph.advance - cut, shrink_right=glyph.shrink_right - cut)
            taken += cut
        cut = min(glyph.shrink_left, needed - taken)
        if cut > 0:
            glyph = replace(glyph, advance=glyph.advance - cut, draw_offset=glyph.draw_offset - cut,
                            shrink_left=glyph.shrink_left - cut)
            taken += cut
        glyphs[index] = glyph
    return taken


def set_line(paragraph: Paragraph, start: int, end: int, measure: float, *, indent: float = 0.0,
             last: bool = False, align: str = "justify") -> SetLine:
    while end > start + 1 and paragraph.glyphs[end - 1].cls is CharClass.SPACE:
        end -= 1
    glyphs = list(paragraph.glyphs[start:end])
    junctions = paragraph.junctions[start:end - 1]
    kerns = [j.kern for j in junctions]
    natural = sum(g.advance for g in glyphs) + sum(kerns)
    shrunk = 0.0
    if natural > measure:
        shrunk = _shrink(glyphs, natural - measure)
        natural -= shrunk
    stretch = 0.0
    offset = indent
    if align == "justify" and not last:
        gaps = [i for i, j in enumerate(junctions) if j.stretchable] or list(range(len(junctions)))
        if gaps and natural < measure:
            stretch = (measure - natural) / len(gaps)
            for i in gaps:
                kerns[i] += stretch
    elif align == "center":
        offset += (measure - natural) / 2
    elif align == "right":
        offset += measure - natural
    xs = []
    x = offset
    for i, glyph in enumerate(glyphs):
        xs.append(x)
        x += glyph.advance + (kerns[i] if i < len(kerns) else 0.0)
    return SetLine(glyphs=tuple(glyphs), xs=tuple(xs), measure=measure, indent=indent, natural_width=natural,
                   stretch_per_gap=stretch, shrunk=shrunk, last=last, start=start, end=end)


def set_paragraph(paragraph: Paragraph, measure: float, *, first_indent: float = 0.0, align: str = "justify"):
    """All lines of a paragraph at one measure (used for headlines and tests; flow sets line by line)."""
    from pagecomposer.text.linebreak import next_break

    lines: list[SetLine] = []
    start = 0
    while start < len(paragraph.glyphs):
        indent = first_indent if start == 0 else 0.0
        brk = next_break(paragraph, start, measure - indent)
        last = brk.end >= len(paragraph.glyphs)
        lines.append(set_line(paragraph, start, brk.end, measure - indent, indent=indent, last=last, align=align))
        start = brk.end
    return lines
