"""A broken spec gets one clear message with file:line:col, exit status 2, no traceback, no PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


from tests.conftest import EXAMPLE, ROOT


def _example_copy(tmp_path: Path, edit=None) -> Path:
    """A copy of the example issue (with its article) that a test may break."""
    (tmp_path / "articles").mkdir()
    shutil.copy(ROOT / "articles" / "lianghui-chanye.md", tmp_path / "articles")
    shutil.copytree(EXAMPLE.parent / "ads", tmp_path / "ads")
    text = EXAMPLE.read_text(encoding="utf-8").replace("articles: ../../articles", "articles: articles")
    text = text.replace("search_paths: [../../articles]\n", "")  # the copy holds its own articles
    if edit:
        text = edit(text)
    issue = tmp_path / "issue.yaml"
    issue.write_text(text, encoding="utf-8")
    return issue


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def run_build(issue: Path, out: Path):
    return subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(issue), "-o", str(out)],
                          capture_output=True, text=True, cwd=issue.parent)


def assert_clean_failure(result, out: Path, *fragments: str):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr  # the message and one hint
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)
    assert not list(out.glob("*.pdf")) if out.exists() else True


def test_typo_key_names_file_line_column_and_suggests(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("        frames:", "        frmaes:"))
    line = _line_of(issue, "frmaes:")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{line}:9", "unknown key 'frmaes'",
                         "did you mean 'frames'?")


def test_wrong_type(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("headline_lines: 1", "headline_lines: one"))
    line = _line_of(issue, "headline_lines: one")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{line}:25", "expected a whole number")


def test_value_out_of_range(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("columns: 1-8\n        lines: 73-103",
                                                        "columns: 1-9\n        lines: 73-103"))
    line = _line_of(issue, "columns: 1-9")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{line}:18", "outside this layout's 1-8")


def test_missing_article(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("article: lianghui-chanye\n        balance",
                                                        "article: lianghui-chanyee\n        balance"))
    line = _line_of(issue, "lianghui-chanyee")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{line}:18", "article 'lianghui-chanyee' not found",
                         "did you mean 'lianghui-chanye'?")


def test_unknown_layout(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("layout: broadsheet", "layout: broadshet"))
    line = _line_of(issue, "layout: broadshet")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{line}:13", "unknown layout 'broadshet'",
                         "did you mean 'broadsheet'?")


def test_unknown_style(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("style: ad-text", "style: ad-txt"))
    line = _line_of(issue, "ad-txt")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{line}:", "unknown style 'ad-txt'",
                         "did you mean 'ad-text'?")


def test_broken_yaml(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("    elements:", "    elements: [", 1))
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", "issue.yaml:", "YAML syntax error")


def test_missing_issue_file(tmp_path):
    result = run_build(tmp_path / "nope.yaml", tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", "issue file not found")


def _layout_copy(tmp_path: Path, edit) -> Path:
    issue = _example_copy(tmp_path)
    (tmp_path / "layouts").mkdir()
    layout = tmp_path / "layouts" / "broadsheet.yaml"
    layout.write_text(edit((ROOT / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return issue


def test_missing_font_file(tmp_path):
    issue = _layout_copy(tmp_path, lambda t: t.replace("kai: LXGWWenKai-Regular.ttf", "kai: NoSuchKai.ttf"))
    line = _line_of(tmp_path / "layouts" / "broadsheet.yaml", "NoSuchKai")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"broadsheet.yaml:{line}:8", "font file 'NoSuchKai.ttf' not found")


def test_grid_that_is_not_whole_characters_is_an_error(tmp_path):
    issue = _layout_copy(tmp_path, lambda t: t.replace("chars_per_column: 13    # 每栏字数", "column_width: 40mm"))
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", "broadsheet.yaml:", "12.598 characters",
                         "use 12 characters")


def test_a_good_spec_builds(tmp_path):
    issue = _example_copy(tmp_path)
    result = run_build(issue, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "A05.pdf").stat().st_size > 10_000
