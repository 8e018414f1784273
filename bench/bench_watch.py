"""Benchmark: how long `build --watch` takes to rebuild after a one-character edit of an article.

    python bench/bench_watch.py [issue.yaml] [--edits 5]

It copies the issue's folder to a temporary place, builds once (cold), then edits one character of
the first article and rebuilds in the same process, as the watch loop does, timing each rebuild.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pagecomposer
from pagecomposer.watch import watch

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("issue", nargs="?", default=str(ROOT / "examples" / "lianghui" / "issue.yaml"))
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # A copy of examples/ and articles/, so the edits never touch the repository.
        shutil.copytree(ROOT / "examples", work / "examples")
        shutil.copytree(ROOT / "articles", work / "articles")
        issue = work / Path(args.issue).resolve().relative_to(ROOT)
        first = pagecomposer.build(issue, work / "out")
        article = next(iter(first.issue.articles.values()))
        timings: list[float] = []

        def rebuild(changed):
            started = time.perf_counter()
            result = pagecomposer.build(issue, work / "out")
            if changed:
                timings.append(time.perf_counter() - started)
            return result

        def edit(_seconds, count=[0]):
            text = article.read_text(encoding="utf-8")
            article.write_text(text.replace("。", "，", 1) if count[0] % 2 == 0 else text.replace("，", "。", 1),
                               encoding="utf-8")
            count[0] += 1

        watch(issue, rebuild, max_builds=args.edits + 1, sleep=edit)
    print(f"rebuild after a one-character edit: median {statistics.median(timings):.3f} s, "
          f"max {max(timings):.3f} s over {len(timings)} edits (preflight off, as in --watch)")


if __name__ == "__main__":
    main()
