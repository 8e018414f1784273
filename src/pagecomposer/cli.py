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
def build(issue: Path, out_dir: Path, strict: bool, pdfx: str) -> None:
    """Build every page of ISSUE (an issue.yaml) into OUT/<page>.pdf."""
    from pagecomposer.build import build as run_build

    try:
        result = run_build(issue, out_dir, pdfx=pdfx)
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
    if strict and result.overset_stories:
        sys.exit(EXIT_OVERSET)
