"""Agent names for the dosing extractor: the vocabulary, plus drugs the vocabulary does not list.

* :func:`find_agents` — ``rules/vocab/agents.tsv`` hits (:func:`find_terms`), then two general
  readers for the words the vocabulary misses:

  - a misspelt vocabulary name ("cyclophosphamid", "azathioprin"): a word of at least
    ``FUZZY_MIN_LEN`` letters within one edit (rapidfuzz Levenshtein) of a one-word surface form
    takes that form's canonical agent and class;
  - an international nonproprietary name recognised by its WHO stem (``dosing.agent_stem``:
    "-mab" antibodies, "-cept" fusion proteins, "-tinib", "-gliflozin", "-sartan", "-olol",
    "-arone", "-tilide", ...): the lower-cased word is the agent; antibodies and fusion proteins
    (``dosing.agent_stem_biologic``) take the ``biologic`` class, other stems no class; a
    word marked as a brand ("Name®") is skipped;
  - a vocabulary name split by a line-end hyphen ("hydroxy-" / "chloroquine").

* :func:`product_names` — a drug the vocabulary misses, named by its dosage form after a verb of
  giving ("was given Xyz tablets orally, 20 mg each time"); flagged like a stem name.
* :func:`defined_names` / :func:`dosed_names` — an abbreviation the document defines in brackets
  and names no vocabulary agent ("(GIKM)") is an agent where a dose is written of it
  ("1000 ml of GIKM"); it is flagged like a stem name (kept only when dosed or named by an arm).

Pure functions over plain text; every hit is a :class:`Term` with its span.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extractor.extract.terms import CS_FLAG, Term, find_terms
from extractor.nlp.rules import regex, vocab_rows

FUZZY_MIN_LEN = 9  # shorter words are too close to other words ("prednisone" / "prednisolone")
FUZZY_MAX_EDITS = 1
STEM_CLASS = "biologic"
STEM_FLAG = "stem"  # Term.extra[1] of a name known only by its stem (not in the vocabulary)
CACHE = 4096


def _rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex("dosing", rule_id)


@lru_cache(maxsize=1)
def _one_word_forms() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Lower-cased one-word surface forms (≥ FUZZY_MIN_LEN letters) → (canonical, extra columns)."""
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for row in vocab_rows("agents"):
        surface = row[1]
        if CS_FLAG in row[3:] or not surface.isalpha() or len(surface) < FUZZY_MIN_LEN:
            continue
        out.setdefault(surface.lower(), (row[0], tuple(row[2:])))
    return out


def _overlaps(start: int, end: int, terms: list[Term]) -> bool:
    return any(start < t.end and t.start < end for t in terms)


@lru_cache(maxsize=1)
def _form_list() -> list[str]:
    return list(_one_word_forms())


@lru_cache(maxsize=CACHE)
def _fuzzy(word: str) -> tuple[str, tuple[str, ...]] | None:
    forms = _one_word_forms()
    low = word.lower()
    if low in forms:
        return None  # an exact form is the vocabulary's own hit (or a deliberately excluded case)
    hit = process.extractOne(low, _form_list(), scorer=Levenshtein.distance, score_cutoff=FUZZY_MAX_EDITS)
    if hit is None:
        return None
    return forms[hit[0]]


@lru_cache(maxsize=CACHE)
def _find(text: str) -> tuple[Term, ...]:
    known = find_terms(text, "agents")
    extra: list[Term] = []
    for m in _rx("dosing.agent_word").finditer(text):
        if _overlaps(m.start(), m.end(), known) or _rx("dosing.agent_not_drug").fullmatch(m.group(0)):
            continue
        word = m.group(0)
        if _rx("dosing.brand_mark").match(text[m.end() : m.end() + 2]):
            continue  # "Drugname®": a brand, named beside its generic
        fuzzy = _fuzzy(word) if len(word) >= FUZZY_MIN_LEN else None
        if fuzzy is not None:
            extra.append(Term(fuzzy[0], m.start(), m.end(), word, fuzzy[1]))
        elif _rx("dosing.agent_stem").fullmatch(word):
            klass = STEM_CLASS if _rx("dosing.agent_stem_biologic").fullmatch(word) else ""
            extra.append(Term(word.lower(), m.start(), m.end(), word, (klass, STEM_FLAG)))
    extra += [t for t in _hyphen_joined(text) if not _overlaps(t.start, t.end, known + extra)]
    return tuple(sorted(known + extra, key=lambda t: t.start))


def _hyphen_joined(text: str) -> list[Term]:
    """Vocabulary agents split by a line-end hyphen ("hydroxy-\\nchloroquine"): the text is read
    with each such break removed, and a hit that spans a break is mapped back to the original."""
    breaks = list(_rx("dosing.line_hyphen").finditer(text))
    if not breaks:
        return []
    parts, where, at = [], [], 0  # where[k] = original offset of joined character k
    for m in breaks:
        parts.append(text[at : m.start()])
        where.extend(range(at, m.start()))
        at = m.end()
    parts.append(text[at:])
    where.extend(range(at, len(text) + 1))
    joined = "".join(parts)
    out = []
    for t in find_terms(joined, "agents"):
        start, end = where[t.start], where[t.end - 1] + 1
        if any(start < m.start() and m.end() <= end for m in breaks):
            out.append(Term(t.canonical, start, end, text[start:end], t.extra))
    return out


def is_stem(term: Term) -> bool:
    """Was ``term`` recognised by its INN stem only (no vocabulary entry)?"""
    return STEM_FLAG in term.extra[1:]


def find_agents(text: str) -> list[Term]:
    """Vocabulary agents plus misspelt and stem-recognised drug names, sorted by offset."""
    return list(_find(text))


def defined_names(text: str) -> frozenset[str]:
    """Abbreviations the text defines in brackets ("... magnesium sulphate (GIKM)") that name no
    vocabulary agent: candidates for a regimen the vocabulary does not know."""
    out = set()
    for m in _rx("dosing.abbreviation_defined").finditer(text):
        name = m["name"]
        if not find_terms(name, "agents") and not _rx("dosing.abbreviation_not_agent").fullmatch(name):
            out.add(name)
    return frozenset(out)


def dosed_names(text: str, names: frozenset[str]) -> list[Term]:
    """Defined abbreviations written right after a dose ("1000 ml of GIKM"): the agent of that dose."""
    if not names:
        return []
    out = []
    for m in _rx("dosing.dose_of_abbreviation").finditer(text):
        if m["name"] in names:
            out.append(Term(m["name"], m.start("name"), m.end("name"), m["name"], ("", STEM_FLAG)))
    return out


def product_names(text: str) -> list[Term]:
    """Drugs the vocabulary does not list, named by their dosage form after a verb of giving
    ("the observation group was given Xyz glycosides tablets orally, 20 mg each time"): the words
    before the form are the agent, flagged like a stem name (kept only when dosed)."""
    out = []
    for m in _rx("dosing.product_name").finditer(text):
        words = m["name"].split()
        if find_terms(m["name"], "agents") or any(_rx("dosing.product_name_generic").fullmatch(w) for w in words):
            continue
        out.append(Term(" ".join(words).lower(), m.start("name"), m.end("form"), text[m.start("name") : m.end("form")], ("", STEM_FLAG)))
    return out
