"""Dispatch one file to its reader, by what its bytes are more than by its name.

``load(path)`` returns a list of Documents (a PubMed XML collection gives one per article).
The file is sniffed first: a ``.txt`` holding a PDF is read as a PDF, a ``.pdf`` holding text
as text, and binary bytes under any name are refused. Every failure is an
:class:`~extractor.errors.IngestError` with a one-line reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.errors import IngestError, UnsupportedFileError
from extractor.ingest import text as text_reader
from extractor.ingest import xml as xml_reader
from extractor.ingest.pdf import read_pdf
from extractor.records import Document

PDF_MAGIC = b"%PDF-"
PDF_MAGIC_WINDOW = 1024  # the header may follow a little junk
SNIFF_BYTES = 4096
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".tsv", ".csv", ""})
XML_SUFFIXES = frozenset({".xml", ".nxml", ".jats"})
PDF_SUFFIXES = frozenset({".pdf"})
UNSUPPORTED = {
    ".doc": "Word .doc", ".docx": "Word .docx", ".rtf": "RTF", ".odt": "OpenDocument",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".gif": "image", ".zip": "zip archive", ".gz": "gzip archive", ".html": "HTML", ".htm": "HTML",
    ".xlsx": "Excel", ".xls": "Excel", ".pptx": "PowerPoint",
}  # fmt: skip


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes) -> str:
    """'pdf', 'xml', 'text' or 'binary' from the first bytes."""
    head = data[:SNIFF_BYTES]
    if PDF_MAGIC in head[:PDF_MAGIC_WINDOW]:
        return "pdf"
    if text_reader.looks_binary(head):
        return "binary"
    stripped = text_reader.decode_head(head).lstrip("\ufeff \t\r\n")
    if stripped.startswith("<?xml") or stripped.startswith(("<PubmedArticleSet", "<article", "<!DOCTYPE")):
        return "xml"
    return "text"


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise IngestError("file not found", path=str(path))
    if path.is_dir():
        raise IngestError("is a directory, not a file", path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(f"unreadable file ({exc.strerror or exc})", path=str(path)) from None


def load(path: str | Path, password: str | None = None) -> list[Document]:
    """Read one file into Documents (a PubMed XML collection gives one per article)."""
    path = Path(path)
    data = _read_bytes(path)
    if not data.strip():
        raise IngestError("empty file", path=str(path))
    suffix = path.suffix.lower()
    kind = sniff(data)
    digest = sha256_of(data)
    if kind == "pdf":
        docs = [read_pdf(path, digest, password)]
    elif suffix in UNSUPPORTED and kind == "binary":
        raise UnsupportedFileError(f"unsupported file type ({UNSUPPORTED[suffix]})", path=str(path))
    elif kind == "binary":
        what = "a PDF" if suffix in PDF_SUFFIXES else "text"
        raise IngestError(f"binary content, not {what} (corrupt or wrong file type)", path=str(path))
    elif suffix in PDF_SUFFIXES:
        raise IngestError("not a PDF (no %PDF- header): corrupt or mislabelled file", path=str(path))
    elif kind == "xml" or suffix in XML_SUFFIXES:
        docs = xml_reader.read_xml(path, data, digest)
    elif suffix in UNSUPPORTED:
        raise UnsupportedFileError(f"unsupported file type ({UNSUPPORTED[suffix]})", path=str(path))
    else:
        docs = [text_reader.read_text(path, data, digest)]
    for doc in docs:
        if doc.doc_id is None:
            doc.doc_id = path.stem if doc.pmid is None or doc.kind != "pubmed" else f"{path.stem}-{doc.pmid}"
    return docs
