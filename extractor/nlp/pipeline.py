"""The NLP stage: Document → spaCy Doc + sentences. The only place that fixes pipe order.

``build_nlp()`` = ``spacy.blank("en")`` + sentence splitter for scientific text + vocabulary
PhraseMatcher + rule Matcher (see ``components.py``). ``parse(document)`` builds the Doc over
``document.text`` exactly (character offsets agree) and returns the sentences with their sections.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

import spacy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractor.nlp import components
from extractor.records import Document, Sentence

PIPE_ORDER = ("extractor_sentences", "extractor_vocab_matcher", "extractor_rule_matcher")
_INDEX_KEY = "extractor_span_index"


@lru_cache(maxsize=1)
def build_nlp() -> Language:
    """The cached pipeline (blank English tokenizer; no statistical model)."""
    components.register()
    nlp = spacy.blank("en")
    for name in PIPE_ORDER:
        nlp.add_pipe(name)
    return nlp


def make_doc(text: str, breaks: list[int] | tuple[int, ...] = ()) -> Doc:
    """Run the pipeline over ``text`` (no copies, offsets preserved)."""
    nlp = build_nlp()
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    doc = nlp.make_doc(text)
    doc.user_data[components.BREAKS_KEY] = tuple(breaks)
    doc.user_data[components.TEXT_KEY] = text
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def parse(document: Document) -> tuple[Doc, list[Sentence]]:
    """Parse a Document: the Doc and its sentences (section from ``document.section_of``).
    Section starts always start a sentence."""
    breaks = [s.start for s in document.sections]
    doc = make_doc(document.text, breaks)
    spans = doc.user_data[components.SENTENCES_KEY]
    idx = doc.to_array([IDX]).ravel().tolist() if len(spans) > 64 else None
    sentences = []
    sections = sorted(document.sections, key=lambda s: s.start)
    sec_starts = [s.start for s in sections]
    for start, end in spans:
        k = bisect_right(sec_starts, start) - 1
        section = sections[k].name if k >= 0 and start < sections[k].end else None
        if idx is not None:
            span = doc[bisect_left(idx, start) : bisect_left(idx, end)]
        else:
            span = doc.char_span(start, end, alignment_mode="expand")
        sentences.append(Sentence(start, end, document.text[start:end], section, span))
    return doc, sentences


def spans_in(doc: Doc, key: str, start: int, end: int, label: str | None = None) -> list[Span]:
    """Spans of ``doc.spans[key]`` lying inside the character range ``[start, end)``,
    optionally of one label, in document order."""
    if key not in doc.spans:
        return []
    group = doc.spans[key]
    cache = doc.user_data.setdefault(_INDEX_KEY, {})
    entry = cache.get(key)
    if entry is None or entry[0] != len(group):
        spans = sorted(group, key=lambda s: s.start_char)
        entry = (len(group), [s.start_char for s in spans], spans)
        cache[key] = entry
    _, starts, spans = entry
    out = []
    for i in range(bisect_left(starts, start), bisect_left(starts, end)):
        s = spans[i]
        if s.end_char <= end and (label is None or s.label_ == label):
            out.append(s)
    return out
