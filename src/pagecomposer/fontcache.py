"""What parsing a font yields, kept across runs in the user's cache folder.

Reading a CJK face's cmap and metrics takes fontTools about 50 ms, and reportlab parses the same
file again for embedding: together about half a second for the seven faces of a layout, on every
build. Both results are plain data, so they are stored once per font file (keyed by its path,
size and modification time, and by the library versions that produced them) and read back in a
few milliseconds.

The entries are written with `marshal`, which can hold only built-in values (numbers, strings,
bytes, lists, tuples, dicts): a tampered cache file can give wrong metrics but never construct an
object or run code. Every entry carries the SHA-256 of its payload and is checked for the shape
its kind has before use: a damaged entry (a torn write, random bytes, a stray file) is discarded
with one warning and made again. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path

from pagecomposer import atomic

FORMAT = 2  # bumped when what an entry holds changes (2: a checksum around the payload)

# What each kind of entry must look like: its keys and their types (fonts.py and render/pdf.py make them).
_SHAPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "metrics": {"name": str, "upem": int, "ascent": (int, float), "descent": (int, float), "cmap": dict,
                "advances": dict, "ink": dict},
    "reportlab": {"state": dict, "names": list},
}

_notices: list[str] = []  # what the caches had to discard, for the build to say (take_notices)


def take_notices() -> list[str]:
    """The warnings about discarded cache entries since the last call (each entry is said once)."""
    said = list(_notices)
    _notices.clear()
    return said


def notice(text: str) -> None:
    if text not in _notices:
        _notices.append(text)


def _envelope(value: dict) -> bytes:
    payload = marshal.dumps(value)
    return marshal.dumps((FORMAT, hashlib.sha256(payload).hexdigest(), payload))


def _opened(kind: str, data: bytes) -> dict | None:
    """The entry's value if it is whole and of its kind's shape, else None."""
    try:
        form, digest, payload = marshal.loads(data)
        if form != FORMAT or hashlib.sha256(payload).hexdigest() != digest:
            return None
        value = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    shape = _SHAPES.get(kind, {})
    if not isinstance(value, dict) or any(not isinstance(value.get(key), kinds) for key, kinds in shape.items()):
        return None
    return value


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
    where = str(font.resolve())
    key = repr((FORMAT, kind, where, stat.st_size, stat.st_mtime_ns, versions, sys.version))
    # kind-<font file>-<this version of it>: a new version replaces the old entries of the same file.
    return folder / "fonts" / f"{kind}-{_short_hash(where)}-{_short_hash(key)}.marshal"


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def cached(kind: str, font: Path, versions: str, compute: Callable[[], dict]) -> dict:
    """The entry `kind` for `font`, read from the cache or computed and stored."""
    entry = _entry_path(kind, font, versions)
    if entry is not None:
        try:
            data = entry.read_bytes()
        except OSError:
            data = None
        if data is not None:
            value = _opened(kind, data)
            if value is not None:
                return value
            # One line per build however many entries were damaged: the folder, and that it mends itself.
            notice(f"damaged entries in the font cache {entry.parent} were discarded and made again")
    value = compute()
    if entry is not None:
        _store(entry, _envelope(value))
        _remove_older_versions(entry)
    return value


def _remove_older_versions(entry: Path) -> None:
    """The cache holds one entry per font file and kind, so it does not grow with every font update."""
    same_file = entry.name.rsplit("-", 1)[0] + "-"
    for other in entry.parent.glob(same_file + "*.marshal"):
        if other != entry:
            try:
                other.unlink()
            except OSError:
                pass


def _store(entry: Path, data: bytes) -> None:
    try:
        with atomic.replacing(entry) as temp:  # concurrent builds each write a whole entry; the last wins
            temp.write_bytes(data)
    except OSError:
        pass
