"""The desk's loop and the scripts' contract: init, check, build, preview, fit, watch, reports, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

import pagecomposer
from pagecomposer.watch import watch
from tests.conftest import EXAMPLE, ROOT
from tests.test_spec_errors import _example_copy, _layout_copy, assert_clean_failure, run_build

EDITION = ROOT / "examples" / "edition" / "issue.yaml"


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pagecomposer", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd)


def test_init_then_check_then_build(tmp_path):
    folder = tmp_path / "my-issue"
    made = cli("init", folder, "--layout", "tabloid")
    assert made.returncode == 0, made.stderr
    assert (folder / "issue.yaml").is_file() and (folder / "articles" / "sample.md").is_file()
    checked = cli("check", folder / "issue.yaml")
    assert checked.returncode == 0 and "ok" in checked.stdout
    built = cli("build", folder / "issue.yaml", "-o", folder / "out")
    assert built.returncode == 0, built.stderr
    assert "preflight: passed" in built.stdout
    assert cli("init", folder).returncode == 2  # never overwrites


def test_check_finds_problems_without_writing_anything(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("file: ads/zensun.pdf", "file: ads/missing.pdf"))
    result = cli("check", issue)
    assert result.returncode == 2 and "picture file 'ads/missing.pdf' not found" in result.stderr
    assert not list(tmp_path.rglob("*.png")) and not (tmp_path / "out").exists()


def test_preview_writes_pngs_and_a_contact_sheet_and_guides_stay_off_the_pdf(tmp_path):
    result = cli("preview", EXAMPLE, "-o", tmp_path, "--show", "grid,frames,overset", "--dpi", "30")
    assert result.returncode == 0, result.stderr
    page = Image.open(tmp_path / "A05.png")
    contact = Image.open(tmp_path / "contact.png")
    assert page.width > 400 and contact.width > 300
    # The grid is drawn in light blue on the PNG ...
    colours = {colour for _, colour in page.getcolors(1_000_000)}
    assert (120, 170, 230) in colours
    # ... and nowhere in the PDF it came from: no RGB at all there.
    with pikepdf.open(tmp_path / "A05.pdf") as pdf:
        operators = {str(op) for _, op in pikepdf.parse_content_stream(pdf.pages[0])}
        assert not operators & {"rg", "RG"}


def test_overset_marker_on_the_preview(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("{columns: 1-8, lines: 26-69}", "{columns: 1-8, lines: 26-40}"))
    result = cli("preview", issue, "-o", tmp_path / "p", "--show", "overset", "--dpi", "30")
    assert result.returncode == 0, result.stderr
    colours = {colour for _, colour in Image.open(tmp_path / "p" / "A05.png").getcolors(1_000_000)}
    assert (230, 20, 20) in colours


def test_fit_reports_overset_and_what_to_cut(tmp_path):
    issue = _example_copy(tmp_path, lambda t: t.replace("{columns: 1-8, lines: 26-69}", "{columns: 1-8, lines: 26-40}"))
    result = cli("fit", issue, "--json")
    assert result.returncode == 0, result.stderr
    story = json.loads(result.stdout)[0]
    assert story["status"] == "overset" and story["overset_chars"] > 1000
    assert f"cut about {story['overset_chars']} characters" in story["advice"]
    assert story["lines_needed"] > story["lines_available"] == 8 * 15
    fitting = json.loads(cli("fit", EXAMPLE, "--json").stdout)[0]
    assert fitting["status"] in ("fits", "underset") and fitting["overset_chars"] == 0


def test_report_file_for_scripts(tmp_path):
    report_path = tmp_path / "r" / "report.json"
    result = cli("build", EXAMPLE, "-o", tmp_path / "out", "--report", report_path, "-q")
    assert result.returncode == 0 and result.stdout == ""
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["schema"] == 1
    assert set(report["timings"]) == {"compose", "write", "preflight"}
    assert report["pages"] == ["A05"] and report["overset"] == [] and report["preflight"][0]["passed"]
    assert report["stories"][0]["article"] == "lianghui-chanye"


def test_exit_statuses_are_distinct(tmp_path):
    overset = _example_copy(tmp_path, lambda t: t.replace("{columns: 1-8, lines: 26-69}", "{columns: 1-8, lines: 26-40}"))
    assert cli("build", overset, "-o", tmp_path / "a", "--strict", "--no-preflight").returncode == 3
    broken = tmp_path / "broken.yaml"
    broken.write_text("pages: [", encoding="utf-8")
    assert cli("build", broken, "-o", tmp_path / "b").returncode == 2


def test_watch_rebuilds_what_changed(tmp_path):
    issue = _example_copy(tmp_path)
    article = tmp_path / "articles" / "lianghui-chanye.md"
    builds: list[list[Path]] = []

    def rebuild(changed):
        builds.append(changed)
        return pagecomposer.build(issue, tmp_path / "out")

    def edit_once(_seconds, state={"edited": False}):
        if not state["edited"]:
            text = article.read_text(encoding="utf-8").replace("产业是城市发展的重要引擎", "产业是城市发展的重要引")
            article.write_text(text, encoding="utf-8")
            state["edited"] = True

    count = watch(issue, rebuild, max_builds=2, sleep=edit_once)
    assert count == 2
    assert builds[0] == [] and builds[1] == [article.resolve()]


ERROR_CASES = [
    # (what the desk did, how to break the copy, what the message must say)
    ("empty article", "article", lambda t: t.split("---\n\n")[0] + "---\n", "article has no body text"),
    ("unknown colour", "issue", lambda t: t.replace("background: bank-red", "background: bank-rd"),
     "unknown colour swatch 'bank-rd'"),
    ("unknown font", "layout", lambda t: t.replace("font: [song, hei, kai]", "font: [sung, hei, kai]"),
     "unknown font 'sung'"),
    ("impossible grid", "layout", lambda t: t.replace("lines_per_column: 103", "lines_per_column: 140"),
     "does not fit the trim"),
    ("unreadable picture", "picture", None, "issue.yaml:"),
]


@pytest.mark.parametrize("name,where,edit,message", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_name_the_place_and_never_show_a_traceback(name, where, edit, message, tmp_path):
    if where == "layout":
        issue = _layout_copy(tmp_path, edit)
    else:
        issue = _example_copy(tmp_path, edit if where == "issue" else None)
    if where == "article":
        article = tmp_path / "articles" / "lianghui-chanye.md"
        article.write_text(edit(article.read_text(encoding="utf-8")), encoding="utf-8")
    if where == "picture":
        (tmp_path / "ads" / "zensun.pdf").write_bytes(b"not a pdf")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", message)
    assert "hint:" in result.stderr or "did you mean" in result.stderr  # and what to do about it
    assert ".yaml:" in result.stderr or ".md:" in result.stderr  # and where
    debug = cli("--debug", "build", issue, "-o", tmp_path / "out2")
    assert "Traceback" not in debug.stderr  # a user's mistake is never a traceback, even with --debug


def test_help_has_examples_for_every_command():
    for command in ("build", "preview", "fit", "check", "init", "preflight"):
        result = cli(command, "--help")
        assert result.returncode == 0 and "Example" in result.stdout, command
    assert cli("--version").stdout.startswith("pagecomposer, version")


def test_unchanged_pages_are_not_rewritten(tmp_path):
    edition = ROOT / "examples" / "edition" / "issue.yaml"
    pagecomposer.build(edition, tmp_path, preflight=False)
    stamps = {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("A0*.pdf")}
    pagecomposer.build(edition, tmp_path, preflight=False)
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.glob("A0*.pdf")} == stamps
    (tmp_path / "A03.pdf").write_bytes(b"damaged")  # a file that is not what was written is rewritten
    pagecomposer.build(edition, tmp_path, preflight=False)
    with pikepdf.open(tmp_path / "A03.pdf") as pdf:
        assert len(pdf.pages) == 1


def test_preflight_findings_are_reused_only_for_the_same_file(tmp_path):
    edition = ROOT / "examples" / "edition" / "issue.yaml"
    pagecomposer.build(edition, tmp_path, preflight=True)
    cache_path = tmp_path / ".pagecomposer-cache.json"
    cache = json.loads(cache_path.read_text(encoding="utf-8"))
    # Plant a failing finding for A02: a rebuild that trusts its cache must report it ...
    cache["files"]["A02.pdf"]["preflight"]["findings"].append(
        {"check": "planted", "ok": False, "message": "planted", "page": 1, "severity": "error"})
    cache_path.write_text(json.dumps(cache), encoding="utf-8")
    second = pagecomposer.build(edition, tmp_path, preflight=True)
    assert [r.passed for r in second.preflight] == [path.stem != "A02" for path in second.outputs]
    # ... and a file that is no longer the one checked is written and checked again.
    (tmp_path / "A02.pdf").write_bytes(b"damaged")
    third = pagecomposer.build(edition, tmp_path, preflight=True)
    assert all(r.passed for r in third.preflight)


def test_a_full_disk_is_named_and_leaves_the_outputs_alone(tmp_path, monkeypatch):
    """An OSError while writing (here a full disk, simulated) is the machine's fault, not the input's
    and not a bug: exit 74 naming the file, and the page already in the folder is untouched."""
    import errno

    from click.testing import CliRunner

    from pagecomposer import cli
    from pagecomposer.render import pdf

    out = tmp_path / "out"
    pagecomposer.build(EXAMPLE, out)
    good = (out / "A05.pdf").read_bytes()
    (out / ".pagecomposer-cache.json").unlink()  # so the page is written again

    def full_disk(pages, path, finish=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pdf, "write_pdf", full_disk)
    result = CliRunner().invoke(cli.main, ["build", str(EXAMPLE), "-o", str(out), "--no-preflight"])
    assert result.exit_code == cli.EXIT_IO_ERROR
    assert "No space left on device" in result.output and "A05.pdf" in result.output
    assert "internal error" not in result.output
    assert (out / "A05.pdf").read_bytes() == good


def test_an_output_folder_that_is_a_file_is_a_clean_error(tmp_path):
    target = tmp_path / "out"
    target.write_text("not a folder")
    done = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(EXAMPLE), "-o", str(target)],
                          capture_output=True, text=True)
    # an output that cannot be written: 74, as the README and the CLI's docstring say
    assert done.returncode == 74 and "is a file" in done.stderr and "Traceback" not in done.stderr
