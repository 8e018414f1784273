"""The whole pipeline for one issue: spec -> stories -> layout -> display lists -> PDFs + report."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pagecomposer.layout.flow import Warning
from pagecomposer.layout.page import PageResult, compose_issue_pages
from pagecomposer.render.pdf import write_pdf
from pagecomposer.display import Picture
from pagecomposer.render.pdfx import DocumentInfo, OutputIntent, apply_pdfx, pdf_dates
from pagecomposer.errors import PagecomposerError
from pagecomposer.render.combine import combine
from pagecomposer.render.marks import add_marks
from pagecomposer.render.pictures import place_pdf_pictures
from pagecomposer.report import StoryQuality, story_quality, write_json
from pagecomposer.spec.load import shown_path, load_issue
from pagecomposer.spec.model import IssueSpec
from pagecomposer.story.markdown import load_article
from pagecomposer.story.model import Story


@dataclass
class BuildResult:
    issue: IssueSpec
    pages: list[PageResult]
    outputs: list[Path]
    seconds: float
    warnings: list[Warning] = field(default_factory=list)
    quality: list[StoryQuality] = field(default_factory=list)
    report_path: Path | None = None
    preflight: list = field(default_factory=list)  # preflight.Report per written file

    @property
    def overset_stories(self) -> list[tuple[str, str, int]]:
        return [(p.display.id, s.article, s.flow.overset_chars) for p in self.pages for s in p.stories if s.overset]

    def summary(self) -> str:
        overset = self.overset_stories
        overset_text = "none" if not overset else ", ".join(f"{page}/{article} {chars} chars"
                                                             for page, article, chars in overset)
        checked = ""
        if self.preflight:
            failed = [r for r in self.preflight if not r.passed]
            checked = "; preflight: " + ("passed" if not failed else f"{len(failed)} file(s) FAILED")
        return (f"{len(self.pages)} page(s) in {self.seconds:.2f} s; overset: {overset_text}; "
                f"warnings: {len(self.warnings)}{checked}")


def load_stories(issue: IssueSpec) -> dict[str, Story]:
    return {name: load_article(path, name, shown_path(path)) for name, path in issue.articles.items()}


def compose_issue(issue_path: Path) -> tuple[IssueSpec, list[PageResult]]:
    """Everything up to the display lists (what tests and previews inspect)."""
    issue = load_issue(issue_path)
    stories = load_stories(issue)
    return issue, compose_issue_pages(issue, stories)


def preflight_pages(pages: list[PageResult], outputs: list[Path], pdfx: str, progress) -> list:
    """Preflight every page; across processes when there are several (Ghostscript's rendering is
    most of the time, and pages are independent)."""
    from concurrent.futures import ProcessPoolExecutor

    from pagecomposer.preflight import preflight as run_preflight

    jobs = [(output, page.grid.layout.print.ink_limit, page.grid.layout.print.min_ppi, pdfx != "none")
            for page, output in zip(pages, outputs)]
    workers = min(len(jobs), os.cpu_count() or 1)
    if not jobs:
        return []
    if workers < 2:
        return [run_preflight(path, ink_limit=ink, min_ppi=ppi, require_pdfx=pdfx_required)
                for path, ink, ppi, pdfx_required in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_preflight, path, ink, ppi, pdfx_required) for path, ink, ppi, pdfx_required in jobs]
        reports = []
        for done, (page, future) in enumerate(zip(pages, futures)):
            if progress:
                progress(page.display.id, "checking", done, len(pages))
            reports.append(future.result())
        return reports


def _preflight_with_cache(pages: list[PageResult], outputs: list[Path], pdfx: str, progress, cache: dict) -> list:
    """Preflight the pages, reusing the findings recorded for a file that is still byte for byte the
    one they were made on (its hash is in the cache), with the same limits."""
    from pagecomposer.preflight import Finding, Report

    reports: list = [None] * len(pages)
    todo = []
    for index, (page, output) in enumerate(zip(pages, outputs)):
        settings = page.grid.layout.print
        options = [settings.ink_limit, settings.min_ppi, pdfx != "none"]
        known = cache.get(output.name, {})
        checked = known.get("preflight")
        if checked and checked["options"] == options and checked["sha256"] == known.get("sha256"):
            reports[index] = Report(str(output), checked["pdfx"], [Finding(**f) for f in checked["findings"]])
        else:
            todo.append(index)
    fresh = preflight_pages([pages[i] for i in todo], [outputs[i] for i in todo], pdfx, progress)
    for index, report in zip(todo, fresh):
        reports[index] = report
        settings = pages[index].grid.layout.print
        entry = cache.setdefault(outputs[index].name, {})
        entry["preflight"] = {"options": [settings.ink_limit, settings.min_ppi, pdfx != "none"],
                              "sha256": entry.get("sha256"), "pdfx": report.pdfx,
                              "findings": report.as_dict()["findings"]}
    return reports


def _finisher(issue: IssueSpec, page: PageResult, version: str):
    """What is done to a page's file after reportlab: PDF ads placed as vectors, then the PDF/X keys
    from the layout's print settings and the issue's metadata."""
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


CACHE_NAME = ".pagecomposer-cache.json"  # in the output folder: what each page file was made from


def _load_cache(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / CACHE_NAME).read_text(encoding="utf-8"))
        return data.get("pages", {}) if data.get("version") == 1 else {}
    except (OSError, ValueError):
        return {}


def _save_cache(out_dir: Path, pages: dict) -> None:
    temp = out_dir / (CACHE_NAME + ".tmp")
    temp.write_text(json.dumps({"version": 1, "pages": pages}, indent=1, sort_keys=True), encoding="utf-8")
    temp.replace(out_dir / CACHE_NAME)


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _page_digest(page: PageResult, issue: IssueSpec, pdfx: str) -> str:
    files = sorted({str(getattr(item, "font_path", None) or getattr(item, "path", "")) for item in page.display.items})
    stamps = [(name, os.stat(name).st_mtime_ns) for name in files if name and os.path.exists(name)]
    text = repr((page.display.items, page.display.slug, stamps, pdfx, issue.paper, issue.date,
                 page.grid.layout.print))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


REPORT_SCHEMA = 1  # docs/report.md; bumped when a field changes meaning or goes away


def build(issue_path: Path, out_dir: Path, pdfx: str = "1a", preflight: bool = False,
          marks: tuple[str, ...] = (), only: tuple[str, ...] = (), report_path: Path | None = None,
          progress=None) -> BuildResult:
    """Build the issue's pages (or only the pages named: every page is still composed, so that
    stories jumping between pages and their jump lines come out the same) into out_dir, with the
    report as JSON. The same function the `build` command runs.

    progress(page_id, stage, done, total), if given, is called as each page is written and checked.
    """
    started = time.perf_counter()
    issue_path, out_dir = Path(issue_path), Path(out_dir)
    issue, pages = compose_issue(issue_path)
    composed = time.perf_counter()
    unknown = [page_id for page_id in only if page_id not in {p.display.id for p in pages}]
    if unknown:
        raise PagecomposerError(f"--pages names page '{unknown[0]}', which the issue does not have",
                                None, "pages: " + ", ".join(p.display.id for p in pages))
    if only:
        pages = [page for page in pages if page.display.id in only]
    outputs = []
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = _load_cache(out_dir)
    for done, page in enumerate(pages):
        if progress:
            progress(page.display.id, "writing", done, len(pages))
        if marks:
            font = next(run.font_path for run in page.display.runs())
            info = f"{issue.paper} {issue.date} {page.display.id}  pagecomposer  PDF/X-{pdfx}"
            add_marks(page.display, marks, info, font)
        target = out_dir / f"{page.display.id}.pdf"
        digest = _page_digest(page, issue, pdfx)
        # A page whose drawing, fonts, pictures and options are those the file was last made from, and
        # whose file is still the one written then, is that file already (output is deterministic): a
        # rebuild after a one-story edit rewrites only the pages the edit reached.
        known = cache.get(target.name, {})
        if known.get("digest") != digest or known.get("sha256") != _file_hash(target):
            write_pdf([page.display], target, finish=_finisher(issue, page, pdfx))
            cache[target.name] = {"digest": digest, "sha256": _file_hash(target)}
        outputs.append(target)
    _save_cache(out_dir, cache)
    if not only and len(outputs) > 1:
        title = " ".join(part for part in (issue.paper, issue.date) if part) or "issue"
        combine(outputs, out_dir / "issue.pdf", title)
    warnings = [w for page in pages for w in page.warnings]
    quality = [story_quality(page.display.id, story.article, story.flow) for page in pages for story in page.stories]
    result = BuildResult(issue, pages, outputs, time.perf_counter() - started, warnings, quality)
    written = time.perf_counter()
    if preflight:
        result.preflight = _preflight_with_cache(pages, outputs, pdfx, progress, cache)
        _save_cache(out_dir, cache)
    # The same figures as data, for prepress scripts: what was written, what did not fit, how well it was set.
    result.report_path = report_path or out_dir / "report.json"
    checked = time.perf_counter()
    write_json(result.report_path,
               {"schema": REPORT_SCHEMA, "issue": str(issue_path), "pages": [p.display.id for p in pages],
                "timings": {"compose": round(composed - started, 3), "write": round(written - composed, 3),
                            "preflight": round(checked - written, 3)},
                "outputs": [str(o) for o in outputs], "seconds": round(result.seconds, 3),
                "overset": [{"page": page, "article": article, "chars": chars}
                            for page, article, chars in result.overset_stories],
                "preflight": [r.as_dict() for r in result.preflight]},
               quality, [str(w) for w in warnings])
    return result
