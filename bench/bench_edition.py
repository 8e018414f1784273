"""Benchmark: the 两会特稿 page and a generated 32-page edition (about 60 stories, 150,000
characters), stage by stage.

    python bench/bench_edition.py [--pages 32] [--json out.json]

Prints wall time per stage (spec, story, compose = text + layout, render, preflight), pages per
second and peak memory, as a table and as JSON. The edition's copy is assembled from the
paragraphs of the articles in articles/, so it is real Chinese newspaper text.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import tempfile
import time
from pathlib import Path

from pagecomposer.layout.page import compose_issue_pages
from pagecomposer.pipeline import load_stories, preflight_pages
from pagecomposer.render.pdf import write_pdf
from pagecomposer.spec.load import load_issue

ROOT = Path(__file__).resolve().parent.parent


def make_edition(folder: Path, pages: int) -> Path:
    """pages pages, two stories each, copy cut from the shipped articles."""
    paragraphs = []
    for article in sorted((ROOT / "articles").glob("*.md")):
        body = article.read_text(encoding="utf-8").split("---", 2)[2]
        paragraphs += [p.strip() for p in body.split("\n\n") if p.strip() and not p.startswith("#")]
    (folder / "articles").mkdir()
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
                # Each paragraph made unique (as real copy is), so no cache serves a repeat.
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


def run(issue_path: Path, out: Path) -> dict:
    # Cold composition: the process-wide shaping and line-break caches (what makes --watch fast) would
    # otherwise serve the edition's repeated paragraphs for free. Fonts stay loaded, as in a warm process.
    from pagecomposer.layout import flow

    flow._SHAPED.clear()
    flow._BREAKS.clear()
    stages = {}
    started = time.perf_counter()
    issue = load_issue(issue_path)
    stages["spec"] = time.perf_counter() - started
    mark = time.perf_counter()
    stories = load_stories(issue)
    stages["story"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pages = compose_issue_pages(issue, stories)
    stages["compose"] = time.perf_counter() - mark
    mark = time.perf_counter()
    outputs = []
    for page in pages:
        target = out / f"{page.display.id}.pdf"
        write_pdf([page.display], target)
        outputs.append(target)
    stages["render"] = time.perf_counter() - mark
    mark = time.perf_counter()
    passed = all(report.passed for report in preflight_pages(pages, outputs, "none", None))
    stages["preflight"] = time.perf_counter() - mark
    total = time.perf_counter() - started
    chars = sum(s.flow.set_chars + s.flow.overset_chars for p in pages for s in p.stories)
    return {"pages": len(pages), "stories": sum(len(p.stories) for p in pages), "characters": chars,
            "stages": {k: round(v, 3) for k, v in stages.items()}, "total": round(total, 3),
            "pages_per_second": round(len(pages) / total, 2), "preflight_passed": passed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=32)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "out1").mkdir()
        results["lianghui page"] = run(ROOT / "examples" / "lianghui" / "issue.yaml", work / "out1")
        (work / "ed").mkdir()
        (work / "out2").mkdir()
        results[f"{args.pages}-page edition"] = run(make_edition(work / "ed", args.pages), work / "out2")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"
    print("| run | pages | stories | chars | spec | story | compose | render | preflight | total s | pages/s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        s = r["stages"]
        print(f"| {name} | {r['pages']} | {r['stories']} | {r['characters']:,} | {s['spec']} | {s['story']} | "
              f"{s['compose']} | {s['render']} | {s['preflight']} | {r['total']} | {r['pages_per_second']} |")
    print(f"peak memory {peak:.0f} MiB; {machine}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "peak_mib": round(peak), "runs": results}, indent=2))


if __name__ == "__main__":
    main()
