"""The literal prefilter of compiled rules (extractor/nlp/rules.py) never hides a match.

Every rule of every family is run on real report text, sentence by sentence and on whole lines,
once through the prefilter and once straight through the compiled pattern: the answers must agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.ingest.load import load
from extractor.nlp.rules import Prefiltered, canonical, regexes, requirements

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = sorted(p.stem for p in (ROOT / "rules" / "regex").glob("*.jsonl"))
SAMPLES = ["corpus/g01_pdftext_anticd20_layout.txt", "corpus/i05_mt_spanish_eurolupus_vs_mmf.txt", "corpus/a13_alms_maintenance.txt"]


def _texts() -> list[str]:
    out: list[str] = []
    for rel in SAMPLES:
        for doc in load(ROOT / rel):
            out += [line for line in doc.text.split("\n") if line.strip()]
    # case, digits and non-ASCII forms the prefilter folds
    out += ["PROTEINURIA 3,5 G/24 H", "ﬁbrosis in 12 µg", "İ class IV-G (A/C)", "٣ patients", "no digits here at all"]
    return out


TEXTS = _texts()


@pytest.mark.parametrize("family", FAMILIES)
def test_prefilter_agrees_with_the_pattern(family: str) -> None:
    for rule_id, pattern in regexes(family).items():
        if not isinstance(pattern, Prefiltered):
            continue
        for text in TEXTS:
            want = [m.span() for m in pattern.compiled.finditer(text)]
            got = [m.span() for m in pattern.finditer(text)]
            assert got == want, f"{family}:{rule_id} on {text[:80]!r}"


def test_requirements_are_read_off_the_pattern() -> None:
    import re

    (strings, or_digit), *_ = requirements(re.compile(r"\bcomplete\s+(?:renal\s+)?response\b", re.I))
    assert "complete" in strings and not or_digit
    assert requirements(re.compile(r"\d+\s*%")) != ()
    assert requirements(re.compile(r"(?:x)?\w+")) == ()  # nothing every match must contain
    alts = requirements(re.compile(r"(?:mg|g)/kg"))
    assert alts and any("/kg" in s for s in alts[0][0])


def test_canonical_folds_case_like_the_engine() -> None:
    assert canonical("ABC") == "abc"
    assert canonical("İ") == "i"
    assert canonical("µ") == canonical("μ")
