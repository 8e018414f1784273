"""Render PDF pages to PNG with pdfium (no external binaries): python tools/render_png.py IN.pdf OUT.png [--dpi 100]"""

from __future__ import annotations

import argparse

import pypdfium2 as pdfium


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdf")
    parser.add_argument("png")
    parser.add_argument("--dpi", type=float, default=100)
    parser.add_argument("--page", type=int, default=0)
    args = parser.parse_args()
    document = pdfium.PdfDocument(args.pdf)
    image = document[args.page].render(scale=args.dpi / 72).to_pil()
    image.save(args.png, optimize=True)
    print(f"{args.png}: {image.size[0]} x {image.size[1]} px")


if __name__ == "__main__":
    main()
