"""Vocabulary lookup over plain text with character offsets (:func:`find_terms`).

NFKC, hyphens/dashes read as spaces, longest match first, word boundaries, an optional plural
``s``; surfaces flagged ``cs`` match case-sensitively (``CR`` the response is not ``Cr`` the
creatinine).

Speed: extractors ask for the same sentence (or the whole text) many times with different
vocabularies, so the folded form of a string (and its word starts) is cached, and so are the
hits of a (text, vocabulary) pair. Instead of searching the text once per surface form, each
vocabulary is indexed by the (lower-cased) first characters of its surfaces, the text by the
characters at its word starts, and only the keys both have are tried (a surface that begins
with a letter or digit only counts at a word start). The hits are exactly those of searching
every surface everywhere.
"""

from __future__ import annotations

import unicodedata
from array import array
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache, lru_cache

from extractor.nlp.rules import regex, vocab_rows

_SPACE_LIKE = frozenset("-‐‑‒–—―_\u00ad \t\n\r\u00a0\u2009\u202f")
_ASCII_SPACES = tuple(sorted(c for c in _SPACE_LIKE - {" "} if c.isascii()))
_OTHER_SPACES = tuple(sorted(c for c in _SPACE_LIKE if not c.isascii()))
_ASCII = frozenset(map(chr, range(128)))
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
    return folded, list(range(len(folded))) if index is None else [index[i] for i in range(len(folded))]


class _Shifts:
    """Offsets of a text whose space runs were collapsed: piece ``k`` of the folded text starts
    at ``folded_at[k]`` and was at ``text_at[k]`` in the original."""

    __slots__ = ("folded_at", "text_at")

    def __init__(self, folded_at: list[int], text_at: list[int]) -> None:
        self.folded_at, self.text_at = folded_at, text_at

    def __getitem__(self, pos: int) -> int:
        k = bisect_right(self.folded_at, pos) - 1
        return self.text_at[k] + pos - self.folded_at[k]


def _fold_fast(text: str) -> tuple[str, _Shifts | array | None]:
    """:func:`_fold` with ``index`` None when it is the identity (no character expanded by NFKC,
    no run of spaces collapsed), the common case, else something indexable (no list of every
    offset, unless NFKC expanded a character)."""
    base: list[int] | None = None
    spaced = text
    if not text.isascii():  # NFKC keeps ASCII; change only the characters it changes
        table = {ord(c): _nfkc(c) for c in set(text).difference(_ASCII) if _nfkc(c) != c}
        if table:
            spaced = text.translate(table)
            if len(spaced) != len(text):  # NFKC never empties a character: same length = no expansion
                base = [i for i, ch in enumerate(text) for _ in table.get(ord(ch), ch)]
    for ch in _ASCII_SPACES if spaced.isascii() else _ASCII_SPACES + _OTHER_SPACES:  # replace: faster than translate
        if ch in spaced:
            spaced = spaced.replace(ch, " ")
    if "  " not in spaced:
        return spaced, None if base is None else array("q", base)
    parts: list[str] = []
    folded_at: list[int] = []
    text_at: list[int] = []
    i = done = 0
    for run in regex("tables", "tables.space_run").finditer(spaced):  # keep the first space
        parts.append(spaced[i : run.start() + 1])
        folded_at.append(done)
        text_at.append(i)
        done += run.start() + 1 - i
        i = run.end()
    parts.append(spaced[i:])
    folded_at.append(done)
    text_at.append(i)
    folded = "".join(parts)
    if base is None:
        return folded, _Shifts(folded_at, text_at)
    index = array("q")
    for k, at in enumerate(text_at):
        stop = text_at[k] + (folded_at[k + 1] - folded_at[k] if k + 1 < len(folded_at) else len(folded) - folded_at[k])
        index.extend(base[at:stop])
    return folded, index


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

    __slots__ = ("folded", "low", "index", "_starts", "_keyed")

    def __init__(self, text: str) -> None:
        self.folded, self.index = _fold_fast(text)
        self.low = _lower(self.folded)
        self._starts: list[int] | None = None
        self._keyed: dict[int, tuple[set[str], dict[str, list[int]]]] = {}

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            # a letter or digit after none (str.isalnum; folded text holds no "_", the other \w)
            self._starts = [m.start() for m in regex("tables", "tables.word_start").finditer(self.low)]
        return self._starts

    def keys(self, size: int) -> tuple[set[str], dict[str, list[int]]]:
        """The ``size`` characters of ``low`` at the word starts: their set, and the word starts
        by them."""
        got = self._keyed.get(size)
        if got is None:
            low = self.low
            at: dict[str, list[int]] = {}
            for pos in self.starts:
                at.setdefault(low[pos : pos + size], []).append(pos)
            got = self._keyed[size] = (set(at), at)
        return got


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


@cache
def _surfaces(name: str) -> tuple[tuple[str, str, bool, tuple[str, ...]], ...]:
    rows = []
    for row in vocab_rows(name):
        canonical, surface, extra = row[0], row[1], row[2:]
        cs = CS_FLAG in extra
        folded = _fold(surface)[0].strip()
        rows.append((folded if cs else _lower(folded), canonical, cs, extra))
    return tuple(rows)


_ByKey = dict[int, tuple[dict[str, list[tuple[_Surface, bool]]], frozenset[str]]]


@cache
def _index(name: str) -> tuple[_ByKey, list[tuple[_Surface, bool]]]:
    """The vocabulary by key length and key (the lower case of the first KEY_LEN characters, or
    of all of a shorter surface; case-sensitive surfaces are checked against the folded text
    once found), with the set of keys; and the surfaces that start with neither letter nor
    digit (searched everywhere). Each surface comes with its case-sensitive flag."""
    by_size: dict[int, dict[str, list[tuple[_Surface, bool]]]] = {}
    loose: list[tuple[_Surface, bool]] = []
    for rank, (surface, canonical, cs, extra) in enumerate(_surfaces(name)):
        entry = (rank, surface, canonical, extra, not cs or surface.isupper())
        if not surface[0].isalnum():
            loose.append((entry, cs))
            continue
        key = _lower(surface[:KEY_LEN])  # lower-casing keeps the length (see _lower)
        by_size.setdefault(len(key), {}).setdefault(key, []).append((entry, cs))
    return {size: (by_key, frozenset(by_key)) for size, by_key in by_size.items()}, loose


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
    by_size, loose = _index(name)
    cands: list[tuple[int, int, int, str, tuple[str, ...]]] = []
    for size, (by_key, vocab_keys) in by_size.items():
        present, at = hay.keys(size)
        for key in present & vocab_keys:  # the keys both have (C-level, over the smaller set)
            for pos in at[key]:
                for entry, cs in by_key[key]:
                    text_ = folded if cs else low
                    if text_.startswith(entry[1], pos):
                        _accept(text_, pos, entry, cands)
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
