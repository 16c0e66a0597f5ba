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
    ("UMIN Clinical Trials Registry: UMIN000018342", ["UMIN000018342"]),
    ("The trial was registered with UMIN-CTR (UMIN000031907).", ["UMIN000031907"]),
    ("Registration: UMIN 000012345 and NCT02550652.", ["NCT02550652", "UMIN000012345"]),
    ("This study is registered as UMIN000004567; ethics approval no. 123.", ["UMIN000004567"]),
    ("UMIN00001234 is too short to be an id.", []),
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


@pytest.mark.parametrize("doi,want", [
    ("10.1002/acr.22759/abstract", "10.1002/acr.22759"),
    ("10.7717/peerj.3654/fig-1Figure", "10.7717/peerj.3654"),
    ("10.1186/s13075-019-1.2/table-2Table", "10.1186/s13075-019-1.2"),
    ("10.1002/art.39962/full", "10.1002/art.39962"),
    ("10.1111/lup.12/pdf", "10.1111/lup.12"),
    ("10.1016/S0140-6736(07)61235-5", "10.1016/S0140-6736(07)61235-5"),
])
def test_doi_page_suffix_is_dropped(doi, want):
    info = _info(f"A trial\n\nSee https://doi.org/{doi} for the full text.\n")
    assert info.doi == want


def test_doi_seen_only_in_references_is_not_the_article_doi():
    text = "A trial\n\nMethods were standard.\n\nReferences\n1. Other. doi: 10.1000/other.2\n"
    ref = text.index("References")
    info = _info(text, doi="10.1000/other.2", sections=[Section("other", 0, ref), Section("references", ref, len(text))])
    assert info.doi is None


@pytest.mark.parametrize("front,want", [
    ("Renal Journal, 2021; 9(2): e0147. A cohort from 2005 to 2018", 2021),
    ("Lupus 2019;28(4):512-520. Patients seen in 2010", 2019),
    ("Received 3 December 2013 · Accepted 20 March 2014", 2014),
    ("Received: 2 May 2008; accepted: 1 July 2009; published online 2009", 2009),
    ("BMJ 2015;350:h2147", 2015),
    ("© 2016 The Authors. Study conducted 2011-2013.", 2016),
    ("**Study start:** December 2005 · **Results first posted:** 2012", 2012),
    ("Study First Posted: January 5, 2006. Results First Posted: March 3, 2012", 2012),
    ("First posted 2010-02-01; last update posted 2013-07-09", 2013),
    ("Ages 16 to 75 years. ISN/RPS 2003 class III. Results first posted: 2012", 2012),
    ("Year: 2015. Follow-up of 2 years (2003 cohort)", 2015),
    ("Clin. Cardiol. 26, 329–335 (2003)\nReceived: January 25, 2002\nAccepted with revision: May 29, 2002", 2003),
    ("J Clin Invest 112: 1486-1494 (2003). Received 2002", 2003),
    ("Received 2007; accepted 2008. Kidney Int 73, 1234-1240 (2008)", 2008),
    ("Accepted 2019. Earlier work: Lupus 8: 12-19 (1999)", 2019),
    ("Nature 5, 12-19 (2011)", 2011),
])
def test_stated_year_beats_first_year(front, want):
    info = _info("Title of a trial 2001\n\n" + front + "\n", year=2001)
    assert info.year == want


def test_structured_year_is_kept():
    info = extract_identity(build_context(Document(path="x.xml", sha256="a", kind="jats", text="T\n\nReceived 2018. Lupus 2019;28(4):512", year=2020)))
    assert info.year == 2020


@pytest.mark.parametrize("text,year", [
    ("1. Clin Nephrol Res. 2023 Feb;18(2):144-153. doi: 10.5555/x. Epub 2022 Nov 30.\n\nTitle.\n\nCopyright © 2022.", 2023),
    ("Kidney Int. 2019 Mar 12;95(3):e101. Epub 2018 Dec 1.", 2019),
    ("Lupus. 2021 Jul-Aug;30(8):1201-9. Epub 2020 Oct 2.", 2021),
    ("J Rheumatol. 2018 December;45(12):1650-7. Epub 2017 Nov 1.", 2018),
    ("Nephrol Dial Transplant. 2020 Jan;35(1):88-96. Published online 2019.", 2020),
])
def test_pubmed_citation_year_with_month(text, year):
    assert _info(text).year == year
