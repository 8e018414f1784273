"""The whole pipeline for one issue: spec -> stories -> layout -> display lists -> PDFs + report."""

from __future__ import annotations

import errno
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pagecomposer import fontcache
from pagecomposer.atomic import Staging, blame, locked, remove_leftovers
from pagecomposer.errors import PagecomposerError, SpecError
from pagecomposer.incremental import BuildRecord, PageOutcome, file_hash, file_stamp, group_digest, page_groups
from pagecomposer.report import StoryQuality, story_quality, write_json
from pagecomposer.spec.load import load_issue, shown_path
from pagecomposer.spec.model import IssueSpec, PrintSettings
from pagecomposer.story.markdown import load_article
from pagecomposer.story.model import Story

# Composition and rendering are imported where they are used: a rebuild that finds every page
# unchanged does not need them (nor reportlab, fontTools or HarfBuzz) at all.
if TYPE_CHECKING:
    from pagecomposer.layout.page import PageResult


@dataclass
class BuildResult:
    issue: IssueSpec
    pages: list[PageResult]  # the pages composed by this run (with keep_pages); reused pages have none
    outputs: list[Path]
    seconds: float
    outcomes: list[PageOutcome] = field(default_factory=list)  # every page built, composed or reused
    report_path: Path | None = None
    preflight: list = field(default_factory=list)  # preflight.Report per written file
    notices: list[str] = field(default_factory=list)  # about this build, not a page: a damaged cache discarded
    edition: str = "none"  # issue.pdf: "rebuilt", "unchanged", "stale" (--pages changed a page) or "none"

    @property
    def warnings(self) -> list[str]:
        return self.notices + [warning for outcome in self.outcomes for warning in outcome.warnings]

    @property
    def quality(self) -> list[StoryQuality]:
        return [story for outcome in self.outcomes for story in outcome.quality]

    @property
    def overset_stories(self) -> list[tuple[str, str, int]]:
        return [item for outcome in self.outcomes for item in outcome.overset]

    @property
    def reused(self) -> list[str]:
        return [outcome.id for outcome in self.outcomes if outcome.reused]

    def summary(self) -> str:
        overset = self.overset_stories
        overset_text = "none" if not overset else ", ".join(f"{page}/{article} {chars} chars"
                                                             for page, article, chars in overset)
        checked = ""
        if self.preflight:
            failed = [r for r in self.preflight if not r.passed]
            checked = "; preflight: " + ("passed" if not failed else f"{len(failed)} file(s) FAILED")
        reused = f" ({len(self.reused)} unchanged, reused)" if self.reused else ""
        stale = "; issue.pdf NOT rebuilt (--pages): build without --pages to update it" if self.edition == "stale" else ""
        return (f"{len(self.outcomes)} page(s) in {self.seconds:.2f} s{reused}; overset: {overset_text}; "
                f"warnings: {len(self.warnings)}{checked}{stale}")


class NotARegularFile(OSError):
    """An output path that holds a folder, FIFO, device node or socket. It is never replaced (as
    root, a device would become a JSON file) and is reported as an I/O error (exit 74) naming it."""


_FILE_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"),
               (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def check_writable(target: Path) -> Path:
    """`target`, refused unless it is a regular file or nothing yet (a dangling symlink is nothing:
    the write replaces the link itself)."""
    try:
        mode = target.stat().st_mode  # follows a symlink: what a write would reach
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a file")
        raise NotARegularFile(errno.EEXIST, f"this output path is {kind}, not a regular file, so nothing is "
                              "written there; give another path or remove it", str(target))
    return target


def output_path(out_dir: Path, name: str) -> Path:
    """OUT/name for a file the build writes, checked to stay in OUT and to be writable. Page ids are
    checked where the spec is read (spec/load.py); this is the second lock, for every output."""
    target = out_dir / name
    if Path(name).name != name or name.startswith(".") or (target.resolve().parent != out_dir.resolve()):
        raise PagecomposerError(f"output file name '{name}' would leave the output folder {out_dir}", None,
                                "page ids are plain names such as A05 (docs/spec.md)")
    return check_writable(target)


def load_stories(issue: IssueSpec) -> dict[str, Story]:
    return {name: load_article(path, name, shown_path(path)) for name, path in issue.articles.items()}


def compose_issue(issue_path: Path) -> tuple[IssueSpec, list[PageResult]]:
    """Everything up to the display lists (what tests and previews inspect)."""
    from pagecomposer.layout.page import compose_issue_pages

    issue = load_issue(issue_path)
    stories = load_stories(issue)
    return issue, compose_issue_pages(issue, stories)


def _preflight_limits(layout, pdfx: str) -> list:  # layout: spec.model.Layout
    """What a preflight report depends on besides the file, in the order preflight() takes them:
    ink limit, minimum ppi, PDF/X required, ink measuring square (mm), plates the page may use."""
    settings = layout.print
    return [settings.ink_limit, settings.min_ppi, pdfx != "none", settings.ink_area, layout.plates]


def preflight_pages(jobs: list[tuple[Path, PrintSettings]], pdfx: str, progress=None, where=None) -> list:
    """Preflight each (file, the layout's print settings); across processes when there are several
    (Ghostscript's rendering is most of the time, and files are independent). `where(path)` is where
    the file is now (a build checks its new files before they take their names)."""
    from concurrent.futures import ProcessPoolExecutor

    from pagecomposer.preflight import preflight as run_preflight

    where = where or (lambda path: path)
    arguments = [(where(path), *_preflight_limits(layout, pdfx)) for path, layout in jobs]
    workers = min(len(arguments), worker_count())
    if workers < 2:
        reports = [run_preflight(*job) for job in arguments]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_preflight, *job) for job in arguments]
            reports = []
            for done, ((path, _), future) in enumerate(zip(jobs, futures)):
                if progress:
                    progress(path.stem, "checking", done, len(jobs))
                reports.append(future.result())
    for (path, _), report in zip(jobs, reports):
        report.path = str(path)  # the file's own name, not the temporary it was checked under
    return reports


def _preflight_with_record(jobs: list[tuple[Path, PrintSettings]], pdfx: str, progress, record: BuildRecord,
                           where=None) -> list:
    """Preflight the files, reusing the findings recorded for a file that is still byte for byte the
    one they were made on (its hash is in the record), with the same limits."""
    from pagecomposer.preflight import Finding, Report

    reports: list = [None] * len(jobs)
    todo = []
    for index, (output, settings) in enumerate(jobs):
        entry = record.entry(output)
        checked = entry.get("preflight")
        if (checked and checked["options"] == _preflight_limits(settings, pdfx)
                and checked["sha256"] == entry.get("sha256")):
            reports[index] = Report(str(output), checked["pdfx"], [Finding(**f) for f in checked["findings"]])
        else:
            todo.append(index)
    fresh = preflight_pages([jobs[i] for i in todo], pdfx, progress, where)
    for index, report in zip(todo, fresh):
        reports[index] = report
        output, settings = jobs[index]
        entry = record.entry(output)
        if "sha256" not in entry:  # every written or kept page has one; hash only what lacks it
            entry["sha256"] = file_hash(where(output) if where else output)
        entry["preflight"] = {"options": _preflight_limits(settings, pdfx),
                              "sha256": entry["sha256"], "pdfx": report.pdfx,
                              "findings": report.as_dict()["findings"]}
    return reports


def _finisher(issue: IssueSpec, page: PageResult, version: str):
    """What is done to a page's file after reportlab: PDF ads placed as vectors, then the PDF/X keys
    from the layout's print settings and the issue's metadata."""
    from pagecomposer.display import Picture
    from pagecomposer.render.pdfx import DocumentInfo, OutputIntent, apply_pdfx, pdf_dates
    from pagecomposer.render.pictures import place_pdf_pictures

    settings = page.grid.layout.print
    intent = OutputIntent(settings.output_condition, settings.output_condition_info, settings.icc_profile)
    date, xmp_date = pdf_dates(issue.date)
    title = " ".join(part for part in (issue.paper, issue.date, page.display.id) if part)
    info = DocumentInfo(title=title, author=issue.paper or "pagecomposer", date=date, xmp_date=xmp_date)
    display = page.display
    pdf_pictures = [item for item in display.items if isinstance(item, Picture) and item.kind == "pdf"]

    def finish(path: Path) -> None:
        place_pdf_pictures(path, pdf_pictures, display.trim_height, display.origin)
        apply_pdfx(path, version, intent, info)
    return finish


def worker_count() -> int:
    """Processes to compose and check pages in: $PAGECOMPOSER_WORKERS, else one per core."""
    chosen = os.environ.get("PAGECOMPOSER_WORKERS", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    return os.cpu_count() or 1


@dataclass(frozen=True)
class _Setting:
    """What every group's composition shares (inherited by forked workers, not sent to them)."""

    issue: IssueSpec
    stories: dict[str, Story]
    out_dir: Path
    pdfx: str
    marks: tuple[str, ...]
    keep_pages: bool
    staging: Staging  # where the new files are written until the build commits them


_SETTING: _Setting | None = None  # set for the life of a worker pool


def _compose_group(setting: _Setting, group: list[int], write: set[str]) -> tuple[list[PageOutcome], list, list]:
    """Compose one group of pages and write those named in `write` (under their staged names);
    returns their outcomes, the PageResults if the caller keeps them, and the caches' notices."""
    from pagecomposer.layout.page import compose_issue_pages
    from pagecomposer.render.ads import prepare_ads
    from pagecomposer.render.marks import add_marks
    from pagecomposer.render.pdf import write_pdf

    issue = setting.issue
    pages = compose_issue_pages(issue, setting.stories, only={issue.pages[index].id for index in group})
    outcomes, kept = [], []
    for page in pages:
        if page.display.id not in write:
            continue
        # Ads made printable for this PDF/X version, then the plates counted (before printer's
        # marks: their registration colour is on every plate, not an ink of its own).
        page.warnings += prepare_ads(page.display, page.grid.layout.print, setting.pdfx)
        inks = page.display.inks()
        check_plates(page.display.id, inks, page.grid.layout, page.spec.where)
        if setting.marks:
            font = next((run.font_path for run in page.display.runs()),
                        str(next(iter(page.grid.layout.fonts.values()))))  # a page of ads has no text of its own
            info = f"{issue.paper} {issue.date} {page.display.id}  pagecomposer  PDF/X-{setting.pdfx}"
            add_marks(page.display, setting.marks, info, font)
        target = output_path(setting.out_dir, f"{page.display.id}.pdf")
        try:
            write_pdf([page.display], setting.staging.path(target), finish=_finisher(issue, page, setting.pdfx))
        except OSError as exc:
            raise blame(target, blame(setting.staging.path(target), exc)) from None  # name the page's file
        outcomes.append(PageOutcome(
            page.display.id, target, [str(w) for w in page.warnings],
            [story_quality(page.display.id, story.article, story.flow) for story in page.stories],
            [(page.display.id, story.article, story.flow.overset_chars) for story in page.stories if story.overset],
            inks=inks))
        kept.append(page)
    return outcomes, (kept if setting.keep_pages else []), fontcache.take_notices()


def check_plates(page_id: str, inks: list[str], layout, where) -> None:
    """A page may print on no more plates than the press has for it (the layout's `plates`)."""
    if len(inks) > layout.plates:
        raise SpecError(f"page {page_id} needs {len(inks)} plates ({', '.join(inks)}); its layout has {layout.plates}",
                        where, "map an ad's spot ink to process (print: {spot_inks: process}), use fewer spot "
                        "swatches on the page, or set print: {plates: N} if the press has more units")


def _compose_in_worker(group: list[int], write: set[str]):
    return _compose_group(_SETTING, group, write)


def _preload_fonts(issue: IssueSpec) -> None:
    """Parse every font once before forking, so workers inherit the parsed faces instead of each
    reading them again."""
    from pagecomposer.render.pdf import register_font
    from pagecomposer.text.fonts import load_face

    for path in {path for page in issue.pages for path in page.layout.fonts.values()}:
        load_face(path)
        register_font(str(path))


def _compose_groups(setting: _Setting, jobs: list[tuple[list[int], set[str]]], progress) -> tuple[list, list, list]:
    """Compose and write the groups, in a pool of forked processes when there are several and more
    than one core. Pages are independent within their groups, so the work splits without waiting."""
    global _SETTING
    import multiprocessing

    outcomes, pages, notices = [], [], []
    workers = min(len(jobs), worker_count())
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():  # no fork on Windows: serial
        for done, (group, write) in enumerate(jobs):
            if progress:
                progress(setting.issue.pages[group[0]].id, "composing", done, len(jobs))
            got, kept, said = _compose_group(setting, group, write)
            outcomes += got
            pages += kept
            notices += said
        return outcomes, pages, notices
    from concurrent.futures import ProcessPoolExecutor

    _preload_fonts(setting.issue)
    notices += fontcache.take_notices()  # said here, before the workers inherit them
    _SETTING = setting
    try:
        # fork: the workers start with the parsed spec, stories and fonts already in memory.
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            # The largest groups first, so a long jump chain does not start last and finish alone.
            order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
            futures = {i: pool.submit(_compose_in_worker, *jobs[i]) for i in order}
            for done, index in enumerate(sorted(futures)):
                if progress:
                    progress(setting.issue.pages[jobs[index][0][0]].id, "composing", done, len(jobs))
                got, kept, said = futures[index].result()
                outcomes += got
                pages += kept
                notices += said
    finally:
        _SETTING = None
    return outcomes, pages, notices


REPORT_SCHEMA = 1  # docs/report.md; bumped when a field changes meaning or goes away


def build(issue_path: Path, out_dir: Path, pdfx: str = "1a", preflight: bool = False,
          marks: tuple[str, ...] = (), only: tuple[str, ...] = (), report_path: Path | None = None,
          progress=None, reuse: bool = True, keep_pages: bool = True) -> BuildResult:
    """Build the issue's pages (or only the pages named) into out_dir, with the report as JSON. The
    same function the `build` command runs.

    - A page is composed together with every page a story on it jumps to or from, so a subset comes
      out as it does in the whole edition.
    - With `reuse`, pages whose inputs are unchanged since their files were written keep those files
      (see incremental.py); the others are composed, in parallel across cores.
    - `keep_pages` keeps the composed pages' display lists in result.pages (tests and previews look
      at them; the command line does not, and saves sending them back from the workers).
    - progress(page_id, stage, done, total), if given, is called as pages are composed and checked.
    """
    started = time.perf_counter()
    issue_path, out_dir = Path(issue_path), Path(out_dir)
    issue = load_issue(issue_path, check_files=False)  # the files of the pages composed: see _build_staged
    stories = load_stories(issue)
    ids = [page.id for page in issue.pages]
    unknown = [page_id for page_id in only if page_id not in ids]
    if unknown:
        raise PagecomposerError(f"--pages names page '{unknown[0]}', which the issue does not have",
                                None, "pages: " + ", ".join(ids))
    wanted = set(only) if only else set(ids)
    if out_dir.exists() and not out_dir.is_dir():  # an output that cannot be written: exit 74, as documented
        raise NotADirectoryError(errno.ENOTDIR, "the output folder is a file; give a folder with -o", str(out_dir))
    # Every output is checked before anything is written, so a bad target leaves OUT as it was.
    for name in [f"{page_id}.pdf" for page_id in ids if page_id in wanted] + ["issue.pdf"]:
        output_path(out_dir, name)
    report_path = check_writable(Path(report_path)) if report_path else output_path(out_dir, "report.json")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # the machine, not the input: exit 74 naming the folder
        raise OSError(exc.errno, f"cannot make the output folder ({exc.strerror or exc}); give another folder "
                      "with -o", str(out_dir)) from None
    with locked(out_dir):  # one build at a time in a folder: the report describes the files beside it
        remove_leftovers(out_dir)  # temporary files of a build that was killed
        staging = Staging(out_dir)
        try:
            result = _build_staged(issue, stories, issue_path, out_dir, staging, pdfx, marks, only, wanted,
                                   report_path, progress, reuse, keep_pages, preflight, started)
            staging.commit()
        except BaseException:
            # The old set stays whole: nothing new took a name. Our workers' temporaries go too.
            staging.abort()
            remove_leftovers(out_dir)
            raise
    return result


def _build_staged(issue: IssueSpec, stories: dict[str, Story], issue_path: Path, out_dir: Path, staging: Staging,
                  pdfx: str, marks, only, wanted: set[str], report_path: Path, progress, reuse: bool,
                  keep_pages: bool, preflight: bool, started: float) -> BuildResult:
    """Every new file of the build, written under its staged name (see atomic.Staging), the report last."""
    ids = [page.id for page in issue.pages]
    record = BuildRecord(out_dir)
    options = (pdfx, tuple(marks))
    reused: list[PageOutcome] = []
    jobs, digests = [], {}
    for group in page_groups(issue):
        write = {ids[index] for index in group} & wanted
        if not write:
            continue
        digest = group_digest(issue, group, options)
        known = [record.reusable(output_path(out_dir, f"{page_id}.pdf"), digest) for page_id in sorted(write)] if reuse else [None]
        if all(known):
            reused += known
        else:
            jobs.append((group, write))
            digests.update({page_id: digest for page_id in write})
    if jobs:  # before anything is composed: the fonts and pictures of every page to be made
        from pagecomposer.validate import check_delivered_files

        check_delivered_files(issue, {ids[index] for group, _ in jobs for index in group})
    setting = _Setting(issue, stories, out_dir, pdfx, tuple(marks), keep_pages, staging)
    fresh, pages, notices = _compose_groups(setting, jobs, progress)
    pages.sort(key=lambda page: ids.index(page.display.id))  # groups come in the order of their first page
    for outcome in fresh:
        staging.stage(outcome.output)
        record.written(outcome, digests[outcome.id], staging.where(outcome.output))
    by_id = {outcome.id: outcome for outcome in reused + fresh}
    outcomes = [by_id[page_id] for page_id in ids if page_id in by_id]
    outputs = [outcome.output for outcome in outcomes]
    composed = time.perf_counter()
    edition = _edition(issue, [output_path(out_dir, f"{page_id}.pdf") for page_id in ids],
                       output_path(out_dir, "issue.pdf"), record, staging, rebuild=not only)
    record.save(staging.stage(record.path))
    notices = list(dict.fromkeys(record.notices + notices + fontcache.take_notices()))  # each said once
    result = BuildResult(issue, pages, outputs, time.perf_counter() - started, outcomes, notices=notices,
                         edition=edition)
    written = time.perf_counter()
    if preflight:
        settings = {page.id: page.layout for page in issue.pages}  # _preflight_limits reads the Layout
        result.preflight = _preflight_with_record([(o.output, settings[o.id]) for o in outcomes], pdfx, progress,
                                                  record, staging.where)
        record.save(staging.where(record.path))
    # The same figures as data, for prepress scripts: what was written, what did not fit, how well it was set.
    result.report_path = report_path
    checked = time.perf_counter()
    write_json(staging.stage(result.report_path),
               {"schema": REPORT_SCHEMA, "issue": str(issue_path), "pages": [o.id for o in outcomes],
                "reused": result.reused,
                # Which build wrote this report, and what issue.pdf is now (see docs/report.md).
                "build": {"id": f"{staging.owner}-{staging.token}", "pid": staging.owner},
                "edition": {"path": str(out_dir / "issue.pdf"), "state": edition},
                "timings": {"compose": round(composed - started, 3), "write": round(written - composed, 3),
                            "preflight": round(checked - written, 3)},
                "outputs": [str(o) for o in outputs], "seconds": round(result.seconds, 3),
                "overset": [{"page": page, "article": article, "chars": chars}
                            for page, article, chars in result.overset_stories],
                "inks": {o.id: o.inks for o in outcomes},
                "preflight": [r.as_dict() for r in result.preflight]},
               result.quality, result.warnings)
    return result


def _edition(issue: IssueSpec, pages: list[Path], target: Path, record: BuildRecord, staging: Staging,
             rebuild: bool) -> str:
    """issue.pdf's state after this build: "rebuilt", "unchanged", "none" (a one-page issue has
    none), or "stale" when --pages changed a page it was combined from (it is not rebuilt then:
    the other pages may not exist)."""
    if len(pages) < 2:
        return "none"
    if rebuild:
        return "rebuilt" if _combine_if_changed(issue, pages, target, record, staging) else "unchanged"
    if file_stamp(target) is None:
        return "none"
    entry = record.entry(target)
    sources = [record.entry(path).get("sha256") for path in pages]
    current = entry.get("from") == sources and entry.get("stamp") == file_stamp(target)
    return "unchanged" if current else "stale"


def _combine_if_changed(issue: IssueSpec, outputs: list[Path], target: Path, record: BuildRecord,
                        staging: Staging) -> bool:
    """issue.pdf from the page files (staged, with the pages), unless it is still the one combined
    from these very files; returns whether it was combined now."""
    sources = [record.entry(path).get("sha256") for path in outputs]
    entry = record.entry(target)
    if None not in sources and entry.get("from") == sources and entry.get("stamp") == file_stamp(target):
        return False
    from pagecomposer.render.combine import combine

    title = " ".join(part for part in (issue.paper, issue.date) if part) or "issue"
    try:
        combine([staging.where(path) for path in outputs], staging.stage(target), title)
    except OSError as exc:
        raise blame(target, blame(staging.path(target), exc)) from None
    entry.clear()
    entry.update({"from": sources, "stamp": file_stamp(staging.where(target))})
    return True
