"""Bad inputs: each raises IngestError with a one-line reason naming the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import IngestError, UnsupportedFileError
from extractor.ingest.load import load

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("truncated.pdf", "corrupt or truncated PDF"),
        ("encrypted.pdf", "encrypted PDF (no password given)"),
        ("image_only.pdf", "no text layer"),
        ("random_bytes.pdf", "binary content, not a PDF"),
        ("random_bytes.txt", "binary content, not text"),
    ],
)
def test_bad_input_raises_with_reason(name: str, reason: str) -> None:
    with pytest.raises(IngestError) as info:
        load(FIXTURES / name)
    assert reason in str(info.value)
    assert info.value.path == str(FIXTURES / name)
    assert "\n" not in str(info.value)


def test_wrong_password() -> None:
    with pytest.raises(IngestError, match="encrypted PDF \\(wrong password\\)"):
        load(FIXTURES / "encrypted.pdf", password="not-it")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="file not found"):
        load(tmp_path / "nope.pdf")


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="directory"):
        load(tmp_path)


def test_whitespace_only_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("  \n\n \t\n")
    with pytest.raises(IngestError, match="empty file"):
        load(path)


def test_pdf_name_with_text_inside(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("This is a plain note, not a PDF.\n")
    with pytest.raises(IngestError, match="not a PDF"):
        load(path)


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    with pytest.raises(UnsupportedFileError, match="unsupported file type"):
        load(path)


def test_malformed_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<?xml version='1.0'?><PubmedArticleSet><PubmedArticle>")
    with pytest.raises(IngestError, match="malformed XML"):
        load(path)


def test_unknown_xml_root(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<?xml version='1.0'?><catalog><item/></catalog>")
    with pytest.raises(UnsupportedFileError, match="unsupported XML"):
        load(path)
