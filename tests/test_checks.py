"""Arithmetic checks over a record."""

from __future__ import annotations

from extractor.extract.checks import run_checks
from extractor.extract.context import Context
from extractor.records import Arm, Cohort, Document, DocumentInfo, Evidence, EvidenceRecord, LNClass, Response


def _run(**kw):
    record = EvidenceRecord(document=DocumentInfo(id="x"), **kw)
    ctx = Context(document=Document(path="x", sha256="", kind="text", text=""))
    return run_checks(ctx, record)


def _by(checks, name):
    return [c for c in checks if c.check == name]


def test_percent_ok_mismatch_repaired():
    checks = _run(responses=[
        Response(type="complete", n=3, N=9, percent=33.3),
        Response(type="partial", n=4, N=9, percent=33.3),
        Response(type="partial", n=4, N=9, percent=44.4, repaired="444% → 44.4% (4/9)"),
    ])
    assert [c.status for c in _by(checks, "percent_matches_count")] == ["ok", "mismatch", "repaired"]


def test_arms_sum():
    arms = [Arm(id="A1", label="X", n=12), Arm(id="A2", label="P", n=6)]
    assert _by(_run(arms=arms, cohort=Cohort(n=18)), "arms_sum_to_total")[0].status == "ok"
    bad = _by(_run(arms=arms, cohort=Cohort(n=20)), "arms_sum_to_total")[0]
    assert bad.status == "mismatch" and "12 + 6 ≠ 20" in bad.detail


def test_classes_sum():
    classes = [LNClass(**{"class": "IV"}, n=6), LNClass(**{"class": "III"}, n=3)]
    assert _by(_run(ln_classes=classes, cohort=Cohort(n=9)), "classes_sum_to_n")[0].status == "ok"
    assert _by(_run(ln_classes=classes, cohort=Cohort(n=12)), "classes_sum_to_n")[0].status == "warning"
    assert _by(_run(ln_classes=classes, cohort=Cohort(n=8)), "classes_sum_to_n")[0].status == "mismatch"
    per_arm = [LNClass(**{"class": "IV"}, n=10, arm="A1"), LNClass(**{"class": "III"}, n=2, arm="A1")]
    got = _by(_run(ln_classes=per_arm, arms=[Arm(id="A1", label="X", n=12)], cohort=Cohort(n=18)), "classes_sum_to_n")
    assert got[0].status == "ok" and "(A1)" in got[0].detail


def test_abstract_vs_table():
    ev_a = Evidence(start=0, end=1, text="a", rule="r", section="abstract")
    ev_t = Evidence(start=2, end=3, text="t", rule="r", section="tables")
    same = [Response(type="complete", arm="A1", n=5, N=12, percent=41.7, evidence=ev_a),
            Response(type="complete", arm="A1", n=5, N=12, percent=41.7, evidence=ev_t)]
    assert _by(_run(responses=same), "abstract_matches_table")[0].status == "ok"
    differ = [same[0], Response(type="complete", arm="A1", n=6, N=12, percent=50.0, evidence=ev_t)]
    assert _by(_run(responses=differ), "abstract_matches_table")[0].status == "mismatch"


def _extract_md(tmp_path, text: str):  # type: ignore[no-untyped-def]
    from extractor.extract.run import extract_document
    from extractor.ingest.load import load

    path = tmp_path / "report.md"
    path.write_text(text, encoding="utf-8")
    return extract_document(load(path)[0])


ABSTRACT_VS_TABLE = """# Drug X for proliferative lupus nephritis: a randomised trial

## Abstract
Patients were randomly assigned to drug X (n = 120) or placebo (n = 118). At week 52, complete
renal response occurred in {abstract} of patients given drug X.

## Results

Table 2. Renal response at week 52

| Outcome | Drug X (n = 120) | Placebo (n = 118) |
|---|---|---|
| Complete renal response, n (%) | 49 (40.8) | 27 (22.9) |
"""


def test_abstract_and_table_that_agree_are_checked_ok(tmp_path) -> None:  # type: ignore[no-untyped-def]
    record = _extract_md(tmp_path, ABSTRACT_VS_TABLE.format(abstract="49/120 (40.8%)"))
    found = [c for c in record.checks if c.check == "abstract_matches_table"]
    assert found and all(c.status == "ok" for c in found), record.checks


def test_abstract_that_contradicts_its_table_is_flagged(tmp_path) -> None:  # type: ignore[no-untyped-def]
    record = _extract_md(tmp_path, ABSTRACT_VS_TABLE.format(abstract="55/120 (45.8%)"))
    found = [c for c in record.checks if c.check == "abstract_matches_table"]
    assert any(c.status == "mismatch" for c in found), record.checks
