"""Build the part-C corpus PDFs (c03, c08) from their sources in corpus/src/.

Usage:  python corpus/tools/make_pdfs_c.py            # all part-C PDFs
        python corpus/tools/make_pdfs_c.py c08        # only stems starting with c08

The source markup is the one of make_pdfs_b.py (read its docstring); this module reuses its parser,
fonts, styles and table builder. Two layouts:

    layout: twocol    the BMC-like two-column article of make_pdfs_b, plus one extra table option:
                      ``[table wide] caption`` starts a new page whose top is a full-width band holding
                      the table, with the two text columns continuing below it (journal-style wide
                      table); without ``wide`` tables stay inside a column as in make_pdfs_b
    layout: poster    new here: one landscape page, a coloured title band, a single text column with
                      a small ruled table, as printed for a conference poster abstract
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, KeepTogether, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Spacer, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_pdfs_b as b  # noqa: E402  (layout functions shared with part B)

ROOT = b.ROOT


PAGE_W, PAGE_H = A4
LM = RM = 18 * mm
TM, BM = 20 * mm, 18 * mm
GAP = 7 * mm


def decorator(meta: dict[str, str]):
    """Running head and page number as in make_pdfs_b."""

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Sans-Italic", 7.5)
        canvas.drawString(LM, PAGE_H - 12 * mm, meta.get("journal", ""))
        canvas.drawRightString(PAGE_W - RM, PAGE_H - 12 * mm, meta.get("running", ""))
        canvas.setLineWidth(0.4)
        canvas.line(LM, PAGE_H - 13.5 * mm, PAGE_W - RM, PAGE_H - 13.5 * mm)
        canvas.setFont("Sans", 8)
        canvas.drawCentredString(PAGE_W / 2, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return decorate


def build_twocol_wide(src: Path) -> Path:
    """Two-column article whose ``wide`` tables span both columns at the top of a page."""
    meta, blocks = b.parse(src)
    st = b.styles("twocol")
    out = ROOT / (src.stem + ".pdf")
    fw, fh = PAGE_W - LM - RM, PAGE_H - TM - BM
    colw = (fw - GAP) / 2
    decorate = decorator(meta)
    top_h = float(meta.get("top_height", "300"))

    def page(name: str, band: float) -> PageTemplate:
        frames = [Frame(LM, BM + fh - band, fw, band, id=f"{name}-top")] if band else []
        frames += [Frame(LM, BM, colw, fh - band, id=f"{name}-c1"),
                   Frame(LM + colw + GAP, BM, colw, fh - band, id=f"{name}-c2")]
        return PageTemplate(name, frames, onPage=decorate)

    templates = [page("first", top_h), page("main", 0)]
    story: list = [NextPageTemplate("main")]
    in_box: list | None = None
    for kind, val in blocks:
        target = in_box if in_box is not None else story
        if kind == "title":
            story.append(Paragraph(b.esc(str(val)), st["title"]))
        elif kind in ("authors", "affil", "meta"):
            story.append(Paragraph(b.esc(str(val)), st[kind]))
        elif kind == "box":
            in_box = []
        elif kind == "endbox":
            box = Table([[in_box]], colWidths=[fw])
            box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef2f7")),
                                     ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#8899aa")),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 8)]))
            story += [Spacer(1, 4), box]
            in_box = None
        elif kind in ("h2", "h3"):
            target.append(Paragraph(b.esc(str(val)), st[kind]))
        elif kind == "p":
            target.append(Paragraph(b.esc(str(val)), st["box"] if in_box is not None else st["body"]))
        elif kind == "columns":
            story.append(FrameBreak())
        elif kind == "pagebreak":
            story.append(PageBreak())
        elif kind == "table":
            spec = val  # type: ignore[assignment]
            if "wide" in spec["opts"]:
                parts = b.make_table(spec, st, fw)
                band = sum(f.wrap(fw, fh)[1] for f in parts[:-1]) + 24  # the trailing spacer is not needed here
                name = f"wide{len(templates)}"
                templates.append(page(name, band))
                story += [NextPageTemplate(name), PageBreak(), *parts[:-1], FrameBreak(), NextPageTemplate("main")]
            else:
                story.append(KeepTogether(b.make_table(spec, st, colw)))
    doc = BaseDocTemplate(str(out), pagesize=A4, leftMargin=LM, rightMargin=RM, topMargin=TM,
                          bottomMargin=BM, title=meta.get("pdftitle", ""), author=meta.get("pdfauthor", ""))
    doc.addPageTemplates(templates)
    doc.build(story)
    return out


def build_poster(src: Path) -> Path:
    meta, blocks = b.parse(src)
    st = b.styles("single")
    st["body"] = ParagraphStyle("pbody", parent=st["body"], fontName="Sans", fontSize=10.5, leading=13.5)
    st["h2"] = ParagraphStyle("ph2", parent=st["h2"], textColor=colors.HexColor("#1d4e89"), fontSize=12,
                              spaceBefore=5, spaceAfter=2)
    band = ParagraphStyle("band", fontName="Sans-Bold", fontSize=17, leading=21, textColor=colors.white)
    band_small = ParagraphStyle("bands", fontName="Sans", fontSize=9.5, leading=12, textColor=colors.white)
    out = ROOT / (src.stem + ".pdf")
    pw, ph = landscape(A4)
    margin = 14 * mm
    band_h = 34 * mm
    title = next((str(v) for k, v in blocks if k == "title"), "")
    lines = [str(v) for k, v in blocks if k in ("authors", "affil", "meta")]

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#1d4e89"))
        canvas.rect(0, ph - band_h, pw, band_h, stroke=0, fill=1)
        y = ph - 8 * mm
        p = Paragraph(b.esc(title), band)
        w, h = p.wrap(pw - 2 * margin, band_h)
        p.drawOn(canvas, margin, y - h)
        y -= h + 2
        for line in lines:
            q = Paragraph(b.esc(line), band_small)
            w, h = q.wrap(pw - 2 * margin, band_h)
            q.drawOn(canvas, margin, y - h)
            y -= h
        canvas.setFont("Sans-Italic", 7.5)
        canvas.setFillColor(colors.black)
        canvas.drawString(margin, 8 * mm, meta.get("footer", ""))
        canvas.restoreState()

    doc = BaseDocTemplate(str(out), pagesize=(pw, ph), leftMargin=margin, rightMargin=margin,
                          topMargin=band_h + 5 * mm, bottomMargin=14 * mm,
                          title=meta.get("pdftitle", ""), author=meta.get("pdfauthor", ""))
    fw = pw - 2 * margin
    frame = Frame(margin, 14 * mm, fw, ph - band_h - 5 * mm - 14 * mm, id="poster")
    doc.addPageTemplates([PageTemplate("poster", [frame], onPage=decorate)])
    story: list = []
    for kind, val in blocks:
        if kind == "h2":
            story.append(Paragraph(b.esc(str(val)), st["h2"]))
        elif kind == "p":
            story.append(Paragraph(b.esc(str(val)), st["body"]))
        elif kind == "table":
            story.append(KeepTogether(b.make_table(val, st, fw * 0.72)))  # type: ignore[arg-type]
    doc.build(story)
    return out


def main(argv: list[str]) -> None:
    b.build_part("c", argv, {"poster": build_poster, "twocol": build_twocol_wide})


if __name__ == "__main__":
    main(sys.argv[1:])
