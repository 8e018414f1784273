"""The `pagecomposer` command.

A user's mistake prints one clear message (file:line:col and a hint) and exits 2, never with a
traceback (`--debug` shows one). Exit statuses, for prepress scripts:

    0  done
    1  preflight: a checked file fails (the `preflight` command)
    2  input error: the spec, a layout, an article, a font or a picture is wrong
    3  a story is overset (build --strict)
    4  a written page failed preflight (build)
    70 internal error: a bug in pagecomposer
    74 a file could not be read or written (a full disk, a folder that is a file, no permission)
"""

from __future__ import annotations

import gc
import json
import os
import sys
import traceback
from pathlib import Path

import click

from pagecomposer import __version__
from pagecomposer.errors import PagecomposerError

EXIT_PREFLIGHT_FILE = 1
EXIT_USER_ERROR = 2
EXIT_OVERSET = 3
EXIT_PREFLIGHT = 4
EXIT_INTERNAL_ERROR = 70  # EX_SOFTWARE
EXIT_IO_ERROR = 74  # EX_IOERR


class Console:
    """Output manners: quiet or verbose, colour only on a terminal, messages to stderr."""

    def __init__(self, quiet: bool, verbose: bool, debug: bool):
        self.quiet, self.verbose, self.debug = quiet, verbose, debug

    def out(self, text: str) -> None:
        if not self.quiet:
            click.echo(text)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(text)

    def warn(self, text: str) -> None:
        click.secho(f"warning: {text}", err=True, fg="yellow")

    def error(self, text: str) -> None:
        click.secho(f"error: {text}", err=True, fg="red")

    def fail(self, exc: BaseException) -> None:
        """Report an exception and exit: a user's mistake plainly, a bug as a bug."""
        if isinstance(exc, PagecomposerError):
            self.error(str(exc))
            sys.exit(EXIT_USER_ERROR)
        if isinstance(exc, OSError) and exc.filename:
            # The machine, not the input and not a bug: say which file and why, in the system's words.
            self.error(f"{exc.strerror or exc}: {exc.filename} (files already in the output folder are "
                       "left as they were)")
            if self.debug:
                traceback.print_exc()
            sys.exit(EXIT_IO_ERROR)
        if self.debug:
            traceback.print_exc()
        click.secho(f"internal error: {type(exc).__name__}: {exc}\n  this is a bug in pagecomposer; please report "
                    "it with the issue file (--debug shows the traceback)", err=True, fg="red")
        sys.exit(EXIT_INTERNAL_ERROR)


def _console() -> Console:
    return click.get_current_context().find_root().obj


def _set_quiet(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.find_root().obj.quiet = True


def _set_verbose(ctx: click.Context, _param, value: bool) -> None:
    if value:
        ctx.find_root().obj.verbose = True


def _kinds_option(console: Console, option: str, parse, text: str) -> tuple[str, ...]:
    """The names in a comma-separated option (--marks, --show); an unknown one is a usage error."""
    try:
        return parse(text)
    except ValueError as exc:
        console.error(f"{option}: {exc}")
        sys.exit(EXIT_USER_ERROR)


def output_options(command):
    """-q and -v after the command name too (`pagecomposer build -q …`), as people type them."""
    command = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbose,
                           help="Print more detail.")(command)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
                        help="Print nothing but warnings and errors.")(command)


@click.group(epilog="Run 'pagecomposer COMMAND --help' for a command's options and examples.")
@click.version_option(__version__, prog_name="pagecomposer")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail (per-story figures, files written).")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool, debug: bool) -> None:
    """Compose newspaper pages from an issue.yaml into print-ready PDF."""
    ctx.obj = Console(quiet, verbose, debug)


def run() -> None:
    """The console command: main(), made quicker for a one-shot process.

    - A build allocates about a million small objects that live until it ends. Python's cycle
      collector would walk them again and again; with the imports frozen out of its view and a
      higher first threshold it runs a few times instead of hundreds (a tenth of a page build).
    - At the end every file is written, renamed and closed, and the pools are shut down, so the
      interpreter's teardown (freeing those objects one by one, another tenth) is skipped: the
      process flushes its output and exits with the status main() chose.
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        main()
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


# --- build ------------------------------------------------------------------------------------

def _print_result(console: Console, result, out_dir: Path) -> None:
    for warning in result.warnings:
        console.warn(str(warning))
    console.out(f"pagecomposer: {result.summary()} -> {out_dir}/")
    for story in result.quality:
        console.out(f"  {story.summary()}")
    for path in result.outputs:
        console.detail(f"  wrote {path}")
    for report in result.preflight:
        if not report.passed:
            click.echo(report.table(), err=True)


def _run_build(console: Console, issue: Path, out_dir: Path, **options):
    from pagecomposer.pipeline import build as run_build

    show_progress = sys.stdout.isatty() and not console.quiet
    if not show_progress:
        return run_build(issue, out_dir, **options)
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("composing", total=None)

        def step(page_id: str, stage: str, done: int, total: int) -> None:
            progress.update(task, description=f"{stage} {page_id}", completed=done, total=total)

        return run_build(issue, out_dir, progress=step, **options)


@main.command(epilog="""Examples:

\b
  pagecomposer build examples/lianghui/issue.yaml -o out/
  pagecomposer build issue.yaml -o out/ --pages A01,A03 --marks crop,registration
  pagecomposer build issue.yaml -o out/ --strict --report out/report.json   # for prepress scripts
  pagecomposer build issue.yaml -o out/ --watch                              # rebuild on every save""")
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Folder for the page PDFs, issue.pdf and report.json.")
@click.option("--strict", is_flag=True, help="Exit with status 3 when any story is overset.")
@click.option("--pdfx", type=click.Choice(["1a", "4", "none"]), default="1a", show_default=True,
              help="PDF/X conformance of the pages: X-1a:2001, X-4, or plain PDF.")
@click.option("--no-preflight", is_flag=True, help="Skip checking the written PDFs.")
@click.option("--marks", default="", metavar="KINDS",
              help="Printer's marks in a slug outside the bleed: any of crop,registration,colorbar,info.")
@click.option("--pages", "only", default="", metavar="IDS", help="Build only these pages, e.g. A01,A03.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), default=None,
              help="Write the build report (JSON, see docs/report.md) here instead of OUT/report.json.")
@click.option("--watch", is_flag=True, help="Stay running; rebuild when a spec, layout, article, font or picture changes.")
@output_options
def build(issue: Path, out_dir: Path, strict: bool, pdfx: str, no_preflight: bool, marks: str, only: str,
          report_path: Path | None, watch: bool) -> None:
    """Build every page of ISSUE into OUT/<page>.pdf and the edition into OUT/issue.pdf, then preflight them."""
    from pagecomposer.render.marks import parse_marks

    console = _console()
    mark_kinds = _kinds_option(console, "--marks", parse_marks, marks)
    options = dict(pdfx=pdfx, preflight=not no_preflight, marks=mark_kinds,
                   only=tuple(p.strip() for p in only.split(",") if p.strip()), report_path=report_path,
                   keep_pages=False)
    if watch:
        _watch(console, issue, out_dir, options)
        return
    try:
        result = _run_build(console, issue, out_dir, **options)
    except Exception as exc:  # noqa: BLE001 — reported by kind, see Console.fail
        console.fail(exc)
    _print_result(console, result, out_dir)
    if result.preflight and not all(report.passed for report in result.preflight):
        sys.exit(EXIT_PREFLIGHT)
    if strict and result.overset_stories:
        sys.exit(EXIT_OVERSET)


def _watch(console: Console, issue: Path, out_dir: Path, options: dict) -> None:
    from pagecomposer.pipeline import build as run_build
    from pagecomposer.watch import watch

    options = {**options, "preflight": False}  # the quick loop; a final build without --watch preflights

    def rebuild(changed: list[Path]):
        if changed:
            console.out("changed: " + ", ".join(str(p.name) for p in changed))
        try:
            result = run_build(issue, out_dir, **options)
        except Exception as exc:  # noqa: BLE001 — the watch never dies on input: say it, keep watching
            _watch_failed(console, exc)
            return None
        _print_result(console, result, out_dir)
        return result

    console.out(f"watching {issue} (Ctrl-C to stop)")
    try:
        watch(issue, rebuild)
    except KeyboardInterrupt:
        console.out("stopped")


def _watch_failed(console: Console, exc: Exception) -> None:
    """What Console.fail says about a failed build, without exiting: the watch waits for the fix."""
    if isinstance(exc, PagecomposerError):
        console.error(str(exc))
    elif isinstance(exc, OSError) and exc.filename:
        console.error(f"{exc.strerror or exc}: {exc.filename}")
    else:
        if console.debug:
            traceback.print_exc()
        console.error(f"internal error: {type(exc).__name__}: {exc} (a bug in pagecomposer; please report it "
                      "with the issue file; --debug shows the traceback)")
    console.out("waiting for the next save (Ctrl-C to stop)")


# --- preview ----------------------------------------------------------------------------------

MIN_PREVIEW_DPI, MAX_PREVIEW_DPI = 5.0, 1200.0
# A page image is held in memory whole (3 bytes a pixel, and the contact sheet besides): a broadsheet
# at 300 dpi is 32 million pixels; far more would exhaust the memory of a desk's machine.
MAX_PREVIEW_PIXELS = 80_000_000
PREVIEW_SLUG_PT = 72.0  # printer's marks may widen the page beyond trim and bleed by this much a side


def _preview_dpi(value: float) -> float:
    if not (MIN_PREVIEW_DPI <= value <= MAX_PREVIEW_DPI):  # NaN fails every comparison, so it lands here too
        raise click.BadParameter(f"{value:g} is not a resolution to preview at; give "
                                 f"{MIN_PREVIEW_DPI:g} to {MAX_PREVIEW_DPI:g}", param_hint="'--dpi'")
    return value


def _check_preview_size(issue_path: Path, dpi: float) -> None:
    """Refuse before composing a resolution whose largest page image would not fit in memory."""
    from pagecomposer.spec.load import load_issue

    scale = dpi / 72
    for page in load_issue(issue_path).pages:
        layout = page.layout
        width = (layout.trim_width + 2 * (layout.bleed + PREVIEW_SLUG_PT)) * scale
        height = (layout.trim_height + 2 * (layout.bleed + PREVIEW_SLUG_PT)) * scale
        if width * height > MAX_PREVIEW_PIXELS:
            most = dpi * (MAX_PREVIEW_PIXELS / (width * height)) ** 0.5
            click.secho(f"error: --dpi {dpi:g}: page {page.id} would be a {width:,.0f} x {height:,.0f} pixel image, "
                        f"more than {MAX_PREVIEW_PIXELS:,}\n  hint: preview at --dpi {int(most)} or less",
                        err=True, fg="red")
            sys.exit(EXIT_USER_ERROR)


@main.command(epilog="""Examples:

\b
  pagecomposer preview examples/edition/issue.yaml -o out/preview
  pagecomposer preview issue.yaml --show grid,frames,overset --dpi 50""")
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/preview"),
              show_default=True, help="Folder for the PNGs (and the PDFs they come from).")
@click.option("--dpi", type=float, default=60, show_default=True, callback=lambda _c, _p, v: _preview_dpi(v),
              help=f"Resolution of the page PNGs ({MIN_PREVIEW_DPI:g}-{MAX_PREVIEW_DPI:g}).")
@click.option("--show", default="", metavar="GUIDES", help="Draw on the PNGs only: any of grid,frames,overset.")
@output_options
def preview(issue: Path, out_dir: Path, dpi: float, show: str) -> None:
    """Render each page of ISSUE to OUT/<page>.png and all pages to OUT/contact.png."""
    from pagecomposer.render.preview import contact_sheet, draw_guides, parse_guides, render_page

    console = _console()
    guides = _kinds_option(console, "--show", parse_guides, show)
    try:
        _check_preview_size(issue, dpi)
        # Guides are drawn from the display lists, so every page is composed (none reused).
        result = _run_build(console, issue, out_dir, preflight=False, reuse=False)
        images = []
        for page, pdf in zip(result.pages, result.outputs):
            image = render_page(pdf, dpi)
            if guides:
                draw_guides(image, page, dpi, guides)
            image.save(out_dir / f"{page.display.id}.png")
            images.append(image)
        contact_sheet(images).save(out_dir / "contact.png")
    except Exception as exc:  # noqa: BLE001
        console.fail(exc)
    for warning in result.warnings:
        console.warn(str(warning))
    console.out(f"pagecomposer: {len(images)} page(s) previewed -> {out_dir}/ (contact.png has them all)")


# --- fit, check, init -------------------------------------------------------------------------

@main.command(epilog="""Examples:

\b
  pagecomposer fit examples/edition/issue.yaml
  pagecomposer fit issue.yaml --json > fit.json""")
@click.argument("issue", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@output_options
def fit(issue: Path, as_json: bool) -> None:
    """Copyfit: per story, the lines its frames offer and its copy needs, and what would make it fit."""
    from pagecomposer.pipeline import compose_issue
    from pagecomposer.copyfit import copyfit

    console = _console()
    try:
        _, pages = compose_issue(issue)
    except Exception as exc:  # noqa: BLE001
        console.fail(exc)
    fits = copyfit(pages)
    if as_json:
        click.echo(json.dumps([f.as_dict() for f in fits], ensure_ascii=False, indent=2))
        return
    for f in fits:
        console.out(f"{f.page}/{f.article}: {f.status}; {f.lines_needed} lines needed of {f.lines_available}, "
                    f"{f.chars} characters; {f.advice}")


@main.command(epilog="""Example:

\b
  pagecomposer check examples/edition/issue.yaml""")
@click.argument("issue", type=click.Path(path_type=Path))
@output_options
def check(issue: Path) -> None:
    """Check ISSUE, its layouts, articles, fonts and pictures without composing or writing anything."""
    from pagecomposer.pipeline import load_stories
    from pagecomposer.spec.load import load_issue
    from pagecomposer.validate import check_delivered_files

    console = _console()
    try:
        # Everything build checks short of composing: every value as it is read, the articles, and
        # each font and picture parsed in full and refused as a page would refuse it.
        spec = load_issue(issue)
        stories = load_stories(spec)
        fonts, pictures = check_delivered_files(spec)
    except Exception as exc:  # noqa: BLE001
        console.fail(exc)
    console.out(f"{issue}: ok — {len(spec.pages)} page(s), {len(stories)} article(s), {len(fonts)} font(s), "
                f"{len(pictures)} picture(s)")


@main.command(epilog="""Example:

\b
  pagecomposer init my-issue --layout broadsheet
  pagecomposer build my-issue/issue.yaml -o my-issue/out""")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--layout", default="broadsheet", show_default=True, help="broadsheet, tabloid or berliner.")
@output_options
def init(folder: Path, layout: str) -> None:
    """Create a small working issue in FOLDER to start from."""
    from pagecomposer.scaffold import init as scaffold

    console = _console()
    try:
        written = scaffold(folder, layout)
    except Exception as exc:  # noqa: BLE001
        console.fail(exc)
    for path in written:
        console.out(f"wrote {path}")
    console.out(f"next: pagecomposer build {folder / 'issue.yaml'} -o {folder / 'out'}")


# --- preflight --------------------------------------------------------------------------------

@main.command(epilog="""Checks: PDF/X-1a:2001, X-1a:2003, X-3:2002, X-3:2003 and X-4, each by its own
rules (version, OutputIntent, metadata, colour, transparency, fonts and glyphs, images, boxes,
annotations, actions, encryption, white overprint, total ink over an area, plates). See docs/print.md.

\b
Examples:
  pagecomposer preflight out/A01.pdf out/A02.pdf
  pagecomposer preflight ad-from-agency.pdf --json --ink-limit 260
  pagecomposer preflight A01.pdf --plates 5 --ink-area 1.5""")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--ink-limit", type=float, default=240.0, show_default=True, help="Total area coverage limit, %.")
@click.option("--ink-area", type=click.FloatRange(min=0.1, max=20), default=1.5, show_default=True,
              help="Side (mm) of the square total ink is averaged over, as the plant measures it.")
@click.option("--plates", type=click.IntRange(min=1), default=None,
              help="Most printing plates a page may use (process plates with ink + spot inks); no limit if unset.")
@click.option("--min-ppi", type=float, default=200.0, show_default=True, help="Lowest effective image resolution.")
@click.option("--require-pdfx/--no-require-pdfx", default=True, show_default=True,
              help="Fail a file that does not declare PDF/X.")
@output_options
def preflight(pdfs: tuple[Path, ...], as_json: bool, ink_limit: float, ink_area: float, plates: int | None,
              min_ppi: float, require_pdfx: bool) -> None:
    """Check PDFS as a newspaper plant would; exit 1 if any fails."""
    from pagecomposer.preflight import preflight as run_preflight

    console = _console()
    reports = []
    for pdf in pdfs:
        if not pdf.is_file():
            console.error(f"{pdf}: " + (f"a folder, not a PDF file (give the files in it: {pdf}/*.pdf)"
                                        if pdf.is_dir() else "file not found"))
            sys.exit(EXIT_USER_ERROR)
        reports.append(run_preflight(pdf, ink_limit=ink_limit, min_ppi=min_ppi, require_pdfx=require_pdfx,
                                     ink_area=ink_area, plates=plates))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(report.table())
    sys.exit(0 if all(r.passed for r in reports) else EXIT_PREFLIGHT_FILE)
