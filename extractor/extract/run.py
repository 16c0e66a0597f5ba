"""Run every extractor on one Document. (Interface stub; the extract stage fills it in.)"""

from __future__ import annotations

from pathlib import Path

from extractor.records import Document, DocumentInfo, EvidenceRecord


def extract_document(document: Document) -> EvidenceRecord:
    info = DocumentInfo(
        id=document.doc_id or Path(document.path).stem,
        path=document.path,
        sha256=document.sha256,
        pages=len(document.pages) or None,
        title=document.title,
        year=document.year,
        pmid=document.pmid,
        doi=document.doi,
    )
    return EvidenceRecord(document=info)
