"""`pagecomposer init DIR`: a small working issue to start from — one page, a headline, a story."""

from __future__ import annotations

from pathlib import Path

from pagecomposer import resources
from pagecomposer.errors import PagecomposerError

ISSUE = """# An issue: the paper, its date and its pages. Every key is in docs/spec.md.
paper: 示例日报
date: 2026-03-18
pages:
  - id: A01
    layout: {layout}
    template: inner          # the layout's inner-page template: a folio (版头) over the page
    section: 要闻
    elements:
      - {{type: headline, article: sample, columns: 1-{columns}, lines: 1-10, kicker_box: news-red}}
      - type: story
        article: sample
        balance: true          # 齐栏: columns end level
        frames:
          - {{columns: 1-{columns}, lines: 13-40}}
"""

ARTICLE = """---
kicker: 示例
title: 这是主标题 可以分成两部分
byline: 本报记者 某某
lead_paragraphs: 1
---

这是导语。编辑这个文件，然后运行 pagecomposer build issue.yaml -o out/ 查看排版结果；用 pagecomposer preview 生成预览图，用 pagecomposer fit 查看稿件是否排得下。

## 小标题放在这里

正文段落之间空一行。段落内可以有**加粗**文字，也可以有数字和英文，例如2026年、5G、6.5%。标点符号要用全角：逗号、句号、引号“”、书名号《》。
"""


def init(folder: Path, layout: str) -> list[Path]:
    layout_file = resources.layouts_dir() / f"{layout}.yaml"
    if not layout_file.is_file():
        known = ", ".join(sorted(p.stem for p in resources.layouts_dir().glob("*.yaml")))
        raise PagecomposerError(f"unknown layout '{layout}'", None, f"choose one of: {known}")
    issue, article = folder / "issue.yaml", folder / "articles" / "sample.md"
    # Nothing the desk has is ever replaced: any file in the way stops init before it writes one.
    for path in (issue, article):
        if path.exists() or path.is_symlink():
            raise PagecomposerError(f"{path} already exists; init writes nothing over a file", None,
                                    "choose an empty folder, or move the file away")
    from pagecomposer.spec.load import load_layout

    columns = load_layout(layout_file).grid.columns
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    _write_new(issue, ISSUE.format(layout=layout, columns=columns))
    _write_new(article, ARTICLE)
    return [issue, article]


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet ('x': a file made meanwhile is not replaced either)."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise PagecomposerError(f"{path} already exists; init writes nothing over a file", None,
                                "choose an empty folder, or move the file away") from None
