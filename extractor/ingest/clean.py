"""Text cleanup shared by every reader, keeping an offset map to the source characters.

A :class:`Run` is text plus one box per character (``None`` for characters we insert or for
sources without geometry). Every cleanup step maps a Run to a Run, so PDF character boxes
stay aligned with the final text however many characters a step adds or removes.

Steps: compatibility normalisation (NFKC: ligatures, full-width punctuation) that keeps the
characters whose meaning NFKC would destroy (superscript digits, ``µ``, ``½``); removal of
soft hyphens and pdfium's line-end hyphen marker (U+FFFE); odd spaces; thousands separators
written as thin/no-break spaces; U+2212 minus to ``-``; and detection of running
headers/footers/page numbers that repeat at the margins of many pages.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from extractor.nlp.rules import regex
from extractor.records import BBox

# Characters NFKC would flatten into something that changes their meaning:
# "10⁶" must not become "106", "m²" not "m2", "½" not "1⁄2"; µ (micro) stays µ, not Greek mu.
KEEP_AS_IS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎µ½¼¾⅓⅔°‰")
GREEK_MU = "\u03bc"
MICRO = "\u00b5"
DROP = frozenset("\u00ad\ufffe\ufeff\u200b\u200c\u200d\u2060\x00")  # soft hyphen, pdfium hyphen mark, BOM, ZW*
PDFIUM_HYPHEN = "\ufffe"
REPLACE = {"\u2212": "-", "\u2010": "-", "\u2011": "-", GREEK_MU: MICRO}
# A line is running furniture when its normalised key sits in a page margin on at least this
# share of the pages (and on two pages at least).
FURNITURE_MIN_SHARE = 0.3
FURNITURE_MIN_PAGES = 2
MARGIN_SHARE = 0.12  # top/bottom share of the page height where running lines sit
NUMBER_MARGIN_SHARE = 0.07  # tighter band for lines holding only numbers (page numbers)


@dataclass(slots=True)
class Run:
    """Text with one optional box per character (the offset map)."""

    chars: list[str] = field(default_factory=list)
    boxes: list[BBox | None] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, box: BBox | None = None) -> Run:
        return cls(list(text), [box] * len(text))

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def add(self, text: str, box: BBox | None = None) -> None:
        self.chars.extend(text)
        self.boxes.extend([box] * len(text))

    def extend(self, other: Run) -> None:
        self.chars.extend(other.chars)
        self.boxes.extend(other.boxes)

    def __len__(self) -> int:
        return len(self.chars)


def _split_box(box: BBox | None, parts: int) -> list[BBox | None]:
    """Share a glyph box among the characters it expands to (ﬁ -> f, i)."""
    if box is None or parts == 1:
        return [box] * parts
    x0, top, x1, bottom = box
    step = (x1 - x0) / parts
    return [(x0 + i * step, top, x0 + (i + 1) * step, bottom) for i in range(parts)]


def union_boxes(boxes: Iterable[BBox | None]) -> BBox | None:
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real), max(b[2] for b in real), max(b[3] for b in real))


def normalize_chars(run: Run) -> Run:
    """NFKC per character cluster (base + combining marks), keeping KEEP_AS_IS and the box map."""
    text = run.text
    if text.isascii() and "\x00" not in text:  # the common case (NFKC is the identity on ASCII): nothing to do
        return Run(list(run.chars), list(run.boxes))
    run = _spaces(run)  # before NFKC, which turns thin/no-break spaces into plain ones
    out = Run()
    chars, boxes = run.chars, run.boxes
    i, n = 0, len(chars)
    while i < n:
        ch = chars[i]
        j = i + 1
        while j < n and unicodedata.combining(chars[j]):
            j += 1
        if ch in DROP and j == i + 1:
            i = j
            continue
        if j > i + 1:  # a cluster with combining marks: compose it, one box for the result
            cluster = unicodedata.normalize("NFKC", "".join(chars[i:j]))
            box = union_boxes(boxes[i:j])
            out.chars.extend(cluster)
            out.boxes.extend([box] * len(cluster))
            i = j
            continue
        if ch in REPLACE:
            new = REPLACE[ch]
        elif ch.isascii() or ch in KEEP_AS_IS:
            new = ch
        else:
            new = unicodedata.normalize("NFKC", ch)
            new = "".join(REPLACE.get(c, c) for c in new)
        out.chars.extend(new)
        out.boxes.extend(_split_box(boxes[i], len(new)))
        i = j
    return out


def _spaces(run: Run) -> Run:
    """Thin/no-break spaces: dropped inside digit groups (1 000 -> 1000), else a plain space."""
    text = run.text
    drop = {m.start() for m in regex("ingest", "ingest.space_in_number").finditer(text)}
    odd = regex("ingest", "ingest.odd_space")
    if not drop and not odd.search(text):
        return run
    out = Run()
    for i, (ch, box) in enumerate(zip(run.chars, run.boxes)):
        if i in drop:
            continue
        out.chars.append(" " if odd.fullmatch(ch) else ch)
        out.boxes.append(box)
    return out


def clean_text(text: str) -> str:
    """The same normalisation for sources without geometry (text, markdown, XML)."""
    return normalize_chars(Run.of(text)).text


# --------------------------------------------------------------------------------------
# Line-end hyphenation
# --------------------------------------------------------------------------------------


def _word_around(chars: Sequence[str], at: int) -> tuple[str, str]:
    start = at
    while start > 0 and chars[start - 1].isalpha():
        start -= 1
    end = at + 1
    while end < len(chars) and chars[end].isalpha():
        end += 1
    return "".join(chars[start:at]), "".join(chars[at + 1 : end])


def resolve_hyphen_marks(run: Run, hyphenated: set[str], solid: set[str]) -> Run:
    """pdfium writes U+FFFE for a line-end hyphen it joined: drop it (``cyclophos|phamide``)
    unless the document spells the word with a hyphen elsewhere and never without one."""
    if PDFIUM_HYPHEN not in run.chars:
        return run
    out = Run()
    for i, (ch, box) in enumerate(zip(run.chars, run.boxes)):
        if ch == PDFIUM_HYPHEN:
            left, right = _word_around(run.chars, i)
            word = f"{left}-{right}".lower()
            if word in hyphenated and f"{left}{right}".lower() not in solid:
                out.chars.append("-")
                out.boxes.append(box)
            continue
        out.chars.append(ch)
        out.boxes.append(box)
    return out


def word_forms(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """Lower-cased hyphenated words and plain words seen in ``texts`` (for hyphen decisions)."""
    hyphenated: set[str] = set()
    solid: set[str] = set()
    for text in texts:
        for token in text.lower().split():
            token = token.strip(".,;:()[]{}'\"")
            if "-" in token:
                hyphenated.add(token)
            elif token.isalpha():
                solid.add(token)
    return hyphenated, solid


# --------------------------------------------------------------------------------------
# Running headers, footers and page numbers
# --------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class MarginLine:
    """What furniture detection needs to know about one line."""

    text: str
    rel_top: float | None  # top of the line / page height (0 = top edge); None when unknown
    rel_bottom: float | None


def furniture_key(text: str) -> str:
    """Compare running lines without their page numbers, spacing and punctuation."""
    key = regex("ingest", "ingest.page_x_of_y").sub(" ", text.lower())
    key = regex("ingest", "ingest.digits").sub("", key)
    return regex("ingest", "ingest.furniture_key_junk").sub("", key)


def _in_margin(line: MarginLine, share: float = MARGIN_SHARE) -> bool:
    if line.rel_top is None or line.rel_bottom is None:
        return True
    return line.rel_top < share or line.rel_bottom > 1 - share


def find_furniture(pages: Sequence[Sequence[MarginLine]]) -> set[tuple[int, int]]:
    """(page index, line index) of running headers/footers and page numbers to remove.

    A line is furniture when it holds only a page number ("12", "Page 3 of 9", "Page 1 of 3 101")
    close to the top or bottom edge,
    or when its key (digits and punctuation removed) occurs in the margins of at least
    ``FURNITURE_MIN_SHARE`` of the pages; the same key is then removed wherever it sits on
    the page (side labels such as "ORIGINAL RESEARCH" are not always in the margin band).
    """
    page_number = regex("ingest", "ingest.page_number")
    margin_pages: Counter[str] = Counter()
    keys: list[list[str]] = []
    for lines in pages:
        page_keys = [furniture_key(line.text) for line in lines]
        keys.append(page_keys)
        seen = {k for k, line in zip(page_keys, lines) if k and _in_margin(line)}
        margin_pages.update(seen)
    needed = max(FURNITURE_MIN_PAGES, FURNITURE_MIN_SHARE * len(pages))
    running = {k for k, count in margin_pages.items() if count >= needed}
    drop: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            key = keys[p][i]
            if key in running and len(line.text) < 200:
                drop.add((p, i))
            elif (not key or page_number.match(line.text)) and _in_margin(line, NUMBER_MARGIN_SHARE):
                drop.add((p, i))
    return drop
