"""What parsing a font yields, kept across runs in the user's cache folder.

Reading a CJK face's cmap and metrics takes fontTools about 50 ms, and reportlab parses the same
file again for embedding: together about half a second for the seven faces of a layout, on every
build. Both results are plain data, so they are stored once per font file (keyed by its path,
size and modification time, and by the library versions that produced them) and read back in a
few milliseconds.

The entries are written with `marshal`, which can hold only built-in values (numbers, strings,
bytes, lists, tuples, dicts): a tampered cache file can give wrong metrics but never construct an
object or run code. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

FORMAT = 1  # bumped when what an entry holds changes


def cache_folder() -> Path | None:
    """$PAGECOMPOSER_CACHE, else $XDG_CACHE_HOME/pagecomposer, else ~/.cache/pagecomposer; None
    when PAGECOMPOSER_CACHE is set empty (caching off)."""
    chosen = os.environ.get("PAGECOMPOSER_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pagecomposer"


def _entry_path(kind: str, font: Path, versions: str) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        stat = font.stat()
    except OSError:
        return None
    key = repr((FORMAT, kind, str(font.resolve()), stat.st_size, stat.st_mtime_ns, versions, sys.version))
    return folder / "fonts" / f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()}.marshal"


def cached(kind: str, font: Path, versions: str, compute: Callable[[], dict]) -> dict:
    """The entry `kind` for `font`, read from the cache or computed and stored."""
    entry = _entry_path(kind, font, versions)
    if entry is not None:
        try:
            return marshal.loads(entry.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
    value = compute()
    if entry is not None:
        _store(entry, marshal.dumps(value))
    return value


def _store(entry: Path, data: bytes) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, entry)  # concurrent builds each write a whole entry; the last rename wins
    except OSError:
        pass
