"""Which files a batch takes, and their hashes (hashing comes before parsing).

Folders are walked recursively: hidden files and folders are skipped, a symlink loop is
visited once, only ``settings.SUPPORTED_SUFFIXES`` are taken, and not a folder's README,
LICENSE... (:data:`NOT_REPORTS`) nor what a folder's ``.evidenceignore`` lists. Files named
explicitly are always taken.

A report-named entry that cannot be a file (broken symlink, symlink loop, FIFO or device) is
not taken but returned as a problem with its reason, so the batch reports it instead of
dropping it silently (or hanging on a FIFO).
"""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import stat as stat_mod
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.settings import SUPPORTED_SUFFIXES

NOT_REPORTS = frozenset({"readme", "license", "licence", "changelog", "contributing", "authors", "notice"})
"""File stems (lower case) that document a folder rather than report a trial: skipped in folders."""
IGNORE_FILE = ".evidenceignore"
"""In a folder: glob patterns (one a line, ``#`` comments, ``name/`` = folders only) to skip below it."""
_HASH_CHUNK = 1 << 20


def _hidden(name: str) -> bool:
    return name.startswith(".")


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest (sorted, each once), and ``(path, reason)`` of what cannot be read."""
    found: dict[Path, Path] = {}
    problems: list[tuple[str, str]] = []
    for arg in paths:
        path = Path(arg)
        if path.is_file():
            found.setdefault(path.resolve(), path)
        elif path.is_dir():
            for file, reason in _walk(path):
                if reason is None:
                    found.setdefault(file.resolve(), file)
                else:
                    problems.append((str(file), reason))
        else:
            problems.append((str(path), not_a_file(path) or "no such file or directory"))
    return sorted(found.values()), problems


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a regular file (None: it can, or it does not exist at all)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if os.path.islink(path):
            return f"broken symbolic link (to {os.readlink(path)})"
        return None if exc.errno == errno.ENOENT else (exc.strerror or str(exc))
    if stat_mod.S_ISREG(mode) or stat_mod.S_ISDIR(mode):
        return None
    return "not a regular file (FIFO, socket or device)"


def _ignore_patterns(folder: str) -> list[str]:
    try:
        lines = Path(folder, IGNORE_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _ignored(folder: str, name: str, is_dir: bool, rules: dict[str, list[str]]) -> bool:
    """Does an ``.evidenceignore`` of ``folder`` or above match ``name`` (``pattern/``: folders only)?"""
    for base, patterns in rules.items():
        if folder != base and not folder.startswith(base + os.sep):
            continue
        rel = Path(os.path.relpath(os.path.join(folder, name), base)).as_posix()
        for pattern in patterns:
            if pattern.endswith("/") and not is_dir:
                continue
            pattern = pattern.rstrip("/")
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(name, pattern):
                return True
    return False


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    visited: set[tuple[int, int]] = set()
    rules: dict[str, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            stat = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in visited:  # a symlink loop back to a folder seen already
            dirnames[:] = []
            continue
        visited.add((stat.st_dev, stat.st_ino))
        if patterns := _ignore_patterns(dirpath):
            rules[dirpath] = patterns
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d) and not _ignored(dirpath, d, True, rules))
        for name in sorted(filenames):
            file = Path(dirpath, name)
            if _hidden(name) or file.suffix.lower() not in SUPPORTED_SUFFIXES or file.stem.lower() in NOT_REPORTS:
                continue
            if _ignored(dirpath, name, False, rules):
                continue
            if file.is_file():
                yield file, None
            elif reason := not_a_file(file):
                yield file, reason


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
