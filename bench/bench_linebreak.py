"""Benchmark and quality table for the line breakers, on whole articles.

    python bench/bench_linebreak.py [ARTICLE.md ...] [--chars 13] [--runs 5]

For each article (default: every file in articles/) and each breaker (optimal, first-fit) it
shapes and breaks every paragraph at the broadsheet's body style and a column of --chars
characters, and prints: characters, time to break the whole article (median of --runs, shaping
excluded and included), mean and worst inter-character stretch of non-final lines (share of the
type size), lines compressed, and short (1-2 character) last lines.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from pathlib import Path

from pagecomposer.spec.load import load_layout
from pagecomposer.story.markdown import load_article
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import set_line
from pagecomposer.text.linebreak import break_paragraph, is_short_line
from pagecomposer.text.shaping import shape

ROOT = Path(__file__).resolve().parent.parent


def measure(article_path: Path, breaker: str, chars: int, runs: int) -> dict:
    layout = load_layout(ROOT / "layouts" / "broadsheet.yaml")
    fonts = FontSet(layout.fonts)
    style = replace(layout.styles["body"], breaker=breaker)
    story = load_article(article_path, article_path.stem, str(article_path))
    blocks = [b for b in story.blocks if b.kind in ("paragraph", "lead")]
    width = chars * style.size
    indent = style.indent * style.size
    started = time.perf_counter()
    paragraphs = [shape(b.runs, style, fonts) for b in blocks]
    shape_seconds = time.perf_counter() - started
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        all_breaks = [break_paragraph(p, 0, width - indent, width, breaker) for p in paragraphs]
        timings.append(time.perf_counter() - started)
    stretches, squeezes, compressed, short_last = [], [0.0], 0, 0
    for paragraph, breaks in zip(paragraphs, all_breaks):
        start = 0
        for number, brk in enumerate(breaks):
            first = number == 0
            last = brk.end >= len(paragraph.glyphs)
            line = set_line(paragraph, start, brk.end, width - (indent if first else 0), indent=indent if first else 0,
                            last=last)
            if not last:
                stretches.append(line.stretch_per_gap / style.size)
                squeezes.append(line.squeeze_per_gap / style.size)
                compressed += line.shrunk > 0
            elif not first and is_short_line(line.glyphs):
                short_last += 1
            start = brk.end
    return {"chars": sum(len(b.text) for b in blocks), "break_ms": statistics.median(timings) * 1000,
            "shape_ms": shape_seconds * 1000, "mean": statistics.mean(stretches), "worst": max(stretches),
            "squeeze": max(squeezes), "compressed": compressed, "short_last": short_last, "lines": len(stretches) + len(blocks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("articles", nargs="*")
    parser.add_argument("--chars", type=int, default=13)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = [Path(a) for a in args.articles] or sorted((ROOT / "articles").glob("*.md"))
    print("| article | breaker | chars | lines | break ms | shape ms | mean stretch | worst stretch | "
          "worst squeeze | compressed lines | short last lines |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        for breaker in ("optimal", "first-fit"):
            r = measure(path, breaker, args.chars, args.runs)
            print(f"| {path.stem} | {breaker} | {r['chars']} | {r['lines']} | {r['break_ms']:.1f} | "
                  f"{r['shape_ms']:.1f} | {r['mean']:.2%} | {r['worst']:.2%} | {r['squeeze']:.2%} | {r['compressed']} | {r['short_last']} |")


if __name__ == "__main__":
    main()
