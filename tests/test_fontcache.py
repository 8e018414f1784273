"""The font caches give exactly what parsing the font gives, and a bad cache is never trusted."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from pagecomposer import fontcache
from pagecomposer.render import pdf
from pagecomposer.text import fonts

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "fonts" / "LXGWWenKai-Regular.ttf"


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PAGECOMPOSER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _fresh_face(path: Path) -> fonts.Face:
    fonts.load_face.cache_clear()
    return fonts.load_face(path)


def test_cached_metrics_are_the_parsed_metrics(cache: Path):
    parsed = _fresh_face(FONT)  # parsed now, and stored
    assert list((cache / "fonts").glob("metrics-*.marshal"))
    cached = _fresh_face(FONT)  # read back
    assert cached._cmap == parsed._cmap and cached._advances == parsed._advances
    for char in "，。、“”《》——……：？！（）·A中":
        assert cached.ink_box(char) == parsed.ink_box(char)
        assert cached.advance(char) == parsed.advance(char)
    # A glyph outside the cached set (a Han character) is measured from the outlines on demand.
    assert cached.ink_box("国") is not None


def test_cached_reportlab_font_is_what_reportlab_makes(cache: Path):
    made = TTFont("made", str(FONT))
    pdf._embeddable_font("first", FONT)  # parse and store
    cached = pdf._embeddable_font("second", FONT)  # from the cache
    assert set(vars(cached)) == set(vars(made)), "TTFont.__init__ changed: update _embeddable_font"
    assert set(vars(cached.face)) == set(vars(made.face))
    for key, value in vars(made.face).items():
        if key != "_pdfScale":
            assert getattr(cached.face, key) == value, key
    assert cached.face._pdfScale(1000) == made.face._pdfScale(1000)
    subset = list(range(0x4E00, 0x4E40))
    assert cached.face.makeSubset(subset) == made.face.makeSubset(subset)


def test_a_damaged_or_foreign_cache_entry_is_recomputed(cache: Path):
    _fresh_face(FONT)
    for entry in (cache / "fonts").glob("metrics-*.marshal"):
        entry.write_bytes(b"\x00not marshal data")
    face = _fresh_face(FONT)
    assert face.has("中") and face.advance("中") == pytest.approx(1.0)
    for entry in (cache / "fonts").glob("metrics-*.marshal"):
        assert fontcache._opened("metrics", entry.read_bytes()) is not None  # rewritten whole


def test_a_changed_font_file_is_a_different_entry(cache: Path, tmp_path: Path):
    copy = tmp_path / "copy.ttf"
    copy.write_bytes(FONT.read_bytes())
    _fresh_face(copy)
    first = set((cache / "fonts").glob("metrics-*"))
    copy.write_bytes(FONT.read_bytes() + b"\x00\x00\x00\x00")  # same font, another size and time
    _fresh_face(copy)
    now = set((cache / "fonts").glob("metrics-*"))
    assert len(now) == 1 and now != first  # the new version's entry replaced the old one


def test_caching_can_be_switched_off(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PAGECOMPOSER_CACHE", "")
    assert fontcache.cache_folder() is None
    assert _fresh_face(FONT).has("中")
