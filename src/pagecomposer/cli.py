"""The `pagecomposer` command. User errors print one clear message and exit 2; never a traceback."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from pagecomposer import __version__
from pagecomposer.errors import PagecomposerError

EXIT_USER_ERROR = 2
EXIT_OVERSET = 3
EXIT_PREFLIGHT = 4
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE


@click.group()
@click.version_option(__version__, prog_name="pagecomposer")
def main() -> None:
    """Compose newspaper pages from an issue.yaml into print-ready PDF."""


@main.command()
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for the page PDFs.")
@click.option("--strict", is_flag=True, help="Exit with status 3 when any story is overset.")
@click.option("--pdfx", type=click.Choice(["1a", "4", "none"]), default="1a", show_default=True,
              help="PDF/X conformance of the pages: X-1a:2001, X-4, or plain PDF.")
@click.option("--no-preflight", is_flag=True, help="Skip checking the written PDFs.")
@click.option("--marks", default="", metavar="KINDS",
              help="Printer's marks in a slug outside the bleed: any of crop,registration,colorbar,info.")
@click.option("--pages", "only", default="", metavar="IDS", help="Build only these pages, e.g. A01,A03.")
def build(issue: Path, out_dir: Path, strict: bool, pdfx: str, no_preflight: bool, marks: str, only: str) -> None:
    """Build every page of ISSUE (an issue.yaml) into OUT/<page>.pdf and the whole edition into
    OUT/issue.pdf, then preflight them."""
    from pagecomposer.build import build as run_build
    from pagecomposer.render.marks import parse_marks

    try:
        mark_kinds = parse_marks(marks)
    except ValueError as exc:
        click.echo(f"error: --marks: {exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
    try:
        page_ids = tuple(p.strip() for p in only.split(",") if p.strip())
        result = run_build(issue, out_dir, pdfx=pdfx, preflight=not no_preflight, marks=mark_kinds, only=page_ids)
    except PagecomposerError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for who asks
        if os.environ.get("PAGECOMPOSER_DEBUG"):
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc}\n  this is a bug in pagecomposer; please "
                   "report it with the issue file (PAGECOMPOSER_DEBUG=1 shows the traceback)", err=True)
        sys.exit(EXIT_INTERNAL_ERROR)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"pagecomposer: {result.summary()} -> {out_dir}/")
    for story in result.quality:
        click.echo(f"  {story.summary()}")
    for report in result.preflight:
        if not report.passed:
            click.echo(report.table(), err=True)
    if result.preflight and not all(report.passed for report in result.preflight):
        sys.exit(EXIT_PREFLIGHT)
    if strict and result.overset_stories:
        sys.exit(EXIT_OVERSET)


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--ink-limit", type=float, default=240.0, show_default=True, help="Total area coverage limit, %.")
@click.option("--min-ppi", type=float, default=200.0, show_default=True, help="Lowest effective image resolution.")
@click.option("--require-pdfx/--no-require-pdfx", default=True, show_default=True,
              help="Fail a file that does not declare PDF/X.")
def preflight(pdfs: tuple[Path, ...], as_json: bool, ink_limit: float, min_ppi: float, require_pdfx: bool) -> None:
    """Check PDFS as a newspaper plant would; exit 1 if any fails."""
    import json

    from pagecomposer.preflight import preflight as run_preflight

    reports = []
    for pdf in pdfs:
        if not pdf.is_file():
            click.echo(f"error: {pdf}: file not found", err=True)
            sys.exit(EXIT_USER_ERROR)
        reports.append(run_preflight(pdf, ink_limit=ink_limit, min_ppi=min_ppi, require_pdfx=require_pdfx))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(report.table())
    sys.exit(0 if all(r.passed for r in reports) else 1)
