"""Setting one line: compress or stretch it to the measure and give every glyph its x.

The order follows clreq §3.8:
- shrinking takes the line-end mark's blank first (行末半角), then the blanks of brackets and
  quotes, then of pause marks; only then, as a last resort, are the gaps between characters
  tightened a little (紧排, at most MAX_SQUEEZE_EM);
- stretching spreads the room evenly over the gaps between characters, never inside a Latin
  word, a —— or a …… .
A Han–Latin gap takes its share like any other gap, so it always stays exactly the style's
autospace (a quarter em) wider than the line's other gaps: that is what the eye compares.
A paragraph's last line keeps its natural spacing and sits flush left. With hanging punctuation
a line-end ，。、 is set past the measure and the characters before it fill the measure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pagecomposer.text.cjk import HANGABLE, CharClass
from pagecomposer.text.linebreak import AUTOSPACE_NARROW_EM, MAX_SQUEEZE_EM, RELAXED_SQUEEZE_FACTOR, break_paragraph
from pagecomposer.text.shaping import Glyph, Paragraph


@dataclass(frozen=True)
class SetLine:
    glyphs: tuple[Glyph, ...]
    xs: tuple[float, ...]  # slot start of each glyph, from the line's left edge
    measure: float  # the width the line was set to (without its indent)
    indent: float
    natural_width: float
    stretch_per_gap: float  # pt added to each inter-character gap (0 for a last or unjustified line)
    shrunk: float  # pt taken out of punctuation blanks and Han–Latin gaps to make the line fit
    last: bool
    start: int  # glyph range in the paragraph
    end: int
    hung: bool = False  # the last glyph hangs past the measure
    compressed_pairs: int = 0  # adjacent punctuation pairs set at 1.5 em on this line
    squeeze_per_gap: float = 0.0  # pt taken from each inter-character gap (紧排), the last resort
    hyphenated: bool = False  # ends in a hyphen added by hyphenation (not a character of the copy)
    narrowed: int = 0  # Han–Latin gaps and pair marks set narrower, to avoid a loose line (the last resort)

    @property
    def width(self) -> float:
        """Set width from the left edge of the first slot to the right edge of the last (hung mark excluded)."""
        if not self.glyphs:
            return 0.0
        index = -2 if self.hung else -1
        return self.xs[index] + self.glyphs[index].advance - self.indent

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


# Which blanks give way first when a line must shrink (after the line-end mark).
_SHRINK_ORDER = (CharClass.OPENING, CharClass.CLOSING, CharClass.PAUSE, CharClass.STOP, CharClass.MIDDLE_DOT)


def _cut(glyph: Glyph, amount: float) -> tuple[Glyph, float]:
    """Take up to `amount` pt from a glyph's blanks, right side first; returns the glyph and what was taken."""
    right = min(glyph.shrink_right, amount)
    left = min(glyph.shrink_left, amount - right)
    if right <= 0 and left <= 0:
        return glyph, 0.0
    return replace(glyph, advance=glyph.advance - right - left, draw_offset=glyph.draw_offset - left,
                   shrink_right=glyph.shrink_right - right, shrink_left=glyph.shrink_left - left), right + left


def _shrink(glyphs: list[Glyph], kerns: list[float], squeezable: list[int], needed: float,
            size: float, autospace_gaps: list[int] = ()) -> tuple[float, float, int]:
    """Take `needed` pt out of the line in clreq's order; returns what was taken, how much each
    inter-character gap was squeezed, and how many marks of compressed pairs had to give way."""
    taken = 0.0
    squeeze = 0.0
    narrowed = 0
    glyphs[-1], got = _cut(glyphs[-1], needed)
    taken += got
    for cls in _SHRINK_ORDER:
        # Spread each class's share evenly, so no one mark is squeezed while its neighbour is not.
        members = [i for i, g in enumerate(glyphs)
                   if g.cls is cls and not g.paired and (g.shrink_left or g.shrink_right)]
        while members and needed - taken > 1e-6:
            share = (needed - taken) / len(members)
            for i in members:
                glyphs[i], got = _cut(glyphs[i], share)
                taken += got
            members = [i for i in members if glyphs[i].shrink_left or glyphs[i].shrink_right]
    if squeezable and needed - taken > 1e-6:
        squeeze = min((needed - taken) / len(squeezable), MAX_SQUEEZE_EM * RELAXED_SQUEEZE_FACTOR * size)
        for i in squeezable:
            kerns[i] -= squeeze
            taken += squeeze
    # The very last resort: half of each Han–Latin gap, then the remaining blanks of compressed pairs.
    latin_gaps = [i for i in autospace_gaps if i < len(kerns)]
    if latin_gaps and needed - taken > 1e-6:
        share = min((needed - taken) / len(latin_gaps), AUTOSPACE_NARROW_EM * size)
        for i in latin_gaps:
            kerns[i] -= share
            taken += share
        narrowed += len(latin_gaps)
    for i, glyph in enumerate(glyphs):
        if needed - taken <= 1e-6:
            break
        if glyph.paired:
            glyphs[i], got = _cut(glyph, needed - taken)
            taken += got
            narrowed += got > 0
    return taken, squeeze, narrowed


def set_line(paragraph: Paragraph, start: int, end: int, measure: float, *, indent: float = 0.0,
             last: bool = False, align: str = "justify") -> SetLine:
    hyphen = paragraph.junctions[end - 1].hyphen if end < len(paragraph.glyphs) else 0.0
    while end > start + 1 and paragraph.glyphs[end - 1].cls is CharClass.SPACE:
        end -= 1
    glyphs = list(paragraph.glyphs[start:end])
    junctions = list(paragraph.junctions[start:end - 1])
    if hyphen:
        # A hyphenated word: the line ends in a hyphen that is not in the copy.
        glyphs.append(replace(glyphs[-1], char="-", advance=hyphen, draw_offset=0.0, shrink_left=0.0,
                              shrink_right=0.0))
        junctions.append(replace(paragraph.junctions[end - 1], kern=0.0, stretchable=False))
    kerns = [j.kern for j in junctions]
    size = paragraph.size
    hung = paragraph.hanging and len(glyphs) > 1 and glyphs[-1].char in HANGABLE and not last
    # What must fit the measure: everything but a hanging mark.
    content = len(glyphs) - 1 if hung else len(glyphs)
    natural = sum(g.advance for g in glyphs[:content]) + sum(kerns[:content - 1])
    shrunk = squeeze = 0.0
    narrowed = 0
    if natural > measure:
        head = glyphs[:content]
        squeezable = [i for i in range(content - 1) if junctions[i].squeezable]
        latin_gaps = [i for i in range(content - 1) if junctions[i].autospace]
        shrunk, squeeze, narrowed = _shrink(head, kerns, squeezable, natural - measure, size, latin_gaps)
        glyphs[:content] = head
        natural -= shrunk
    stretch = 0.0
    offset = indent
    if align == "justify" and not last and natural < measure:
        slack = measure - natural
        gaps = [i for i in range(content - 1) if junctions[i].stretchable] or list(range(content - 1))
        if gaps and slack > 0:
            stretch = slack / len(gaps)
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
    pairs = sum(1 for a, b in zip(glyphs, glyphs[1:]) if a.paired and b.paired)
    return SetLine(glyphs=tuple(glyphs), xs=tuple(xs), measure=measure, indent=indent, natural_width=natural,
                   stretch_per_gap=stretch, shrunk=shrunk, last=last, start=start, end=end, hung=hung,
                   compressed_pairs=pairs, squeeze_per_gap=squeeze, hyphenated=bool(hyphen),
                   narrowed=narrowed)



def set_paragraph(paragraph: Paragraph, measure: float, *, first_indent: float = 0.0, align: str = "justify",
                  breaker: str = "optimal") -> list[SetLine]:
    """All lines of a paragraph at one measure (the first line indented)."""
    lines: list[SetLine] = []
    start = 0
    for brk in break_paragraph(paragraph, 0, measure - first_indent, measure, breaker):
        indent = first_indent if start == 0 else 0.0
        last = brk.end >= len(paragraph.glyphs)
        lines.append(set_line(paragraph, start, brk.end, measure - indent, indent=indent, last=last, align=align))
        start = brk.end
    return lines
