"""Benchmark: preflight the example page N times in one process; report wall time per page and
how much of it is Ghostscript's rendering (the ink check) against the PDF-structure checks.

    python bench/bench_preflight.py [--runs 10] [issue.yaml]

The page is built once first (no preflight), as `pagecomposer build ... --no-preflight` does.
Timing lives here, not in the tests: a timed test on a shared 2-core machine fails by chance.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from pagecomposer.pipeline import build
from pagecomposer.preflight import preflight

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("issue", nargs="?", default=str(ROOT / "examples" / "lianghui" / "issue.yaml"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        pages = build(Path(args.issue), Path(out), reuse=False).outputs
        started = time.perf_counter()
        preflight(pages[0])  # cold: modules imported, fonts parsed for the first time in this process
        cold = time.perf_counter() - started
        times = []
        for _ in range(args.runs):
            for page in pages:
                started = time.perf_counter()
                report = preflight(page)
                times.append(time.perf_counter() - started)
        assert report.passed, report.table()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {len(pages)}")
    print(f"cold preflight: {cold:.3f} s")
    print(f"warm preflight: median {statistics.median(times):.3f} s, min {min(times):.3f} s per page"
          f" over {len(times)} runs")
    print(f"peak RSS: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
