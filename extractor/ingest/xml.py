"""PubMed XML (one Document per PubmedArticle) and JATS XML (one Document) with lxml.

PubMed text: the title, an "Abstract" heading, one line per AbstractText ("RESULTS: ...",
labels kept), and one "Trial registration: <databank> <accession>" line per DataBankList id.
JATS text: title, abstract (section titles as inline labels), one "Trial registration: <id>" line
per registration in the article metadata (custom-meta, registry ext-links), body sections with their
titles as heading lines, figure captions, acknowledgements and a "References" section with one
reference a line; every <table-wrap> becomes a Table (source "jats") in the final tables block.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from extractor.errors import IngestError, UnsupportedFileError
from extractor.ingest.assemble import FoundTable, build_document
from extractor.ingest.clean import Run, clean_text
from extractor.nlp.rules import regex
from extractor.records import Document

SKIP_IN_TEXT = frozenset({"table-wrap", "fig", "sec", "title", "label"})
PUBMED_ROOTS = frozenset({"PubmedArticleSet", "PubmedArticle"})
JATS_ROOTS = frozenset({"article"})


def _parse(path: Path, data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"malformed XML ({exc.msg})", path=str(path)) from None
    if root is None:
        raise IngestError("malformed XML (no root element)", path=str(path))
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = etree.QName(el).localname
    return root


def _text(el: etree._Element | None, skip: frozenset[str] = frozenset()) -> str:
    """Whitespace-collapsed text of ``el`` without the subtrees named in ``skip``."""
    if el is None:
        return ""
    parts: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in skip:
            parts.append(_text(child, skip))
        parts.append(child.tail or "")
    return " ".join(clean_text("".join(parts)).split())


def _first(el: etree._Element, xpath: str) -> str | None:
    found = el.xpath(xpath)
    if not found:
        return None
    value = found[0] if isinstance(found[0], str) else _text(found[0])
    return value.strip() or None


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value and value[:4].isdigit() else None


def _lines_run(lines: Iterable[str]) -> Run:
    return Run.of("\n".join(line for line in lines if line is not None))


# --------------------------------------------------------------------------------------
# PubMed
# --------------------------------------------------------------------------------------


def _pubmed_article(article: etree._Element, path: Path, sha256: str) -> Document:
    title = _first(article, ".//ArticleTitle") or _first(article, ".//BookTitle") or ""
    lines = [title, "", "Abstract"]
    for part in article.xpath(".//Abstract/AbstractText"):
        label = part.get("Label")
        body = _text(part)
        lines.append(f"{label}: {body}" if label else body)
    for bank in article.xpath(".//DataBankList/DataBank"):
        name = _first(bank, "DataBankName") or "Registry"
        for acc in bank.xpath(".//AccessionNumber"):
            lines.append(f"Trial registration: {name} {_text(acc)}")
    pmid = _first(article, ".//MedlineCitation/PMID") or _first(article, ".//ArticleId[@IdType='pubmed']")
    doi = _first(article, ".//ArticleId[@IdType='doi']") or _first(article, ".//ELocationID[@EIdType='doi']")
    year = _year(
        _first(article, ".//Article/Journal/JournalIssue/PubDate/Year")
        or _first(article, ".//ArticleDate/Year")
        or _first(article, ".//PubDate/MedlineDate")
    )
    return build_document(
        path=str(path),
        sha256=sha256,
        kind="pubmed",
        body=_lines_run(lines),
        title=title or None,
        year=year,
        pmid=pmid,
        doi=doi,
        doc_id=f"{path.stem}-{pmid}" if pmid else None,
    )


# --------------------------------------------------------------------------------------
# JATS
# --------------------------------------------------------------------------------------


def _jats_sec(sec: etree._Element, lines: list[str]) -> None:
    title = _first(sec, "title")
    if title:
        lines += ["", title]
    for child in sec:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "sec":
            _jats_sec(child, lines)
        elif child.tag == "fig":
            lines.append(" ".join(filter(None, [_first(child, "label"), _text(child.find("caption"))])))
        elif child.tag in {"p", "list", "disp-quote", "boxed-text", "statement"}:
            text = _text(child, frozenset({"table-wrap", "fig"}))
            if text:
                lines.append(text)


def _jats_abstract(abstract: etree._Element, lines: list[str]) -> None:
    lines += ["", "Abstract"]
    secs = abstract.findall("sec")
    if not secs:
        lines += [t for p in abstract.iter("p") if (t := _text(p))]
        return
    for sec in secs:
        label = _first(sec, "title")
        body = " ".join(t for p in sec.iter("p") if (t := _text(p)))
        lines.append(f"{label}: {body}" if label else body)


def _jats_registrations(meta: etree._Element) -> list[str]:
    """"Trial registration: <id>" lines from the article metadata, which the text otherwise drops:
    custom-meta (name "Trial registration"...), ext-links of a registry type, related-objects of a
    clinical-trial type and secondary abstracts of a registration type."""
    is_reg = regex("identity", "identity.registration_meta").search
    found: list[str] = []
    for cm in meta.iter("custom-meta"):
        if is_reg(_first(cm, "meta-name") or ""):
            found.append(_text(cm.find("meta-value")))
    for el in meta.iter("ext-link", "related-object"):
        kind = " ".join(filter(None, (el.get("ext-link-type"), el.get("document-type"), el.get("source-type"),
                                      el.get("content-type"), el.get("source-id-type"))))
        if kind and is_reg(kind):
            found += [_text(el), el.get("source-id") or ""]
    for ab in meta.findall("abstract")[1:] + meta.findall("trans-abstract"):
        if is_reg(ab.get("abstract-type") or ""):
            found.append(_text(ab, frozenset({"title"})))
    out: list[str] = []
    for value in found:
        if value and f"Trial registration: {value}" not in out:
            out.append(f"Trial registration: {value}")
    return out


def _jats_table(wrap: etree._Element) -> FoundTable:
    label = _first(wrap, "label") or ""
    caption = " ".join(filter(None, [label, _text(wrap.find("caption"))]))
    rows: list[list[str]] = []
    for tr in wrap.iter("tr"):
        cells: list[str] = []
        for cell in tr:
            if isinstance(cell.tag, str) and cell.tag in {"td", "th"}:
                span = int(cell.get("colspan", "1")) if cell.get("colspan", "1").isdigit() else 1
                cells += [_text(cell)] * max(span, 1)
        rows.append(cells)
    return FoundTable(rows=rows, source="jats", caption=caption, label=label.rstrip(".:"))


def _jats_article(root: etree._Element, path: Path, sha256: str) -> Document:
    meta = root.find("front/article-meta")
    meta = meta if meta is not None else root
    title = _first(meta, ".//title-group/article-title") or ""
    lines = [title]
    abstract = meta.find("abstract")
    if abstract is not None:
        _jats_abstract(abstract, lines)
    lines += _jats_registrations(meta)
    body = root.find("body")
    if body is not None:
        for child in body:
            if child.tag == "sec":
                _jats_sec(child, lines)
            elif child.tag == "p":
                lines.append(_text(child, frozenset({"table-wrap", "fig"})))
    back = root.find("back")
    if back is not None:
        for ack in back.iter("ack"):
            lines += ["", "Acknowledgements", _text(ack, frozenset({"title"}))]
        refs = [_text(ref) for ref in back.iter("ref")]
        if refs:
            lines += ["", "References", *refs]
    tables = [_jats_table(wrap) for wrap in root.iter("table-wrap")]
    pmid = _first(meta, "article-id[@pub-id-type='pmid']/text()")
    return build_document(
        path=str(path),
        sha256=sha256,
        kind="jats",
        body=_lines_run(lines),
        found=tables,
        title=title or None,
        year=_year(_first(meta, ".//pub-date/year")),
        pmid=pmid,
        doi=_first(meta, "article-id[@pub-id-type='doi']/text()"),
    )


def read_xml(path: Path, data: bytes, sha256: str) -> list[Document]:
    root = _parse(path, data)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag in PUBMED_ROOTS:
        articles = [root] if tag == "PubmedArticle" else root.findall("PubmedArticle")
        if not articles:
            raise IngestError("PubMed XML without any PubmedArticle", path=str(path))
        return [_pubmed_article(a, path, sha256) for a in articles]
    if tag in JATS_ROOTS:
        return [_jats_article(root, path, sha256)]
    raise UnsupportedFileError(f"unsupported XML (root element <{tag}>, expected PubMed or JATS)", path=str(path))
