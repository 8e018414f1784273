"""The shipped fonts: TrueType outlines, all of 通用规范汉字表, full-width Chinese punctuation."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.conftest import ROOT

FONTS = sorted((ROOT / "fonts").glob("*.ttf"))
TYGF = [line.strip() for line in (ROOT / "tools" / "charsets" / "tygf-8105.txt").read_text(encoding="utf-8")
        .splitlines() if line.strip() and not line.startswith("#")]


def test_the_charset_is_the_whole_table():
    assert len(TYGF) == len(set(TYGF)) == 8105


@pytest.mark.parametrize("path", FONTS, ids=[p.name for p in FONTS])
def test_font_covers_tygf_8105_with_truetype_outlines(path: Path):
    font = TTFont(path, lazy=True)
    assert "glyf" in font and "CFF " not in font
    cmap = font.getBestCmap()
    missing = [ch for ch in TYGF if ord(ch) not in cmap]
    assert missing == []
    for ch in "，。、：；？！《》（）—…ABCabc0123456789%":
        assert ord(ch) in cmap, ch


@pytest.mark.parametrize("path", [p for p in FONTS if p.name.startswith("Noto")], ids=lambda p: p.name)
def test_noto_chinese_punctuation_is_one_em(path: Path):
    font = TTFont(path, lazy=True)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    for ch in "“”‘’—…·，。、":
        assert hmtx[cmap[ord(ch)]][0] == font["head"].unitsPerEm, ch
