"""Every rule file loads; every regex matches its examples and none of its counter-examples;
the token patterns validate in spaCy; extractor/ code holds no pattern literals."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractor.nlp.components import RuleMatcher, VocabMatcher
from extractor.nlp.pipeline import build_nlp
from extractor.nlp.rules import check_all, regexes
from extractor.resources import rules_dir

ROOT = Path(__file__).resolve().parents[1]
MY_REGEX_FAMILIES = ("numbers", "timepoints", "sentences", "identity", "design", "cohort", "arms", "ln_class")
# literals that mean "a pattern lives in code": spaCy token attributes and compiled regexes
# Files written before this test existed that still hold regex literals; each entry is a to-do
# for its owner (reported to the lead), not an exemption for new code.
KNOWN_OFFENDERS: frozenset[str] = frozenset()
FORBIDDEN = re.compile(r"""["'](?:LOWER|ORTH|TEXT|LEMMA|IS_DIGIT|IS_ALPHA|LIKE_NUM)["']|re\.compile\(|\bre\.(?:search|match|findall|finditer|sub|split)\(""")


def test_check_all_loads_everything():
    report = check_all()
    assert any(line.startswith("regex/numbers.jsonl") for line in report)


def _regex_rows():
    for family in MY_REGEX_FAMILIES:
        path = rules_dir() / "regex" / f"{family}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield family, json.loads(line)


@pytest.mark.parametrize("family,row", list(_regex_rows()), ids=lambda x: x["id"] if isinstance(x, dict) else x)
def test_regex_examples(family, row):
    rx = regexes(family)[row["id"]]
    for example in row.get("examples", []):
        assert rx.search(example), f"{row['id']} misses {example!r}"
    for counter in row.get("counter_examples", []):
        assert not rx.search(counter), f"{row['id']} matches counter-example {counter!r}"


def test_token_patterns_validate():
    nlp = build_nlp()
    rm = RuleMatcher(nlp)
    assert len(rm.matcher) + len(rm.phrases) > 0
    assert VocabMatcher(nlp).meaning


def test_no_pattern_literals_in_code():
    offenders = []
    for path in sorted((ROOT / "extractor").rglob("*.py")):
        if path.name == "rules.py" and path.parent.name == "nlp":
            continue  # the loader compiles rule files
        if str(path.relative_to(ROOT)) in KNOWN_OFFENDERS:
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FORBIDDEN.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{lineno}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
