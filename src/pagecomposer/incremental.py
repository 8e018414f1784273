"""Rebuilding only what changed: page groups, their input digests, and the record of what each
page file was made from.

A page can be composed without the others except where a story jumps (转版): its parts on several
pages are flowed as one text. So the pages are grouped by the stories they share, each group closed
under jumps, and every group gets a digest of all that goes into it: the pages' specs (with their
layouts, styles and source positions), the content of every article, font, picture and profile
file they use, the issue's own facts, the build options and the
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


@lru_cache(maxsize=1024)
def _content_hash(path: Path, identity: tuple) -> str:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def content_digest(path: Path) -> str:
    """The file's content, hashed: an input is the same only if its bytes are. The hash is kept
    per (size, mtime, ctime, inode): an edit that keeps size and mtime (a restored timestamp, two
    saves in one tick) still changes ctime, which no one can set back, so it is hashed again."""
    try:
        info = path.stat()
    except OSError:
        return "missing"
    return _content_hash(path, (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev))


_article_digest = content_digest


def group_digest(issue: IssueSpec, group: list[int], options: tuple) -> str:
    """Everything that decides what the group's pages look like, hashed."""
    pages = [issue.pages[index] for index in group]
    files = files_used(pages)
    articles = sorted({element.article for page in pages for element in page.elements
                       if isinstance(getattr(element, "article", None), str)})
    facts = (issue.paper, issue.date, issue.issue_number, issue.weather, len(issue.pages))
    text = repr((code_stamp(), options, facts, pages, sorted((str(path), content_digest(path)) for path in files),
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


def _is_list_of(value, kind) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) and not isinstance(item, bool) for item in value)


def _valid_stamp(value) -> bool:
    return _is_list_of(value, int) and len(value) == 2


def _valid_outcome(record) -> bool:
    """Whether PageOutcome.from_record can rebuild this outcome exactly."""
    if not isinstance(record, dict) or not (_is_list_of(record.get("warnings"), str)
                                            and _is_list_of(record.get("inks"), str)
                                            and _is_list_of(record.get("quality"), dict)
                                            and _is_list_of(record.get("overset"), list)):
        return False
    if not all(len(item) == 3 and _is_list_of(item[:2], str) and _is_list_of(item[2:], int)
               for item in record["overset"]):
        return False
    try:
        [StoryQuality(**quality) for quality in record["quality"]]
    except TypeError:
        return False
    return True


def _valid_preflight(checked) -> bool:
    from pagecomposer.preflight import Finding

    if not (isinstance(checked, dict) and isinstance(checked.get("options"), list)
            and isinstance(checked.get("sha256"), (str, type(None))) and isinstance(checked.get("pdfx"), (str, type(None)))
            and _is_list_of(checked.get("findings"), dict)):
        return False
    try:
        [Finding(**finding) for finding in checked["findings"]]
    except TypeError:
        return False
    return True


def _valid_entry(entry) -> bool:
    """One file's entry: a page (digest, stamp, hash, outcome), the edition (from, stamp), and
    preflight findings on either; anything else is damage."""
    if not isinstance(entry, dict):
        return False
    checks = {"digest": lambda v: isinstance(v, str), "stamp": lambda v: v is None or _valid_stamp(v),
              "sha256": lambda v: v is None or isinstance(v, str), "outcome": _valid_outcome,
              "from": lambda v: isinstance(v, list) and all(isinstance(i, (str, type(None))) for i in v),
              "preflight": _valid_preflight}
    if any(key not in checks or not checks[key](value) for key, value in entry.items()):
        return False
    return ("digest" in entry) == ("outcome" in entry)  # a page's entry has both


def read_record(path: Path) -> tuple[dict[str, dict], str | None]:
    """The record's files, and a warning if it had to be discarded (an unreadable or damaged
    record is a reason to compose again, never to fail)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as exc:
        return {}, f"{path}: cannot read the build record ({exc}); discarded, every page is composed again"
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("version") != CACHE_VERSION and isinstance(data.get("version"), int):
        return {}, None  # another version's record: not damage, just not ours to read
    files = data.get("files") if isinstance(data, dict) else None
    if not (isinstance(files, dict) and all(isinstance(name, str) and _valid_entry(entry)
                                            for name, entry in files.items())):
        return {}, f"{path}: the build record is damaged; discarded, every page is composed again"
    return files, None


class BuildRecord:
    """The output folder's record of what each file was made from (see the module's docstring)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / CACHE_NAME
        self.files, problem = read_record(self.path)
        self.notices = [problem] if problem else []

    def reusable(self, output: Path, digest: str) -> PageOutcome | None:
        """The recorded outcome, if `output` is still the file made from `digest`."""
        entry = self.files.get(output.name)
        if not entry or entry.get("digest") != digest or entry.get("stamp") != file_stamp(output):
            return None
        return PageOutcome.from_record(output.stem, output, entry["outcome"])

    def written(self, outcome: PageOutcome, digest: str, at: Path | None = None) -> None:
        """Record the page's file, written at `at` (its staged name) for now; a rename keeps its stamp."""
        at = at or outcome.output
        self.files[outcome.output.name] = {"digest": digest, "stamp": file_stamp(at),
                                           "sha256": file_hash(at), "outcome": outcome.as_record()}

    def entry(self, output: Path) -> dict:
        return self.files.setdefault(output.name, {})

    def save(self, to: Path | None = None) -> None:
        """Write the record to its place, or to `to` (its staged name, see atomic.Staging)."""
        atomic.write_text(to or self.path, json.dumps({"version": CACHE_VERSION, "files": self.files},
                                                ensure_ascii=False, sort_keys=True))
