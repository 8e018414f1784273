"""The whole edition: many pages, templates, jumps, wrap, every line on the grid, no text lost."""

from __future__ import annotations

import pikepdf
import pytest

from pagecomposer.pipeline import build
from pagecomposer.display import Picture
from pagecomposer.layout.grid import Rect
from pagecomposer.story.markdown import load_article
from tests.conftest import ROOT

EDITION = ROOT / "examples" / "edition" / "issue.yaml"


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return build(EDITION, tmp_path_factory.mktemp("edition"), preflight=True)


def test_edition_has_at_least_eight_pages_and_one_combined_pdf(edition):
    assert len(edition.pages) >= 8
    combined = edition.outputs[0].parent / "issue.pdf"
    with pikepdf.open(combined) as pdf:
        assert len(pdf.pages) == len(edition.pages)
    assert all(report.passed for report in edition.preflight)
    assert edition.overset_stories == []


def test_jump_lines_point_to_the_right_pages(edition):
    pages = {p.display.id: p for p in edition.pages}
    jumped = [s for p in edition.pages for s in p.stories if len(s.pages) > 1]
    assert jumped, "the edition must have a story that jumps"
    for story in jumped:
        for before, after in zip(story.pages, story.pages[1:]):
            down = "".join(r.text for r in pages[before].display.runs("jump"))
            up = "".join(r.text for r in pages[after].display.runs("jump"))
            assert f"下转第{pages[after].spec.number}版" in down
            assert f"上接第{pages[before].spec.number}版" in up


def test_no_glyph_inside_a_picture(edition):
    for page in edition.pages:
        pictures = [Rect(*item.frame) for item in page.display.items if isinstance(item, Picture)]
        for run in page.display.runs():
            if run.role in ("caption", "marks"):
                continue
            for x in run.xs:
                for rect in pictures:
                    inside = rect.x + 0.5 < x < rect.right - 0.5 and rect.y + 0.5 < run.baseline < rect.bottom + run.size
                    assert not inside, (page.display.id, run.text, run.role)


def test_every_body_line_on_the_grid(edition):
    for page in edition.pages:
        grid = page.grid
        for story in page.stories:
            for placed in story.flow.lines:
                if placed.role in ("paragraph", "lead", "byline"):
                    offset = (placed.baseline - grid.baseline(1)) / grid.grid.pitch
                    assert abs(offset - round(offset)) < 1e-6, (page.display.id, placed.line.text)


def test_every_story_is_accounted_for(edition):
    for page in edition.pages:
        for story in page.stories:
            article = load_article(ROOT / "articles" / f"{story.article}.md", story.article, story.article)
            total = sum(len(block.text) for block in article.body_blocks(with_byline=True))
            assert story.flow.set_chars + story.flow.overset_chars == total, story.article


def test_pull_quote_keeps_story_text_out(edition):
    from pagecomposer.display import Keepout
    page = next(p for p in edition.pages if p.display.id == "A04")
    keepouts = [i for i in page.display.items if isinstance(i, Keepout)]
    assert keepouts
    area = keepouts[0]
    for run in page.display.runs():
        if run.role in ("paragraph", "lead", "heading", "byline"):
            for x in run.xs:
                assert not (area.x <= x < area.x + area.width and area.y <= run.baseline <= area.y + area.height)
    assert page.display.runs("quote")


def test_folios_mirror_and_name_the_page(edition):
    for page in edition.pages:
        folio = [r for r in page.display.runs("folio")]
        if not folio:
            continue  # the front page has the masthead instead
        text = "".join(r.text for r in folio)
        assert f"第{page.spec.number}版" in text and page.display.id in text
        label = max(folio, key=lambda r: r.size)  # the page id and section, set larger
        left_side = label.xs[0] < page.display.trim_width / 2
        assert left_side == (page.spec.number % 2 == 0), page.display.id  # outer side: left on even pages


def test_pages_option_builds_a_subset(tmp_path):
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(EDITION), "-o", str(tmp_path),
                             "--pages", "A03,A06", "--no-preflight"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["A03.pdf", "A06.pdf"]
