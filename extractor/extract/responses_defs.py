"""Definitions of response types: the trial's own criteria for each response it reports.

Wording families (each a rule of ``rules/regex/responses.jsonl``):

* a cue after the term: "Complete renal response was defined as ...", "CR is defined by ...",
  "Partial response required a ≥50% reduction ...", "A BICLA response requires ...",
  "... was considered a partial response" (``responses.definition_cue``);
* a label and a colon: "CR: UPCR < 0.5 ...", "remission: ...", "SRI-4 response: ..."
  (``responses.colon_definition``, criteria words must follow);
* the primary end point named in apposition: "The primary end point, PERR, was a UPCR ≤ 0.7 ..."
  (``responses.primary_definition``);
* a second term defined in the same clause: "CR was defined as ..., and PR as ..."
  (``responses.definition_next``).

:func:`definitions_of` is pure: it gives ``(keys, definition)`` pairs, the definition being the
criteria text after the cue, trimmed to about ``DEFINITION_MAX`` characters. A clause that defines
is not a result: the reader takes no rates from it, nor from the clauses that continue it.
"""

from __future__ import annotations

from extractor.extract.numbers import find_count_percents
from extractor.extract.tables import Term, find_terms
from extractor.nlp.rules import regex

DEFINITION_MAX = 300  # characters of a definition kept (the criteria clause, trimmed)


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("responses", rule_id)


def trim(body: str) -> str:
    """The criteria text, one line, at most ``DEFINITION_MAX`` characters (cut at a word)."""
    text = " ".join(body.split()).strip(" .;:,")
    if len(text) > DEFINITION_MAX:
        cut = text.rfind(" ", 0, DEFINITION_MAX)
        text = text[: cut if cut > 0 else DEFINITION_MAX].rstrip(" ,;:")
    return text


def _keys(terms: list[Term]) -> list[str]:
    out: list[str] = []
    for t in terms:
        if t.canonical not in out:
            out.append(t.canonical)
    return out


def _continued(text: str, terms: list[Term]) -> int | None:
    """Body start of a clause continuing a definition ("; partial response (PR) as a fall ...")."""
    first = terms[0]
    if not _rx("responses.definition_lead").match(text[: first.start]):
        return None
    last = first
    for t in terms[1:]:  # "partial response (PR)": the abbreviation repeats the term
        if t.canonical != first.canonical or text[last.end : t.start].strip(" ()"):
            break
        last = t
    nxt = _rx("responses.definition_next").match(text[last.end :].lstrip(" )"))
    return None if nxt is None else len(text) - len(text[last.end :].lstrip(" )")) + nxt.end()


def definitions_of(text: str, terms: list[Term] | None = None, continuing: bool = False) -> list[tuple[list[str], str]]:
    """Pure: ``[(keys, definition), ...]`` when ``text`` (one clause) defines responses rather than
    reporting them, else ``[]``. ``terms`` are the clause's (typed) response terms; by default
    the canonical types of ``rules/vocab/response_terms.tsv``. ``continuing``: an earlier clause
    of the sentence was a definition ("CR was defined as ...; PR as ...")."""
    terms = find_terms(text, "response_terms") if terms is None else terms
    if not terms:
        return []
    colon = _rx("responses.colon_definition").search(text)
    primary = _rx("responses.primary_definition").search(text)
    cue = _rx("responses.definition_cue").search(text)
    copula = _rx("responses.definition_copula").search(text)
    more = _continued(text, terms) if continuing else None
    if colon:
        head_end, body_start = colon.end(), colon.end()
    elif primary:
        head_end, body_start = primary.end(), primary.end()
    elif cue:
        head_end, body_start = cue.start() + 1, cue.end()
    elif copula:
        head_end, body_start = copula.end(), copula.end()
    elif more is not None:
        head_end, body_start = more, more
    else:
        return []
    head = [t for t in terms if t.start < head_end] or terms[:1]
    out: list[tuple[list[str], str]] = []
    keys, start = _keys(head), body_start
    for t in terms:  # "CR was defined as ..., and PR as ...": the next term starts its own definition
        if t.start < body_start:
            continue
        nxt = _rx("responses.definition_next").match(text[t.end :])
        if nxt is None:
            continue
        before = text[start : t.start]
        tail = _rx("responses.definition_tail").search(before)
        out.append((keys, trim(before[: tail.start()] if tail else before)))
        keys, start = _keys([t]), t.end + nxt.end()
    out.append((keys, trim(text[start:])))
    return [(k, d) for k, d in out if d]


def apposed_definition(text: str, terms: list[Term]) -> tuple[str, list[tuple[list[str], str]]] | None:
    """Pure: a clause that reports a rate and defines its response in apposition ("3 of 8 (37.5%)
    were in complete remission, defined as proteinuria < 0.5 g/24 h, and another three (37.5%)
    were in partial remission"): ``(text with the definition blanked, [(keys, definition)])``,
    else None. The definition runs to the next reporting clause (", and another ...", "; ")."""
    cue = _rx("responses.apposition_definition").search(text)
    head = [t for t in terms if t.end <= cue.start()] if cue else []
    if cue is None or not head or not find_count_percents(text[: head[-1].start]):
        return None  # the clause must report a rate before the defined term: "3 of 8 (37.5%) were in CR, defined as"
    end = _rx("responses.apposition_end").search(text, cue.end())
    stop = end.start() if end else len(text)
    body = trim(text[cue.end() : stop])
    if not body:
        return None
    return text[: cue.start()] + " " * (stop - cue.start()) + text[stop:], [(_keys(head[-1:]), body)]
