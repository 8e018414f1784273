"""The shipped layouts: each derives its type area from whole characters and sets a page."""

from __future__ import annotations

import shutil

import pytest

from pagecomposer.pipeline import build
from pagecomposer.spec.load import load_layout
from tests.conftest import ROOT

PRESETS = {  # name: (trim mm, columns x characters, lines)
    "broadsheet": ((390, 550), (8, 13), 103),
    "tabloid": ((273, 390), (5, 14), 73),
    "berliner": ((315, 470), (6, 14), 90),
}


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_geometry(name):
    layout = load_layout(ROOT / "layouts" / f"{name}.yaml")
    (width, height), (columns, chars), lines = PRESETS[name]
    g = layout.grid
    assert (g.columns, g.chars_per_column, g.lines_per_column) == (columns, chars, lines)
    assert layout.trim_width == pytest.approx(width * 72 / 25.4) and layout.trim_height == pytest.approx(height * 72 / 25.4)
    assert g.type_area_width == pytest.approx((columns * chars + columns - 1) * 9)
    # The type area sits inside the trim with margins on every side.
    assert 0 < layout.margin_left and layout.margin_left + g.type_area_width < layout.trim_width
    assert 0 < layout.margin_top and layout.margin_top + g.type_area_height < layout.trim_height
    assert {"body", "headline", "folio", "masthead"} <= set(layout.styles)
    assert {"front", "inner"} <= set(layout.templates)


@pytest.mark.parametrize("name", ["tabloid", "berliner"])
def test_preset_sets_a_page(name, tmp_path):
    (tmp_path / "articles").mkdir()
    shutil.copy(ROOT / "articles" / "minsheng-duanxun.md", tmp_path / "articles")
    columns = PRESETS[name][1][0]
    (tmp_path / "issue.yaml").write_text(f"""paper: 测试报
date: 2026-03-18
pages:
  - id: C02
    layout: {name}
    template: inner
    section: 民生
    elements:
      - {{type: headline, article: minsheng-duanxun, columns: 1-{columns}, lines: 1-10, headline_lines: 2, style: headline-m}}
      - type: story
        article: minsheng-duanxun
        balance: true
        frames:
          - {{columns: 1-{columns}, lines: 12-{PRESETS[name][2]}}}
""", encoding="utf-8")
    result = build(tmp_path / "issue.yaml", tmp_path / "out", preflight=True)
    assert result.overset_stories == []
    assert result.preflight[0].passed, result.preflight[0].table()
    story = result.pages[0].stories[0].flow
    assert {p.column for p in story.lines} == set(range(columns))
    assert all(round(p.line.width, 2) == round(p.line.measure, 2) for p in story.lines
               if p.role == "paragraph" and not p.line.last)
