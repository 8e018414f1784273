"""`pagecomposer build --watch`: rebuild when the spec, a layout, an article, a font or a picture
changes, within about a second of the save, saying what changed and what the overset is now.

The rebuild runs in the same process, so fonts parsed once stay parsed and shaped paragraphs stay
shaped; and like every build it composes only the pages whose inputs changed (incremental.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pagecomposer.incremental import files_used

POLL_SECONDS = 0.2


def watched_files(issue_path: Path, result=None) -> set[Path]:
    """The issue, and, from the last build, every layout, article, font and picture it read."""
    files = {issue_path.resolve()}
    if result is None:
        return files
    issue = result.issue
    files |= {path.resolve() for path in issue.articles.values()}
    files |= {path.resolve() for path in files_used(issue.pages)}
    return files


def _stamps(files: set[Path]) -> dict[Path, float]:
    stamps = {}
    for path in files:
        try:
            stamps[path] = path.stat().st_mtime_ns
        except FileNotFoundError:
            stamps[path] = -1
    return stamps


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
            result = rebuild(changed) or result
            builds += 1
            stamps = _stamps(watched_files(issue_path, result))
    return builds
