"""Split a document's body text into Sections from its heading lines.

A heading is a whole, short line whose words (after numbering such as "2." or "II." and
trailing punctuation are stripped, case ignored) are listed in ``rules/vocab/sections.tsv``.
Dotted labels of PMC text dumps ("BODY.RESULTS.ADVERSE EVENTS:") are tried part by part.
An inline label ("Methods: 82 patients were ...") is not a heading, so the labels of a
structured abstract stay inside the abstract. Text before the first heading is the "title"
section when an abstract or introduction heading follows, else "other".
"""

from __future__ import annotations

from collections.abc import Iterator

from extractor.nlp.rules import regex, vocab
from extractor.records import SECTION_NAMES, Section

HEADING_MAX_CHARS = 60
LABEL_MAX_CHARS = 120  # dotted PMC labels name every level: "BODY.METHODS.STUDY DESIGN AND PARTICIPANTS:"
SENTENCE_END = "."
PARAGRAPH_ENDS = (".", ":", ")", "]")
QUALIFIER_MAX_WORDS = 5  # "Methods of the extension", "Results at week 52"
LABEL_PARTS_SEPARATOR = "."
FRONT_SECTIONS = frozenset({"abstract", "introduction"})
# Order guards against table cells and running words that look like headings: an abstract
# heading only counts before the body has started, a references heading only after results.
BODY_SECTIONS = frozenset({"methods", "results", "discussion", "references"})
REFERENCES_AFTER = frozenset({"results", "discussion", "other"})


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _heading_words(line: str) -> tuple[str, str]:
    """The line without its numbering ("2.", "II."), and that without trailing punctuation,
    lower-cased with single spaces: the form looked up in sections.tsv."""
    bare = regex("ingest", "ingest.heading_number").sub("", line)
    words = regex("ingest", "ingest.heading_trail").sub("", bare)
    return bare, " ".join(words.lower().split())


def heading_name(line: str) -> str | None:
    """Canonical section of a heading line, or None when the line is not a heading."""
    line = line.strip()
    if not line or len(line) > LABEL_MAX_CHARS:
        return None
    _, words = _heading_words(line)
    dotted = LABEL_PARTS_SEPARATOR in words and " " not in words.split(LABEL_PARTS_SEPARATOR)[0]
    if not dotted and len(line) > HEADING_MAX_CHARS:
        return None
    headings = vocab("sections")
    if words in headings:
        return _checked(headings[words])
    if dotted:
        for part in words.split(LABEL_PARTS_SEPARATOR):
            if part.strip() in headings:
                return _checked(headings[part.strip()])
    return None


def qualified_heading_name(line: str) -> str | None:
    """Section of a known heading narrowed by a short phrase ('Methods of the extension' is
    methods, 'Results at week 52' results); only asked once a plain heading has been seen,
    so that a title line ('Safety and efficacy of X for ...') is not taken for one."""
    line = line.strip()
    if not line or len(line) > HEADING_MAX_CHARS or line.endswith(SENTENCE_END):
        return None
    bare, words = _heading_words(line)
    if not bare[:1].isupper():
        return None  # a qualified heading is a title-like line, not a sentence
    headings = vocab("sections")
    found = regex("ingest", "ingest.heading_qualifier").match(words)
    if found is None or len(found["rest"].split()) > QUALIFIER_MAX_WORDS:
        return None
    head = found["head"].strip()
    return _checked(headings[head]) if head in headings else None


def _stands_alone(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A line between paragraphs: the line before is blank or ends a sentence, the line after
    starts a new one. A wrapped sentence line in a PDF column ('Patients in the MMF group had a')
    fails this, a heading line passes."""
    before = text[lines[i - 1][0] : lines[i - 1][1]].rstrip() if i > 0 else ""
    after = text[lines[i + 1][0] : lines[i + 1][1]].lstrip() if i + 1 < len(lines) else ""
    opens = not before or before.endswith(PARAGRAPH_ENDS)
    return opens and (not after or after[0].isupper() or after[0].isdigit())


def _checked(name: str) -> str:
    if name not in SECTION_NAMES:
        raise ValueError(f"sections.tsv maps a heading to unknown section {name!r}")
    return name


def split_sections(text: str) -> list[Section]:
    """Sections covering ``text`` from its first to its last character, in order."""
    marks: list[tuple[int, str, str]] = []  # (offset, name, heading line)
    lines = list(_lines(text))
    for i, (start, end) in enumerate(lines):
        name = heading_name(text[start:end])
        if name is None and marks:
            qualified = qualified_heading_name(text[start:end])
            name = qualified if qualified and _stands_alone(text, lines, i) else None
        if name is None:
            continue
        if marks and marks[-1][1] == name:
            continue  # "ABSTRACT.RESULTS:" after "ABSTRACT.METHODS:": still the abstract
        seen = {mark[1] for mark in marks}
        if name == "abstract" and seen & BODY_SECTIONS:
            continue
        if name == "references" and not seen & REFERENCES_AFTER:
            continue
        marks.append((start, name, text[start:end].strip()))
    sections: list[Section] = []
    if not text:
        return sections
    first = marks[0][0] if marks else len(text)
    if first > 0 and text[:first].strip():
        lead = "title" if marks and marks[0][1] in FRONT_SECTIONS else "other"
        sections.append(Section(name=lead, start=0, end=first))
    for i, (start, name, heading) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        sections.append(Section(name=name, start=start, end=end, heading=heading))
    if sections and sections[0].start > 0:
        sections[0].start = 0
    return sections
