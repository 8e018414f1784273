"""Character classes and the line-breaking rules of Simplified Chinese text.

Reference: W3C clreq (https://www.w3.org/TR/clreq/) §3.1.7 "Line-start/line-end prohibition" and
GB/T 15834-2011 §5. The classes are named, never compared as bare numbers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class CharClass(Enum):
    HAN = "han"  # ideographs and anything else set on the em square
    OPENING = "opening"  # （【「『《〈“‘〔［｛〖 — must not end a line
    CLOSING = "closing"  # ）】」』》〉”’〕］｝〗 — must not start a line
    PAUSE = "pause"  # 、，。． — ink in a corner, must not start a line
    STOP = "stop"  # ：；？！ — centred in GB fonts, must not start a line
    DASH = "dash"  # — (a 破折号 is two of them, never split)
    ELLIPSIS = "ellipsis"  # … (a 省略号 is two of them, never split)
    MIDDLE_DOT = "middle_dot"  # · 间隔号: neither starts nor ends a line
    LATIN = "latin"  # letters, digits and Latin punctuation inside a word
    SPACE = "space"


OPENING = set("（【「『《〈“‘〔［｛〖〘〚")
CLOSING = set("）】」』》〉”’〕］｝〗〙〛")
PAUSE = set("、，。．")
STOP = set("：；？！")
DASHES = set("—")
ELLIPSES = set("…")
MIDDLE_DOTS = set("·・‧")
# Latin punctuation that closes or opens, for the same prohibitions in mixed text.
LATIN_NO_START = set(",.;:!?)]}%")
LATIN_NO_END = set("([{")


@lru_cache(maxsize=65536)  # a page has a few thousand distinct characters; each is asked about often
def classify(char: str) -> CharClass:
    if char in OPENING:
        return CharClass.OPENING
    if char in CLOSING:
        return CharClass.CLOSING
    if char in PAUSE:
        return CharClass.PAUSE
    if char in STOP:
        return CharClass.STOP
    if char in DASHES:
        return CharClass.DASH
    if char in ELLIPSES:
        return CharClass.ELLIPSIS
    if char in MIDDLE_DOTS:
        return CharClass.MIDDLE_DOT
    if char == " " or char == "\u00a0":
        return CharClass.SPACE
    if is_latin(char):
        return CharClass.LATIN
    return CharClass.HAN


def is_latin(char: str) -> bool:
    """Proportional, word-forming characters: ASCII, Latin-1, Latin Extended, Greek digits etc."""
    code = ord(char)
    return 0x21 <= code <= 0x24F or unicodedata.category(char) == "Nd" and code < 0x2E80


PUNCTUATION = {CharClass.OPENING, CharClass.CLOSING, CharClass.PAUSE, CharClass.STOP, CharClass.MIDDLE_DOT}
# Chinese punctuation sits on the em square (GB/T 15834); a proportional glyph is a wrong glyph.
FULL_WIDTH = PUNCTUATION | {CharClass.DASH, CharClass.ELLIPSIS}
# The pause and stop marks that may hang past the measure (行末点号悬挂).
HANGABLE = set("，。、．")


@dataclass(frozen=True)
class Prohibition:
    """A line-start/line-end prohibition level (禁则), as clreq §3.1.7 grades them."""

    name: str
    no_start: frozenset[CharClass]
    no_end: frozenset[CharClass]
    no_start_chars: frozenset[str] = frozenset()
    no_end_chars: frozenset[str] = frozenset()
    keep_units: bool = True  # —— and …… are never split


_BASIC_START = frozenset({CharClass.CLOSING, CharClass.PAUSE, CharClass.STOP})
_BASIC_END = frozenset({CharClass.OPENING})
PROHIBITIONS = {
    # No rules at all: only Latin words stay whole (what a naive composer does).
    "none": Prohibition("none", frozenset(), frozenset(), keep_units=False),
    # clreq's basic set: closing marks and 、，。；：？！ never start a line, opening marks never end one.
    "basic": Prohibition("basic", _BASIC_START, _BASIC_END),
    # GB practice (the default): also the 间隔号 · on neither side, and Latin punctuation in mixed text.
    "gb": Prohibition("gb", _BASIC_START | {CharClass.MIDDLE_DOT}, _BASIC_END | {CharClass.MIDDLE_DOT},
                      frozenset(LATIN_NO_START), frozenset(LATIN_NO_END)),
    # Strict: in addition a 破折号 or 省略号 never starts a line, nor ～ ‰ ℃ ° or a small mark.
    "strict": Prohibition("strict", _BASIC_START | {CharClass.MIDDLE_DOT, CharClass.DASH, CharClass.ELLIPSIS},
                          _BASIC_END | {CharClass.MIDDLE_DOT},
                          frozenset(LATIN_NO_START) | frozenset("～‰℃°′″々〻ー"), frozenset(LATIN_NO_END)),
}
DEFAULT_PROHIBITION = PROHIBITIONS["gb"]


def may_start_line(char: str, rules: Prohibition = DEFAULT_PROHIBITION) -> bool:
    return classify(char) not in rules.no_start and char not in rules.no_start_chars


def may_end_line(char: str, rules: Prohibition = DEFAULT_PROHIBITION) -> bool:
    return classify(char) not in rules.no_end and char not in rules.no_end_chars


@lru_cache(maxsize=262144)
def inseparable(left: str, right: str, rules: Prohibition = DEFAULT_PROHIBITION) -> bool:
    """Pairs that form one unit: a Latin word or number, a —— or a ……"""
    a, b = classify(left), classify(right)
    if a is CharClass.LATIN and b is CharClass.LATIN:
        return True
    return rules.keep_units and (a is b) and a in (CharClass.DASH, CharClass.ELLIPSIS)


# Inside a Latin word a line may still end after a hard hyphen, a slash or a dot before a letter
# (RISC-/V, www.example./gov.cn, a URL's path), as in English typesetting; the breaker charges for
# it, so it is a last resort. A dot before a digit (6.5, 3.5GHz) never breaks.
LATIN_BREAK_AFTER = set("-/")


def latin_break(left: str, right: str) -> bool:
    if classify(right) is not CharClass.LATIN:
        return False
    return left in LATIN_BREAK_AFTER and right.isalnum() or left == "." and right.isalpha()


@lru_cache(maxsize=262144)
def break_allowed(left: str, right: str, rules: Prohibition = DEFAULT_PROHIBITION) -> bool:
    """May a line end after `left` and the next begin with `right`?"""
    if classify(left) is CharClass.SPACE:
        return True  # the space is dropped at the break
    if latin_break(left, right):
        return True
    if classify(right) is CharClass.SPACE:
        return False  # break after the space instead, so the space never starts a line
    if inseparable(left, right, rules):
        return False
    return may_end_line(left, rules) and may_start_line(right, rules)


@lru_cache(maxsize=262144)
def wants_autospace(left: str, right: str) -> bool:
    """Han next to a Latin letter or digit gets a quarter em (clreq §3.2.2), punctuation does not."""
    a, b = classify(left), classify(right)
    return {a, b} == {CharClass.HAN, CharClass.LATIN} and left.isalnum() and right.isalnum()
