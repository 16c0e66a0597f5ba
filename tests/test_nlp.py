"""The NLP stage: sentence splitting (pure), pipeline construction, offsets, span groups."""

from __future__ import annotations

import pytest

from extractor.nlp.pipeline import PIPE_ORDER, build_nlp, make_doc, parse, spans_in
from extractor.nlp.sentences import sentence_spans
from extractor.records import Document, Section

SPLIT_CASES = [
    ("MMF vs. placebo was compared. The trial ended.", 2),
    ("As shown by Smith et al. in 2010 the effect persists. Next one.", 2),
    ("Given i.v. over one hour. Then oral.", 2),
    ("Several drugs, e.g. MMF and AZA, were used. Next.", 2),
    ("See Fig. 2 for details. Next.", 2),
    ("Patient No. 5 withdrew. Next.", 2),
    ("The p value was p < 0.05. The next sentence starts here.", 2),
    ("Proteinuria fell to 0.5 g/day in 12 patients. Remission followed.", 2),
    ("First sentence! Second sentence? Third.", 3),
    ("Results\nPatients were randomised.", 2),
    ("The phase I clinical trial included a total of 9\nadult patients with refractory LN.", 1),
    ("Age | 33 | 31\nFemale | 12 | 11", 2),
    ("Paragraph one ends here\n\nParagraph two", 2),
    ("ISN/RPS class III (A) 4\nISN/RPS class IV-G (A) 6", 2),
]


@pytest.mark.parametrize("text,count", SPLIT_CASES, ids=[c[0][:30] for c in SPLIT_CASES])
def test_sentence_spans(text, count):
    spans = sentence_spans(text)
    assert len(spans) == count, [text[s:e] for s, e in spans]
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()


def test_extra_breaks_start_sentences():
    text = "Methods text without stop Results text"
    spans = sentence_spans(text, extra_breaks=[text.index("Results")])
    assert [text[s:e] for s, e in spans] == ["Methods text without stop", "Results text"]


def test_build_nlp_cached_and_ordered():
    nlp = build_nlp()
    assert nlp is build_nlp()
    assert tuple(nlp.pipe_names) == PIPE_ORDER


def test_parse_offsets_and_sections():
    text = "Title line\n\nAbstract\nWe randomised 20 patients to MMF (n = 10) or placebo (n = 10). The CR rate was 40%.\n"
    doc = Document(path="t.txt", sha256="", kind="text", text=text,
                   sections=[Section("title", 0, 10), Section("abstract", 12, len(text))])
    sdoc, sents = parse(doc)
    assert sdoc.text == text
    assert all(text[s.start : s.end] == s.text for s in sents)
    assert [s.section for s in sents][:1] == ["title"]
    assert sents[-1].section == "abstract"
    for s in sents:
        assert s.span is not None and s.span.start_char >= s.start - 1


def test_vocab_and_rule_spans():
    text = "Patients were eligible if aged 18 years. Mycophenolate mofetil and placebo were given; complete response in 3."
    doc = make_doc(text)
    vocab = list(doc.spans["vocab"])
    assert any(s.label_ == "AGENT" and s.kb_id_ for s in vocab)
    rules = list(doc.spans["rules"])
    assert any(s.label_ == "ELIGIBILITY_CUE" and s.id_.startswith("cohort.cue.eligibility") for s in rules)
    first = text.index(".") + 1
    assert all(s.start_char < first for s in spans_in(doc, "rules", 0, first))
    assert spans_in(doc, "rules", 0, first, label="ELIGIBILITY_CUE")
    assert spans_in(doc, "nope", 0, len(text)) == []


def test_long_text_raises_max_length():
    text = "Word. " * 10
    nlp = build_nlp()
    old = nlp.max_length
    nlp.max_length = 20
    try:
        assert len(make_doc(text)) > 0
    finally:
        nlp.max_length = max(old, nlp.max_length)
