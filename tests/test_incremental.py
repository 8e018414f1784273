"""Rebuilds reuse only what is provably unchanged, and parallel composition changes nothing.

The property that matters: whatever was reused, the files in the output folder are byte for byte
those a full build from scratch of the same inputs writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pagecomposer.incremental import page_groups
from pagecomposer.pipeline import build
from pagecomposer.spec.load import load_issue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def edition(tmp_path: Path) -> Path:
    """A private copy of the example edition and its articles, free to edit."""
    shutil.copytree(ROOT / "examples" / "edition", tmp_path / "edition")
    shutil.copytree(ROOT / "examples" / "lianghui", tmp_path / "lianghui")  # the delivered PDF ad
    shutil.copytree(ROOT / "articles", tmp_path / "articles")
    issue = tmp_path / "edition" / "issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("articles: ../../articles", "articles: ../articles")
                     .replace("search_paths: [../../articles,", "search_paths: [../articles,"),
                     encoding="utf-8")
    return issue


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.pdf"))}


def test_pages_are_grouped_by_the_stories_that_jump_between_them(edition: Path):
    issue = load_issue(edition)
    groups = [[issue.pages[i].id for i in group] for group in page_groups(issue)]
    assert ["A03", "A06"] in groups  # the feature jumps from A03 to A06
    assert sorted(page for group in groups for page in group) == sorted(p.id for p in issue.pages)
    assert all(len(group) == 1 for group in groups if group != ["A03", "A06"])


def test_an_edited_story_recomposes_its_pages_only_and_matches_a_full_build(edition: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = build(edition, out, pdfx="1a")
    assert first.reused == []
    before = _files(out)

    article = edition.parent.parent / "articles" / "shehui-zhiyuan.md"  # the story jumping A03 -> A06
    article.write_text(article.read_text(encoding="utf-8").replace("志愿", "志愿者", 3), encoding="utf-8")
    second = build(edition, out, pdfx="1a")
    assert sorted(set(p.id for p in load_issue(edition).pages) - set(second.reused)) == ["A03", "A06"]
    after = _files(out)
    assert after["A03.pdf"] != before["A03.pdf"]
    assert all(after[name] == before[name] for name in before if name not in ("A03.pdf", "A06.pdf", "issue.pdf"))

    fresh = tmp_path / "fresh"
    build(edition, fresh, pdfx="1a", reuse=False)
    assert _files(fresh) == after  # issue.pdf included: recombined from the new pages


def test_reused_pages_report_what_their_build_said(edition: Path, tmp_path: Path):
    out = tmp_path / "out"
    first = build(edition, out)
    again = build(edition, out)
    assert len(again.reused) == len(first.outcomes)
    assert again.quality == first.quality
    assert again.overset_stories == first.overset_stories
    assert again.warnings == first.warnings
    assert again.pages == []  # nothing was composed


def test_a_replaced_output_or_a_changed_option_is_not_trusted(edition: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(edition, out, pdfx="1a")
    good = (out / "A05.pdf").read_bytes()
    (out / "A05.pdf").write_bytes(b"%PDF-1.3 damaged")
    rebuilt = build(edition, out, pdfx="1a")
    assert "A05" not in rebuilt.reused
    assert (out / "A05.pdf").read_bytes() == good
    other = build(edition, out, pdfx="none")
    assert other.reused == []  # a different PDF/X setting changes every page


def test_layout_and_issue_facts_reach_every_page(edition: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(edition, out)
    text = edition.read_text(encoding="utf-8")
    edition.write_text(text.replace("weather: 晴转多云", "weather: 多云转晴"), encoding="utf-8")
    assert build(edition, out).reused == []  # the weather is in the masthead; line numbers are in every page's spec


def test_parallel_composition_writes_the_same_bytes(edition: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PAGECOMPOSER_WORKERS", "1")
    serial = build(edition, tmp_path / "serial", reuse=False)
    monkeypatch.setenv("PAGECOMPOSER_WORKERS", "2")
    parallel = build(edition, tmp_path / "parallel", reuse=False)
    assert _files(tmp_path / "serial") == _files(tmp_path / "parallel")
    assert [p.display.id for p in parallel.pages] == [p.display.id for p in serial.pages]
    assert parallel.quality == serial.quality


def test_only_named_pages_are_written_but_jumps_still_resolve(edition: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = build(edition, out, only=("A06",))
    assert [path.name for path in result.outputs] == ["A06.pdf"]
    assert not (out / "A03.pdf").exists() and not (out / "issue.pdf").exists()
    full = tmp_path / "full"
    build(edition, full)
    assert (out / "A06.pdf").read_bytes() == (full / "A06.pdf").read_bytes()


def test_an_error_in_a_worker_is_reported_like_any_other(edition: Path, tmp_path: Path):
    """A picture that cannot be decoded is found while its page is composed, in a worker process;
    the message still names the file and the exit status is still 2."""
    (edition.parent / "photos" / "marathon.jpg").write_bytes(b"\xff\xd8 not really a JPEG")
    done = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(edition), "-o", str(tmp_path / "out"),
                           "--no-preflight"], capture_output=True, text=True,
                          env={**os.environ, "PAGECOMPOSER_WORKERS": "2"})
    assert done.returncode == 2, done.stderr
    assert "cannot read the image marathon.jpg" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not list((tmp_path / "out").glob(".*.partial"))  # no temporary file left behind
