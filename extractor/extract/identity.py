"""Document identity: registry ids, PMID, DOI, year, title → :class:`DocumentInfo`.

Values printed in the references section belong to cited works and are ignored.
Regexes: ``rules/regex/identity.jsonl``.
"""

from __future__ import annotations

from pathlib import Path

from extractor.extract.context import Context
from extractor.nlp.rules import regex
from extractor.records import DocumentInfo

FAMILY = "identity"
REGISTRY_RULES = (
    "identity.nct",
    "identity.isrctn",
    "identity.eudract",
    "identity.chictr",
    "identity.irct",
    "identity.actrn",
    "identity.ctri",
    "identity.drks",
    "identity.umin",
)
FRONT_MATTER_CHARS = 3000  # where a publication year is looked for when the ingest found none
MAX_TITLE_CHARS = 300
STRUCTURED_KINDS = ("pubmed", "jats")  # their year comes from the publication metadata


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _mined_text_ranges(ctx: Context) -> list[tuple[int, int]]:
    """Character ranges outside the references section."""
    refs = sorted((s.start, s.end) for s in ctx.document.sections if s.name == "references")
    ranges, pos = [], 0
    for s, e in refs:
        if s > pos:
            ranges.append((pos, s))
        pos = max(pos, e)
    ranges.append((pos, len(ctx.text)))
    return ranges


def _clean_registry(surface: str) -> str:
    m = _rx("identity.prefix_space").match(surface)
    if m:
        return m["p"] + m["rest"]
    return surface.replace("‐", "-")


def registry_ids(ctx: Context) -> list[str]:
    found: list[str] = []
    for start, end in _mined_text_ranges(ctx):
        for rule in REGISTRY_RULES:
            for m in _rx(rule).finditer(ctx.text, start, end):
                rid = _clean_registry(m.group(0))
                if rule == "identity.eudract":
                    rid = rid.split()[-1]
                if rid not in found:
                    found.append(rid)
    return found


def _first(ctx: Context, rule: str, group: str) -> str | None:
    for start, end in _mined_text_ranges(ctx):
        m = _rx(rule).search(ctx.text, start, end)
        if m:
            return m.group(group)
    return None


def clean_doi(doi: str | None) -> str | None:
    """Drop a publisher's page suffix glued to a DOI ("10.1002/x.1/abstract" → "10.1002/x.1")."""
    if not doi:
        return doi
    m = _rx("identity.doi_page_suffix").search(doi)
    return doi[: m.start()] if m else doi


def _only_in_references(ctx: Context, value: str) -> bool:
    """True when ``value`` is printed in the text, but only inside the references section."""
    low, needle = ctx.text.lower(), value.lower()
    hits, pos = [], low.find(needle)
    while pos >= 0:
        hits.append(pos)
        pos = low.find(needle, pos + 1)
    return bool(hits) and all(ctx.document.section_of(h) == "references" for h in hits)


def own_doi(ctx: Context) -> str | None:
    doi = ctx.document.doi
    if doi and _only_in_references(ctx, doi):
        doi = None  # a cited work's DOI picked up by the ingest
    return clean_doi(doi or _front_doi(ctx))


def _front_doi(ctx: Context) -> str | None:
    """The article's own DOI is printed in the front matter; later DOIs belong to cited works."""
    m = _rx("identity.doi").search(ctx.text, 0, min(len(ctx.text), FRONT_MATTER_CHARS))
    if m and not ctx.document.section_of(m.start()) == "references":
        return m["id"]
    return None


def _front_matter(ctx: Context) -> str:
    """The first page (PDF) or the first FRONT_MATTER_CHARS characters, whichever is longer."""
    pages = ctx.document.pages
    end = max(FRONT_MATTER_CHARS, pages[0].end if pages else 0)
    return ctx.text[:end]


def stated_year(ctx: Context) -> int | None:
    """The publication year stated as such: a citation line ("Journal, 2021; 9(2): e0147") or
    the latest of the labelled dates (received / accepted / published / ©, "results first
    posted") and bracketed citation years ("Clin. Cardiol. 26, 329–335 (2003)")."""
    head = _front_matter(ctx)
    m = _rx("identity.year_citation").search(head)
    if m:
        return int(m["year"])
    years = [int(m["year"]) for rule in ("identity.year_labelled", "identity.year_citation_paren")
             for m in _rx(rule).finditer(head)]
    return max(years) if years else None


def find_year(ctx: Context) -> int | None:
    year = stated_year(ctx)
    if year:
        return year
    title = ctx.document.title or ""
    m = _rx("identity.year").search(title)
    return int(m["year"]) if m else None


def find_title(ctx: Context) -> str | None:
    if ctx.document.title:
        return ctx.document.title
    titled = [s for s in ctx.sentences if s.section == "title"]
    if titled:
        return titled[0].text[:MAX_TITLE_CHARS]
    for sent in ctx.sentences[:3]:
        if len(sent.text) <= MAX_TITLE_CHARS and sum(ch.isalpha() for ch in sent.text) > len(sent.text) / 2:
            return sent.text
    return None


def extract_identity(ctx: Context) -> DocumentInfo:
    doc = ctx.document
    return DocumentInfo(
        id=doc.doc_id or Path(doc.path).stem,
        path=doc.path,
        sha256=doc.sha256,
        pages=len(doc.pages) or None,
        title=find_title(ctx),
        year=(doc.year or find_year(ctx)) if doc.kind in STRUCTURED_KINDS else (stated_year(ctx) or doc.year or find_year(ctx)),
        registry_ids=registry_ids(ctx),
        pmid=doc.pmid or _first(ctx, "identity.pmid", "id"),
        doi=own_doi(ctx),
    )
