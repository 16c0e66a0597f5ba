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
"""

from __future__ import annotations

import json
import re
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
            out[row["id"]] = re.compile(row["regex"], flags)
        except re.error as exc:
            raise RuleFileError(f"{row['_where']}: bad regex ({exc})") from None
    return out


def regex(family: str, rule_id: str) -> re.Pattern[str]:
    try:
        return regexes(family)[rule_id]
    except KeyError:
        raise RuleFileError(f"regex/{family}.jsonl: no rule {rule_id!r}") from None


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
