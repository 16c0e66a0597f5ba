"""Vocabulary lookup over plain text with character offsets (:func:`find_terms`).

NFKC, hyphens/dashes read as spaces, longest match first, word boundaries, an optional plural
``s``; surfaces flagged ``cs`` match case-sensitively (``CR`` the response is not ``Cr`` the
creatinine).

Speed: extractors ask for the same sentence (or the whole text) many times with different
vocabularies, so the folded form of a string (and its word starts) is cached, and so are the
hits of a (text, vocabulary) pair. Instead of searching the text once per surface form, each
vocabulary is indexed by the first characters of its surfaces and only the word starts of the
text are looked up (a surface that begins with a letter or digit only counts at a word start).
"""

from __future__ import annotations

import unicodedata
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from extractor.nlp.rules import regex, vocab_rows

_SPACE_LIKE = frozenset("-‐‑‒–—―_\u00ad \t\n\r\u00a0\u2009\u202f")
_SPACE_TABLE = {ord(c): " " for c in _SPACE_LIKE}
CS_FLAG = "cs"
KEY_LEN = 3  # surfaces are indexed by their first KEY_LEN characters (or whole, when shorter)
FOLD_CACHE_SIZE = 1024  # folded strings kept (sentences, clauses, the whole text of a document)
HIT_CACHE_SIZE = 4096  # (text, vocabulary) results kept


@dataclass(slots=True)
class Term:
    canonical: str
    start: int
    end: int
    surface: str
    extra: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def _nfkc(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def _fold(text: str) -> tuple[str, list[int]]:
    """NFKC + hyphens/spaces collapsed to one space; ``index[i]`` = offset in ``text``."""
    folded, index = _fold_fast(text)
    return folded, list(range(len(folded))) if index is None else list(index)


def _fold_fast(text: str) -> tuple[str, array | None]:
    """:func:`_fold` with ``index`` None when it is the identity (no character expanded by NFKC,
    no run of spaces collapsed): the common case, kept cheap."""
    base: list[int] | None = None
    if text.isascii():
        expanded = text
    else:
        pieces = [ch if ch < "\x80" else _nfkc(ch) for ch in text]
        expanded = "".join(pieces)
        if len(expanded) != len(text):  # NFKC never empties a character: same length = no expansion
            base = [i for i, p in enumerate(pieces) for _ in p]
    spaced = expanded.translate(_SPACE_TABLE)
    if "  " not in spaced:
        keep: list[int] | None = None
        folded = spaced
    else:
        parts: list[str] = []
        keep = []
        n, i = len(spaced), 0
        pos = spaced.find("  ")
        while pos >= 0:
            j = pos + 2
            while j < n and spaced[j] == " ":
                j += 1
            parts.append(spaced[i : pos + 1])
            keep.extend(range(i, pos + 1))
            i = j
            pos = spaced.find("  ", j)
        parts.append(spaced[i:])
        keep.extend(range(i, n))
        folded = "".join(parts)
    if base is None and keep is None:
        return folded, None
    if base is None:
        return folded, array("q", keep)
    return folded, array("q", base if keep is None else [base[k] for k in keep])


def _lower(s: str) -> str:
    """Lower case, character by character; a character whose lower case is longer stays as is."""
    if s.isascii():
        return s.lower()
    low = s.lower()
    if len(low) == len(s) and "Σ" not in s:  # str.lower reads a final sigma in context
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


class _Hay:
    """A string folded for lookup: ``folded``, ``low`` (its lower case, same length), ``index``
    (offsets in the original, None = identity) and the word starts (the same in both forms:
    lower-casing one character keeps it alphanumeric or not)."""

    __slots__ = ("folded", "low", "index", "_starts")

    def __init__(self, text: str) -> None:
        self.folded, self.index = _fold_fast(text)
        self.low = _lower(self.folded)
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            # a letter or digit after none (str.isalnum; folded text holds no "_", the other \w)
            self._starts = [m.start() for m in regex("tables", "tables.word_start").finditer(self.low)]
        return self._starts


_HAYS: OrderedDict[str, _Hay] = OrderedDict()
_HITS: OrderedDict[tuple[str, str], tuple[tuple[str, int, int, tuple[str, ...]], ...]] = OrderedDict()


def _hay(text: str) -> _Hay:
    hay = _HAYS.get(text)
    if hay is None:
        hay = _HAYS[text] = _Hay(text)
        if len(_HAYS) > FOLD_CACHE_SIZE:
            _HAYS.popitem(last=False)
    else:
        _HAYS.move_to_end(text)
    return hay


# (rank, surface, canonical, extra, plural allowed)
_Surface = tuple[int, str, str, tuple[str, ...], bool]


@lru_cache(maxsize=None)
def _surfaces(name: str) -> tuple[tuple[str, str, bool, tuple[str, ...]], ...]:
    rows = []
    for row in vocab_rows(name):
        canonical, surface, extra = row[0], row[1], row[2:]
        cs = CS_FLAG in extra
        folded = _fold(surface)[0].strip()
        rows.append((folded if cs else _lower(folded), canonical, cs, extra))
    return tuple(rows)


@lru_cache(maxsize=None)
def _index(name: str) -> tuple[dict[str, list[_Surface]], dict[str, list[_Surface]], tuple[int, ...], list[tuple[_Surface, bool]]]:
    """The vocabulary by key (first KEY_LEN characters) for case-insensitive and case-sensitive
    surfaces, the key lengths in use, and the surfaces that start with neither letter nor digit
    (searched everywhere)."""
    plain: dict[str, list[_Surface]] = {}
    cased: dict[str, list[_Surface]] = {}
    loose: list[tuple[_Surface, bool]] = []
    lengths: set[int] = set()
    for rank, (surface, canonical, cs, extra) in enumerate(_surfaces(name)):
        entry = (rank, surface, canonical, extra, not cs or surface.isupper())
        if not surface[0].isalnum():
            loose.append((entry, cs))
            continue
        key = surface[:KEY_LEN]
        lengths.add(len(key))
        (cased if cs else plain).setdefault(key, []).append(entry)
    return plain, cased, tuple(sorted(lengths)), loose


def _accept(hay: str, pos: int, entry: _Surface, cands: list[tuple[int, int, int, str, tuple[str, ...]]]) -> None:
    rank, surface, canonical, extra, plural = entry
    end = pos + len(surface)
    n = len(hay)
    if plural and end < n and hay[end] == "s" and (end + 1 == n or not hay[end + 1].isalnum()):
        end += 1  # plural
    if not surface[-1].isalnum() or end == n or not hay[end].isalnum():
        cands.append((pos, -(end - pos), rank, canonical, extra))


def _hits(text: str, name: str) -> tuple[tuple[str, int, int, tuple[str, ...]], ...]:
    hay = _hay(text)
    folded, low = hay.folded, hay.low
    plain, cased, lengths, loose = _index(name)
    cands: list[tuple[int, int, int, str, tuple[str, ...]]] = []
    for pos in hay.starts:
        for size in lengths:
            if plain:
                for entry in plain.get(low[pos : pos + size], ()):
                    if low.startswith(entry[1], pos):
                        _accept(low, pos, entry, cands)
            if cased:
                for entry in cased.get(folded[pos : pos + size], ()):
                    if folded.startswith(entry[1], pos):
                        _accept(folded, pos, entry, cands)
    for entry, cs in loose:
        text_ = folded if cs else low
        surface = entry[1]
        pos = text_.find(surface)
        while pos >= 0:
            _accept(text_, pos, entry, cands)
            pos = text_.find(surface, pos + 1)
    cands.sort()  # by offset, longest first, then vocabulary order (as a stable sort would)
    out = []
    last = -1
    index = hay.index
    for pos, neg_len, _rank, canonical, extra in cands:
        if pos < last:
            continue
        end = pos - neg_len
        start, stop = (pos, end) if index is None else (index[pos], index[end - 1] + 1)
        out.append((canonical, start, stop, extra))
        last = end
    return tuple(out)


def find_terms(text: str, name: str) -> list[Term]:
    """Non-overlapping vocabulary hits in ``text`` (longest first), sorted by offset."""
    key = (text, name)
    hits = _HITS.get(key)
    if hits is None:
        hits = _HITS[key] = _hits(text, name)
        if len(_HITS) > HIT_CACHE_SIZE:
            _HITS.popitem(last=False)
    else:
        _HITS.move_to_end(key)
    return [Term(canonical, start, stop, text[start:stop], extra) for canonical, start, stop, extra in hits]
