"""Benchmark: build the example issue N times in one process, composing every page each time
(nothing reused); report wall time per build and peak memory.

    python bench/bench_build.py [--runs 5] [issue.yaml]

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

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("issue", nargs="?", default=str(ROOT / "examples" / "lianghui" / "issue.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        build(Path(args.issue), Path(out), reuse=False)  # cold: fonts read for the first time in this process
        cold = time.perf_counter() - started
        for _ in range(args.runs):
            started = time.perf_counter()
            build(Path(args.issue), Path(out), reuse=False)  # every page composed, no file kept
            times.append(time.perf_counter() - started)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cold build: {cold:.3f} s")
    print(f"warm build: median {statistics.median(times):.3f} s, min {min(times):.3f} s over {args.runs} runs")
    print(f"peak RSS: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
