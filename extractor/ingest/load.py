"""Dispatch a file to its reader by type. (Interface stub; the ingest stage fills it in.)"""

from __future__ import annotations

from pathlib import Path

from extractor.records import Document


def load(path: str | Path, password: str | None = None) -> list[Document]:
    """Read one file into Documents (a PubMed XML collection gives one per article)."""
    raise NotImplementedError
