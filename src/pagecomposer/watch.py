"""`pagecomposer build --watch`: rebuild when the spec, a layout, an article, a font or a picture
changes, within about a second of the save, saying what changed and what the overset is now.

The rebuild runs in the same process, so fonts parsed once stay parsed and shaped paragraphs stay
shaped; and like every build it composes only the pages whose inputs changed (incremental.py),
deciding by their content.

A change is seen by a file's stamp: size, mtime, ctime and inode (an edit that keeps size and
mtime still moves ctime, which no one can set back), and for the small files a person edits
(spec, layouts, articles) by the hash of their bytes as well. The watch never dies on input: a
build that fails (a broken article, a date typo, an unreadable file) is reported and the watch
goes on, watching every file it could find, the broken one included."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from pagecomposer.incremental import files_used

POLL_SECONDS = 0.2
HASHED_BELOW = 1 << 20  # bytes: spec, layouts and articles are hashed on every poll; fonts and pictures are not


def watched_files(issue_path: Path, result=None) -> set[Path]:
    """The issue, and every layout, article, font and picture it names: from the last build's
    result, else (the build failed) from the spec as far as it can be read."""
    files = {issue_path.resolve()}
    issue = result.issue if result is not None else _issue_as_far_as_readable(issue_path)
    if issue is None:
        return files
    files |= {path.resolve() for path in issue.articles.values()}
    files |= {path.resolve() for path in files_used(issue.pages)}
    return files


def _issue_as_far_as_readable(issue_path: Path):
    """The issue's spec, or None when it cannot be read (the build said why)."""
    from pagecomposer.spec.load import load_issue

    try:
        return load_issue(issue_path)
    except Exception:  # noqa: BLE001 — any failure here was already reported by the build
        return None


def _stamp(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:
        return ("missing",)
    stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    if info.st_size < HASHED_BELOW:
        try:
            stamp += (hashlib.sha1(path.read_bytes()).hexdigest(),)
        except OSError:
            stamp += ("unreadable",)
    return stamp


def _stamps(files: set[Path]) -> dict[Path, tuple]:
    return {path: _stamp(path) for path in files}


def watch(issue_path: Path, rebuild: Callable[[list[Path]], object], *, poll: float = POLL_SECONDS,
          max_builds: int | None = None, sleep=time.sleep) -> int:
    """Build once, then again whenever a watched file changes; `rebuild(changed)` returns the build
    result (or None after an error). Returns the number of builds (stops after max_builds, for tests)."""
    result = rebuild([])
    builds = 1
    stamps = _stamps(watched_files(issue_path, result))
    while max_builds is None or builds < max_builds:
        sleep(poll)
        now = _stamps(set(stamps) | watched_files(issue_path, result))
        changed = sorted(path for path, stamp in now.items() if stamps.get(path) != stamp)
        if changed:
            # A failed build keeps the files of the last good one watched, and adds what the spec names now.
            result = rebuild(changed) or result
            builds += 1
            # The stamps from before the build: a save during the build is seen at the next poll.
            stamps = now | _stamps(watched_files(issue_path, result) - set(now))
    return builds
