"""Run settings and their defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB_URL = "sqlite:///evidence.db"
ENV_DB = "EVIDENCE_DB"
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_PAGES = 2000
SUPPORTED_SUFFIXES = (".pdf", ".txt", ".text", ".md", ".markdown", ".xml", ".nxml")


def resolve_db_url(url: str | None) -> str:
    """``--db`` wins, then ``EVIDENCE_DB``, then ./evidence.db. A bare path becomes a SQLite URL."""
    url = url or os.environ.get(ENV_DB) or DEFAULT_DB_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


@dataclass
class Settings:
    db_url: str = DEFAULT_DB_URL
    jobs: int = 0  # 0 = all cores
    timeout_s: float = DEFAULT_TIMEOUT_S
    password: str | None = None

    def __post_init__(self) -> None:
        if self.jobs < 0:
            raise ValueError("jobs must be >= 0")
        if self.timeout_s <= 0:
            raise ValueError("timeout must be positive")
        self.db_url = resolve_db_url(self.db_url)

    @property
    def workers(self) -> int:
        return self.jobs or (os.cpu_count() or 1)
