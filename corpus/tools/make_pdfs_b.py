"""Build the part-B corpus PDFs (b01..b05) from their sources in corpus/src/.

Usage:  python corpus/tools/make_pdfs_b.py            # all part-B PDFs
        python corpus/tools/make_pdfs_b.py b03        # only stems starting with b03

Source format (corpus/src/bNN_*.md), a small markup of our own:

    ---                       front matter: key: value lines
    layout: single | twocol   single column with wide tables, or BMC-like two columns
    running: running head text
    journal: journal line printed in the page header
    ---
    # Title                   document title
    !authors Name, Name       author line            !affil ...  affiliation line
    !meta text                small italic line (received, registry, DOI ...)
    !box                      start of a shaded abstract box, ends at !endbox
    ## Heading                section heading (numbering is written in the source)
    ### Subheading
    text lines                paragraph; blank line ends it; <b> <i> <super> <sub> allowed
    [table landscape] Table 2 caption     table start (``landscape`` puts it on its own landscape page)
    | a | b |                 rows, first row is the header
    ^ footnote                footnote lines under the table
    [/table]
    [columns]                 (twocol) end of the full-width title block, start of the two columns
    [pagebreak]

The layouts are deliberately different from part A: a single-column report with wide ruled
tables and footnotes, a two-column BMC-like article with numbered headings, and landscape
table pages inside a portrait document.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

FONTS = {
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
    "Serif-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    "Sans": "DejaVuSansCondensed.ttf",
    "Sans-Bold": "DejaVuSansCondensed-Bold.ttf",
    "Sans-Italic": "DejaVuSansCondensed-Oblique.ttf",
    "Sans-BoldItalic": "DejaVuSansCondensed-BoldOblique.ttf",
}


def register_fonts() -> None:
    for name, file in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    from reportlab.pdfbase.pdfmetrics import registerFontFamily

    registerFontFamily("Serif", normal="Serif", bold="Serif-Bold", italic="Serif-Italic",
                       boldItalic="Serif-BoldItalic")
    registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans-Italic",
                       boldItalic="Sans-BoldItalic")


def styles(layout: str) -> dict[str, ParagraphStyle]:
    body_size = 9.2 if layout == "twocol" else 10
    return {
        "title": ParagraphStyle("title", fontName="Serif-Bold", fontSize=15, leading=19,
                                spaceAfter=8, alignment=TA_LEFT if layout == "twocol" else TA_CENTER),
        "authors": ParagraphStyle("authors", fontName="Serif", fontSize=10, leading=13,
                                  alignment=TA_LEFT if layout == "twocol" else TA_CENTER, spaceAfter=2),
        "affil": ParagraphStyle("affil", fontName="Serif-Italic", fontSize=8, leading=10,
                                alignment=TA_LEFT if layout == "twocol" else TA_CENTER, spaceAfter=2),
        "meta": ParagraphStyle("meta", fontName="Sans-Italic", fontSize=7.5, leading=9.5,
                               alignment=TA_LEFT if layout == "twocol" else TA_CENTER, spaceAfter=2),
        "h2": ParagraphStyle("h2", fontName="Sans-Bold", fontSize=11 if layout == "twocol" else 12,
                             leading=14, spaceBefore=9, spaceAfter=4),
        "h3": ParagraphStyle("h3", fontName="Sans-BoldItalic", fontSize=9.5, leading=12,
                             spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("body", fontName="Serif", fontSize=body_size, leading=body_size * 1.32,
                               alignment=TA_JUSTIFY, spaceAfter=5),
        "box": ParagraphStyle("box", fontName="Sans", fontSize=8.8, leading=11.5, alignment=TA_JUSTIFY,
                              spaceAfter=3),
        "caption": ParagraphStyle("caption", fontName="Sans-Bold", fontSize=8.5, leading=11,
                                  spaceBefore=6, spaceAfter=3),
        "cell": ParagraphStyle("cell", fontName="Sans", fontSize=7.6, leading=9.2),
        "cellh": ParagraphStyle("cellh", fontName="Sans-Bold", fontSize=7.6, leading=9.2),
        "foot": ParagraphStyle("foot", fontName="Sans", fontSize=7, leading=8.6, spaceAfter=1),
    }


TAG_RE = re.compile(r"<(/?)(b|i|super|sub|br/)>")


def esc(text: str) -> str:
    """Escape &, <, > for reportlab Paragraph markup but keep our few inline tags."""
    keep: list[str] = []

    def stash(m: re.Match[str]) -> str:
        keep.append(m.group(0))
        return f"\x00{len(keep) - 1}\x00"

    text = TAG_RE.sub(stash, text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\x00(\d+)\x00", lambda m: keep[int(m.group(1))], text)


def parse(path: Path) -> tuple[dict[str, str], list[tuple[str, object]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta: dict[str, str] = {}
    i = 0
    if lines and lines[0].strip() == "---":
        i = 1
        while lines[i].strip() != "---":
            k, _, v = lines[i].partition(":")
            meta[k.strip()] = v.strip()
            i += 1
        i += 1
    blocks: list[tuple[str, object]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(("p", " ".join(s.strip() for s in para)))
            para.clear()

    while i < len(lines):
        line = lines[i]
        s = line.strip()
        if not s:
            flush()
        elif s.startswith("[table"):
            flush()
            head, _, caption = s.partition("]")
            opts = head[len("[table"):].split()
            rows: list[list[str]] = []
            foots: list[str] = []
            i += 1
            while lines[i].strip() != "[/table]":
                t = lines[i].strip()
                if t.startswith("|"):
                    cells = [c.strip() for c in t.strip("|").split("|")]
                    if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells):
                        rows.append(cells)
                elif t.startswith("^"):
                    foots.append(t[1:].strip())
                i += 1
            blocks.append(("table", {"caption": caption.strip(), "opts": opts, "rows": rows, "foots": foots}))
        elif s == "[pagebreak]":
            flush()
            blocks.append(("pagebreak", None))
        elif s == "[columns]":
            flush()
            blocks.append(("columns", None))
        elif s == "!box":
            flush()
            blocks.append(("box", None))
        elif s == "!endbox":
            flush()
            blocks.append(("endbox", None))
        elif s.startswith("# "):
            flush()
            blocks.append(("title", s[2:]))
        elif s.startswith("## "):
            flush()
            blocks.append(("h2", s[3:]))
        elif s.startswith("### "):
            flush()
            blocks.append(("h3", s[4:]))
        elif s.startswith("!"):
            flush()
            kind, _, rest = s[1:].partition(" ")
            blocks.append((kind, rest))
        else:
            para.append(line)
        i += 1
    flush()
    return meta, blocks


def make_table(spec: dict, st: dict[str, ParagraphStyle], width: float) -> list:
    rows = spec["rows"]
    ncol = max(len(r) for r in rows)
    data = []
    for r_i, row in enumerate(rows):
        row = row + [""] * (ncol - len(row))
        style = st["cellh"] if r_i == 0 else st["cell"]
        data.append([Paragraph(esc(c), style) for c in row])
    first = 0.26 if ncol > 3 else 0.42
    if ncol > 7:
        first = 0.16
    rest = (1 - first) / (ncol - 1)
    widths = [width * first] + [width * rest] * (ncol - 1)
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f3f6")]),
    ]))
    out: list = [Paragraph(esc(spec["caption"]), st["caption"]), t]
    for f in spec["foots"]:
        out.append(Paragraph(esc(f), st["foot"]))
    out.append(Spacer(1, 6))
    return out


def build(src: Path) -> Path:
    meta, blocks = parse(src)
    layout = meta.get("layout", "single")
    st = styles(layout)
    out = ROOT / (src.stem + ".pdf")
    pw, ph = A4
    lm = rm = 18 * mm
    tm, bm = 20 * mm, 18 * mm
    running = meta.get("running", "")
    journal = meta.get("journal", "")

    def decorate(canvas, doc, land: bool = False) -> None:
        w, h = (landscape(A4) if land else A4)
        canvas.saveState()
        canvas.setFont("Sans-Italic", 7.5)
        canvas.drawString(lm, h - 12 * mm, journal)
        canvas.drawRightString(w - rm, h - 12 * mm, running)
        canvas.setLineWidth(0.4)
        canvas.line(lm, h - 13.5 * mm, w - rm, h - 13.5 * mm)
        canvas.setFont("Sans", 8)
        canvas.drawCentredString(w / 2, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = BaseDocTemplate(str(out), pagesize=A4, leftMargin=lm, rightMargin=rm, topMargin=tm,
                          bottomMargin=bm, title=meta.get("pdftitle", ""), author=meta.get("pdfauthor", ""))
    fw, fh = pw - lm - rm, ph - tm - bm
    gap = 7 * mm
    colw = (fw - gap) / 2
    templates = []
    if layout == "twocol":
        top_h = float(meta.get("top_height", "300"))
        first = [Frame(lm, bm + fh - top_h, fw, top_h, id="top"),
                 Frame(lm, bm, colw, fh - top_h, id="c1"),
                 Frame(lm + colw + gap, bm, colw, fh - top_h, id="c2")]
        later = [Frame(lm, bm, colw, fh, id="l1"), Frame(lm + colw + gap, bm, colw, fh, id="l2")]
        templates.append(PageTemplate("first", first, onPage=decorate))
        templates.append(PageTemplate("main", later, onPage=decorate))
        table_w = colw
    else:
        templates.append(PageTemplate("first", [Frame(lm, bm, fw, fh, id="f")], onPage=decorate))
        templates.append(PageTemplate("main", [Frame(lm, bm, fw, fh, id="m")], onPage=decorate))
        table_w = fw
    lw, lh = landscape(A4)
    templates.append(PageTemplate("land", [Frame(lm, bm, lw - lm - rm, lh - tm - bm, id="land")],
                                  pagesize=landscape(A4),
                                  onPage=lambda c, d: decorate(c, d, land=True)))
    doc.addPageTemplates(templates)

    story: list = [NextPageTemplate("main")]
    in_box: list | None = None
    for kind, val in blocks:
        target = in_box if in_box is not None else story
        if kind == "title":
            story.append(Paragraph(esc(str(val)), st["title"]))
        elif kind in ("authors", "affil", "meta"):
            story.append(Paragraph(esc(str(val)), st[kind]))
        elif kind == "box":
            in_box = []
        elif kind == "endbox":
            box = Table([[in_box]], colWidths=[fw if layout == "twocol" else fw])
            box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef2f7")),
                                     ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#8899aa")),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
            story.append(Spacer(1, 4))
            story.append(box)
            in_box = None
        elif kind == "h2":
            target.append(Paragraph(esc(str(val)), st["h2"]))
        elif kind == "h3":
            target.append(Paragraph(esc(str(val)), st["h3"]))
        elif kind == "p":
            target.append(Paragraph(esc(str(val)), st["box"] if in_box is not None else st["body"]))
        elif kind == "columns":
            story.append(FrameBreak())
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "table":
            spec = val  # type: ignore[assignment]
            if "landscape" in spec["opts"]:
                story += [NextPageTemplate("land"), PageBreak()]
                story += make_table(spec, st, lw - lm - rm)
                story += [NextPageTemplate("main"), PageBreak()]
            else:
                w = table_w if "full" not in spec["opts"] else fw
                story.append(KeepTogether(make_table(spec, st, w)))
    doc.build(story)
    return out


def build_part(part: str, argv: list[str], layouts: dict[str, Callable[[Path], Path]] | None = None) -> None:
    """Build the PDFs of one corpus part ("b", "c", ...): every ``corpus/src/<part>*.md`` whose stem
    starts with ``argv[0]`` (default: the part) and whose ``format`` is pdf, with the builder its
    ``layout`` names in ``layouts`` (default: the single-column ``build``)."""
    rl_config.invariant = 1  # byte-stable output: fixed dates and document ids
    register_fonts()
    prefix = argv[0] if argv else part
    for src in sorted(SRC.glob(f"{part}*.md")):
        if not src.stem.startswith(prefix):
            continue
        meta, _ = parse(src)
        if meta.get("format", "pdf") != "pdf":
            continue
        print((layouts or {}).get(meta.get("layout"), build)(src))


def main(argv: list[str]) -> None:
    build_part("b", argv)


if __name__ == "__main__":
    main(sys.argv[1:])
