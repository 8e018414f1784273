"""One validation pass: every value a person could write is a real value or one located error, and
`check` agrees with `build` on each (issue 12). A case either fails both commands cleanly (exit 2,
the fragment, no traceback, no PDF) or builds with both."""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_spec_errors import _example_copy, assert_clean_failure, run_build


def _without_search_paths(text: str) -> str:
    """The copy holds its articles itself: the example's reach into the repository is not needed."""
    return "\n".join(line for line in text.split("\n") if not line.startswith("search_paths:"))


def _issue_copy(tmp_path: Path, edit=None) -> Path:
    return _example_copy(tmp_path, lambda text: (edit or str)(_without_search_paths(text)))


def _layout_copy(tmp_path: Path, edit) -> Path:
    issue = _issue_copy(tmp_path)
    (tmp_path / "layouts").mkdir()
    layout = tmp_path / "layouts" / "broadsheet.yaml"
    layout.write_text(edit((ROOT / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return issue


def run_check(issue: Path):
    return subprocess.run([sys.executable, "-m", "pagecomposer", "check", str(issue)],
                          capture_output=True, text=True, cwd=issue.parent)


def run_command(issue: Path, *args: str):
    return subprocess.run([sys.executable, "-m", "pagecomposer", *args], capture_output=True, text=True,
                          cwd=issue.parent)


def assert_both_refuse(issue: Path, out: Path, *fragments: str):
    assert_clean_failure(run_check(issue), out, *fragments)
    assert_clean_failure(run_build(issue, out), out, *fragments)


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


def _article_edit(folder: Path, edit) -> None:
    article = folder / "articles" / "lianghui-chanye.md"
    article.write_text(edit(article.read_text(encoding="utf-8")), encoding="utf-8")


# --- values and strings in issue.yaml -----------------------------------------------------------

ISSUE_CASES = {
    "impossible date": (_replace("date: 2021-03-05", "date: 2021-02-30"), ["issue.yaml:4:7", "not a valid date"]),
    "hour 25": (_replace("date: 2021-03-05", "date: 2021-03-05T25:00:00"), ["issue.yaml:4:7", "not a valid date"]),
    "quoted impossible date": (_replace("date: 2021-03-05", 'date: "2021-02-30"'),
                               ["issue.yaml:4:7", "not a real date"]),
    "5000-digit integer": (_replace("headline_lines: 1", "headline_lines: " + "9" * 5000), ["issue.yaml:", "number"]),
    "400-digit integer length": (_replace("columns: 1-8\n        lines: 1-13",
                                           "x: " + "9" * 400 + "\n        y: 10mm\n        width: 100mm\n"
                                           "        height: 50mm"),
                                 ["issue.yaml:", "far too large"]) ,
    "NaN position": (_replace("columns: 1-8\n        lines: 1-13",
                              "x: .nan\n        y: 10mm\n        width: 100mm\n        height: 50mm"),
                     ["issue.yaml:", "not a number a page can use"]),
    "inf width": (_replace("columns: 1-8\n        lines: 1-13",
                           "x: 10mm\n        y: 10mm\n        width: .inf\n        height: 50mm"),
                  ["issue.yaml:", "not a number a page can use"]),
    "lone surrogate in folio section": (_replace("section: 两会特稿", 'section: "\\ud800"'),
                                        ["issue.yaml:", "lone surrogate U+D800"]),
    "NUL in folio credits": (_replace("credits: 责任编辑 李明 美术编辑 王芳 校对 陈静", 'credits: "责任编辑\\0李明"'),
                             ["issue.yaml:", "control character U+0000"]),
    "lone surrogate in page id": (_replace("id: A05", 'id: "A05\\udc80"'), ["issue.yaml:", "lone surrogate U+DC80"]),
    "merge key": (_replace("      - type: folio\n", "      - <<: {type: folio}\n"),
                  ["issue.yaml:", "merge keys ('<<:') are not supported"]),
    "split wider than the frame": (_replace("{columns: 1-8, lines: 26-69}", "{columns: 1-1, lines: 26-69, split: 13}"),
                                   ["issue.yaml:", "split: 13 leaves columns of 0 characters"]),
    "story twice on a page": (_replace("          - {columns: 1-8, lines: 26-69}\n",
                                       "          - {columns: 1-8, lines: 26-45}\n      - type: story\n"
                                       "        article: lianghui-chanye\n        frames:\n"
                                       "          - {columns: 1-8, lines: 46-69}\n"),
                              ["issue.yaml:", "story 'lianghui-chanye' is placed twice on this page"]),
    "a long wrong value is quoted briefly": (_replace("headline_lines: 1", "headline_lines: " + "长" * 3000),
                                             ["issue.yaml:", "expected a whole number", "…"]),
    "list value names no internals": (_replace("headline_lines: 1", "headline_lines: [1, 2]"),
                                      ["issue.yaml:", "expected a whole number, got [1, 2]"]),
}


@pytest.mark.parametrize("case", sorted(ISSUE_CASES))
def test_issue_value_is_refused_by_check_and_build(tmp_path, case):
    edit, fragments = ISSUE_CASES[case]
    issue = _issue_copy(tmp_path, edit)
    assert_both_refuse(issue, tmp_path / "out", *fragments)
    if case == "a long wrong value is quoted briefly":
        assert len(run_check(issue).stderr) < 400


# --- values in a layout ------------------------------------------------------------------------

LAYOUT_CASES = {
    "NaN ink limit": (lambda t: t + "\nprint: {ink_limit: .nan}\n", ["broadsheet.yaml:", "not a number a page can use"]),
    "NaN size": (_replace("    size: 12pt", "    size: .nan"), ["broadsheet.yaml:", "not a number a page can use"]),
    "NaN indent": (_replace("indent: 2", "indent: .nan"), ["broadsheet.yaml:", "not a number a page can use"]),
    "inf line height": (_replace("line_height: 1.3", "line_height: .inf"),
                        ["broadsheet.yaml:", "not a number a page can use"]),
    "surrogate in a swatch name": (_replace("  black:", '  "bl\\ud800ack":'), ["broadsheet.yaml:", "lone surrogate"]),
}


@pytest.mark.parametrize("case", sorted(LAYOUT_CASES))
def test_layout_value_is_refused_by_check_and_build(tmp_path, case):
    edit, fragments = LAYOUT_CASES[case]
    issue = _layout_copy(tmp_path, edit)
    assert_both_refuse(issue, tmp_path / "out", *fragments)


# --- articles ------------------------------------------------------------------------------------

ARTICLE_CASES = {
    "empty heading": (lambda t: t.replace("\n\n", "\n\n## \n\n", 2).replace("\n\n## \n\n", "\n\n", 1),
                      ["lianghui-chanye.md:", "an empty '##' heading"]),
    "triple stars": (lambda t: t.rstrip("\n") + "\n\n***加粗斜体***\n", ["lianghui-chanye.md:", "'***' is not supported"]),
    "NUL in the body": (lambda t: t.rstrip("\n") + "\n\n正文\x00正文\n", ["lianghui-chanye.md:", "U+0000"]),
    "quoted impossible date in front matter": (lambda t: t.replace("---\n", '---\ndate: "2021-02-30"\n', 1),
                                               ["lianghui-chanye.md:2:", "not a real date"]),
}


@pytest.mark.parametrize("case", sorted(ARTICLE_CASES))
def test_article_mistake_is_refused_by_check_and_build(tmp_path, case):
    edit, fragments = ARTICLE_CASES[case]
    issue = _issue_copy(tmp_path)
    _article_edit(tmp_path, edit)
    assert_both_refuse(issue, tmp_path / "out", *fragments)


def test_an_article_with_a_byte_order_mark_builds(tmp_path):
    issue = _issue_copy(tmp_path)
    _article_edit(tmp_path, lambda t: "\ufeff" + t)
    assert run_check(issue).returncode == 0
    assert run_build(issue, tmp_path / "out").returncode == 0


# --- pages without text ----------------------------------------------------------------------------

EXTRA_PAGES = {
    "blank page": "  - {id: A06, layout: broadsheet}\n",
    "rule-only page": "  - id: A06\n    layout: broadsheet\n    elements:\n"
                      "      - {type: rule, columns: 1-8, lines: 50-50, weight: 1pt}\n",
    "ad-only page": "  - id: A06\n    layout: broadsheet\n    elements:\n"
                    "      - {type: ad, name: 全版, columns: 1-8, lines: 1-103, file: ads/zensun.pdf, fit: fit}\n",
}


@pytest.mark.parametrize("case", sorted(EXTRA_PAGES))
def test_a_page_without_text_builds_with_marks(tmp_path, case):
    issue = _issue_copy(tmp_path, lambda t: t.rstrip("\n") + "\n" + EXTRA_PAGES[case])
    assert run_check(issue).returncode == 0, run_check(issue).stderr
    result = run_command(issue, "build", str(issue), "-o", str(tmp_path / "out"),
                         "--marks", "crop,registration,colorbar,info")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "A06.pdf").is_file()


# --- delivered files: pictures, profiles, fonts ------------------------------------------------------

def _with_image(tmp_path: Path, name: str, layout_edit=None) -> Path:
    """The example with a photo `name` (in the issue folder) placed over the top ad."""
    element = (f"      - {{type: image, file: {name}, columns: 1-8, lines: 1-13}}\n")
    edit = _replace("      - type: ad\n        name: 郑州银行", element + "      - type: ad\n        name: 郑州银行")
    if layout_edit:
        issue = _layout_copy(tmp_path, layout_edit)
        issue.write_text(edit(issue.read_text(encoding="utf-8")), encoding="utf-8")
        return issue
    return _issue_copy(tmp_path, edit)


def _jpeg(path: Path, mode: str = "CMYK") -> None:
    from PIL import Image

    Image.new(mode, (800, 200), (10, 20, 30, 40)[:len(mode)] if mode != "L" else 80).save(path, quality=90)


def test_a_truncated_jpeg_is_refused_by_check_and_build(tmp_path):
    _jpeg(tmp_path / "photo.jpg")
    data = (tmp_path / "photo.jpg").read_bytes()
    (tmp_path / "photo.jpg").write_bytes(data[:len(data) // 2])
    issue = _with_image(tmp_path, "photo.jpg")
    assert_both_refuse(issue, tmp_path / "out", "issue.yaml:", "photo.jpg")


def test_a_lab_tiff_is_refused_by_check_and_build(tmp_path):
    from PIL import Image

    Image.new("LAB", (800, 200), (50, 0, 0)).save(tmp_path / "lab.tif")
    issue = _with_image(tmp_path, "lab.tif")
    assert_both_refuse(issue, tmp_path / "out", "issue.yaml:", "lab.tif", "Lab")


def test_an_rgb_photo_is_refused_by_check_as_by_build(tmp_path):
    _jpeg(tmp_path / "rgb.jpg", "RGB")
    issue = _with_image(tmp_path, "rgb.jpg")
    assert_both_refuse(issue, tmp_path / "out", "issue.yaml:", "rgb.jpg is RGB")


def test_a_bad_icc_profile_with_rgb_convert_is_refused(tmp_path):
    def edit(text: str) -> str:
        return text + "\nprint: {rgb_images: convert, icc_profile: bad.icc}\n"
    issue = _layout_copy(tmp_path, edit)
    (tmp_path / "layouts" / "bad.icc").write_bytes(random.Random(1).randbytes(4000))
    assert_both_refuse(issue, tmp_path / "out", "broadsheet.yaml:", "bad.icc")


def _damage_glyph_table(font: Path) -> None:
    from fontTools.ttLib import TTFont

    with TTFont(str(font), lazy=True) as parsed:
        entry = parsed.reader.tables["glyf"]
        offset, length = entry.offset, entry.length
    data = bytearray(font.read_bytes())
    rng = random.Random(12)
    start = offset + length // 4
    data[start:start + length // 2] = rng.randbytes(length // 2)
    font.write_bytes(bytes(data))


def test_random_bytes_in_a_glyph_table_are_refused_by_check_and_build(tmp_path):
    issue = _layout_copy(tmp_path, lambda t: t)
    _damage_glyph_table(tmp_path / "fonts" / "NotoSerifSC-Regular.ttf")
    assert_both_refuse(issue, tmp_path / "out", "NotoSerifSC-Regular.ttf")


# --- commands ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dpi", ["0", "-5", "nan", "inf", "100000"])
def test_preview_refuses_a_dpi_it_cannot_render(tmp_path, dpi):
    issue = _issue_copy(tmp_path)
    result = run_command(issue, "preview", str(issue), "-o", str(tmp_path / "out"), "--dpi", dpi)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "--dpi" in result.stderr
    assert not list((tmp_path / "out").glob("*.png")) if (tmp_path / "out").exists() else True


def test_init_refuses_to_overwrite_any_file(tmp_path):
    (tmp_path / "articles").mkdir()
    article = tmp_path / "articles" / "sample.md"
    article.write_text("mine", encoding="utf-8")
    result = run_command(article, "init", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert "sample.md" in result.stderr and "Traceback" not in result.stderr
    assert article.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "issue.yaml").exists()


# --- message helpers ----------------------------------------------------------------------------

def test_messages_quote_values_briefly_and_without_internals():
    from pagecomposer.spec.yamlnodes import load_yaml_text
    from pagecomposer.textcheck import quoted, shortened, unprintable_character

    node = load_yaml_text("a: [1, {b: 2}]\n", "x.yaml").value["a"]
    assert quoted(node.value) == "[1, {'b': 2}]"  # what was written, not Node(value=…, where=…)
    assert len(quoted("长" * 3_000_000)) == 80 and quoted("长" * 3_000_000).endswith("…")
    assert len(shortened("字" * 3_000_000)) == 80
    assert unprintable_character("正文\t第二段\n") is None
    assert "U+0000" in unprintable_character("a\x00b") and "U+D800" in unprintable_character("\ud800")
