"""Inline runs -> a Paragraph: glyphs with their widths, and what may happen between each two.

This is where a font is chosen per character (fallback chain), where adjacent punctuation is
compressed (标点挤压, clreq §3.1.6: 。” takes 1.5 em, not 2) and where Han meets Latin with a
quarter-em gap (clreq §3.2.2). Line breaking then only adds up numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from pagecomposer.spec.model import Style
from pagecomposer.story.model import Run
from pagecomposer.text import cjk
from pagecomposer.text.cjk import CharClass
from pagecomposer.text.fonts import HALF_EM_TOLERANCE, FontSet
from pagecomposer.text.latin import kerned_advances

GETA = "〓"
LATIN_BREAK_PENALTY = 50.0  # breaking RISC-/V costs about as much as a fairly loose line
HYPHEN_PENALTY = 50.0  # and so does hyphenating a word
MIN_HYPHENATED_WORD = 5  # letters; pyphen keeps two on each side
HYPHENATION_LANGUAGE = "en_US"  # the typesetter's mark for a character that cannot be set (U+3013)


@dataclass(frozen=True)
class Glyph:
    char: str
    font: str  # font key in the layout
    size: float
    color: str
    cls: CharClass
    advance: float  # pt taken in the line (after punctuation compression)
    draw_offset: float = 0.0  # pt from the slot start to the font glyph's origin (<0 if the left blank is cut)
    shrink_left: float = 0.0  # pt of blank still compressible on the left
    shrink_right: float = 0.0  # pt of blank still compressible on the right
    source: int = 0  # index of the character in the block's text
    paired: bool = False  # set at 1.5 em with a neighbouring mark; its remaining blank stays (but at a line end)


@dataclass(frozen=True)
class Junction:
    """What lies between glyph i and glyph i+1."""

    kern: float  # pt of natural extra space (autospace, tracking)
    can_break: bool
    stretchable: bool  # may justification widen it? (not inside a Latin word, —— or ……)
    autospace: bool = False  # a Han–Latin gap (the style's autospace is in kern)
    penalty: float = 0.0  # cost of breaking here (after a hyphen inside a Latin word)
    hyphen: float = 0.0  # pt of the hyphen a break here adds (a hyphenation point); 0 if none
    squeezable: bool = True  # may the line tighten it (紧排)? everywhere but inside a —— or ……


@dataclass(frozen=True)
class MissingChar:
    char: str
    source: int

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"


@dataclass
class Paragraph:
    text: str
    glyphs: list[Glyph]
    junctions: list[Junction]  # len(glyphs) - 1 entries
    missing: list[MissingChar] = field(default_factory=list)
    rules: cjk.Prohibition = cjk.DEFAULT_PROHIBITION
    hanging: bool = False  # may ，。、 hang past the measure?
    fallbacks: int = 0  # characters set in a font other than the style's first (its fallback chain)
    size: float = 9.0  # the style's size: the em that stretch limits are measured in


def _blank_sides(fonts: FontSet, key: str, char: str, cls: CharClass, advance_em: float) -> tuple[float, float]:
    """Blank (em) left and right of a full-width punctuation glyph's ink, measured from the glyph.

    A mark inked in one half (、，。 ” in the left, “ （ in the right) has that other half blank; a
    centred mark (：；？！ in GB fonts, ·) has a quarter em each side when its ink fits the middle half."""
    if cls not in cjk.PUNCTUATION or abs(advance_em - 1.0) > 0.01:
        return 0.0, 0.0
    face = fonts.face(key)
    half = face.ink_half(char)
    if half == "left":
        return 0.0, 0.5
    if half == "right":
        return 0.5, 0.0
    box = face.ink_box(char)
    if box is not None and box[0] >= 0.25 - HALF_EM_TOLERANCE and box[2] <= 0.75 + HALF_EM_TOLERANCE:
        return 0.25, 0.25
    return 0.0, 0.0


# Punctuation width schemes (the names are ctex's):
#   gb        full-width marks; adjacent marks compressed to 1.5 em; a line-end mark (then others,
#             brackets before pause marks) may go half-width when that makes the line fit.
#   quanjiao  全角式: every mark full-width, nothing compressed, only pushing a character down fits a line.
#   banjiao   半角式: every mark half-width everywhere.
#   kaiming   开明式: 。？！ full-width (they end sentences), every other mark half-width.
KAIMING_FULL = set("。？！")


def _initial_cuts(glyph_char: str, scheme: str, left: float, right: float) -> tuple[float, float, bool]:
    """(cut left em, cut right em, keep the rest compressible) for one mark under a scheme."""
    if scheme == "quanjiao":
        return 0.0, 0.0, False
    if scheme == "banjiao" or scheme == "kaiming" and glyph_char not in KAIMING_FULL:
        return left, right, False
    # gb (and kaiming's full-width marks): centred marks stay full; the blank half stays available.
    if left == right:
        return 0.0, 0.0, False
    return 0.0, 0.0, True


def shape(runs: tuple[Run, ...] | list[Run], style: Style, fonts: FontSet, *,
          phrase_breaks_only: bool = False) -> Paragraph:
    text = "".join(run.text for run in runs)
    rules = cjk.PROHIBITIONS[style.prohibition]
    glyphs: list[Glyph] = []
    missing: list[MissingChar] = []
    fallbacks = 0
    source = 0
    for run in runs:
        chain = (style.bold_fonts or style.fonts) if run.bold else style.fonts
        for char in run.text:
            cls = cjk.classify(char)
            key = fonts.first_with(chain, char)
            if key is not None and cls in cjk.FULL_WIDTH:
                key = fonts.first_full_width(chain, char) or key
            shown = char
            if key is None:
                missing.append(MissingChar(char, source))
                shown = GETA
                key = fonts.first_with(chain, GETA) or chain[0]
            if key != chain[0]:
                fallbacks += 1
            face = fonts.face(key)
            advance_em = face.advance(shown) if face.has(shown) else 1.0
            left, right = _blank_sides(fonts, key, shown, cls, advance_em)
            cut_left, cut_right, compressible = _initial_cuts(shown, style.punctuation, left, right)
            size = style.size
            glyphs.append(Glyph(char=shown, font=key, size=size, color=style.color, cls=cls,
                                advance=(advance_em - cut_left - cut_right) * size, draw_offset=-cut_left * size,
                                shrink_left=left * size if compressible else 0.0,
                                shrink_right=right * size if compressible else 0.0, source=source))
            source += 1
    _kern_latin_runs(glyphs, fonts)
    if style.punctuation != "quanjiao":
        _compress_punctuation_pairs(glyphs)
    junctions = [_junction(glyphs[i], glyphs[i + 1], style, rules, phrase_breaks_only)
                 for i in range(len(glyphs) - 1)]
    if not phrase_breaks_only and _mostly_latin(glyphs):
        _add_hyphenation_points(glyphs, junctions, fonts)
    return Paragraph(text=text, glyphs=glyphs, junctions=junctions, missing=missing, rules=rules,
                     hanging=style.hanging, size=style.size, fallbacks=fallbacks)


def _kern_latin_runs(glyphs: list[Glyph], fonts: FontSet) -> None:
    """Give each run of Latin glyphs in one font its kerned advances."""
    i = 0
    while i < len(glyphs):
        if glyphs[i].cls is not CharClass.LATIN:
            i += 1
            continue
        j = i
        while j < len(glyphs) and glyphs[j].cls in (CharClass.LATIN, CharClass.SPACE) and \
                glyphs[j].font == glyphs[i].font and glyphs[j].size == glyphs[i].size:
            j += 1
        if j - i > 1:
            advances = kerned_advances(fonts.files[glyphs[i].font], "".join(g.char for g in glyphs[i:j]))
            if advances is not None:
                for k, advance in zip(range(i, j), advances):
                    glyphs[k] = replace(glyphs[k], advance=advance * glyphs[k].size)
        i = j


def _mostly_latin(glyphs: list[Glyph]) -> bool:
    letters = [g for g in glyphs if g.cls is not CharClass.SPACE]
    return bool(letters) and sum(g.cls is CharClass.LATIN for g in letters) > len(letters) / 2


def _add_hyphenation_points(glyphs: list[Glyph], junctions: list[Junction], fonts: FontSet) -> None:
    """In a mostly-Latin paragraph a long word may break where the dictionary allows (com-po-si-tion).
    Chinese text never needs it: it breaks between characters."""
    i = 0
    while i < len(glyphs):
        j = i
        while j < len(glyphs) and glyphs[j].cls is CharClass.LATIN and glyphs[j].char.isalpha():
            j += 1
        if j - i >= MIN_HYPHENATED_WORD and not _in_address(glyphs, i, j):
            word = "".join(g.char for g in glyphs[i:j])
            face = fonts.face(glyphs[i].font)
            hyphen = (face.advance("-") if face.has("-") else 0.33) * glyphs[i].size
            for position in _hyphenator().positions(word):
                k = i + position - 1  # the junction after the position-th letter
                junctions[k] = replace(junctions[k], can_break=True, penalty=HYPHEN_PENALTY, hyphen=hyphen)
        i = max(j, i + 1)


def _in_address(glyphs: list[Glyph], start: int, end: int) -> bool:
    """Is the word part of a URL, an e-mail address or a file name? Those are never hyphenated: a
    reader would type the hyphen."""
    while start > 0 and glyphs[start - 1].cls is CharClass.LATIN:
        start -= 1
    while end < len(glyphs) and glyphs[end].cls is CharClass.LATIN:
        end += 1
    return any(g.char in "./@:\\_" for g in glyphs[start:end])


@lru_cache(maxsize=1)
def _hyphenator():
    import pyphen  # only mostly-Latin paragraphs need it

    return pyphen.Pyphen(lang=HYPHENATION_LANGUAGE)


def _compress_punctuation_pairs(glyphs: list[Glyph]) -> None:
    """Where two punctuation marks meet, keep at most half an em of blank between their inks."""
    for i in range(len(glyphs) - 1):
        a, b = glyphs[i], glyphs[i + 1]
        if a.shrink_right <= 0 and b.shrink_left <= 0:
            continue
        if a.shrink_right > 0 and b.shrink_left > 0:
            # ，“ or ”（: blank on both sides; one half-em stays between them.
            glyphs[i + 1] = _cut_left(b, b.shrink_left)
        elif a.shrink_right > 0 and b.cls in cjk.PUNCTUATION:
            glyphs[i] = _cut_right(a, a.shrink_right)  # 。” ）、 》，: the first one goes half-width
        elif b.shrink_left > 0 and a.cls in cjk.PUNCTUATION:
            glyphs[i + 1] = _cut_left(b, b.shrink_left)  # “《 ：“: the second one goes half-width
        else:
            continue
        # A compressed pair is 1.5 em wherever it stands; fitting a line may not squeeze it further.
        glyphs[i] = replace(glyphs[i], paired=True)
        glyphs[i + 1] = replace(glyphs[i + 1], paired=True)


def _cut_right(glyph: Glyph, amount: float) -> Glyph:
    return replace(glyph, advance=glyph.advance - amount, shrink_right=glyph.shrink_right - amount)


def _cut_left(glyph: Glyph, amount: float) -> Glyph:
    return replace(glyph, advance=glyph.advance - amount, draw_offset=glyph.draw_offset - amount,
                   shrink_left=glyph.shrink_left - amount)


def _junction(a: Glyph, b: Glyph, style: Style, rules: cjk.Prohibition, phrase_breaks_only: bool) -> Junction:
    kern = style.tracking * style.size
    autospace = cjk.wants_autospace(a.char, b.char)
    if autospace:
        kern += style.autospace * style.size
    can_break = cjk.break_allowed(a.char, b.char, rules)
    if phrase_breaks_only and a.cls is not CharClass.SPACE:
        can_break = False
    # Between words the space is the glue: the junction before it stretches, the one after does not.
    if b.cls is CharClass.SPACE:
        stretchable = a.cls is not CharClass.SPACE
    else:
        stretchable = not cjk.inseparable(a.char, b.char, rules) and a.cls is not CharClass.SPACE
    penalty = LATIN_BREAK_PENALTY if can_break and cjk.latin_break(a.char, b.char) else 0.0
    squeezable = not (a.cls is b.cls and a.cls in (CharClass.DASH, CharClass.ELLIPSIS))
    return Junction(kern=kern, can_break=can_break, stretchable=stretchable, autospace=autospace, penalty=penalty,
                    squeezable=squeezable)
