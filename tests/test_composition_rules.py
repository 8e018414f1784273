"""The desk's choices in a style: prohibition level, punctuation scheme, Han–Latin space, hanging."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pagecomposer.story.model import Run
from pagecomposer.text.justify import set_paragraph
from pagecomposer.text.shaping import shape

EM = 9.0
MEASURE = 13 * EM


@pytest.fixture(scope="module")
def body(broadsheet):
    return replace(broadsheet.styles["body"], indent=0)


def widths_em(text, style, fonts):
    return [round(g.advance / EM, 3) for g in shape([Run(text)], style, fonts).glyphs]


def lines(text, style, fonts):
    return [line.text for line in set_paragraph(shape([Run(text)], style, fonts), MEASURE)]


# --- punctuation schemes ---------------------------------------------------------------------

def test_gb_scheme_compresses_pairs_only(body, fonts):
    assert widths_em("甲，乙“丙”。", body, fonts) == [1, 1, 1, 1, 1, 0.5, 1]


def test_quanjiao_keeps_every_mark_full_width(body, fonts):
    style = replace(body, punctuation="quanjiao")
    assert widths_em("甲，乙“丙”。", style, fonts) == [1, 1, 1, 1, 1, 1, 1]
    # Nothing to compress, so a comma that would start a line pushes a character down instead.
    assert lines("甲乙、丙丁戊己庚辛壬癸子丑，寅卯辰", style, fonts) == ["甲乙、丙丁戊己庚辛壬癸子", "丑，寅卯辰"]


def test_banjiao_sets_every_mark_half_width(body, fonts):
    style = replace(body, punctuation="banjiao")
    assert widths_em("甲，乙“丙”。：", style, fonts) == [1, 0.5, 1, 0.5, 1, 0.5, 0.5, 0.5]


def test_kaiming_keeps_sentence_ends_full_width(body, fonts):
    style = replace(body, punctuation="kaiming")
    assert widths_em("甲，乙。丙、丁？", style, fonts) == [1, 0.5, 1, 1, 1, 0.5, 1, 1]


# --- prohibition levels ----------------------------------------------------------------------

CASE = "甲乙丙丁戊己庚辛壬癸子丑寅，卯辰巳"


@pytest.mark.parametrize("level,expected", [
    ("none", ["甲乙丙丁戊己庚辛壬癸子丑寅", "，卯辰巳"]),
    ("basic", ["甲乙丙丁戊己庚辛壬癸子丑", "寅，卯辰巳"]),
    ("gb", ["甲乙丙丁戊己庚辛壬癸子丑", "寅，卯辰巳"]),
    ("strict", ["甲乙丙丁戊己庚辛壬癸子丑", "寅，卯辰巳"]),
])
def test_prohibition_levels_on_a_line_start_comma(level, expected, body, fonts):
    assert lines(CASE, replace(body, prohibition=level), fonts) == expected


def test_only_strict_keeps_a_dash_off_the_line_start(body, fonts):
    text = "甲乙丙丁戊己庚辛壬癸子丑寅——卯辰巳"
    assert lines(text, body, fonts)[1].startswith("——")
    assert lines(text, replace(body, prohibition="strict"), fonts) == ["甲乙丙丁戊己庚辛壬癸子丑", "寅——卯辰巳"]


def test_middle_dot_is_free_under_basic(body, fonts):
    text = "甲乙丙丁戊己庚辛壬癸子丑寅·卯辰巳"
    assert lines(text, replace(body, prohibition="basic"), fonts)[1].startswith("·")
    assert not lines(text, body, fonts)[1].startswith("·")


# --- Han–Latin space -------------------------------------------------------------------------

@pytest.mark.parametrize("autospace", [0.0, 0.25, 0.5])
def test_han_latin_space_is_configurable(autospace, body, fonts):
    paragraph = shape([Run("以5G为")], replace(body, autospace=autospace), fonts)
    assert paragraph.junctions[0].kern == pytest.approx(autospace * EM)


def test_han_latin_gap_stays_a_quarter_em_above_the_line_spacing(body, fonts):
    # 11 Han + "5G" is about half an em short of the measure (丑 cannot be taken in): every gap,
    # the Han–Latin one included, takes the same share, so that gap stays 0.25 em wider.
    paragraph = shape([Run("甲乙丙丁戊己庚辛壬癸子5G丑寅卯辰巳午")], body, fonts)
    first = set_paragraph(paragraph, MEASURE)[0]
    assert first.text == "甲乙丙丁戊己庚辛壬癸子5G"
    han_gap = first.xs[1] - first.xs[0] - EM
    latin_gap = first.xs[11] - first.xs[10] - EM
    assert han_gap == pytest.approx(first.stretch_per_gap) and han_gap > 0
    assert latin_gap - han_gap == pytest.approx(0.25 * EM)
    assert first.width == pytest.approx(MEASURE)


def test_squeeze_gives_way_before_a_loose_line(broadsheet, fonts):
    # The first line (11 em after the indent) cannot end after 《 nor inside 2026: pushing out would
    # leave 会议召开的前一天， at 25 % stretch. Tightening every gap (inside 2026 too) takes 《2026 in
    # instead: past 1/16 em only in the relaxed pass, which allows half as much again.
    paragraph = shape([Run("会议召开的前一天，《2026年城市发展报告》正式发布，引起广泛关注。")],
                      broadsheet.styles["body"], fonts)
    first = set_paragraph(paragraph, MEASURE, first_indent=2 * EM)[0]
    assert first.text.endswith("《2026")
    assert 0 < first.squeeze_per_gap <= 0.0625 * 1.5 * EM + 1e-9
    assert first.stretch_per_gap == 0
    assert first.xs[-1] + first.glyphs[-1].advance == pytest.approx(MEASURE)


def test_compressed_pairs_keep_one_and_a_half_em_when_a_line_shrinks(body, fonts):
    # 13.5 em of text with the pair ”， inside: the line must give up half an em; it takes it from
    # the line-end 。 and leaves the pair alone.
    paragraph = shape([Run("甲乙丙丁戊“丑”，己庚辛壬。寅卯辰巳")], body, fonts)
    first = set_paragraph(paragraph, MEASURE)[0]
    assert first.text == "甲乙丙丁戊“丑”，己庚辛壬。"
    pair = [g for g in first.glyphs if g.char in "”，"]
    assert sum(g.advance for g in pair) == pytest.approx(1.5 * EM)
    assert first.glyphs[-1].advance == pytest.approx(0.5 * EM)


# --- hanging punctuation ---------------------------------------------------------------------

def test_hanging_comma_sits_past_the_measure(body, fonts):
    style = replace(body, hanging=True)
    text = "甲乙丙丁戊己庚辛壬癸子丑寅，卯辰巳午未"
    result = set_paragraph(shape([Run(text)], style, fonts), MEASURE)
    first = result[0]
    assert first.text == "甲乙丙丁戊己庚辛壬癸子丑寅，"
    assert first.hung
    assert first.xs[-1] == pytest.approx(MEASURE)  # the comma starts where the measure ends
    assert first.width == pytest.approx(MEASURE)  # the characters before it fill the measure exactly
    assert lines(text, body, fonts)[0] == "甲乙丙丁戊己庚辛壬癸子丑"  # without hanging: pushed down


# --- Latin inside Chinese --------------------------------------------------------------------

def test_latin_runs_are_kerned(body, fonts):
    from pagecomposer.text.fonts import load_face
    paragraph = shape([Run("据AVATAR报道")], body, fonts)
    face = load_face(fonts.files["song"])
    plain = sum(face.advance(c) for c in "AVATAR") * EM
    kerned = sum(g.advance for g in paragraph.glyphs[1:7])
    assert kerned < plain - 0.1 * EM  # A–V and V–A pairs are kerned tighter


def test_mostly_latin_paragraphs_are_hyphenated(body, fonts):
    text = "Typesetting Chinese and English together demands careful composition of every line."
    lines = set_paragraph(shape([Run(text)], body, fonts), MEASURE)
    assert any(line.hyphenated for line in lines)
    for line in lines:
        if line.hyphenated:
            assert line.text.endswith("-") and line.glyphs[-2].char.isalpha()
    copy = "".join(line.text[:-1] if line.hyphenated else line.text + " " for line in lines)
    assert copy.split() == text.split()
    for line in lines[:-1]:
        assert line.xs[-1] + line.glyphs[-1].advance == pytest.approx(MEASURE, abs=0.01)


def test_chinese_paragraphs_are_never_hyphenated(body, fonts):
    text = "我们用pagecomposer排版中文报纸，它把typesetting做得很细致，每一行都经过计算。" * 2
    lines = set_paragraph(shape([Run(text)], body, fonts), MEASURE)
    assert not any(line.hyphenated for line in lines)


# --- headline fitting ------------------------------------------------------------------------

def test_long_headline_is_condensed_then_reduced_within_the_style_limits(broadsheet, fonts):
    from pagecomposer.layout.display_text import set_display_line
    style = broadsheet.styles["headline"]
    text = "应势而动以产兴城奋楫扬帆以业聚人"
    natural = set_display_line(text, style, fonts, 10_000).width
    slightly = set_display_line(text, style, fonts, natural * 0.9)  # condensing alone fits it
    assert slightly.scale == 1.0 and slightly.condense == pytest.approx(0.9, abs=0.001)
    assert slightly.width == pytest.approx(natural * 0.9, abs=0.05)
    much = set_display_line(text, style, fonts, natural * 0.6)  # condensed to the limit, then smaller
    assert much.condense == style.condense_min and much.scale < 1 and not much.overflow
    assert much.width <= natural * 0.6 + 0.05
    hopeless = set_display_line(text, style, fonts, natural * 0.3)
    assert hopeless.overflow and hopeless.scale == style.fit_min
