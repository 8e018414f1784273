"""Writing a file so that its path only ever holds a whole file: the old one or the new one.

Every output is written under a temporary name beside its target and renamed over it when
complete (a rename within a folder is atomic on POSIX and Windows). A build that fails removes its
temporary file; a build that is killed cannot, so the name carries the writer's process id and
the next build removes the leftovers of processes that are gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

SUFFIX = ".partial"
_LEFTOVER = re.compile(r"^\..+\.(\d+)\.[^.]+" + re.escape(SUFFIX) + "$")


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yields a temporary path beside `target`; when the block ends without an exception, the file
    written there takes target's place. Otherwise it is removed and target is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=SUFFIX, dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


def write_text(target: Path, text: str) -> None:
    with replacing(target) as temp:
        temp.write_text(text, encoding="utf-8")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but is not ours, or cannot tell: leave its file alone
    try:  # a killed worker whose parent died too may linger as a zombie until init reaps it
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def remove_leftovers(folder: Path) -> list[Path]:
    """Delete the temporary files of writers that were killed before they could; returns them."""
    removed = []
    try:
        candidates = list(folder.iterdir())
    except OSError:
        return removed
    for path in candidates:
        match = _LEFTOVER.match(path.name)
        if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
