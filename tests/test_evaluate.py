"""Scoring extraction against gold (docs/EVAL.md), checked on hand-built records and against
the independent re-implementation in scripts/independent_score.py."""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import random
from pathlib import Path

import pytest
from rich.console import Console

from extractor import evaluate as ev
from extractor import evaluate_match as m

ROOT = Path(__file__).resolve().parents[1]
GOLD_REAL = ROOT / "corpus" / "gold-real"

_spec = importlib.util.spec_from_file_location("independent_score", ROOT / "scripts" / "independent_score.py")
independent = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(independent)


def ev_item(text):
    return {"page": 1, "start": 0, "end": len(text), "text": text, "rule": "test"}


GOLD = {
    "document": {"id": "g1", "registry_ids": ["NCT01234567"], "pmid": "12345", "doi": "10.1000/xyz", "year": 2020},
    "design": {"type": "randomised", "phase": "II", "randomised": True},
    "arms": [
        {"id": "A1", "label": "umbilical cord MSC", "n": 12, "role": "experimental"},
        {"id": "A2", "label": "placebo", "n": 6, "role": "placebo"},
    ],
    "cohort": {"n": 18, "alt_n": [20], "female": 16, "male": 2,
               "age": {"stat": "mean", "value": 31.2, "spread": {"kind": "sd", "value": 8.1}, "unit": "year"},
               "disease_duration": None},
    "ln_classes": [{"class": "IV", "activity": "A", "n": 10, "arm": None},
                   {"class": "V", "activity": None, "n": None, "arm": None, "optional": True}],
    "interventions": [
        {"arm": "A1", "role": "study", "agent": "umbilical cord mesenchymal stem cells", "amount": 1000000,
         "unit": "cells", "per": "kg", "route": "iv"},
        {"arm": None, "role": "background", "agent": "prednisone", "amount": None, "unit": None, "per": None},
    ],
    "outcomes": [
        {"measure": "proteinuria_24h", "arm": "A1", "time": {"value": 6, "unit": "month"}, "stat": "mean",
         "value": 1.8, "unit": "g/24h"},
        {"measure": "sledai", "arm": "A1", "time": {"value": 0, "unit": "day", "label": "baseline"},
         "stat": "mean", "value": 12.1, "unit": "score"},
    ],
    "responses": [
        {"type": "complete", "arm": "A1", "time": {"value": 52, "unit": "week"}, "n": 5, "N": 12, "percent": 41.7},
        {"type": "complete", "arm": "A2", "time": {"value": 52, "unit": "week"}, "n": 1, "N": 6, "percent": 16.7},
    ],
    "adverse_events": [{"term": "transient fever", "arm": "A1", "n": 2, "percent": None}],
}  # fmt: skip


def counts(doc, kind):
    s = doc.kinds[kind]
    return (s.tp, s.fp, s.fn)


def both_agree(pred, gold):
    doc = ev.score_document(pred, gold)
    ours = doc.micro
    assert (ours.tp, ours.fp, ours.fn) == independent.score(pred, gold)
    return doc


def test_gold_against_itself_is_perfect():
    doc = both_agree(copy.deepcopy(GOLD), GOLD).micro
    assert doc.f1 == 1.0 and doc.fp == 0 and doc.fn == 0


def test_empty_prediction_misses_everything_but_optional():
    doc = ev.score_document({"document": {"id": "g1"}}, GOLD)
    # 4 identity + 3 design + 2 arms + 4 cohort + 1 ln (1 optional) + 2 + 2 + 2 + 1
    assert (doc.micro.tp, doc.micro.fp, doc.micro.fn) == (0, 0, 21)
    assert counts(doc, "ln_classes") == (0, 0, 1)
    both_agree({"document": {"id": "g1"}}, GOLD)


def test_arm_ids_are_compared_through_the_arm_mapping():
    pred = copy.deepcopy(GOLD)
    # the extractor numbers arms the other way round
    pred["arms"] = [{"id": "X", "label": "Placebo", "n": 6, "role": "placebo"},
                    {"id": "Y", "label": "UC-MSC", "n": 12, "role": "experimental"}]  # fmt: skip
    for key in ("interventions", "outcomes", "responses", "adverse_events"):
        for item in pred[key]:
            item["arm"] = {"A1": "Y", "A2": "X"}.get(item["arm"])
    assert both_agree(pred, GOLD).micro.f1 == 1.0
    # same ids as gold but pointing at the wrong arms: every attributed item is wrong
    pred["responses"][0]["arm"] = "X"
    doc = ev.score_document(pred, GOLD)
    assert counts(doc, "responses") == (1, 1, 1)


def test_null_gold_arm_is_lenient_and_single_arm_null_prediction():
    pred = copy.deepcopy(GOLD)
    pred["ln_classes"][0]["arm"] = "A2"  # gold arm null: any predicted arm
    pred["adverse_events"][0]["arm"] = None  # gold A1 of a two-arm report: null is wrong
    doc = both_agree(pred, GOLD)
    assert counts(doc, "ln_classes") == (2, 0, 0)
    assert counts(doc, "adverse_events") == (0, 1, 1)
    single = {"document": {"id": "s"}, "arms": [{"id": "A1", "label": "MSC", "n": 9}],
              "adverse_events": [{"term": "fever", "arm": "A1", "n": 1}]}  # fmt: skip
    pred = {"document": {"id": "s"}, "arms": [{"id": "A1", "label": "MSC", "n": 9}],
            "adverse_events": [{"term": "Fever", "arm": None, "n": 1}]}  # fmt: skip
    assert counts(both_agree(pred, single), "adverse_events") == (1, 0, 0)


@pytest.mark.parametrize(
    ("gold_value", "pred_value", "ok"),
    [(1.8, 1.817, True), (1.8, 1.82, False), (0, 0.0, True), (0, 0.01, False), (100, 101, True), (99, 100, False)],
)
def test_number_rule(gold_value, pred_value, ok):
    assert m.numbers_agree(gold_value, pred_value) is ok


@pytest.mark.parametrize(
    ("gold", "pred", "ok"),
    [
        ({"value": 6, "unit": "month"}, {"value": 26, "unit": "week"}, True),  # 182.6 vs 182 d
        ({"value": 6, "unit": "month"}, {"value": 24, "unit": "week"}, True),  # 168 d, -8 %
        ({"value": 6, "unit": "month"}, {"value": 23, "unit": "week"}, False),  # -11.8 %
        ({"value": 1, "unit": "year"}, {"value": 52, "unit": "week"}, True),
        ({"value": 0, "unit": "day", "label": "baseline"}, {"value": 1, "unit": "day"}, False),
        ({"value": 0, "unit": "day"}, {"value": 0, "unit": "week"}, True),
        (None, {"value": 3, "unit": "month"}, True),
        ({"value": 3, "unit": "month"}, None, False),
    ],
)
def test_time_rule(gold, pred, ok):
    assert m.times_agree(gold, pred) is ok


def test_percent_rule():
    assert m.percents_agree(41.7, 41.67) and m.percents_agree(41.7, 41.85)
    assert not m.percents_agree(41.7, 41.9)


@pytest.mark.parametrize(
    ("gold", "pred", "ok"),
    [
        ("umbilical cord mesenchymal stem cells", "UC-MSCs", True),  # "msc" inside the initials "ucmsc"
        ("mesenchymal stem cells", "MSC", True),
        ("umbilical cord mesenchymal stem cells", "umbilical cord MSC", True),
        ("mycophenolate mofetil", "MMF 1 g twice daily", True),  # synonyms from rules/vocab/agents.tsv
        ("cyclophosphamide", "MMF", False),
        ("tacrolimus", "voclosporin", False),
        ("atacicept", "atacicept 9 mg/kg", True),
        ("atacicept 3 mg/kg", "atacicept 9 mg/kg", False),  # number tokens differ
        ("grade 3 neutropenia", "neutropenia grade 3", True),
        ("cyclophosphamide", "mycophenolate mofetil", False),
        ("transient fever", "Fever", True),
        ("any adverse event", "serious adverse events", True),  # subset of keywords: n and arm must separate them
        ("headache", "headaches", True),
    ],
)
def test_keyword_rule(gold, pred, ok):
    assert m.keywords_agree(gold, pred) is ok
    assert independent.words_ok(gold, pred) is ok


def test_response_needs_one_agreeing_count_and_no_disagreeing_one():
    gold = {"document": {"id": "r"}, "arms": [GOLD["arms"][0]], "responses": [GOLD["responses"][0]]}
    base = {"type": "complete", "arm": None, "time": {"value": 12, "unit": "month"}}
    cases = [
        ({**base, "n": 5, "N": None, "percent": None}, True),  # only n given, agrees
        ({**base, "n": None, "N": None, "percent": 41.7}, True),
        ({**base, "n": 5, "N": 13, "percent": 41.7}, False),  # N disagrees
        ({**base, "n": None, "N": None, "percent": None}, False),  # nothing to compare
        ({**base, "type": "partial", "n": 5, "N": 12}, False),
    ]
    for item, ok in cases:
        pred = {"document": {"id": "r"}, "responses": [item]}
        assert counts(ev.score_document(pred, gold), "responses") == ((1, 0, 0) if ok else (0, 1, 1)), item
        both_agree(pred, gold)


def test_intervention_amount_unit_and_per():
    gold = {"document": {"id": "i"}, "interventions": [GOLD["interventions"][0]]}
    good = dict(GOLD["interventions"][0], arm=None, agent="UC-MSC", route=None)
    gold_single = {**gold, "arms": [GOLD["arms"][0]]}
    assert counts(ev.score_document({"interventions": [good]}, gold_single), "interventions") == (1, 0, 0)
    for change in ({"amount": 2000000}, {"per": None}, {"unit": "mg"}, {"role": "comparator"}):
        pred = {"interventions": [dict(good, **change)]}
        assert counts(ev.score_document(pred, gold_single), "interventions") == (0, 1, 1), change
        both_agree(pred, gold_single)
    # gold without amount: amount and per are not compared
    pred = {"interventions": [{"role": "background", "agent": "Prednisone", "amount": 60, "unit": "mg", "per": "kg"}]}
    gold_bg = {"interventions": [GOLD["interventions"][1]]}
    assert counts(ev.score_document(pred, gold_bg), "interventions") == (1, 0, 0)


def test_scalar_fields_design_cohort_identity():
    pred = copy.deepcopy(GOLD)
    pred["design"] = {"type": "single-arm", "phase": "Phase 2", "randomised": None}
    pred["cohort"] = {"n": 20, "female": 15, "male": None, "age": {"stat": "mean", "value": 31.2}}
    pred["document"] = {"id": "g1", "registry_ids": ["nct 01234567", "ISRCTN1"], "pmid": None,
                        "doi": "https://doi.org/10.1000/XYZ", "year": 2020}  # fmt: skip
    doc = both_agree(pred, GOLD)
    assert counts(doc, "design") == (1, 1, 2)  # phase ok; type wrong (FN+FP); randomised null (FN)
    # n 20 is an accepted alternative; female wrong; male missing; age lacks the gold SD
    assert counts(doc, "cohort") == (1, 2, 3)
    assert counts(doc, "identity") == (3, 1, 1)  # registry id, doi, year; extra ISRCTN1; pmid missing


def test_optional_items_and_one_to_one_matching():
    gold = {"ln_classes": [{"class": "IV", "n": None, "arm": None},
                           {"class": "IV", "n": None, "arm": None, "optional": True}]}  # fmt: skip
    # two predictions of the same class: one TP each gold item, no FP
    pred = {"ln_classes": [{"class": "IV"}, {"class": "IV"}]}
    assert counts(ev.score_document(pred, gold), "ln_classes") == (2, 0, 0)
    # one prediction covers the required item, the optional one is not a miss
    pred = {"ln_classes": [{"class": "IV"}]}
    assert counts(ev.score_document(pred, gold), "ln_classes") == (1, 0, 0)
    # three predictions: a duplicate is a false positive
    pred = {"ln_classes": [{"class": "IV"}] * 3}
    assert counts(ev.score_document(pred, gold), "ln_classes") == (2, 1, 0)


def test_matching_is_maximum_not_greedy():
    # pred 0 fits both gold items; greedy pairing of pred 0 with gold 0 would leave pred 1 unmatched.
    gold = {"adverse_events": [{"term": "fever", "n": None}, {"term": "fever", "n": 3}]}
    pred = {"adverse_events": [{"term": "fever", "n": 3}, {"term": "fever", "n": 1}]}
    assert counts(ev.score_document(pred, gold), "adverse_events") == (2, 0, 0)
    both_agree(pred, gold)


def _perturb(record, rng):
    pred = copy.deepcopy(record)
    for key in ev.LIST_KINDS + ("arms",):
        items = pred.get(key) or []
        rng.shuffle(items)
        kept = []
        for item in items:
            roll = rng.random()
            if roll < 0.15:
                continue  # dropped: a miss
            if roll < 0.25:
                kept.append(copy.deepcopy(item))  # duplicated: a false positive
            for num in ("n", "N", "value", "amount"):
                if isinstance(item.get(num), (int, float)) and rng.random() < 0.2:
                    item[num] = item[num] * rng.choice([1.005, 1.03, 0])
            if isinstance(item.get("percent"), (int, float)) and rng.random() < 0.2:
                item["percent"] += rng.choice([0.1, 0.3])
            if isinstance(item.get("time"), dict) and rng.random() < 0.2:
                item["time"] = {"value": item["time"]["value"] * rng.choice([1.05, 1.2]), "unit": item["time"]["unit"]}
            if key != "arms" and item.get("arm") and rng.random() < 0.15:
                item["arm"] = rng.choice([None, "A1", "A2", "A9"])
            kept.append(item)
        pred[key] = kept
    return pred


@pytest.mark.skipif(not GOLD_REAL.is_dir(), reason="corpus/gold-real not present")
def test_independent_scorer_agrees_on_perturbed_gold():
    golds = ev.load_gold(GOLD_REAL)
    assert golds
    rng = random.Random(20240601)
    pairs = []
    for _ in range(3):
        for gold in golds.values():
            pred = _perturb(gold, rng)
            pairs.append((pred, gold))
            ours = ev.score_document(pred, gold).micro
            assert (ours.tp, ours.fp, ours.fn) == independent.score(pred, gold), gold["document"]["id"]
    tp, fp, fn, f1 = independent.score_pairs(pairs)
    corpus = ev.score_corpus({str(i): p for i, (p, _) in enumerate(pairs)}, {str(i): g for i, (_, g) in enumerate(pairs)})
    assert corpus.micro.f1 == pytest.approx(f1) and 0.3 < f1 < 0.95


def test_corpus_json_and_rich_output():
    pred = copy.deepcopy(GOLD)
    pred["adverse_events"] = [{"term": "rash", "arm": "A1", "n": 1, "evidence": ev_item("One patient had a rash.")}]
    score = ev.score_corpus({"g1": pred}, {"g1": GOLD, "g2": GOLD})
    data = score.to_json()
    assert set(data) >= {"micro", "kinds", "documents"}
    assert set(data["micro"]) == {"precision", "recall", "f1"}
    assert data["kinds"]["adverse_events"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 2}
    assert [d["id"] for d in data["documents"]] == ["g1", "g2"]
    assert data["documents"][1]["micro"]["tp"] == 0  # g2 had no prediction
    json.dumps(data)
    out = io.StringIO()
    Console(file=out, width=160, color_system=None).print(score)
    text = out.getvalue()
    assert "adverse_events" in text and "micro" in text
    assert "One patient had a rash." in text and "false positive" in text
    assert "term=transient fever arm=A1 n=2" in text and "time=52 week" in text
    out = io.StringIO()
    score.show_errors = False
    Console(file=out, width=100, color_system=None).print(score)
    assert "micro" in out.getvalue() and "rash" not in out.getvalue()


def test_load_gold_and_split(tmp_path):
    (tmp_path / "gold" / "sub").mkdir(parents=True)
    (tmp_path / "gold" / "a.json").write_text(json.dumps({"document": {"id": "a"}}))
    (tmp_path / "gold" / "sub" / "b06-123.json").write_text(json.dumps({"document": {"id": "b06-123"}}))
    (tmp_path / "gold" / "notes.json").write_text("[]")
    assert sorted(ev.load_gold(tmp_path / "gold")) == ["a", "b06-123"]
    (tmp_path / "SPLIT.md").write_text("| stem | split | why |\n|---|---|---|\n| a | dev | x |\n| b06 | test | y |\n")
    splits = ev.read_split(tmp_path / "SPLIT.md")
    assert splits == {"a": "dev", "b06": "test"}
    assert ev._in_split("b06-123", splits, "test") and not ev._in_split("b06-123", splits, "dev")


def test_evaluate_paths_user_errors(tmp_path):
    from extractor.errors import ExtractorError

    (tmp_path / "gold").mkdir()
    with pytest.raises(ExtractorError, match="no gold files"):
        ev.evaluate_paths(tmp_path, tmp_path / "gold")
    (tmp_path / "gold" / "a.json").write_text(json.dumps({"document": {"id": "a"}}))
    with pytest.raises(ExtractorError, match="not a folder"):
        ev.evaluate_paths(tmp_path / "nope", tmp_path / "gold")
    with pytest.raises(ExtractorError, match="SPLIT.md"):
        ev.evaluate_paths(tmp_path, tmp_path / "gold", split="dev")
    with pytest.raises(ExtractorError, match="split must be"):
        ev.evaluate_paths(tmp_path, tmp_path / "gold", split="train")


CORPUS = ROOT / "corpus"
E2E_STEMS = ("a07_msc_phase1_abstract", "a13_alms_maintenance", "b06_pubmed_export")


@pytest.mark.skipif(not all((CORPUS / "gold" / f"{s}.json").exists() or list((CORPUS / "gold").glob(f"{s}-*.json"))
                            for s in E2E_STEMS), reason="corpus gold not present")  # fmt: skip
def test_evaluate_paths_end_to_end(tmp_path):
    """Load + extract a small corpus (text and a PubMed collection), score, and agree with the
    independent scorer on the same predictions."""
    import shutil

    (tmp_path / "gold").mkdir()
    (tmp_path / "src").mkdir()
    for stem in E2E_STEMS:
        shutil.copy(next(CORPUS.glob(f"{stem}.*")), tmp_path / "src")
        for gold in (CORPUS / "gold").glob(f"{stem}*.json"):
            shutil.copy(gold, tmp_path / "gold")
    (tmp_path / "gold" / "zz_no_source.json").write_text(json.dumps({"document": {"id": "zz_no_source"}}))
    (tmp_path / "SPLIT.md").write_text("| stem | split |\n|---|---|\n| a07_msc_phase1_abstract | dev |\n"
                                       "| a13_alms_maintenance | dev |\n| b06_pubmed_export | test |\n")  # fmt: skip
    score = ev.evaluate_paths(tmp_path / "src", tmp_path / "gold")
    ids = [d.doc_id for d in score.documents]
    assert len([i for i in ids if i.startswith("b06_pubmed_export-")]) == 3
    assert score.missing == ["zz_no_source"] and not score.failed
    for doc_id in ids:  # every document was extracted: its id comes back in the prediction
        pred_id = score.predictions[doc_id]["document"]["id"]
        assert pred_id.replace("#", "-") == doc_id
    golds = ev.load_gold(tmp_path / "gold")
    tp, fp, fn, f1 = independent.score_pairs([(score.predictions[i], golds[i]) for i in ids])
    assert (score.micro.tp, score.micro.fp, score.micro.fn) == (tp, fp, fn)
    assert score.micro.f1 == pytest.approx(f1)
    dev = ev.evaluate_paths(tmp_path / "src", tmp_path / "gold", split="dev")
    assert sorted(d.doc_id for d in dev.documents) == ["a07_msc_phase1_abstract", "a13_alms_maintenance"]
    out = io.StringIO()
    ev.eval_command(tmp_path / "src", tmp_path / "gold", as_json=True, split="test",
                    console=Console(file=out, width=100, color_system=None))  # fmt: skip
    data = json.loads(out.getvalue())
    assert len(data["documents"]) == 3 and set(data["micro"]) == {"precision", "recall", "f1"}


def test_cli_eval_command(tmp_path):
    from typer.testing import CliRunner

    from extractor.cli import app

    (tmp_path / "gold").mkdir()
    (tmp_path / "a07.txt").write_text("A phase I trial of MSC in 9 patients with lupus nephritis.\n")
    (tmp_path / "gold" / "a07.json").write_text(json.dumps({"document": {"id": "a07"}, "design": {"phase": "I"}}))
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["a07"] and data["kinds"]["design"]["tp"] + data["kinds"]["design"]["fn"] == 1
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--no-misses"])
    assert result.exit_code == 0 and "micro" in result.stdout and "misses and false positives" not in result.stdout
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--split", "dev"])
    assert result.exit_code == 1 and "SPLIT.md" in result.output
    assert CliRunner().invoke(app, ["eval", str(tmp_path), "--split", "train"]).exit_code == 2


def test_combination_labels_agree_through_the_agent_vocabulary() -> None:
    from extractor.evaluate_match import agent_ids, keywords_agree

    assert agent_ids("MMF plus DZB") == agent_ids("mycophenolate mofetil + daclizumab") == {"mycophenolate mofetil", "daclizumab"}
    assert keywords_agree("MMF plus DZB", "mycophenolate mofetil + daclizumab")
    assert not keywords_agree("MMF plus DZB", "mycophenolate mofetil")  # a combination is not one of its drugs
