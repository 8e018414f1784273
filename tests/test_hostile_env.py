"""Hostile conditions around a build: damaged caches, a full disk (a file-size limit), the umask,
and the watch loop on broken input. Each answers cleanly: a build that goes on, or exit 74 naming
the output file, with the folder holding a whole set of files and no temporaries."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pagecomposer
from pagecomposer import atomic
from pagecomposer.errors import PagecomposerError
from pagecomposer.incremental import CACHE_NAME
from pagecomposer.pipeline import BuildResult
from pagecomposer.watch import watch
from tests.conftest import EXAMPLE, ROOT

# Runs the command line under a file-size limit (ulimit -f), with SIGXFSZ ignored so a write past
# the limit raises EFBIG as a full disk or a quota would, instead of killing the process.
LIMITED = textwrap.dedent("""
    import resource, runpy, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    sys.argv = ["pagecomposer", *sys.argv[2:]]
    runpy.run_module("pagecomposer", run_name="__main__")
""")

TWO_PAGES = textwrap.dedent("""
    paper: 郑州日报
    date: 2021-03-05
    articles: articles
    pages:
      - id: P1
        layout: broadsheet
        elements:
          - {type: story, article: a01-ditie, frames: [{columns: 1-4, lines: 1-50}]}
      - id: P2
        layout: broadsheet
        elements:
          - {type: story, article: keji-rengong, frames: [{columns: 1-4, lines: 1-50}]}
""")


def _cli(*args, limit: int | None = None, env=None, cwd=None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", LIMITED, str(limit)] if limit else [sys.executable, "-m", "pagecomposer"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd)


def _two_page_issue(folder: Path) -> Path:
    """A small edition (two pages and issue.pdf, about 70 KB, 120 KB and 190 KB): cheap to build."""
    (folder / "articles").mkdir(parents=True)
    for name in ("a01-ditie", "keji-rengong"):
        shutil.copy(ROOT / "articles" / f"{name}.md", folder / "articles")
    issue = folder / "issue.yaml"
    issue.write_text(TWO_PAGES, encoding="utf-8")
    return issue


def _folder(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if path.name != atomic.LOCK_NAME}


# --- caches ----------------------------------------------------------------------------------

DAMAGED_RECORDS = {
    "not an object": "[]",
    "files not a mapping": json.dumps({"version": 3, "files": []}),
    "entry of the wrong shape": json.dumps({"version": 3, "files": {"A05.pdf": {"digest": 5, "stamp": "x"}}}),
    "outcome of the wrong shape": json.dumps({"version": 3, "files": {"A05.pdf": {
        "digest": "d", "stamp": [1, 2], "sha256": "s", "outcome": {"warnings": "no", "quality": [{}]}}}}),
    "preflight of the wrong shape": json.dumps({"version": 3, "files": {"A05.pdf": {"preflight": {"findings": 3}}}}),
    "not JSON": "\x00garbage{",
}


@pytest.fixture(scope="module")
def built_example(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "out"
    pagecomposer.build(EXAMPLE, out)
    return out


@pytest.mark.parametrize("damage", DAMAGED_RECORDS, ids=list(DAMAGED_RECORDS))
def test_a_damaged_build_record_is_discarded_with_one_warning(damage, built_example, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built_example, out)
    (out / CACHE_NAME).write_text(DAMAGED_RECORDS[damage], encoding="utf-8")
    result = pagecomposer.build(EXAMPLE, out)
    said = [w for w in result.warnings if "build record" in w]
    assert len(said) == 1 and CACHE_NAME in said[0] and "discarded" in said[0], result.warnings
    again = pagecomposer.build(EXAMPLE, out)
    assert not [w for w in again.warnings if "build record" in w]
    assert again.reused == ["A05"]  # the record made anew is whole


def test_damaged_font_and_ad_cache_entries_are_remade_with_one_warning_each(tmp_path):
    """Garbage, a torn entry and a well-formed entry of the wrong shape, in the font cache and the
    prepared-ad cache: the build goes on, says so once per cache, and the next build is clean."""
    env = {**os.environ, "PAGECOMPOSER_CACHE": str(tmp_path / "cache")}
    first = _cli("build", EXAMPLE, "-o", tmp_path / "a", "--no-preflight", env=env)
    assert first.returncode == 0, first.stderr
    fonts = sorted((tmp_path / "cache" / "fonts").iterdir())
    ads = sorted((tmp_path / "cache" / "ads").glob("*.pdf"))
    assert fonts and ads
    for number, entry in enumerate(fonts):
        damage = [os.urandom(64), entry.read_bytes()[:100], marshal.dumps({"name": 1})][number % 3]
        entry.write_bytes(damage)
    ads[0].write_bytes(b"%PDF-1.4 torn")
    second = _cli("build", EXAMPLE, "-o", tmp_path / "b", "--no-preflight", env=env)
    assert second.returncode == 0, second.stderr
    lines = second.stderr.splitlines()
    assert len([line for line in lines if "font cache" in line]) == 1, second.stderr
    assert len([line for line in lines if "prepared-ad cache" in line]) == 1, second.stderr
    assert (tmp_path / "b" / "A05.pdf").read_bytes() == (tmp_path / "a" / "A05.pdf").read_bytes()
    third = _cli("build", EXAMPLE, "-o", tmp_path / "c", "--no-preflight", env=env)
    assert third.returncode == 0 and "cache" not in third.stderr, third.stderr


# --- a full disk -----------------------------------------------------------------------------

@pytest.mark.parametrize("limit, fails_on", [(80_000, "P2.pdf"), (150_000, "issue.pdf")])
def test_a_file_size_limit_is_exit_74_naming_the_output_and_the_old_set_stays_whole(limit, fails_on, tmp_path):
    issue = _two_page_issue(tmp_path)
    out = tmp_path / "out"
    assert _cli("build", issue, "-o", out, "--no-preflight").returncode == 0
    before = _folder(out)
    article = tmp_path / "articles" / "keji-rengong.md"
    article.write_text(article.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")

    failed = _cli("build", issue, "-o", out, "--no-preflight", limit=limit)
    assert failed.returncode == 74, failed.stderr
    assert fails_on in failed.stderr and ".partial" not in failed.stderr and "Traceback" not in failed.stderr
    assert "internal error" not in failed.stderr and "BufferedWriter" not in failed.stderr
    assert _folder(out) == before  # the old set, whole: no new page beside an old issue.pdf, no temporaries

    done = _cli("build", issue, "-o", out, "--no-preflight")
    assert done.returncode == 0, done.stderr
    after = _folder(out)
    assert sorted(after) == sorted(before) and after["P2.pdf"] != before["P2.pdf"]
    report = json.loads(after["report.json"])
    assert report["edition"]["state"] == "rebuilt" and report["build"]["pid"] != os.getpid()


def test_leftovers_of_pikepdf_and_of_dead_writers_are_swept(tmp_path):
    stray = tmp_path / ".pikepdf...A01.pdf.123.abc.partial.456.def.partialbvpc9h0_"
    stray.write_bytes(b"x")
    assert atomic.remove_leftovers(tmp_path) == [stray]


# --- file modes ------------------------------------------------------------------------------

MODES = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from pagecomposer import atomic
    os.umask(int(sys.argv[1], 8))
    folder = Path(sys.argv[2])
    atomic.write_text(folder / "new.txt", "new")
    kept = folder / "kept.txt"
    kept.write_text("old")
    os.chmod(kept, 0o640)
    atomic.write_text(kept, "replaced")
    print(oct((folder / "new.txt").stat().st_mode & 0o777), oct(kept.stat().st_mode & 0o777))
""")


@pytest.mark.parametrize("umask, new", [("022", "0o644"), ("077", "0o600")])
def test_file_modes_follow_the_umask_and_a_replaced_file_keeps_its_mode(umask, new, tmp_path):
    done = subprocess.run([sys.executable, "-c", MODES, umask, str(tmp_path)], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == [new, "0o640"]  # as cp: new files by the umask, an existing one keeps its mode


def test_build_outputs_are_readable_by_the_group_under_umask_022(built_example):
    for path in built_example.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path  # 0644 under the tests' usual umask


# --- --pages and the edition -----------------------------------------------------------------

def test_pages_says_when_issue_pdf_is_left_stale(tmp_path):
    issue = _two_page_issue(tmp_path)
    out = tmp_path / "out"
    pagecomposer.build(issue, out)
    unchanged = pagecomposer.build(issue, out, only=("P1",))
    assert unchanged.edition == "unchanged"
    article = tmp_path / "articles" / "a01-ditie.md"
    article.write_text(article.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    stale = pagecomposer.build(issue, out, only=("P1",))
    assert stale.edition == "stale" and "issue.pdf NOT rebuilt" in stale.summary()
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["edition"]["state"] == "stale"


# --- watch -----------------------------------------------------------------------------------

def _edits(*steps):
    """A `sleep` for watch() that makes one edit per poll."""
    pending = list(steps)

    def sleep(_seconds):
        if pending:
            pending.pop(0)()
    return sleep


def test_watch_sees_an_edit_that_keeps_size_and_mtime(tmp_path):
    issue = _two_page_issue(tmp_path)
    article = tmp_path / "articles" / "a01-ditie.md"
    seen, results = [], []

    def rebuild(changed):
        seen.append(changed)
        results.append(pagecomposer.build(issue, tmp_path / "out", keep_pages=False))
        return results[-1]

    def same_size_same_mtime():
        before = article.stat()
        article.write_text(article.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
        os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))

    old = (tmp_path / "out" / "P1.pdf")
    assert watch(issue, rebuild, max_builds=2, sleep=_edits(same_size_same_mtime)) == 2
    assert seen[1] == [article.resolve()] and results[1].reused == ["P2"]  # P1 composed again, by content
    first = old.read_bytes()
    # A forced rebuild decides by content too: the digest hashes the article, not its stamp.
    again = pagecomposer.build(issue, tmp_path / "out")
    assert again.reused == ["P1", "P2"] and old.read_bytes() == first


def test_watch_started_on_a_broken_article_rebuilds_after_the_fix(tmp_path):
    issue = _two_page_issue(tmp_path)
    article = tmp_path / "articles" / "a01-ditie.md"
    good = article.read_text(encoding="utf-8")
    article.write_text("---\ntitle: [unclosed\n---\n正文", encoding="utf-8")
    results = []

    def rebuild(changed):
        try:
            results.append(pagecomposer.build(issue, tmp_path / "out", keep_pages=False))
        except PagecomposerError as exc:
            results.append(exc)
            return None
        return results[-1]

    assert watch(issue, rebuild, max_builds=2, sleep=_edits(lambda: article.write_text(good, encoding="utf-8"))) == 2
    assert isinstance(results[0], PagecomposerError)
    assert isinstance(results[1], BuildResult)


def test_watch_survives_a_date_typo_and_any_failure(tmp_path):
    """The command's rebuild reports every failure and returns, so the loop goes on."""
    from pagecomposer import cli

    issue = _two_page_issue(tmp_path)
    text = issue.read_text(encoding="utf-8")
    console = cli.Console(quiet=False, verbose=False, debug=False)
    for failure in (ValueError("day is out of range for month"), OSError(28, "No space left on device", "out/P1.pdf"),
                    PagecomposerError("bad date")):
        cli._watch_failed(console, failure)  # says it; no exit, no traceback
    issue.write_text(text.replace("2021-03-05", "2021-02-30"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from pagecomposer import cli, watch
        def once(issue, rebuild, **_):
            rebuild([])
            return 1
        watch.watch = once
        sys.argv = ["pagecomposer", "build", {str(issue)!r}, "-o", {str(tmp_path / "out")!r}, "--watch"]
        cli.run()
    """)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "error" in done.stderr and "Traceback" not in done.stderr and "2021-02-30" in done.stderr + done.stdout


def test_concurrent_builds_into_one_folder_leave_one_consistent_set(tmp_path):
    """Two builds started together: the lock makes the second wait and find the pages current, so
    the folder holds one complete set and report.json describes the build that wrote it last."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pagecomposer", "build", str(EXAMPLE), "-o", str(out), "--no-preflight"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [(process.pid, *process.communicate(timeout=300), process.returncode) for process in (first, second)]
    assert all(code == 0 for _, _, _, code in results), results
    assert all("Traceback" not in err for _, _, err, _ in results)
    names = sorted(path.name for path in out.iterdir())
    assert not [name for name in names if name.endswith(".partial") or ".partial" in name], names
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    waited = [pid for pid, out_text, err, _ in results if "unchanged, reused" in out_text + err]
    assert len(waited) == 1, results  # one composed the page; the other waited for it, then reused it
    assert report["build"]["pid"] == waited[0] and report["reused"] == ["A05"]  # the last build wrote it
    assert report["outputs"] == [str(out / "A05.pdf")]
    assert (out / "A05.pdf").read_bytes().startswith(b"%PDF-1.3")
