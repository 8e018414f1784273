"""Make the example's delivered ad: a vector PDF as an agency would send it (CMYK plus a spot gold,
fonts embedded, TrimBox = the slot). It stands in for the property ad of the seed page.

    python tools/make_example_ad.py examples/lianghui/ads/zensun.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).resolve().parent.parent / "fonts"
WIDTH, HEIGHT = 999.0, 414.0  # 8 columns x lines 73-103 of the broadsheet grid
NAVY = CMYKColor(1, 0.8, 0.2, 0.3)
GOLD = CMYKColorSep(0, 0.25, 0.8, 0.05, spotName="ZENSUN Gold")
WHITE = CMYKColor(0, 0, 0, 0)


def main(out: str) -> None:
    pdfmetrics.registerFont(TTFont("AdBlack", str(FONTS / "NotoSansSC-Black.ttf")))
    pdfmetrics.registerFont(TTFont("AdSerif", str(FONTS / "NotoSerifSC-Black.ttf")))
    canvas = Canvas(out, pagesize=(WIDTH, HEIGHT), invariant=1, enforceColorSpace="sep_cmyk",
                    initialFontName="AdBlack")
    canvas.setTrimBox([0, 0, WIDTH, HEIGHT])
    canvas.setFillColor(NAVY)
    canvas.rect(0, 0, WIDTH, HEIGHT, fill=1, stroke=0)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(3)
    canvas.rect(12, 12, WIDTH - 24, HEIGHT - 24, fill=0, stroke=1)
    # A skyline of towers, drawn as vectors.
    canvas.setFillColor(GOLD)
    for i, (width, height) in enumerate([(26, 120), (34, 180), (22, 140), (40, 230), (28, 160), (36, 200)]):
        canvas.rect(60 + i * 46, 40, width, height, fill=1, stroke=0)
    canvas.setFillColor(GOLD)
    canvas.setFont("AdBlack", 64)
    canvas.drawString(380, 290, "正商集团 ZENSUN")
    canvas.setFillColor(WHITE)
    canvas.setFont("AdBlack", 26)
    canvas.drawString(384, 225, "无限品质+ 品质生活到永远")
    canvas.setFillColor(GOLD)
    canvas.setFont("AdSerif", 44)
    canvas.drawString(380, 120, "放心房 选正商 好房子 一辈子")
    canvas.showPage()
    canvas.save()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "examples/lianghui/ads/zensun.pdf")
