"""Registry ids, PMID, DOI, year, title."""

from __future__ import annotations

import pytest

from extractor.extract.identity import extract_identity
from extractor.extract.run import build_context
from extractor.records import Document, Section


def _info(text: str, **kw):
    return extract_identity(build_context(Document(path="dir/paper.txt", sha256="abc", kind="text", text=text, **kw)))


@pytest.mark.parametrize("text,want", [
    ("Registered at ClinicalTrials.gov, NCT01658943.", ["NCT01658943"]),
    ("Trial registration: NCT 01658943 and ISRCTN12345678.", ["NCT01658943", "ISRCTN12345678"]),
    ("EudraCT number 2012-001234-56 was assigned.", ["2012-001234-56"]),
    ("Chinese Clinical Trial Registry ChiCTR-ONC-12002117.", ["ChiCTR-ONC-12002117"]),
    ("Registered at ChiCTR1800015432.", ["ChiCTR1800015432"]),
    ("Iranian registry IRCT20160809029275N1.", ["IRCT20160809029275N1"]),
    ("ANZCTR ACTRN12610000123456; CTRI/2018/05/013456; DRKS00012345.", ["ACTRN12610000123456", "CTRI/2018/05/013456", "DRKS00012345"]),
    ("No registration was reported; NCT123 is not an id.", []),
])
def test_registry_ids(text, want):
    assert _info("Title\n\n" + text).registry_ids == want


def test_references_are_ignored():
    text = "A trial\n\nRegistered as NCT01658943. doi: 10.5555/own.2017.1\n\nReferences\n1. Other. NCT99999999. doi: 10.1000/other.2\n"
    ref = text.index("References")
    info = _info(text, sections=[Section("other", 0, ref), Section("references", ref, len(text))])
    assert info.registry_ids == ["NCT01658943"]
    assert info.doi == "10.5555/own.2017.1"


def test_pmid_year_title_and_fallbacks():
    info = _info("Oral methylprednisolone in IgA nephropathy\n\nPMID: 12345678. © 2017 The Authors.\n")
    assert info.pmid == "12345678"
    assert info.year == 2017
    assert info.title == "Oral methylprednisolone in IgA nephropathy"
    assert info.id == "paper" and info.sha256 == "abc"


def test_document_values_win():
    info = _info("Some text 1999.", title="Given title", year=2020, doi="10.1/x", pmid="1")
    assert (info.title, info.year, info.doi, info.pmid) == ("Given title", 2020, "10.1/x", "1")
