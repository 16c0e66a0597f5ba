"""Numbers written inside parentheses ("Of the (199) patients", "men (133; 66.8%)", "the mean
age was (42.3; SD 11.6) years"): the sentence is rewritten, keeping every offset, into the
ordinary style ("the  199  patients", "men  133( 66.8%)", "was  42.3( SD 11.6) years") so the
cohort cues read it; a range written with a tilde ("aged 19~43") gets a hyphen. Regexes:
``cohort.paren_number``, ``cohort.tilde_range`` in ``rules/regex/cohort.jsonl``.
"""

from __future__ import annotations

import re

from extractor.extract.context import Sentence
from extractor.nlp.rules import regex


def _unwrap(m: re.Match[str]) -> str:
    text = m.group(0)
    paren = text.index("(")
    out = text[:paren] + " " + m["num"]
    if m["semi"]:
        return out + "(" + " " * (len(m["semi"]) - 1)
    return out + " "


def unwrap_text(text: str) -> str:
    """The text with every "word (number)" / "word (number; …)" unwrapped (same length)."""
    text = regex("cohort", "cohort.paren_number").sub(_unwrap, text)
    return regex("cohort", "cohort.tilde_range").sub("-", text)  # "19~43 years" → "19-43 years"


def unwrap_sentences(sents: list[Sentence]) -> list[Sentence] | None:
    """The sentences rewritten by :func:`unwrap_text`, or None when no sentence changes."""
    out, changed = [], False
    for s in sents:
        text = unwrap_text(s.text)
        if text != s.text:
            changed = True
            out.append(Sentence(start=s.start, end=s.end, text=text, section=s.section, span=s.span))
        else:
            out.append(s)
    return out if changed else None
