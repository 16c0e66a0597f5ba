"""Every spaCy factory of the package, registered here and nowhere else (idempotent).

Components are thin wrappers: the sentence splitter copies :func:`sentence_spans` onto tokens;
the two matchers turn rule data (``rules/pipeline.json``, ``rules/vocab/*.tsv``,
``rules/*.jsonl``) into span groups ``doc.spans["vocab"]`` (label = vocabulary label,
``kb_id_`` = canonical id) and ``doc.spans["rules"]`` (label = rule label, ``id_`` = rule id).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractor.errors import RuleFileError
from extractor.nlp.rules import data, patterns, vocab_rows
from extractor.nlp.sentences import sentence_spans
from extractor.resources import rules_dir

BREAKS_KEY = "extractor_breaks"  # doc.user_data key: offsets that must start a sentence
SENTENCES_KEY = "extractor_sentences"  # doc.user_data key: [(start, end)] char spans
TEXT_KEY = "extractor_text"  # doc.user_data key: the source text (doc.text rebuilds it token by token)
VOCAB_KEY = "vocab"
RULES_KEY = "rules"


def pipeline_config() -> dict[str, Any]:
    return data("pipeline")


# --------------------------------------------------------------------------------------
# sentences
# --------------------------------------------------------------------------------------


class SentenceSplitter:
    """Sets SENT_START from :func:`extractor.nlp.sentences.sentence_spans` (one vectorised write)."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get(TEXT_KEY)
        if text is None:
            text = doc.text
        spans = sentence_spans(text, doc.user_data.get(BREAKS_KEY, ()))
        doc.user_data[SENTENCES_KEY] = spans
        if len(doc) == 0:
            return doc
        idx = doc.to_array([IDX]).astype(np.int64).ravel()
        starts = np.searchsorted(idx, np.array([s for s, _ in spans], dtype=np.int64))
        arr = np.full((len(doc), 1), -1, dtype=np.int64)
        arr[0, 0] = 1
        arr[starts[starts < len(doc)], 0] = 1
        arr = arr.astype(np.uint64)
        doc.from_array([SENT_START], arr)
        return doc


# --------------------------------------------------------------------------------------
# vocabulary phrases
# --------------------------------------------------------------------------------------


class VocabMatcher:
    """PhraseMatcher over the vocabularies named in ``rules/pipeline.json`` → ``doc.spans["vocab"]``."""

    def __init__(self, nlp: Language) -> None:
        cfg = pipeline_config()
        self.key = cfg.get("span_keys", {}).get("vocab", VOCAB_KEY)
        flag = cfg.get("case_sensitive_flag", "cs")
        self.lower = PhraseMatcher(nlp.vocab, attr=cfg["phrase_attr"])
        self.exact = PhraseMatcher(nlp.vocab, attr=cfg["case_sensitive_attr"])
        self.meaning: dict[int, tuple[str, str]] = {}
        for label, name in cfg["phrase_vocabs"].items():
            if not (rules_dir() / "vocab" / f"{name}.tsv").exists():
                continue
            by_key: dict[tuple[str, bool], list[str]] = {}
            for row in vocab_rows(name):
                sensitive = flag in row[2:]
                by_key.setdefault((row[0], sensitive), []).append(row[1])
            for (canonical, sensitive), surfaces in by_key.items():
                key = f"{label}\x1f{canonical}"
                self.meaning[nlp.vocab.strings.add(key)] = (label, canonical)
                docs = list(nlp.tokenizer.pipe(surfaces))
                (self.exact if sensitive else self.lower).add(key, docs)

    def __call__(self, doc: Doc) -> Doc:
        by_label: dict[str, list[Span]] = {}
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                label, canonical = self.meaning[match_id]
                by_label.setdefault(label, []).append(Span(doc, start, end, label=label, kb_id=canonical))
        spans = [s for group in by_label.values() for s in filter_spans(group)]
        spans.sort(key=lambda s: (s.start, s.end))
        doc.spans[self.key] = spans
        return doc


# --------------------------------------------------------------------------------------
# token rules
# --------------------------------------------------------------------------------------


def rule_families(cfg: dict[str, Any] | None = None) -> list[str]:
    cfg = cfg or pipeline_config()
    wanted = cfg.get("matcher_families", "*")
    names = sorted(p.stem for p in rules_dir().glob("*.jsonl")) if wanted == "*" else list(wanted)
    return [n for n in names if n not in set(cfg.get("exclude_families", []))]


class RuleMatcher:
    """Matcher (validate=True) over every ``rules/<family>.jsonl`` → ``doc.spans["rules"]``.
    String patterns are phrases (matched on the configured phrase attribute)."""

    def __init__(self, nlp: Language) -> None:
        cfg = pipeline_config()
        self.key = cfg.get("span_keys", {}).get("rules", RULES_KEY)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(nlp.vocab, attr=cfg["phrase_attr"])
        self.labels: dict[int, str] = {}
        for family in rule_families(cfg):
            for row in patterns(family):
                rid = nlp.vocab.strings.add(row["id"])
                self.labels[rid] = row["label"]
                try:
                    if isinstance(row["pattern"], str):
                        self.phrases.add(row["id"], [nlp.make_doc(row["pattern"])])
                    else:
                        self.matcher.add(row["id"], [row["pattern"]])
                except (ValueError, KeyError) as exc:
                    raise RuleFileError(f"{row['_where']}: invalid pattern ({str(exc).splitlines()[0]})") from None

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (m for m in (self.matcher, self.phrases) if len(m)):
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=self.labels[match_id], span_id=match_id))
        spans.sort(key=lambda s: (s.start, s.end))
        doc.spans[self.key] = spans
        return doc


# --------------------------------------------------------------------------------------
# registration
# --------------------------------------------------------------------------------------

_FACTORIES = {
    "extractor_sentences": lambda nlp, name: SentenceSplitter(),
    "extractor_vocab_matcher": lambda nlp, name: VocabMatcher(nlp),
    "extractor_rule_matcher": lambda nlp, name: RuleMatcher(nlp),
}


def register() -> None:
    """Register every factory once (safe to call repeatedly)."""
    for name, factory in _FACTORIES.items():
        if not Language.has_factory(name):
            Language.factory(name, func=factory)


register()
