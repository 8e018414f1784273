"""Writing a file so that its path only ever holds a whole file: the old one or the new one.

Every output is written under a temporary name beside its target and renamed over it when
complete (a rename within a folder is atomic on POSIX and Windows). A build that fails removes its
temporary file; a build that is killed cannot, so the name carries the writer's process id and
the next build removes the leftovers of processes that are gone.

A build writes several files that belong together (the pages, issue.pdf, the record, the report):
`Staging` holds them all under temporary names until the whole set is written, then renames them
in one go, so a build that fails (a full disk) leaves the old set and a build that ends leaves the
new one — never a mix.

The new file gets the mode `cp` would give it: an existing file's mode is kept, a new file follows
the umask (mkstemp alone would make every output 0600).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

SUFFIX = ".partial"
_LEFTOVER = re.compile(r"^\..+\.(\d+)\.[^.]+" + re.escape(SUFFIX) + "$")
# pikepdf's own temporary of an in-place save (allow_overwriting_input), left by a killed writer
# of an older version: `.pikepdf.<name>.partial<random>`; its name carries no process id.
_PIKEPDF_LEFTOVER = re.compile(r"^\.pikepdf\..+" + re.escape(SUFFIX) + r"\w*$")


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


def mode_for(target: Path) -> int:
    """The permission bits `cp` would give target: an existing regular file's own, else 0666 less the umask."""
    try:
        info = os.stat(target)
        if stat.S_ISREG(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    return 0o666 & ~_umask()


def naming(target: Path, exc: OSError) -> OSError:
    """The same error, naming the file the user asked for rather than our temporary (or a
    library's file object repr), so the message says which output could not be written."""
    return OSError(exc.errno or errno.EIO, exc.strerror or str(exc), str(target))


def _is_ours(filename, target: Path) -> bool:
    """Whether an error's file is the write in hand (ours, or a library's file object), not an input it read."""
    if not isinstance(filename, (str, bytes, os.PathLike)):
        return True  # None, or pikepdf's "<_io.BufferedWriter name=...>"
    path = Path(os.fsdecode(filename))
    return path == target or (path.parent == target.parent and path.name.startswith("."))


def blame(target: Path, exc: OSError) -> OSError:
    """`exc`, naming target if it arose writing target (or a temporary of it); else as it was."""
    return naming(target, exc) if _is_ours(exc.filename, target) else exc


def _temporary_beside(target: Path) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=SUFFIX, dir=target.parent)
    os.close(handle)
    return Path(name)


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """Yields a temporary path beside `target`; when the block ends without an exception, the file
    written there takes target's place. Otherwise it is removed and target is left as it was. An
    OSError (a full disk, a file-size limit) names target, not the temporary."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        temp = _temporary_beside(target)
    except OSError as exc:
        raise naming(target, exc) from None
    try:
        os.chmod(temp, mode_for(target))
        yield temp
        os.replace(temp, target)
    except OSError as exc:
        raise blame(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_text(target: Path, text: str) -> None:
    with replacing(target) as temp:
        temp.write_text(text, encoding="utf-8")


class Staging:
    """The new files of one build, written under temporary names and put in place together.

    `path(target)` is where this build writes target for now (a name only: the same in a forked
    worker as in the build that started it); `commit()` renames every staged file over its target,
    in the order staged (so the report, staged last, lands last); `abort()` removes them all."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.owner = os.getpid()
        self.token = secrets.token_hex(4)
        self.staged: list[Path] = []

    def path(self, target: Path) -> Path:
        return target.parent / f".{target.name}.{self.owner}.{self.token}{SUFFIX}"

    def stage(self, target: Path) -> Path:
        """Where to write target now; it takes target's place at commit()."""
        if target not in self.staged:
            self.staged.append(target)
        return self.path(target)

    def where(self, target: Path) -> Path:
        """Where target's newest version is now: staged, or already in place."""
        return self.path(target) if target in self.staged else target

    def commit(self) -> None:
        for target in self.staged:
            staged = self.path(target)
            if staged.exists():
                try:
                    os.replace(staged, target)
                except OSError as exc:
                    raise naming(target, exc) from None
        self.staged = []

    def abort(self) -> None:
        """Remove every file staged, including those a worker wrote that the build never heard of."""
        folders = {self.folder} | {target.parent for target in self.staged}
        for folder in folders:
            with contextlib.suppress(OSError):
                for path in folder.glob(f".*.{self.owner}.{self.token}{SUFFIX}"):
                    with contextlib.suppress(OSError):
                        path.unlink()
        self.staged = []


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
    """Delete the temporary files of writers that were killed before they could; returns them.
    Call it with the folder locked (see `locked`), so no living writer's pikepdf temporary is taken."""
    removed = []
    try:
        candidates = list(folder.iterdir())
    except OSError:
        return removed
    for path in candidates:
        match = _LEFTOVER.match(path.name)
        dead = match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1)))
        if dead or _PIKEPDF_LEFTOVER.match(path.name):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


LOCK_NAME = ".pagecomposer.lock"


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One build at a time in a folder: a second build waits for the first to finish, then finds
    its pages current, so the report always describes the files beside it."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks here; builds into one folder are not serialised
        yield
        return
    try:
        handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    except OSError:
        yield  # a read-only folder fails at the first write, with a better message
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
