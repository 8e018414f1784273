"""Benchmark: the 两会特稿 page and a generated 32-page edition (about 60 stories, 150,000
characters), as the desk runs them and stage by stage.

    python bench/bench_edition.py [--pages 32] [--runs 3] [--json out.json]

Two tables, both also written as JSON with --json:

1. Whole `pagecomposer build` processes, the way a desk or a prepress script runs them (every
   import, font load and worker start counted; the median of --runs). Each is checked against the
   target of issue 7:
   - the page without preflight, the font cache warm, a fresh output folder: under 0.5 s;
   - the edition cold (empty font cache, fresh output folder, preflight included): under 10 s;
   - the edition again after one story is edited: under 2 s.
   Also shown: the page with preflight, the edition with a warm font cache, and an unchanged rebuild.
2. Stages, composing and rendering in one process on one core (preflight across cores, as a
   build runs it), so each stage's share is visible: spec, story (Markdown),
   text (shaping and line breaking), layout (everything else in composing), render (PDF), preflight.
   Text is measured as the difference between composing with empty shaping/break caches and
   composing again with them full.

The edition's copy is cut from the articles in articles/, every paragraph made unique, so it is
real Chinese newspaper text and no cache serves a repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"page": 0.5, "edition cold": 10.0, "edition after one-story edit": 2.0}


def make_edition(folder: Path, pages: int) -> Path:
    """pages pages, two stories each, copy cut from the shipped articles."""
    paragraphs = []
    for article in sorted((ROOT / "articles").glob("*.md")):
        body = article.read_text(encoding="utf-8").split("---", 2)[2]
        paragraphs += [p.strip() for p in body.split("\n\n") if p.strip() and not p.startswith("#")]
    (folder / "articles").mkdir(parents=True)
    lines = ["paper: 基准日报", "date: 2026-03-18", "pages:"]
    cursor = 0
    for number in range(1, pages + 1):
        page_id = f"B{number:02d}"
        lines += [f"  - id: {page_id}", "    layout: broadsheet", "    template: inner", "    section: 基准",
                  "    elements:"]
        for index, (top, bottom) in enumerate(((1, 50), (53, 103))):
            name = f"s{number:02d}{index}"
            chosen = []
            while sum(len(p) for p in chosen) < 2300:
                chosen.append(f"第{cursor}段：" + paragraphs[cursor % len(paragraphs)])
                cursor += 1
            text = "\n\n".join(chosen[:2] + ["## 小标题 在这里"] + chosen[2:])
            (folder / "articles" / f"{name}.md").write_text(
                f"---\ntitle: 基准稿件{name} 第二部分\nbyline: 本报记者 某某\nlead_paragraphs: 1\n---\n\n{text}\n",
                encoding="utf-8")
            lines += [f"      - {{type: headline, article: {name}, columns: 1-8, lines: {top}-{top + 7}, style: headline-m}}",
                      f"      - {{type: story, article: {name}, frames: [{{columns: 1-8, lines: {top + 9}-{bottom}}}]}}"]
    issue = folder / "issue.yaml"
    issue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return issue


# --- whole processes ---------------------------------------------------------------------------

def _process(issue: Path, out: Path, cache: Path, *extra: str) -> float:
    env = {**os.environ, "PAGECOMPOSER_CACHE": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed tool has its bytecode; see main()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagecomposer", "-q", "build", str(issue), "-o", str(out), *extra],
                   check=True, env=env)
    return time.perf_counter() - started


def whole_processes(page: Path, edition: Path, work: Path, runs: int) -> dict:
    warm = work / "font-cache"
    _process(page, work / "prime", warm, "--no-preflight")  # fills the font cache once

    def fresh(issue: Path, cold_fonts: bool, *extra: str) -> float:
        times = []
        for attempt in range(runs):
            out = work / f"fresh-{time.monotonic_ns()}"
            cache = work / f"cold-cache-{attempt}-{time.monotonic_ns()}" if cold_fonts else warm
            times.append(_process(issue, out, cache, *extra))
            shutil.rmtree(out)
        return statistics.median(times)

    results = {
        "page": fresh(page, False, "--no-preflight"),
        "page with preflight": fresh(page, False),
        "edition cold": fresh(edition, True),
        "edition, fonts cached": fresh(edition, False),
    }
    out = work / "edition-out"
    _process(edition, out, warm)
    article = sorted((edition.parent / "articles").glob("*.md"))[5]  # one story, somewhere inside
    edits = []
    for attempt in range(runs):
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("第", f"第{attempt}", 1), encoding="utf-8")
        edits.append(_process(edition, out, warm))
    results["edition after one-story edit"] = statistics.median(edits)
    results["edition unchanged"] = statistics.median(_process(edition, out, warm) for _ in range(runs))
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": {name: round(value, 3) for name, value in results.items()}, "peak_mib": round(peak)}


# --- stages in one process -----------------------------------------------------------------------

def stages(issue_path: Path, out: Path) -> dict:
    from pagecomposer.layout import flow
    from pagecomposer.layout.page import compose_issue_pages
    from pagecomposer.pipeline import _finisher, load_stories, preflight_pages
    from pagecomposer.render.pdf import write_pdf
    from pagecomposer.spec.load import load_issue
    from pagecomposer.text import latin

    flow._SHAPED.clear()
    flow._BREAKS.clear()
    latin.kerned_advances.cache_clear()
    times = {}
    started = time.perf_counter()
    issue = load_issue(issue_path)
    times["spec"] = time.perf_counter() - started
    mark = time.perf_counter()
    stories = load_stories(issue)
    times["story"] = time.perf_counter() - mark
    mark = time.perf_counter()
    compose_issue_pages(issue, stories)
    composing = time.perf_counter() - mark
    mark = time.perf_counter()
    pages = compose_issue_pages(issue, stories)  # shaping and breaks now come from the caches
    times["layout"] = time.perf_counter() - mark
    times["text"] = composing - times["layout"]
    mark = time.perf_counter()
    outputs = []
    for page in pages:
        target = out / f"{page.display.id}.pdf"
        write_pdf([page.display], target, finish=_finisher(issue, page, "1a"))
        outputs.append(target)
    times["render"] = time.perf_counter() - mark
    mark = time.perf_counter()
    reports = preflight_pages([(path, page.grid.layout.print) for path, page in zip(outputs, pages)], "1a")
    times["preflight"] = time.perf_counter() - mark
    total = sum(times.values())
    chars = sum(s.flow.set_chars + s.flow.overset_chars for p in pages for s in p.stories)
    return {"pages": len(pages), "stories": sum(len(p.stories) for p in pages), "characters": chars,
            "stages": {k: round(v, 3) for k, v in times.items()}, "total": round(total, 3),
            "pages_per_second": round(len(pages) / total, 2), "preflight_passed": all(r.passed for r in reports)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="runs per whole-process figure (the median is shown)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    page = ROOT / "examples" / "lianghui" / "issue.yaml"
    # Measured as installed: pip compiles a package's bytecode when it installs it, while a checkout
    # whose environment sets PYTHONDONTWRITEBYTECODE would recompile every edited module on each run.
    import compileall

    import pagecomposer

    compileall.compile_dir(Path(pagecomposer.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        edition = make_edition(work / "edition", args.pages)
        processes = whole_processes(page, edition, work, args.runs)
        staged = {}
        for name, issue in (("两会特稿 page", page), (f"{args.pages}-page edition", edition)):
            (work / name).mkdir()
            staged[name] = stages(issue, work / name)
    machine = (f"{os.cpu_count()} cores, {platform.machine()}, {platform.python_implementation()} "
               f"{platform.python_version()}")

    print(f"Whole `pagecomposer build` processes (median of {args.runs}; {machine}):\n")
    print("| run | seconds | target |")
    print("|---|---|---|")
    verdicts = {}
    for name, seconds in processes["seconds"].items():
        target = TARGETS.get(name)
        verdicts[name] = None if target is None else seconds < target
        mark = "" if target is None else f"< {target} s: {'met' if seconds < target else 'MISSED'}"
        print(f"| {name} | {seconds:.2f} | {mark} |")
    print(f"\npeak memory of any one process: {processes['peak_mib']} MiB\n")
    print("Stages: composing and rendering on one core, preflight across cores (seconds):\n")
    print("| run | pages | stories | chars | spec | story | text | layout | render | preflight | total | pages/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in staged.items():
        s = r["stages"]
        print(f"| {name} | {r['pages']} | {r['stories']} | {r['characters']:,} | {s['spec']} | {s['story']} | "
              f"{s['text']} | {s['layout']} | {s['render']} | {s['preflight']} | {r['total']} | "
              f"{r['pages_per_second']} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the staged process: {peak:.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "processes": processes, "targets": TARGETS,
                                         "met": verdicts, "stages": staged, "staged_peak_mib": round(peak)},
                                        ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
