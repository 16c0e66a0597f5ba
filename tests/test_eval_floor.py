"""Accuracy guard: extraction scored against the hand-written gold must not fall below the
floors kept in corpus/EVAL_FLOOR.json (raised as the rules improve)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractor.evaluate import evaluate_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REAL = ROOT.parent / "shared" / "real"
FLOORS = json.loads((CORPUS / "EVAL_FLOOR.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("split", ["dev", "test"])
def test_corpus_split_stays_above_floor(split: str) -> None:
    score = evaluate_paths(CORPUS, CORPUS / "gold", split=split)
    f1 = score.micro.f1
    assert not score.to_json().get("failed"), score.to_json().get("failed")
    assert f1 >= FLOORS[split], f"{split} micro-F1 {f1:.3f} fell below the floor {FLOORS[split]}"


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")
def test_real_reports_stay_above_floor() -> None:
    score = evaluate_paths(REAL, CORPUS / "gold-real")
    f1 = score.micro.f1
    assert f1 >= FLOORS["real"], f"real micro-F1 {f1:.3f} fell below the floor {FLOORS['real']}"
