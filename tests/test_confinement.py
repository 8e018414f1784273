"""Paths confined by design: a page id is a plain file name, every output stays in OUT and is
written only over a regular file, and every input resolves under the issue's allowed roots (its
folder, its search_paths, the shipped fonts and layouts). Each hostile case of issue 12, with
`check` refusing what `build` refuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pagecomposer.errors import PagecomposerError
from pagecomposer.pipeline import NotARegularFile, output_path
from tests.conftest import ROOT
from tests.test_spec_errors import _example_copy, _layout_copy, _line_of, assert_clean_failure, run_build

EXIT_IO_ERROR = 74


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*")}


def _desk(tmp_path: Path, edit=None) -> Path:
    """The example issue in tmp_path/desk, so tmp_path itself is outside the issue's folder."""
    (tmp_path / "desk").mkdir()
    return _example_copy(tmp_path / "desk", edit)


def _desk_with_layout(tmp_path: Path, edit) -> Path:
    (tmp_path / "desk").mkdir()
    return _layout_copy(tmp_path / "desk", edit)


def run_check(issue: Path):
    return subprocess.run([sys.executable, "-m", "pagecomposer", "check", str(issue)],
                          capture_output=True, text=True, cwd=issue.parent)


def assert_refused(issue: Path, tmp_path: Path, *fragments: str) -> None:
    """build exits 2 with the message, writing nothing anywhere; check refuses it the same way."""
    before = _files(tmp_path)
    out = tmp_path / "out"
    assert_clean_failure(run_build(issue, out), out, *fragments)
    assert _files(tmp_path) == before, "a refused build wrote files"
    checked = run_check(issue)
    assert checked.returncode == 2 and "Traceback" not in checked.stderr, checked.stderr
    for fragment in fragments:
        assert fragment in checked.stderr, (fragment, checked.stderr)


# --- page ids ---------------------------------------------------------------------------------

@pytest.mark.parametrize("page_id, fragment", [
    ("../../escaped-A05", "page id '../../escaped-A05' is not a plain name"),
    ("A05/../../A05", "is not a plain name"),
    ("'.hidden'", "is not a plain name"),
    ('""', "page id is empty"),
    ("版面A05", "is not a plain name"),
    ("A" * 33, "is not a plain name"),
    ("issue", "page id 'issue' is reserved"),
    ("Issue", "page id 'Issue' is reserved"),
    ("REPORT", "is reserved"),
    ("nul", "Windows reserves it"),
])
def test_page_id_that_is_not_a_plain_name_is_refused(tmp_path, page_id, fragment):
    issue = _desk(tmp_path, lambda t: t.replace("  - id: A05", f"  - id: {page_id}"))
    line = _line_of(issue, f"  - id: {page_id}")
    assert_refused(issue, tmp_path, f"issue.yaml:{line}:9", fragment, "ASCII letters" if "plain" in fragment else "")


def test_page_id_that_is_an_absolute_path_writes_nothing_there(tmp_path):
    target = tmp_path / "x" / "A05"
    issue = _desk(tmp_path, lambda t: t.replace("  - id: A05", f"  - id: {target}"))
    assert_refused(issue, tmp_path, "is not a plain name")
    assert not target.parent.exists()


def _two_pages(second_id: str):
    def edit(text: str) -> str:
        page = text[text.index("  - id: A05"):]
        return text + page.replace("  - id: A05", f"  - id: {second_id}")
    return edit


def test_page_ids_that_differ_only_in_capitals_are_refused(tmp_path):
    issue = _desk(tmp_path, _two_pages("a05"))
    line = _line_of(issue, "  - id: a05")
    assert_refused(issue, tmp_path, f"issue.yaml:{line}:9", "page id 'a05' differs from page 'A05'",
                   "only in capitals")


def test_page_id_used_twice_names_both_places(tmp_path):
    issue = _desk(tmp_path, _two_pages("A05"))
    first = _line_of(issue, "  - id: A05")
    assert_refused(issue, tmp_path, "page id 'A05' is used twice", f"issue.yaml:{first}:9")


# --- outputs ----------------------------------------------------------------------------------

def _build(issue: Path, out: Path, *extra: str):
    return subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(issue), "-o", str(out), *extra],
                          capture_output=True, text=True, cwd=issue.parent)


def assert_io_failure(result, *fragments: str) -> None:
    assert result.returncode == EXIT_IO_ERROR, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_report_at_a_fifo_is_refused_and_left_alone(tmp_path):
    issue = _example_copy(tmp_path)
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    result = _build(issue, out, "--report", str(fifo), "--no-preflight")
    assert_io_failure(result, "a FIFO, not a regular file", str(fifo))
    assert fifo.is_fifo()
    assert not out.exists()  # refused before anything was written


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_page_output_at_a_fifo_is_refused(tmp_path):
    issue = _example_copy(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "A05.pdf")
    result = _build(issue, out, "--no-preflight")
    assert_io_failure(result, "a FIFO, not a regular file", "A05.pdf")
    assert (out / "A05.pdf").is_fifo() and sorted(p.name for p in out.iterdir()) == ["A05.pdf"]


def test_report_path_that_is_a_folder_is_refused(tmp_path):
    issue = _example_copy(tmp_path)
    (tmp_path / "out" / "report.json").mkdir(parents=True)
    result = _build(issue, tmp_path / "out", "--no-preflight")
    assert_io_failure(result, "a folder, not a regular file", "report.json")
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_output_folder_that_is_a_file_is_an_io_error(tmp_path):
    issue = _example_copy(tmp_path)
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    assert_io_failure(_build(issue, tmp_path / "out"), "the output folder is a file", "out")


@pytest.mark.parametrize("name", ["../A05.pdf", "x/A05.pdf", ".pdf", "/tmp/A05.pdf", ".."])
def test_output_path_stays_in_the_output_folder(tmp_path, name):
    with pytest.raises(PagecomposerError, match="would leave the output folder"):
        output_path(tmp_path, name)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_output_path_refuses_a_fifo_and_accepts_a_file_or_nothing(tmp_path):
    os.mkfifo(tmp_path / "A01.pdf")
    with pytest.raises(NotARegularFile):
        output_path(tmp_path, "A01.pdf")
    (tmp_path / "A02.pdf").write_bytes(b"%PDF")
    assert output_path(tmp_path, "A02.pdf") == tmp_path / "A02.pdf"
    assert output_path(tmp_path, "A03.pdf") == tmp_path / "A03.pdf"


# --- inputs -----------------------------------------------------------------------------------

def test_article_path_with_dotdot_out_of_the_issue_folder_is_refused(tmp_path):
    shutil.copy(ROOT / "articles" / "lianghui-chanye.md", tmp_path / "outside.md")
    issue = _desk(tmp_path, lambda t: t.replace("article: lianghui-chanye\n        balance",
                                                "article: ../outside.md\n        balance"))
    line = _line_of(issue, "../outside.md")
    assert_refused(issue, tmp_path, f"issue.yaml:{line}:18", "article '../outside.md' is outside the folders",
                   "search_paths")


def test_articles_folder_out_of_the_issue_folder_is_refused(tmp_path):
    issue = _desk(tmp_path, lambda t: t.replace("articles: articles", "articles: ../../articles"))
    line = _line_of(issue, "articles: ../../articles")
    assert_refused(issue, tmp_path, f"issue.yaml:{line}:11", "articles folder '../../articles' is outside",
                   "search_paths")


def test_article_symlinked_out_of_the_issue_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.md"
    shutil.copy(ROOT / "articles" / "lianghui-chanye.md", secret)
    issue = _desk(tmp_path)
    link = tmp_path / "desk" / "articles" / "lianghui-chanye.md"
    link.unlink()
    link.symlink_to(secret)
    assert_refused(issue, tmp_path, "article 'lianghui-chanye' is outside", "secret.md", "search_paths")


def test_picture_symlinked_out_of_the_issue_folder_is_refused(tmp_path):
    issue = _desk(tmp_path)
    ad = tmp_path / "desk" / "ads" / "zensun.pdf"
    shutil.move(ad, tmp_path / "zensun.pdf")
    ad.symlink_to(tmp_path / "zensun.pdf")
    line = _line_of(issue, "file: ads/zensun.pdf")
    assert_refused(issue, tmp_path, f"issue.yaml:{line}:15", "picture file 'ads/zensun.pdf' is outside",
                   "search_paths")


def test_absolute_picture_path_outside_is_refused(tmp_path):
    shutil.copy(ROOT / "examples" / "lianghui" / "ads" / "zensun.pdf", tmp_path / "zensun.pdf")
    issue = _desk(tmp_path, lambda t: t.replace("file: ads/zensun.pdf", f"file: {tmp_path / 'zensun.pdf'}"))
    assert_refused(issue, tmp_path, f"picture file '{tmp_path / 'zensun.pdf'}' is outside", "search_paths")


def test_absolute_layout_path_outside_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ROOT / "layouts" / "broadsheet.yaml", elsewhere / "broadsheet.yaml")
    issue = _desk(tmp_path, lambda t: t.replace("layout: broadsheet", f"layout: {elsewhere / 'broadsheet'}"))
    assert_refused(issue, tmp_path, "layout '", "is outside the folders", "search_paths")


def test_layouts_folder_outside_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    issue = _desk(tmp_path, lambda t: t.replace("articles: articles", "articles: articles\nlayouts: ../elsewhere"))
    assert_refused(issue, tmp_path, "layouts folder '../elsewhere' is outside", "search_paths")


def test_absolute_font_path_outside_is_refused(tmp_path):
    shutil.copy(ROOT / "fonts" / "LXGWWenKai-Regular.ttf", tmp_path / "Kai.ttf")
    issue = _desk_with_layout(tmp_path, lambda t: t.replace("kai: LXGWWenKai-Regular.ttf",
                                                            f"kai: {tmp_path / 'Kai.ttf'}"))
    line = _line_of(tmp_path / "desk" / "layouts" / "broadsheet.yaml", "Kai.ttf")
    assert_refused(issue, tmp_path, f"broadsheet.yaml:{line}:8", "font file", "is outside", "search_paths")


def test_font_symlinked_out_of_the_issue_folder_is_refused(tmp_path):
    shutil.copy(ROOT / "fonts" / "LXGWWenKai-Regular.ttf", tmp_path / "Kai.ttf")
    issue = _desk_with_layout(tmp_path, lambda t: t.replace("kai: LXGWWenKai-Regular.ttf", "kai: DeskKai.ttf"))
    (tmp_path / "desk" / "fonts" / "DeskKai.ttf").symlink_to(tmp_path / "Kai.ttf")
    assert_refused(issue, tmp_path, "font file 'DeskKai.ttf' is outside", "Kai.ttf", "search_paths")


def test_font_path_climbing_out_of_the_font_folders_is_refused(tmp_path):
    shutil.copy(ROOT / "fonts" / "LXGWWenKai-Regular.ttf", tmp_path / "Kai.ttf")
    issue = _desk_with_layout(tmp_path, lambda t: t.replace("kai: LXGWWenKai-Regular.ttf", "kai: ../../Kai.ttf"))
    assert_refused(issue, tmp_path, "font file '../../Kai.ttf' is outside")


def test_icc_profile_outside_is_refused(tmp_path):
    (tmp_path / "shadow").write_text("root:*:19000:0:99999:7:::\n", encoding="utf-8")
    issue = _desk_with_layout(tmp_path, lambda t: t + f"print:\n  icc_profile: {tmp_path / 'shadow'}\n")
    line = _line_of(tmp_path / "desk" / "layouts" / "broadsheet.yaml", "icc_profile")
    assert_refused(issue, tmp_path, f"broadsheet.yaml:{line}:16", "ICC profile", "is outside", "search_paths")


def test_icc_profile_that_is_not_a_profile_is_refused(tmp_path):
    issue = _desk_with_layout(tmp_path, lambda t: t + "print:\n  icc_profile: notes.icc\n")
    (tmp_path / "desk" / "layouts" / "notes.icc").write_text("root:*:19000:0:99999:7:::\n" * 20, encoding="utf-8")
    line = _line_of(tmp_path / "desk" / "layouts" / "broadsheet.yaml", "icc_profile")
    assert_refused(issue, tmp_path, f"broadsheet.yaml:{line}:16", "ICC profile 'notes.icc' is")


def test_search_path_that_is_not_a_folder_is_refused(tmp_path):
    issue = _desk(tmp_path, lambda t: t.replace("articles: articles", "search_paths: [../shared]\narticles: articles"))
    line = _line_of(issue, "search_paths: [")
    assert_refused(issue, tmp_path, f"issue.yaml:{line}:16", "search path '../shared' is not a folder")


def test_search_paths_allow_a_folder_outside(tmp_path):
    """The desk names a shared folder: a picture there (through a symlink too) builds, and the build
    writes only into OUT."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(ROOT / "examples" / "lianghui" / "ads" / "zensun.pdf", shared / "zensun.pdf")
    issue = _desk(tmp_path, lambda t: t.replace("articles: articles", "search_paths: [../shared]\narticles: articles")
                  .replace("file: ads/zensun.pdf", "file: ads/linked.pdf"))
    (tmp_path / "desk" / "ads" / "linked.pdf").symlink_to(shared / "zensun.pdf")
    assert run_check(issue).returncode == 0
    before = _files(tmp_path)
    out = tmp_path / "out"
    result = _build(issue, out, "--no-preflight")
    assert result.returncode == 0, result.stderr
    assert {path for path in _files(tmp_path) - before if out not in path.parents and path != out} == set()
    assert (out / "A05.pdf").is_file()


def test_shipped_examples_name_the_folders_they_read():
    """The examples read the repository's articles (and the edition the 两会 ad) through search_paths."""
    for issue in sorted((ROOT / "examples").glob("*/issue.yaml")):
        result = run_check(issue)
        assert result.returncode == 0, (issue, result.stderr)
        assert "search_paths:" in issue.read_text(encoding="utf-8")
