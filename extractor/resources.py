"""Find the rules/ directory (env override, source checkout, or the installed copy) and hash it."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

ENV_RULES = "EVIDENCE_RULES"


@lru_cache(maxsize=1)
def rules_dir() -> Path:
    override = os.environ.get(ENV_RULES)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "_rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("rules/ directory not found (set EVIDENCE_RULES)")


def rules_path(*parts: str) -> Path:
    return rules_dir().joinpath(*parts)


@lru_cache(maxsize=1)
def rules_hash() -> str:
    """sha256 over every file under rules/ (names and contents), to explain old results."""
    digest = hashlib.sha256()
    root = rules_dir()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
