"""Rebuilding only what changed: page groups, their input digests, and the record of what each
page file was made from.

A page can be composed without the others except where a story jumps (转版): its parts on several
pages are flowed as one text. So the pages are grouped by the stories they share, each group closed
under jumps, and every group gets a digest of all that goes into it: the pages' specs (with their
layouts, styles and source positions), the text of every article they place, the size and time of
every font, picture and profile file they use, the issue's own facts, the build options and the
code itself. The record in the output folder (`.pagecomposer-cache.json`) keeps, for every page
file, the digest it was made from, the file's size, time and hash, and what the build said about
it (warnings, story figures, overset). A group whose pages' files are still those the record
describes, made from the same digest, is not composed again: its files stay and its figures come
from the record. Output is deterministic, so a reused file is byte for byte the one a full build
would write (tests/test_incremental.py builds both ways and compares).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import pagecomposer
from pagecomposer import atomic
from pagecomposer.report import StoryQuality
from pagecomposer.spec.model import IssueSpec, StoryElement

CACHE_NAME = ".pagecomposer-cache.json"
CACHE_VERSION = 3  # 3: a page outcome records its inks


def page_groups(issue: IssueSpec) -> list[list[int]]:
    """Indices of the issue's pages, grouped so that no story runs from one group into another; in
    page order, each group in the order of its first page."""
    parent = list(range(len(issue.pages)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_page_of: dict[str, int] = {}
    for index, page in enumerate(issue.pages):
        for element in page.elements:
            if isinstance(element, StoryElement):
                other = first_page_of.setdefault(element.article, index)
                parent[root(index)] = root(other)
    groups: dict[int, list[int]] = {}
    for index in range(len(issue.pages)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values(), key=lambda group: group[0])


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Changes whenever a source file of pagecomposer does (an upgrade, or an edit in a checkout)."""
    package = Path(pagecomposer.__file__).parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        stamps.append((str(path.relative_to(package)), stat.st_size, stat.st_mtime_ns))
    return hashlib.sha1(repr((pagecomposer.__version__, stamps)).encode("utf-8")).hexdigest()


def files_used(pages) -> set[Path]:
    """Every file the pages' specs name: layouts, fonts, pictures, ads, profiles (articles apart)."""
    found: set[Path] = set()
    _files_in(pages, found, set())
    return found


def _files_in(value, found: set[Path], seen: set[int]) -> None:
    """Every Path inside a spec value (fonts, pictures, ads, profiles), walking dataclasses and containers."""
    if isinstance(value, Path):
        found.add(value)
    elif isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return
    elif id(value) in seen:
        return
    elif dataclasses.is_dataclass(value):
        seen.add(id(value))
        for item in dataclasses.fields(value):
            _files_in(getattr(value, item.name), found, seen)
    elif isinstance(value, dict):
        seen.add(id(value))
        for key, item in value.items():
            _files_in(key, found, seen)
            _files_in(item, found, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        seen.add(id(value))
        for item in value:
            _files_in(item, found, seen)


@lru_cache(maxsize=512)
def _article_hash(path: Path, size: int, mtime_ns: int) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _article_digest(path: Path) -> str:
    stamp = file_stamp(path)
    return "missing" if stamp is None else _article_hash(path, *stamp)


def group_digest(issue: IssueSpec, group: list[int], options: tuple) -> str:
    """Everything that decides what the group's pages look like, hashed."""
    pages = [issue.pages[index] for index in group]
    files = files_used(pages)
    articles = sorted({element.article for page in pages for element in page.elements
                       if isinstance(getattr(element, "article", None), str)})
    facts = (issue.paper, issue.date, issue.issue_number, issue.weather, len(issue.pages))
    text = repr((code_stamp(), options, facts, pages, sorted((str(path), file_stamp(path)) for path in files),
                 [(name, _article_digest(issue.articles[name])) for name in articles if name in issue.articles]))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class PageOutcome:
    """What a build says about one page, whether it was composed now or its file reused."""

    id: str
    output: Path | None  # the file written for it (None when --pages left it out)
    warnings: list[str] = field(default_factory=list)
    quality: list[StoryQuality] = field(default_factory=list)  # stories that begin on this page
    overset: list[tuple[str, str, int]] = field(default_factory=list)  # (page, article, characters)
    reused: bool = False
    inks: list[str] = field(default_factory=list)  # the plates the page prints: process inks, then spots

    def as_record(self) -> dict:
        return {"warnings": self.warnings, "quality": [asdict(q) for q in self.quality],
                "overset": [list(item) for item in self.overset], "inks": self.inks}

    @classmethod
    def from_record(cls, page_id: str, output: Path, record: dict) -> PageOutcome:
        return cls(page_id, output, list(record["warnings"]), [StoryQuality(**q) for q in record["quality"]],
                   [tuple(item) for item in record["overset"]], reused=True, inks=list(record["inks"]))


def file_stamp(path: Path) -> list | None:
    """[size, mtime_ns] of a written file, or None if it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class BuildRecord:
    """The output folder's record of what each file was made from (see the module's docstring)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / CACHE_NAME
        self.files: dict[str, dict] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                self.files = data.get("files", {})
        except (OSError, ValueError, AttributeError):
            pass

    def reusable(self, output: Path, digest: str) -> PageOutcome | None:
        """The recorded outcome, if `output` is still the file made from `digest`."""
        entry = self.files.get(output.name)
        if not entry or entry.get("digest") != digest or entry.get("stamp") != file_stamp(output):
            return None
        return PageOutcome.from_record(output.stem, output, entry["outcome"])

    def written(self, outcome: PageOutcome, digest: str) -> None:
        self.files[outcome.output.name] = {"digest": digest, "stamp": file_stamp(outcome.output),
                                           "sha256": file_hash(outcome.output), "outcome": outcome.as_record()}

    def entry(self, output: Path) -> dict:
        return self.files.setdefault(output.name, {})

    def save(self) -> None:
        atomic.write_text(self.path, json.dumps({"version": CACHE_VERSION, "files": self.files},
                                                ensure_ascii=False, sort_keys=True))
