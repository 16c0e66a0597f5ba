"""One error base for the package; each subclass also inherits the builtin it resembles.

The CLI turns every ``ExtractorError`` into a one-line message naming the file and the
reason, never a traceback.
"""

from __future__ import annotations


class ExtractorError(Exception):
    """Base of every error this package raises on purpose."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class IngestError(ExtractorError, ValueError):
    """A file could not be read into a Document (corrupt, encrypted, empty, no text layer...)."""


class UnsupportedFileError(IngestError):
    """The file type is not one we read."""


class RuleFileError(ExtractorError, ValueError):
    """A rule or vocabulary file under rules/ is malformed (message names file:line)."""


class StoreError(ExtractorError, RuntimeError):
    """The database could not be opened or written (locked, bad URL...)."""


class ExtractionTimeout(ExtractorError, TimeoutError):
    """A document took longer than the per-document time limit."""
