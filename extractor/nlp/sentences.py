"""Sentence boundaries for scientific text, as a pure function over the document text.

* A full stop (``.``, ``!``, ``?``, ``。``) followed by space and an upper-case letter, digit or
  bracket ends a sentence, except after abbreviations (``vs.``, ``et al.``, ``i.v.``, ``e.g.``,
  ``Fig.``, ``No.`` — ``rules/vocab/abbreviations.tsv``); a decimal point never does.
* A newline ends a sentence when either line is a table row (cells joined by `` | ``), the line
  before is a heading or list item, the next line is a list item, or a blank line follows.
  Other newlines are soft wraps.
* ``extra_breaks`` (section starts) always start a new sentence.

Regexes: ``rules/regex/sentences.jsonl``. The spaCy component in ``components.py`` only copies
these boundaries onto tokens.
"""

from __future__ import annotations

from collections.abc import Iterable

from extractor.nlp.rules import regex, vocab

FAMILY = "sentences"
HEADING_MAX_WORDS = 8  # a heading line is short...
_SENTENCE_END = ".!?:;。"  # ...and starts a block (the line before it ended a sentence or was blank)


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _line_breaks(text: str) -> list[int]:
    """Offsets (start of the next line) where a newline is a hard sentence break."""
    table_row, heading, list_item = _rx("sentences.table_row"), _rx("sentences.heading"), _rx("sentences.list_item")
    breaks: list[int] = []
    pos = 0
    prev: str | None = None
    prev_starts_block = True
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        if prev is not None:
            blank_now, blank_prev = not line.strip(), not prev.strip()
            if (
                blank_now
                or blank_prev
                or table_row.search(line)
                or table_row.search(prev)
                or (prev_starts_block and len(prev.split()) <= HEADING_MAX_WORDS and heading.match(prev)
                    and line.lstrip()[:1].isupper())
                or list_item.match(line)
                or (_ends_with_value(prev) and line.lstrip()[:1].isupper())
            ):
                breaks.append(pos)
            prev_starts_block = pos in breaks[-1:] or prev.rstrip()[-1:] in _SENTENCE_END
        prev = line
        if nl < 0:
            break
        pos = nl + 1
    return breaks


def _ends_with_value(line: str) -> bool:
    """A line ending in a number, ")" or "%" followed by a capitalised line is a flattened
    table row (prose wraps mid-sentence continue in lower case)."""
    tail = line.rstrip()[-1:]
    return bool(tail) and (tail.isdigit() or tail in ")%]")


def _is_abbreviation(text: str, stop: int) -> bool:
    """Is the full stop at ``stop`` the end of an abbreviation such as ``et al.``?"""
    if text[stop] != ".":
        return False
    m = _rx("sentences.abbrev_token").search(text, max(0, stop - 10), stop)
    if not m:
        return False
    return m.group("tok").lower() in vocab("abbreviations")


def sentence_spans(text: str, extra_breaks: Iterable[int] = ()) -> list[tuple[int, int]]:
    """``[(start, end)]`` of the sentences of ``text``, whitespace-trimmed, in order."""
    cuts = set(_line_breaks(text))
    for m in _rx("sentences.boundary").finditer(text):
        stop = m.start()
        if _is_abbreviation(text, stop):
            continue
        cuts.add(m.end())
    cuts.update(b for b in extra_breaks if 0 < b < len(text))
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return spans
