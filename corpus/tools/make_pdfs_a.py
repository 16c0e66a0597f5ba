"""Build the part-A journal-style PDFs of the corpus from their source text.

Usage:  python corpus/tools/make_pdfs_a.py [STEM ...]

Every ``corpus/src/aNN_*.md`` whose front matter says ``format: pdf`` becomes
``corpus/aNN_*.pdf``: a two-column journal page with a running header and footer,
a title block and structured abstract across the full width, justified body text
with soft hyphens (so some words are split across line ends), booktabs-style
tables, and optionally a table on its own landscape page.

Source mark-up (a small markdown subset):
  front matter ``key: value`` lines between ``---`` lines
  ``## Abstract`` then paragraphs ``**Label** text`` (structured abstract)
  ``# Heading`` section, ``## Heading`` subsection, blank-line separated paragraphs
  ``[[table Table 1. Caption]]`` followed by pipe rows (first row = header,
  a ``|---|`` rule line is skipped); ``[[table-landscape ...]]`` puts the table on
  a landscape page, ``[[table-wide ...]]`` on a full-width portrait page;
  ``Note: ...`` line right after a table = table footnote
  ``*text*`` italic, ``**text**`` bold, ``x^8`` superscript (``10^8``).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, FrameBreak, NextPageTemplate, PageBreak, PageTemplate, Paragraph, Table, TableStyle

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

FONTS = {
    "Body": "DejaVuSerifCondensed.ttf",
    "Body-Bold": "DejaVuSerifCondensed-Bold.ttf",
    "Body-Italic": "DejaVuSerifCondensed-Italic.ttf",
    "Body-BoldItalic": "DejaVuSerifCondensed-BoldItalic.ttf",
    "Sans": "DejaVuSansCondensed.ttf",
    "Sans-Bold": "DejaVuSansCondensed-Bold.ttf",
    "Sans-Italic": "DejaVuSansCondensed-Oblique.ttf",
    "Sans-BoldItalic": "DejaVuSansCondensed-BoldOblique.ttf",
}


def register_fonts() -> None:
    for name, file in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("Body", normal="Body", bold="Body-Bold",
                                  italic="Body-Italic", boldItalic="Body-BoldItalic")
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold",
                                  italic="Sans-Italic", boldItalic="Sans-BoldItalic")


PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
GUTTER = 7 * mm
COL_W = (PAGE_W - 2 * MARGIN_X - GUTTER) / 2


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName="Body", fontSize=8.6, leading=10.6,
                          alignment=TA_JUSTIFY, firstLineIndent=9, embeddedHyphenation=1,
                          spaceAfter=0)
    return {
        "body": body,
        "body_first": ParagraphStyle("body_first", parent=body, firstLineIndent=0),
        "h1": ParagraphStyle("h1", fontName="Sans-Bold", fontSize=9.5, leading=12,
                             spaceBefore=7, spaceAfter=3, textColor=colors.HexColor("#1f3a68")),
        "h2": ParagraphStyle("h2", fontName="Sans-BoldItalic", fontSize=8.6, leading=11,
                             spaceBefore=4, spaceAfter=1),
        "title": ParagraphStyle("title", fontName="Sans-Bold", fontSize=15.5, leading=19,
                                alignment=TA_LEFT, spaceAfter=6),
        "kicker": ParagraphStyle("kicker", fontName="Sans-Bold", fontSize=8, leading=10,
                                 textColor=colors.HexColor("#a0302a"), spaceAfter=4),
        "authors": ParagraphStyle("authors", fontName="Sans", fontSize=9.5, leading=12,
                                  spaceAfter=3),
        "affil": ParagraphStyle("affil", fontName="Sans-Italic", fontSize=7, leading=8.6,
                                spaceAfter=6, textColor=colors.HexColor("#333333")),
        "abs": ParagraphStyle("abs", fontName="Sans", fontSize=8, leading=10, alignment=TA_JUSTIFY,
                              embeddedHyphenation=1, spaceAfter=2),
        "abs_head": ParagraphStyle("abs_head", fontName="Sans-Bold", fontSize=9, leading=11,
                                   spaceAfter=3, textColor=colors.HexColor("#1f3a68")),
        "meta": ParagraphStyle("meta", fontName="Sans", fontSize=7, leading=8.6,
                               textColor=colors.HexColor("#444444"), spaceBefore=3),
        "caption": ParagraphStyle("caption", fontName="Sans", fontSize=7.4, leading=9,
                                  spaceBefore=6, spaceAfter=3),
        "note": ParagraphStyle("note", fontName="Sans", fontSize=6.6, leading=8,
                               spaceBefore=2, spaceAfter=6, alignment=TA_JUSTIFY),
        "cell": ParagraphStyle("cell", fontName="Sans", fontSize=7, leading=8.4),
        "cell_head": ParagraphStyle("cell_head", fontName="Sans-Bold", fontSize=7, leading=8.4),
        "ref": ParagraphStyle("ref", fontName="Body", fontSize=7.2, leading=8.8,
                              leftIndent=10, firstLineIndent=-10, alignment=TA_LEFT),
    }


# ---------------------------------------------------------------- text helpers
_VOWELS = set("aeiouyAEIOUY")


def soft_hyphenate(word: str) -> str:
    """Insert soft hyphens (U+00AD) before consonant+vowel pairs of long words."""
    if len(word) < 9 or not word.isalpha() or word.isupper():
        return word
    out = []
    last = 0
    for i in range(3, len(word) - 3):
        a, b = word[i], word[i + 1]
        if a not in _VOWELS and b in _VOWELS and word[i - 1] in _VOWELS and i - last >= 3:
            out.append(word[last:i])
            last = i
    out.append(word[last:])
    return "\u00ad".join(out)


def inline(text: str, hyphenate: bool = True) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<i>\1</i>", text)
    text = re.sub(r"\^(-?\d+)", r"<super>\1</super>", text)
    if hyphenate:
        parts = re.split(r"(<[^>]+>|&\w+;)", text)
        for k, part in enumerate(parts):
            if part.startswith("<") or part.startswith("&"):
                continue
            parts[k] = re.sub(r"[A-Za-z]+", lambda m: soft_hyphenate(m.group(0)), part)
        text = "".join(parts)
    return text


# ---------------------------------------------------------------- source parsing
def parse_source(path: Path) -> tuple[dict[str, str], list[tuple]]:
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    meta: dict[str, str] = {}
    if m:
        for line in m.group(1).splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                meta[k.strip()] = v.strip()
        raw = raw[m.end():]
    blocks: list[tuple] = []
    lines = raw.splitlines()
    i = 0
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(("p", " ".join(s.strip() for s in para)))
            para.clear()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
        elif line.startswith("[[table"):
            flush()
            mt = re.match(r"\[\[(table(?:-landscape|-wide)?)\s+(.*)\]\]", line)
            kind, caption = mt.group(1), mt.group(2)
            rows = []
            i += 1
            while i < len(lines) and lines[i].startswith("|"):
                if not re.match(r"^\|[\s:|-]+\|$", lines[i]):
                    rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            note = None
            if i < len(lines) and lines[i].startswith("Note:"):
                note = lines[i][5:].strip()
                i += 1
            blocks.append((kind, caption, rows, note))
            continue
        elif line.startswith("## "):
            flush()
            blocks.append(("h2", line[3:].strip()))
        elif line.startswith("# "):
            flush()
            blocks.append(("h1", line[2:].strip()))
        else:
            para.append(line)
        i += 1
    flush()
    return meta, blocks


# ---------------------------------------------------------------- building
def make_table(rows: list[list[str]], st: dict, width: float) -> Table:
    ncol = max(len(r) for r in rows)
    first_w = width * (0.40 if ncol <= 3 else 0.28 if ncol == 4 else 0.26)
    other_w = (width - first_w) / (ncol - 1)
    data = []
    for r_i, row in enumerate(rows):
        row = row + [""] * (ncol - len(row))
        sty = st["cell_head"] if r_i == 0 else st["cell"]
        if ncol >= 4 and width < PAGE_W / 2:          # narrow multi-arm table in one column
            sty = ParagraphStyle(sty.name + "_small", parent=sty, fontSize=6.3, leading=7.6)
        data.append([Paragraph(inline(c, hyphenate=False), sty) for c in row])
    t = Table(data, colWidths=[first_w] + [other_w] * (ncol - 1), repeatRows=1, hAlign="LEFT")
    cmds = [
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
    ]
    for r_i, row in enumerate(rows):
        if r_i and len([c for c in row if c]) == 1:      # group label row
            cmds.append(("BACKGROUND", (0, r_i), (-1, r_i), colors.HexColor("#eef1f6")))
    t.setStyle(TableStyle(cmds))
    return t


class JournalDoc(BaseDocTemplate):
    def __init__(self, filename: str, meta: dict[str, str], title_height: float, **kw):
        super().__init__(filename, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                         title=meta.get("title", ""), author=meta.get("authors", ""), **kw)
        self.meta = meta
        body_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
        top = Frame(MARGIN_X, PAGE_H - MARGIN_TOP - title_height, PAGE_W - 2 * MARGIN_X,
                    title_height, id="title", leftPadding=0, rightPadding=0,
                    topPadding=0, bottomPadding=0)
        rest_h = body_h - title_height - 4 * mm
        first_cols = [Frame(MARGIN_X + k * (COL_W + GUTTER), MARGIN_BOTTOM, COL_W, rest_h,
                            id=f"f{k}", leftPadding=0, rightPadding=0, topPadding=0,
                            bottomPadding=0) for k in range(2)]
        cols = [Frame(MARGIN_X + k * (COL_W + GUTTER), MARGIN_BOTTOM, COL_W, body_h,
                      id=f"c{k}", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
                for k in range(2)]
        wide = Frame(MARGIN_X, MARGIN_BOTTOM, PAGE_W - 2 * MARGIN_X, body_h, id="wide",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        LW, LH = landscape(A4)
        land = Frame(MARGIN_X, MARGIN_BOTTOM, LW - 2 * MARGIN_X, LH - MARGIN_TOP - MARGIN_BOTTOM,
                     id="land", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("first", [top] + first_cols, onPage=self.decorate_first),
            PageTemplate("later", cols, onPage=self.decorate),
            PageTemplate("wide", [wide], onPage=self.decorate),
            PageTemplate("landscape", [land], onPage=self.decorate, pagesize=landscape(A4)),
        ])

    # running header and footer ------------------------------------------------
    def _pages(self) -> str:
        first = int(self.meta.get("first_page", "1"))
        total = int(self.meta.get("_page_count", "0") or 0)
        return f"{first}–{first + total - 1}" if total else f"{first}"

    def decorate_first(self, canv, doc) -> None:
        m = self.meta
        w, h = canv._pagesize
        canv.saveState()
        canv.setFillColor(colors.HexColor("#1f3a68"))
        canv.setFont("Sans-Bold", 11)
        canv.drawString(MARGIN_X, h - 12 * mm, m.get("journal", ""))
        canv.setFont("Sans", 7.2)
        canv.setFillColor(colors.black)
        canv.drawRightString(w - MARGIN_X, h - 12 * mm,
                             f"{m.get('journal_abbrev', m.get('journal', ''))} {m.get('year', '')};"
                             f"{m.get('volume', '')}({m.get('issue', '')}):{self._pages()}")
        canv.drawRightString(w - MARGIN_X, h - 15.5 * mm, f"https://doi.org/{m.get('doi', '')}")
        canv.setLineWidth(0.8)
        canv.setStrokeColor(colors.HexColor("#1f3a68"))
        canv.line(MARGIN_X, h - 17 * mm, w - MARGIN_X, h - 17 * mm)
        self._footer(canv, w)
        canv.restoreState()

    def decorate(self, canv, doc) -> None:
        m = self.meta
        w, h = canv._pagesize
        page = int(m.get("first_page", "1")) + doc.page - 1
        canv.saveState()
        canv.setFont("Sans-Italic", 7.2)
        left = f"{m.get('journal', '')} · Vol. {m.get('volume', '')}, No. {m.get('issue', '')} · {m.get('year', '')}"
        right = m.get("short_title", "")
        if doc.page % 2 == 0:
            canv.drawString(MARGIN_X, h - 12 * mm, f"{page}")
            canv.drawRightString(w - MARGIN_X, h - 12 * mm, left)
        else:
            canv.drawString(MARGIN_X, h - 12 * mm, right)
            canv.drawRightString(w - MARGIN_X, h - 12 * mm, f"{page}")
        canv.setLineWidth(0.4)
        canv.line(MARGIN_X, h - 13.5 * mm, w - MARGIN_X, h - 13.5 * mm)
        self._footer(canv, w)
        canv.restoreState()

    def _footer(self, canv, w) -> None:
        m = self.meta
        canv.setFont("Sans", 6.5)
        canv.setFillColor(colors.HexColor("#555555"))
        canv.line(MARGIN_X, 13 * mm, w - MARGIN_X, 13 * mm)
        canv.drawString(MARGIN_X, 9.5 * mm, m.get("footer", f"© {m.get('year', '')} The Authors."))
        page = int(m.get("first_page", "1")) + canv.getPageNumber() - 1
        canv.drawRightString(w - MARGIN_X, 9.5 * mm, f"{m.get('journal_abbrev', '')} · {page}")


def title_block(meta: dict[str, str], abstract: list[str], st: dict) -> list:
    out = []
    if meta.get("kicker"):
        out.append(Paragraph(meta["kicker"].upper(), st["kicker"]))
    out.append(Paragraph(inline(meta["title"], hyphenate=False), st["title"]))
    out.append(Paragraph(inline(meta.get("authors", ""), hyphenate=False), st["authors"]))
    out.append(Paragraph(inline(meta.get("affiliations", ""), hyphenate=False), st["affil"]))
    out.append(Paragraph("Abstract", st["abs_head"]))
    for p in abstract:
        out.append(Paragraph(inline(p), st["abs"]))
    extra = []
    for key, label in (("keywords", "Keywords"), ("registration", "Trial registration"),
                       ("received", "Received")):
        if meta.get(key):
            extra.append(f"<b>{label}:</b> {inline(meta[key], hyphenate=False)}")
    if extra:
        out.append(Paragraph(" &nbsp; ".join(extra), st["meta"]))
    return out


def build(path: Path, page_count: int = 0) -> tuple[Path, int]:
    st = styles()
    meta, blocks = parse_source(path)
    meta["_page_count"] = str(page_count)
    abstract: list[str] = []
    body_blocks = []
    in_abs = False
    for b in blocks:
        if b[0] == "h2" and b[1].lower() == "abstract":
            in_abs = True
            continue
        if b[0] == "h1":
            in_abs = False
        if in_abs and b[0] == "p":
            abstract.append(b[1])
        else:
            body_blocks.append(b)
    tb = title_block(meta, abstract, st)
    full_w = PAGE_W - 2 * MARGIN_X
    height = sum(f.wrap(full_w, PAGE_H)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in tb)
    out = ROOT / (path.stem + ".pdf")
    doc = JournalDoc(str(out), meta, height + 6, )
    story: list = list(tb) + [FrameBreak(), NextPageTemplate("later")]
    first_para = True
    for b in body_blocks:
        kind = b[0]
        if kind == "h1":
            story.append(CondPageBreak(40))
            story.append(Paragraph(inline(b[1], hyphenate=False), st["h1"]))
            first_para = True
        elif kind == "h2":
            story.append(Paragraph(inline(b[1], hyphenate=False), st["h2"]))
            first_para = True
        elif kind == "p":
            if meta.get("_in_refs"):
                story.append(Paragraph(inline(b[1], hyphenate=False), st["ref"]))
            else:
                story.append(Paragraph(inline(b[1]), st["body_first" if first_para else "body"]))
            first_para = False
        elif kind.startswith("table"):
            _, caption, rows, note = b
            cap = Paragraph(inline(caption, hyphenate=False), st["caption"])
            if kind == "table":
                parts = [cap, make_table(rows, st, COL_W)]
                if note:
                    parts.append(Paragraph(inline(note, hyphenate=False), st["note"]))
                cap.keepWithNext = 1
                story.extend(parts)
            else:
                tmpl = "landscape" if kind == "table-landscape" else "wide"
                width = (landscape(A4)[0] if tmpl == "landscape" else PAGE_W) - 2 * MARGIN_X
                story += [NextPageTemplate(tmpl), PageBreak(), cap, make_table(rows, st, width)]
                if note:
                    story.append(Paragraph(inline(note, hyphenate=False), st["note"]))
                story += [NextPageTemplate("later"), PageBreak()]
        if kind == "h1":
            meta["_in_refs"] = "1" if b[1].lower().startswith("references") else ""
    doc.build(story)
    return out, doc.page


def main(argv: list[str]) -> int:
    register_fonts()
    sources = sorted(SRC.glob("a[0-9][0-9]_*.md"))
    if argv:
        sources = [s for s in sources if any(s.stem.startswith(a) for a in argv)]
    for src in sources:
        head = src.read_text(encoding="utf-8")[:2000]
        if not re.search(r"^format:\s*pdf\s*$", head, re.M):
            continue
        _, pages = build(src)          # first pass: count pages for the header
        out, pages = build(src, pages)
        print(f"{out.relative_to(ROOT.parent)}  {pages} pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
