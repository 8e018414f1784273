"""Every page of every issue under examples/, held to the composition standard by reading the PDF.

- no line starts or ends with a forbidden character (read back from the PDF);
- every adjacent punctuation pair is set 1.5 em wide, every Han–Latin gap 0.25 em wider than the
  line's other gaps (positions read back from the PDF);
- inter-character stretch of non-final lines: worst at most 15 % of the type size, mean under 3 %;
- nothing overset, and every glyph in the PDF where the display list put it.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pagecomposer.pipeline import build
from pagecomposer.text import cjk
from pagecomposer.text.cjk import CharClass
from tests.conftest import ROOT
from tests.pdf_readback import in_placed_pdf, lines_by_baseline, read_chars

ISSUES = sorted((ROOT / "examples").glob("*/issue.yaml"))
PAIR_TOLERANCE_EM = 0.02
MAX_WORST_STRETCH = 0.15
MAX_MEAN_STRETCH = 0.03


@pytest.fixture(scope="module", params=ISSUES, ids=[p.parent.name for p in ISSUES])
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(request.param.parent.name)
    result = build(request.param, out, preflight=True)
    pages = []
    for page, pdf in zip(result.pages, result.outputs):
        pages.append((page, read_chars(pdf, page.display.bleed)))
    return result, pages


def _story_pdf_lines(page, chars):
    """(placed line, its glyphs read from the PDF) for every line of every story on the page."""
    size = page.grid.grid.body_size
    body = [c for c in chars if abs(c.size - size) < 0.01]
    for story in page.stories:
        for placed in story.flow.lines:
            if placed.role == "heading" or placed.page not in ("", page.display.id):
                continue  # headings are display type; a jumped story's other page is checked there
            left = placed.x
            right = left + placed.line.indent + placed.line.measure  # the line's own column (长栏, 破栏 too)
            by_baseline = lines_by_baseline(body, left, right)
            yield placed, by_baseline[round(placed.baseline, 3)]


def test_every_page_passes_preflight(built):
    result, _ = built
    assert result.preflight and all(report.passed for report in result.preflight), \
        "\n".join(r.table() for r in result.preflight if not r.passed)


def test_nothing_overset(built):
    result, _ = built
    assert result.overset_stories == []


def test_no_forbidden_line_start_or_end_in_the_pdf(built):
    _, pages = built
    checked = 0
    for page, chars in pages:
        for placed, line in _story_pdf_lines(page, chars):
            text = "".join(c.text for c in line)
            assert text == placed.line.text.replace(" ", ""), (text, placed.line.text)
            assert cjk.may_start_line(text[0]) or placed.line.start == 0, text
            assert cjk.may_end_line(text[-1]), text
            checked += 1
    assert checked > 100


def _neighbours(placed, line):
    """Adjacent PDF glyph pairs of a line that had no space between them in the copy."""
    spaced = []  # for each non-space glyph: was it preceded by a space?
    previous_space = False
    for ch in placed.line.text:
        if ch == " ":
            previous_space = True
            continue
        spaced.append(previous_space)
        previous_space = False
    return [(i, a, b) for i, (a, b) in enumerate(zip(line, line[1:])) if not spaced[i + 1]]


def _line_spacing(placed, line) -> float:
    """The line's common inter-character adjustment (stretch or squeeze). Layout says what it is;
    every Han–Han gap read from the PDF must agree with it."""
    spacing = placed.line.stretch_per_gap - placed.line.squeeze_per_gap
    em = placed.line.glyphs[0].size
    for _, a, b in _neighbours(placed, line):
        if cjk.classify(a.text) is CharClass.HAN and cjk.classify(b.text) is CharClass.HAN:
            # A Han character advances one em (pdfium's box follows the ink, which may overhang).
            assert b.x0 - a.x0 - em == pytest.approx(spacing, abs=0.01), placed.line.text
    return spacing


def test_punctuation_pairs_and_han_latin_gaps_measured_in_the_pdf(built):
    _, pages = built
    pairs = latin_gaps = 0
    for page, chars in pages:
        em = page.grid.grid.body_size
        for placed, line in _story_pdf_lines(page, chars):
            if placed.role == "byline" or placed.line.narrowed:
                continue  # names set flush left; a line whose pairs had to give way is counted in the report
            spacing = _line_spacing(placed, line)
            em = placed.line.glyphs[0].size
            for i, a, b in _neighbours(placed, line):
                ca, cb = cjk.classify(a.text), cjk.classify(b.text)
                if ca in cjk.PUNCTUATION and cb in cjk.PUNCTUATION and i + 2 < len(line) and \
                        ca is not CharClass.STOP and cb is not CharClass.STOP and CharClass.MIDDLE_DOT not in (ca, cb):
                    width = (b.x0 - a.x0 - spacing) + (b.x1 - b.x0)
                    assert abs(width / em - 1.5) <= PAIR_TOLERANCE_EM, (a.text + b.text, width / em, placed.line.text)
                    pairs += 1
                if ca is CharClass.HAN and cb is CharClass.LATIN and b.text.isalnum():
                    gap = b.x0 - a.x0 - em - spacing  # measured from the Han side, which advances one em
                    assert abs(gap / em - 0.25) <= PAIR_TOLERANCE_EM, (a.text + b.text, gap / em, placed.line.text)
                    latin_gaps += 1
    assert pairs + latin_gaps > 0


def test_stretch_limits(built):
    result, _ = built
    for story in result.quality:
        assert story.narrowed == 0, story.summary()
        assert story.worst_stretch <= MAX_WORST_STRETCH, story.summary()
        assert story.mean_stretch < MAX_MEAN_STRETCH, story.summary()
        assert story.short_last_lines == 0, story.summary()


def test_every_glyph_where_the_display_list_put_it(built):
    _, pages = built
    for page, chars in pages:
        expected = sorted((round(run.baseline, 1), x, ch) for run in page.display.runs()
                          for x, ch in zip(run.xs, run.text) if not ch.isspace())
        actual = sorted((round(c.baseline, 1), c.x0, c.text) for c in chars if not in_placed_pdf(page, c))
        assert len(actual) == len(expected)
        assert all(a[2] == e[2] and abs(a[1] - e[1]) <= 0.02 for a, e in zip(actual, expected))


@pytest.mark.skipif(not all(shutil.which(t) for t in ("qpdf", "pdffonts", "gs")), reason="needs qpdf, poppler, gs")
def test_plant_tools_accept_every_page(built):
    result, _ = built
    for path in result.outputs:
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
        render = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(path)],
                                capture_output=True, text=True)
        assert render.returncode == 0 and render.stdout.strip() == "" and render.stderr.strip() == "", render.stderr
