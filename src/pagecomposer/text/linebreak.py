"""Choosing where lines end.

Two breakers, both taking breaks only where the style's prohibition rules allow:

- `optimal_breaks`, the default: a total-fit breaker in the manner of Knuth and Plass, adapted to
  Chinese. Every allowed break is a candidate; a line is judged by how much it must stretch its
  inter-character gaps or compress its punctuation, and the breaks that make the whole paragraph
  most even win. It also avoids a last line of one or two characters (孤字) and runs of loose lines.
- `first_fit_break`, the fallback: fill each line at natural spacing, then clreq's 先挤进后推出:
  take in the next glyphs by compressing punctuation if that fits, else push the last character
  down and stretch.

A single unbreakable unit wider than the measure (a long URL) is the one case where a rule gives
way; the first-fit breaker marks that break as forced so the caller can report it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from pagecomposer.text.cjk import HANGABLE, PUNCTUATION, CharClass
from pagecomposer.text.shaping import Paragraph

FIT_TOLERANCE_PT = 0.001

# Justification limits and costs, in em of the paragraph's type size.
MAX_STRETCH_EM = 0.15  # a gap stretched this much is as loose as a line may be on a first try
# The last resort before a loose line: tighten the gaps between characters a little (紧排), as desks
# do by hand. A sixteenth of an em per gap (0.56 pt at 9 pt) is not seen; 25 % of stretch is.
MAX_SQUEEZE_EM = 0.0625
RELAXED_SQUEEZE_FACTOR = 1.5  # the relaxed pass, which tolerates looser lines, tolerates tighter ones too
SQUEEZE_WEIGHT = 60  # squeezing every gap by MAX_SQUEEZE_EM costs this badness (on top of punctuation's)
PAIR_WEIGHT = 80  # narrowing a Han–Latin gap or a compressed pair: only when the alternative is a loose line
AUTOSPACE_NARROW_EM = 0.125  # a Han–Latin gap may give up half of its quarter em, as a last resort
LINE_PENALTY = 10  # every line costs something, so fewer lines win among equals
SHRINK_WEIGHT = 10  # compressing punctuation fully costs this badness: cheap, clreq compresses first
STRETCH_WEIGHT = 100  # stretching every gap by MAX_STRETCH_EM costs this badness
LOOSE_RATIO = 0.5  # a line stretched by more than half the limit counts as loose
LOOSE_RUN_DEMERITS = 2000  # two loose lines in a row
SHORT_LAST_LINE_DEMERITS = 20000  # a last line of one or two characters (孤字)
SHORT_LAST_LINE_CHARS = 2
RELAXED_STRETCH_RATIO = 4.0  # second try when no break sequence fits the limit


@dataclass(frozen=True)
class Break:
    end: int  # index one past the line's last glyph
    forced: bool = False  # True when no allowed break fitted and a rule had to give way


class LineFit(NamedTuple):
    """A candidate line measured against its measure (a tuple: the breaker makes tens of thousands)."""

    natural: float  # pt that must fit the measure (a hung mark excluded)
    shrink: float  # pt its punctuation blanks could give up
    gaps: int  # stretchable gaps
    tight: int  # gaps that may be squeezed by MAX_SQUEEZE_EM (inside Latin words too; not inside —— or ……)
    hung: bool  # its last glyph hangs past the measure
    last_resort: float = 0.0  # pt that narrowing Han–Latin gaps and compressed pairs could still give


class _Sums:
    """Prefix sums over a paragraph, so any candidate line is measured in constant time."""

    def __init__(self, paragraph: Paragraph):
        self.paragraph = paragraph
        size = paragraph.size
        self.advance = [0.0]
        self.shrink = [0.0]
        self.pair_shrink = [0.0]
        self.autospace_give = AUTOSPACE_NARROW_EM * size
        for glyph in paragraph.glyphs:
            self.advance.append(self.advance[-1] + glyph.advance)
            # A mark of a compressed pair keeps its 1.5 em inside a line; its blank is counted apart
            # and given up only when nothing else can fit the line (at the line end it may go, see fit()).
            own = glyph.shrink_left + glyph.shrink_right
            self.shrink.append(self.shrink[-1] + (0.0 if glyph.paired else own))
            self.pair_shrink.append(self.pair_shrink[-1] + (own if glyph.paired else 0.0))
        self.autospace = [0]
        self.kern = [0.0]
        self.kern_abs = [0.0]  # how far kerning can move any line's width, for the quick rejection in _total_fit
        self.gaps = [0]
        self.tight = [0]  # squeezable junctions
        for junction in paragraph.junctions:
            self.autospace.append(self.autospace[-1] + junction.autospace)
            self.kern.append(self.kern[-1] + junction.kern)
            self.kern_abs.append(self.kern_abs[-1] + abs(junction.kern))
            self.gaps.append(self.gaps[-1] + junction.stretchable)
            self.tight.append(self.tight[-1] + junction.squeezable)
        self.kern_abs += [self.kern_abs[-1]] * (len(paragraph.glyphs) + 1 - len(self.kern_abs))  # one per position
        self.longest_hyphen = max((junction.hyphen for junction in paragraph.junctions), default=0.0)
        self.squeeze = MAX_SQUEEZE_EM * size

    def fit(self, start: int, end: int) -> LineFit:
        glyphs = self.paragraph.glyphs
        hyphen = self.paragraph.junctions[end - 1].hyphen if end < len(glyphs) else 0.0
        while end > start + 1 and glyphs[end - 1].cls is CharClass.SPACE:
            end -= 1  # a line-end space is not set
        hung = self.paragraph.hanging and end - 1 > start and glyphs[end - 1].char in HANGABLE
        content_end = end - 1 if hung else end
        natural = (self.advance[content_end] - self.advance[start] + self.kern[content_end - 1] - self.kern[start]
                   + hyphen)
        shrink = self.shrink[content_end] - self.shrink[start]
        pair_shrink = self.pair_shrink[content_end] - self.pair_shrink[start]
        last = glyphs[content_end - 1]
        if last.paired:  # a line-end mark may go half-width like any other
            shrink += last.shrink_right
            pair_shrink -= last.shrink_left + last.shrink_right
        gaps = self.gaps[content_end - 1] - self.gaps[start]
        autospace = self.autospace[content_end - 1] - self.autospace[start]
        tight = self.tight[content_end - 1] - self.tight[start]
        return LineFit(natural, shrink, gaps, tight, hung, pair_shrink + autospace * self.autospace_give)


def _allowed_ends(paragraph: Paragraph, start: int) -> list[int]:
    count = len(paragraph.glyphs)
    return [i + 1 for i in range(start, count - 1) if paragraph.junctions[i].can_break] + [count]


# --- total fit --------------------------------------------------------------------------------

def line_badness(fit: LineFit, measure: float, size: float, last: bool, max_ratio: float) -> float | None:
    """How bad a line is (0 = perfect), or None if it cannot be set within max_ratio of the limit."""
    if fit.natural > measure + FIT_TOLERANCE_PT:
        need = fit.natural - measure
        if need <= fit.shrink + FIT_TOLERANCE_PT:
            return SHRINK_WEIGHT * (need / fit.shrink) ** 3
        squeeze = fit.tight * MAX_SQUEEZE_EM * size * (1.0 if max_ratio <= 1.0 else RELAXED_SQUEEZE_FACTOR)
        if need <= fit.shrink + squeeze + FIT_TOLERANCE_PT:
            return SHRINK_WEIGHT + SQUEEZE_WEIGHT * ((need - fit.shrink) / squeeze) ** 3
        if need > fit.shrink + squeeze + fit.last_resort + FIT_TOLERANCE_PT:
            return None
        return SHRINK_WEIGHT + SQUEEZE_WEIGHT + PAIR_WEIGHT * ((need - fit.shrink - squeeze) / fit.last_resort) ** 3
    if last:
        return 0.0
    slack = measure - fit.natural
    if slack <= FIT_TOLERANCE_PT:
        return 0.0
    if fit.gaps == 0:
        return None
    ratio = slack / fit.gaps / (MAX_STRETCH_EM * size)
    if ratio > max_ratio:
        return None
    return STRETCH_WEIGHT * ratio ** 3


def is_short_line(glyphs) -> bool:
    """A line of one or two characters, punctuation and spaces not counted (系。 is one): a 孤字."""
    return sum(1 for g in glyphs if g.cls is not CharClass.SPACE and g.cls not in PUNCTUATION) <= SHORT_LAST_LINE_CHARS


def optimal_breaks(paragraph: Paragraph, start: int, first_measure: float, measure: float) -> list[Break] | None:
    """The break sequence with the least total demerits, or None if none can be set without breaking a rule."""
    sums = _Sums(paragraph)
    ends = _allowed_ends(paragraph, start)
    for max_ratio in (1.0, RELAXED_STRETCH_RATIO):
        result = _total_fit(paragraph, sums, start, ends, first_measure, measure, max_ratio)
        if result is not None:
            return result
    return None


def _total_fit(paragraph, sums: _Sums, start: int, ends: list[int], first_measure: float, measure: float,
               max_ratio: float) -> list[Break] | None:
    count = len(paragraph.glyphs)
    size = paragraph.size
    # best[(position, loose)] = (demerits, previous key): the cheapest way to end a line there.
    best: dict[tuple[int, bool], tuple[float, tuple[int, bool] | None]] = {(start, False): (0.0, None)}
    positions = [start]  # break positions reached so far, ascending
    # A line from `begin` to `end` is too loose to set when even its widest possible natural width
    # plus a full stretch of every glyph gap falls short of the measure:
    #   reach(end) - reach(begin) + longest hyphen < measure,
    # with reach(i) = advance[i] + kern_abs[i] + i * (most stretch per gap). reach grows with i, so
    # the begins worth measuring are found by bisection instead of measuring every short line.
    stretch = MAX_STRETCH_EM * size * max_ratio
    reach = [sums.advance[i] + sums.kern_abs[i] + i * stretch for i in range(count + 1)]
    reaches = [reach[start]]  # reach of each position, ascending with positions
    narrowest = min(first_measure, measure) - FIT_TOLERANCE_PT
    for end in ends:
        last = end == count
        usable = len(positions)
        if not last:
            usable = bisect_right(reaches, reach[end] + sums.longest_hyphen - narrowest)
        for index in range(usable - 1, -1, -1):
            begin = positions[index]
            states = [key for key in ((begin, False), (begin, True)) if key in best]
            if not states:
                continue
            fit = sums.fit(begin, end)
            line_measure = first_measure if begin == start else measure
            most_squeeze = fit.tight * sums.squeeze * RELAXED_SQUEEZE_FACTOR
            if fit.natural - fit.shrink - most_squeeze - fit.last_resort > line_measure + FIT_TOLERANCE_PT:
                break  # starting earlier only makes the line longer
            badness = line_badness(fit, line_measure, size, last, max_ratio)
            if badness is None:
                continue
            loose = not last and badness > STRETCH_WEIGHT * LOOSE_RATIO ** 3 and fit.natural < line_measure
            demerits = (LINE_PENALTY + badness) ** 2
            if not last:
                demerits += paragraph.junctions[end - 1].penalty ** 2
            if last and end - begin < count - start and is_short_line(paragraph.glyphs[begin:end]):
                demerits += SHORT_LAST_LINE_DEMERITS
            for key in states:
                total = best[key][0] + demerits + (LOOSE_RUN_DEMERITS if loose and key[1] else 0.0)
                new_key = (end, loose)
                if new_key not in best or total < best[new_key][0]:
                    best[new_key] = (total, key)
        if (end, False) in best or (end, True) in best:
            positions.append(end)
            reaches.append(reach[end])
    finals = [key for key in ((count, False), (count, True)) if key in best]
    if not finals:
        return None
    key: tuple[int, bool] | None = min(finals, key=lambda k: best[k][0])
    breaks = []
    while key is not None and key[0] != start:
        breaks.append(Break(key[0]))
        key = best[key][1]
    return breaks[::-1]


# --- first fit --------------------------------------------------------------------------------

def first_fit_break(paragraph: Paragraph, start: int, measure: float) -> Break:
    glyphs, junctions = paragraph.glyphs, paragraph.junctions
    count = len(glyphs)
    limit = measure + FIT_TOLERANCE_PT
    sums = _Sums(paragraph)

    def allowed(end: int) -> bool:
        """May a line end just before glyph `end`?"""
        return end == count or junctions[end - 1].can_break

    # Candidate ends, as far as even a fully compressed line could reach.
    ends = []
    for end in range(start + 1, count + 1):
        fit = sums.fit(start, end)
        if fit.natural - fit.shrink > limit and glyphs[end - 1].cls is not CharClass.SPACE:
            break
        ends.append((end, fit))
    natural_end = max((e for e, fit in ends if fit.natural <= limit), default=None)
    if natural_end is not None and allowed(natural_end):
        return Break(natural_end)
    # 先挤进: take in glyphs up to the next allowed break if compression makes room for them.
    for end, fit in ends:
        if end > (natural_end or start) and allowed(end) and fit.natural - fit.shrink <= limit:
            return Break(end)
    # 后推出: end at the previous allowed break; justification will stretch the line.
    for end in range((natural_end or start), start, -1):
        if allowed(end):
            return Break(end)
    return Break(natural_end or start + 1, forced=True)


def first_fit_breaks(paragraph: Paragraph, start: int, first_measure: float, measure: float) -> list[Break]:
    breaks = []
    position = start
    while position < len(paragraph.glyphs):
        brk = first_fit_break(paragraph, position, first_measure if position == start else measure)
        breaks.append(brk)
        position = brk.end
    return breaks


def break_paragraph(paragraph: Paragraph, start: int, first_measure: float, measure: float,
                    breaker: str = "optimal") -> list[Break]:
    """Line ends for glyphs start.. of a paragraph; the first line gets first_measure (its indent)."""
    if breaker == "optimal":
        breaks = optimal_breaks(paragraph, start, first_measure, measure)
        if breaks is not None:
            return breaks
    return first_fit_breaks(paragraph, start, first_measure, measure)
