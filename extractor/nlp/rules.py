"""Strict loaders for everything under rules/.

Three kinds of rule data, all files, none in code:

* ``rules/<family>.jsonl``: spaCy Matcher / PhraseMatcher patterns, one JSON object a line,
  ``{"id": "cohort.n.enrolled", "label": "COHORT_SIZE", "pattern": [...] | "phrase"}``.
  Unknown keys and duplicate ids are rejected with ``file:line``.
* ``rules/regex/<family>.jsonl``: named regular expressions,
  ``{"id": "numbers.n_of_N", "regex": "...", "flags": "i"}`` (flags from ``imsx``), used by the
  pure parsing functions; code refers to them by id only.
* ``rules/vocab/<name>.tsv``: vocabularies, ``canonical<TAB>surface form`` per line (``#`` comments).
  Extra tab-separated columns are kept as attributes (``vocab_rows``).
* ``rules/*.json``: structured data (units, classes) read with :func:`data`.

Compiled regexes come with a literal prefilter (:class:`Prefiltered`): the strings one of which
every match must contain are read off the parsed pattern once, and a text that holds none of
them is answered "no match" without running the regex. Same results, far fewer scans.
"""

from __future__ import annotations

import json
import re
import re._casefix as _casefix
import re._constants as _sre
import re._parser as _sre_parse
from functools import cache
from pathlib import Path
from typing import Any

from extractor.errors import RuleFileError
from extractor.resources import rules_dir

PATTERN_KEYS = frozenset({"id", "label", "pattern", "note"})
REGEX_KEYS = frozenset({"id", "regex", "flags", "note", "examples", "counter_examples"})
_FLAG_MAP = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _jsonl(path: Path, allowed: frozenset[str], required: tuple[str, ...]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{path.name}:{lineno}: invalid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise RuleFileError(f"{path.name}:{lineno}: expected an object")
        unknown = set(row) - allowed
        if unknown:
            raise RuleFileError(f"{path.name}:{lineno}: unknown keys {sorted(unknown)}")
        missing = [k for k in required if k not in row]
        if missing:
            raise RuleFileError(f"{path.name}:{lineno}: missing keys {missing}")
        if row["id"] in seen:
            raise RuleFileError(f"{path.name}:{lineno}: duplicate id {row['id']!r}")
        seen.add(row["id"])
        row["_where"] = f"{path.name}:{lineno}"
        rows.append(row)
    return rows


@cache
def patterns(family: str) -> tuple[dict[str, Any], ...]:
    """Matcher patterns of ``rules/<family>.jsonl``."""
    path = rules_dir() / f"{family}.jsonl"
    if not path.exists():
        raise RuleFileError(f"{path}: no such rule file")
    return tuple(_jsonl(path, PATTERN_KEYS, ("id", "label", "pattern")))


@cache
def regexes(family: str) -> dict[str, re.Pattern[str]]:
    """Compiled named regexes of ``rules/regex/<family>.jsonl``, by id."""
    path = rules_dir() / "regex" / f"{family}.jsonl"
    if not path.exists():
        raise RuleFileError(f"{path}: no such regex file")
    out: dict[str, re.Pattern[str]] = {}
    for row in _jsonl(path, REGEX_KEYS, ("id", "regex")):
        flags = 0
        for ch in row.get("flags", ""):
            if ch not in _FLAG_MAP:
                raise RuleFileError(f"{row['_where']}: unknown regex flag {ch!r}")
            flags |= _FLAG_MAP[ch]
        try:
            out[row["id"]] = prefiltered(re.compile(row["regex"], flags))
        except re.error as exc:
            raise RuleFileError(f"{row['_where']}: bad regex ({exc})") from None
    return out


_BY_ID: dict[tuple[str, str], re.Pattern[str]] = {}


def regex(family: str, rule_id: str) -> re.Pattern[str]:
    try:
        return _BY_ID[family, rule_id]
    except KeyError:
        pass
    try:
        found = _BY_ID[family, rule_id] = regexes(family)[rule_id]
    except KeyError:
        raise RuleFileError(f"regex/{family}.jsonl: no rule {rule_id!r}") from None
    return found


@cache
def vocab_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of ``rules/vocab/<name>.tsv`` (canonical, surface, extra columns...)."""
    path = rules_dir() / "vocab" / f"{name}.tsv"
    if not path.exists():
        raise RuleFileError(f"{path}: no such vocabulary")
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = tuple(c.strip() for c in line.split("\t"))
        if len(cols) < 2 or not cols[0] or not cols[1]:
            raise RuleFileError(f"{path.name}:{lineno}: expected 'canonical<TAB>surface'")
        rows.append(cols)
    return tuple(rows)


@cache
def vocab(name: str) -> dict[str, str]:
    """surface form (lower-cased) -> canonical id."""
    return {row[1].lower(): row[0] for row in vocab_rows(name)}


@cache
def data(name: str) -> Any:
    """Structured rule data ``rules/<name>.json``."""
    path = rules_dir() / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleFileError(f"{path}: no such rule file") from None
    except json.JSONDecodeError as exc:
        raise RuleFileError(f"{path.name}:{exc.lineno}: invalid JSON ({exc.msg})") from None


def check_all() -> list[str]:
    """Load every rule file; return a list of 'file: ok' lines or raise RuleFileError."""
    root = rules_dir()
    report = []
    for path in sorted(root.glob("*.jsonl")):
        report.append(f"{path.name}: {len(patterns(path.stem))} patterns")
    for path in sorted((root / "regex").glob("*.jsonl")):
        report.append(f"regex/{path.name}: {len(regexes(path.stem))} regexes")
    for path in sorted((root / "vocab").glob("*.tsv")):
        report.append(f"vocab/{path.name}: {len(vocab_rows(path.stem))} entries")
    for path in sorted(root.glob("*.json")):
        data(path.stem)
        report.append(f"{path.name}: ok")
    return report


# --- literal prefilter -------------------------------------------------------------------------
# A requirement is a set of strings one of which every match contains (in the canonical case
# form below); DIGIT stands for "some decimal digit". A pattern keeps up to two requirements.

DIGIT = "\0digit"
_EXACT_CAP = 24  # largest set of exact strings a node or run is expanded to
_ANY_CAP = 64  # most alternatives a requirement may list
_KEEP = 2
_RARE_PUNCT = ",.-'\"()"  # single characters too common to be worth a test
# the regex engine compares case-insensitively by simple lower-casing plus a few extra classes
# (ı/i, ſ/s, µ/μ, ...); str.lower() agrees except on U+0130, whose full lower form is "i̇"
_PRE = {0x130: "i"}
_POST = {k: chr(min((k, *v))) for k, v in _casefix._EXTRA_CASES.items()}
_DIGITS = "0123456789"


def canonical(text: str) -> str:
    """Case-folded the way the regex engine compares with IGNORECASE (applied to pattern and text
    alike, so that a case-sensitive literal is found too)."""
    if text.isascii():
        return text.lower()
    return text.translate(_PRE).lower().translate(_POST)


def _exact_class(items: list[Any]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] <= _EXACT_CAP:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY, a wide range
            return None
    out = {canonical(c) for c in chars}
    return out if len(out) <= _EXACT_CAP else None


def _strength(req: frozenset[str]) -> tuple[int, int]:
    def one(s: str) -> int:
        if s == DIGIT:
            return 2
        s = s.strip()
        if len(s) == 1:
            return 0 if s.isalnum() or s in _RARE_PUNCT else 2
        return len(s)

    return min(one(s) for s in req), -len(req)


def _node(op: Any, av: Any) -> tuple[set[str] | None, list[frozenset[str]]]:
    """(every string the node can match when few, else None; requirements of the node)."""
    if op is _sre.LITERAL:
        return {canonical(chr(av))}, []
    if op is _sre.IN:
        if av == [(_sre.CATEGORY, _sre.CATEGORY_DIGIT)]:
            return None, [frozenset({DIGIT})]
        return _exact_class(av), []
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero-width: the text around is contiguous
        return {""}, []
    if op is _sre.SUBPATTERN:
        return _sequence(av[3])
    if op is _sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is _sre.BRANCH:
        results = [_sequence(branch) for branch in av[1]]
        if all(exact is not None for exact, _ in results):
            union = set().union(*(exact for exact, _ in results if exact is not None))
            if len(union) <= _EXACT_CAP:
                return union, []
        alternatives: set[str] = set()
        for exact, reqs in results:
            cands = [*reqs, frozenset(exact)] if exact is not None and "" not in exact else list(reqs)
            if not cands:
                return None, []
            alternatives |= max(cands, key=_strength)
        return None, [frozenset(alternatives)]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, high, item = av
        exact, reqs = _sequence(item)
        if low == 0:
            return (exact | {""}, []) if high == 1 and exact is not None else (None, [])
        if exact is not None and low == high and len(exact) ** low <= _EXACT_CAP:
            out = {""}
            for _ in range(low):
                out = {a + b for a in out for b in exact}
            return out, []
        return None, [*reqs, frozenset(exact)] if exact is not None and "" not in exact else reqs
    return None, []  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...: no literal


def _sequence(items: Any) -> tuple[set[str] | None, list[frozenset[str]]]:
    reqs: list[frozenset[str]] = []
    run, exact = {""}, True
    for op, av in items:
        strings, sub = _node(op, av)
        reqs += sub
        if strings is not None:
            joined = {a + b for a in run for b in strings}
            if len(joined) <= _EXACT_CAP:
                run = joined
                continue
        exact = False
        if "" not in run:
            reqs.append(frozenset(run))
        run = {""} if strings is None else strings
    if "" not in run:
        reqs.append(frozenset(run))
    return (run if exact else None), reqs


def requirements(pattern: re.Pattern[str]) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Up to two requirements of ``pattern``: (strings, or-a-digit) each; () when none is useful."""
    try:
        _, reqs = _sequence(_sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a pattern the parser reads otherwise: no prefilter
        return ()
    kept: list[tuple[str, ...]] = []
    for req in sorted(reqs, key=_strength, reverse=True):
        if _strength(req)[0] < 2:
            break
        shortest: list[str] = []
        for s in sorted(req, key=len):  # a string holding a shorter alternative adds nothing
            if not any(k in s for k in shortest if k != DIGIT):
                shortest.append(s)
        alternatives = tuple(shortest)
        if len(alternatives) <= _ANY_CAP and alternatives not in kept:
            kept.append(alternatives)
        if len(kept) == _KEEP:
            break
    return tuple((tuple(s for s in alts if s != DIGIT), DIGIT in alts) for alts in kept)


_CANON: dict[str, tuple[str, bool]] = {}
_CANON_LIMIT = 2048  # texts kept
_CANON_CHARS = 2_000_000  # characters kept (whole documents are scanned too)
_canon_chars = 0


def _canonical_text(text: str) -> tuple[str, bool]:
    """(canonical form, may hold a digit) of a text, cached: the same sentence meets many rules."""
    global _canon_chars
    if len(_CANON) >= _CANON_LIMIT or _canon_chars + len(text) > _CANON_CHARS:
        _CANON.clear()
        _canon_chars = 0
    if text.isascii():
        found = (text.lower(), any(d in text for d in _DIGITS))
    else:
        found = (canonical(text), True)
    if len(text) <= _CANON_CHARS:
        _CANON[text] = found
        _canon_chars += len(text)
    return found


class Prefiltered:
    """A compiled pattern that skips texts lacking a required literal (see :func:`requirements`).

    Quacks like ``re.Pattern``: ``search``/``match``/``fullmatch``/``finditer``/``findall``/
    ``sub``/``subn``/``split`` answer as the pattern would, without a scan when no match can be.
    """

    __slots__ = ("compiled", "need", "pattern", "flags", "groups", "groupindex", "scanner")

    def __init__(self, compiled: re.Pattern[str], need: tuple[tuple[tuple[str, ...], bool], ...]) -> None:
        self.compiled, self.need = compiled, need
        self.pattern, self.flags, self.groups = compiled.pattern, compiled.flags, compiled.groups
        self.groupindex, self.scanner = compiled.groupindex, compiled.scanner

    def __repr__(self) -> str:
        return f"Prefiltered({self.compiled!r})"

    def absent(self, text: str) -> bool:
        """True when no match is possible in ``text``."""
        folded, digit = _CANON.get(text) or _canonical_text(text)
        for strings, or_digit in self.need:
            if or_digit and digit:
                continue
            for s in strings:
                if s in folded:
                    break
            else:
                return True
        return False

    def search(self, string: str, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        return None if self.absent(string) else self.compiled.search(string, *args, **kwargs)

    def match(self, string: str, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        return None if self.absent(string) else self.compiled.match(string, *args, **kwargs)

    def fullmatch(self, string: str, *args: Any, **kwargs: Any) -> re.Match[str] | None:
        return None if self.absent(string) else self.compiled.fullmatch(string, *args, **kwargs)

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Any:
        return iter(()) if self.absent(string) else self.compiled.finditer(string, *args, **kwargs)

    def findall(self, string: str, *args: Any, **kwargs: Any) -> list[Any]:
        return [] if self.absent(string) else self.compiled.findall(string, *args, **kwargs)

    def sub(self, repl: Any, string: str, *args: Any, **kwargs: Any) -> str:
        return string if self.absent(string) else self.compiled.sub(repl, string, *args, **kwargs)

    def subn(self, repl: Any, string: str, *args: Any, **kwargs: Any) -> tuple[str, int]:
        return (string, 0) if self.absent(string) else self.compiled.subn(repl, string, *args, **kwargs)

    def split(self, string: str, *args: Any, **kwargs: Any) -> list[Any]:
        return [string] if self.absent(string) else self.compiled.split(string, *args, **kwargs)


def prefiltered(compiled: re.Pattern[str]) -> re.Pattern[str]:
    """``compiled`` with a literal prefilter, or as it is when it has no useful requirement."""
    need = requirements(compiled)
    return Prefiltered(compiled, need) if need else compiled  # type: ignore[return-value]
