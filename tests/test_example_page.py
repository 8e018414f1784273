"""The 两会特稿 example page, checked by reading its glyphs back out of the written PDF."""

from __future__ import annotations

import re
from collections import defaultdict

import pikepdf
import pytest

from pagecomposer.story.markdown import parse_article
from pagecomposer.text import cjk
from tests.conftest import ROOT, SEED
from tests.pdf_readback import in_placed_pdf, lines_by_baseline, read_chars

FLUSH_TOLERANCE_PT = 0.5


@pytest.fixture(scope="module")
def page(example_build):
    return example_build.pages[0]


@pytest.fixture(scope="module")
def pdf_path(example_build):
    return example_build.outputs[0]


@pytest.fixture(scope="module")
def chars(page, pdf_path):
    return read_chars(pdf_path, page.display.bleed)


@pytest.fixture(scope="module")
def story(page):
    return page.stories[0].flow


def _body_columns(page):
    grid = page.grid
    return [(grid.column_left(c), grid.column_right(c)) for c in range(1, grid.grid.columns + 1)]


def _story_lines_in_pdf(page, chars):
    """Every line of story text in the PDF: (column index, baseline, chars), body size glyphs only."""
    size = page.grid.grid.body_size
    body = [c for c in chars if abs(c.size - size) < 0.01]
    for index, (left, right) in enumerate(_body_columns(page)):
        for baseline, line in lines_by_baseline(body, left, right).items():
            yield index, baseline, line


def test_whole_seed_sits_on_one_page_with_no_overset(example_build, story):
    assert example_build.overset_stories == []
    assert story.overset_chars == 0
    assert len(example_build.outputs) == 1


def test_every_character_of_the_article_is_in_the_pdf(page, chars):
    article = parse_article((ROOT / "articles" / "lianghui-chanye.md").read_text(encoding="utf-8"), "a.md", "a")
    source = "".join(b.text for b in article.body_blocks(with_byline=True)).replace(" ", "")
    headline_size = page.grid.layout.styles["headline"].size
    printed = "".join(c.text for c in sorted(chars, key=lambda c: (c.baseline, c.x0)) if c.size < headline_size)
    counts = defaultdict(int)
    for ch in printed:
        counts[ch] += 1
    for ch in source:
        counts[ch] -= 1
    missing = {ch: -n for ch, n in counts.items() if n < 0}
    assert missing == {}


def test_article_keeps_the_seed_text_exactly():
    seed = SEED.read_text(encoding="utf-8")
    article = parse_article((ROOT / "articles" / "lianghui-chanye.md").read_text(encoding="utf-8"), "a.md", "a")
    for block in article.blocks:
        assert block.text in seed, block.text[:30]
    assert article.title in seed and article.byline in seed and article.kicker in seed
    assert [b.text for b in article.blocks if b.kind == "heading"] == \
        re.findall(r"^## (.+)$", seed, flags=re.MULTILINE)
    # The seed's paragraphs between the title and the byline, in order, are the article's.
    chunks = [c.strip() for c in seed.split("\n\n") if c.strip()]
    first = chunks.index("# " + article.title) + 1
    last = next(i for i, c in enumerate(chunks) if c.startswith("本报"))
    seed_paragraphs = [c for c in chunks[first:last] if not c.startswith("## ")]
    assert [b.text for b in article.blocks if b.kind in ("lead", "paragraph")] == seed_paragraphs


def test_no_line_starts_or_ends_with_a_forbidden_character(page, chars):
    starts, ends = [], []
    count = 0
    for _, _, line in _story_lines_in_pdf(page, chars):
        count += 1
        text = "".join(c.text for c in line)
        if not cjk.may_start_line(text[0]):
            starts.append(text)
        if not cjk.may_end_line(text[-1]):
            ends.append(text)
    assert count > 300
    assert starts == [] and ends == []


def test_non_final_body_lines_are_flush_on_both_edges(page, chars, story):
    """Which lines are paragraph-final comes from the display list; where the glyphs are comes from the PDF."""
    body_size = page.grid.grid.body_size
    columns = _body_columns(page)
    by_position = {(index, baseline): line for index, baseline, line in _story_lines_in_pdf(page, chars)}
    checked = 0
    for placed in story.lines:
        if placed.role not in ("paragraph", "lead") or placed.line.last:
            continue
        left, right = columns[placed.column]
        line = by_position[(placed.column, round(placed.baseline, 3))]
        first, last = line[0], line[-1]
        expected_left = left + placed.line.indent
        # A punctuation mark whose blank half was cut at the line end overhangs by that blank.
        overhang = (last.x1 - last.x0) / 2 if last.text in cjk.PAUSE | cjk.CLOSING | cjk.STOP else 0
        assert abs(first.x0 - expected_left) <= FLUSH_TOLERANCE_PT or \
            first.text in cjk.OPENING and abs(first.x0 + body_size / 2 - expected_left) <= FLUSH_TOLERANCE_PT
        assert abs(last.x1 - right) <= FLUSH_TOLERANCE_PT or abs(last.x1 - overhang - right) <= FLUSH_TOLERANCE_PT, \
            "".join(c.text for c in line)
        checked += 1
    assert checked > 250


def test_body_baselines_of_all_columns_sit_on_one_grid(page, chars):
    grid = page.grid
    pitch = grid.grid.pitch
    origin = grid.baseline(1)
    baselines_by_column = defaultdict(set)
    for index, baseline, _ in _story_lines_in_pdf(page, chars):
        offset = (baseline - origin) / pitch
        assert abs(offset - round(offset)) * pitch < 0.01, (index, baseline)
        baselines_by_column[index].add(round(offset))
    assert len(baselines_by_column) == 8
    # Adjacent columns share their baselines wherever both have text (headings excepted).
    for a, b in zip(range(7), range(1, 8)):
        shared = baselines_by_column[a] & baselines_by_column[b]
        assert len(shared) >= 30


def test_headings_break_between_phrases_and_never_end_a_column(story):
    headings = [p for p in story.lines if p.role == "heading"]
    assert [h.line.text for h in headings] == ["厚植优势产业", "提升发展新动能", "聚焦数字经济", "打造城市新名片",
                                               "写好尊企重企", "招商引资大文章"]
    for heading in headings:
        after = [p for p in story.lines if p.column == heading.column and p.baseline > heading.baseline
                 and p.role != "heading"]
        assert len(after) >= 2, heading.line.text


def test_fonts_are_embedded_subsets_and_colours_are_cmyk(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        page = pdf.pages[0]
        fonts = page.Resources.Font
        assert len(fonts) >= 4
        for name, font in fonts.items():
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # composite fonts keep it on the descendant
                descriptor = font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor, name
            assert re.match(r"^[A-Z]{6}\+", str(font.BaseFont)[1:]), font.BaseFont
            assert "Helvetica" not in str(font.BaseFont)
        content = b"".join(c.read_bytes() for c in (page.Contents if isinstance(page.Contents, pikepdf.Array)
                                                     else [page.Contents]))
        assert re.search(rb"\brg\b|\bRG\b", content) is None  # no DeviceRGB colour operators
        assert re.search(rb"\bk\b", content) is not None  # CMYK fills are used
        media = [float(v) for v in page.MediaBox]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        assert bleed == media
        assert trim[0] == pytest.approx(3 * 72 / 25.4) and trim[2] - trim[0] == pytest.approx(390 * 72 / 25.4)
        assert trim[3] - trim[1] == pytest.approx(550 * 72 / 25.4)


def test_type_area_is_whole_characters(page):
    grid = page.grid.grid
    assert grid.chars_per_line_total == 111
    assert grid.type_area_width == pytest.approx(999.0)
    assert 345 <= grid.type_area_width * 25.4 / 72 <= 355
    assert 485 <= grid.type_area_height * 25.4 / 72 <= 495


def test_pdf_glyph_positions_match_the_display_list(page, chars):
    """The renderer only draws: every glyph is where layout put it."""
    expected = sorted((round(run.baseline, 1), x, ch) for run in page.display.runs()
                      for x, ch in zip(run.xs, run.text) if not ch.isspace())
    actual = sorted((round(c.baseline, 1), c.x0, c.text) for c in chars if not in_placed_pdf(page, c))
    assert len(actual) == len(expected)
    mismatches = sum(1 for a, e in zip(actual, expected) if a[2] != e[2] or abs(a[1] - e[1]) > 0.02)
    assert mismatches == 0
