"""Hand-built evidence records (with real offsets into a real text) for the review/query/export/meta tests.

Each item is given with the sentence it came from and the surface of its value; the builder
writes the sentences into a document text and fills evidence start/end (sentence) and span
(value) so that ``text[start:end]`` is the sentence and ``text[span[0]:span[1]]`` the value.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

from extractor.records import Document, EvidenceRecord
from extractor.store.db import open_engine, save_record


def _resp(type_: str, arm: str | None, t: tuple[float, str] | None, n: int, N: int, sentence: str, surface: str, **extra: Any) -> dict[str, Any]:
    time = {"value": t[0], "unit": t[1]} if t else None
    return {"kind": "responses", "type": type_, "arm": arm, "time": time, "n": n, "N": N,
            "percent": round(100 * n / N, 1), "_s": sentence, "_v": surface, **extra}  # fmt: skip


def _out(measure: str, arm: str | None, t: tuple[float, str] | None, stat: str, value: float, sentence: str, surface: str,
         spread: dict[str, Any] | None = None, n: int | None = None, unit: str | None = None) -> dict[str, Any]:  # fmt: skip
    time = {"value": t[0], "unit": t[1]} if t else None
    if t and t[0] == 0:
        time = {"value": 0, "unit": "day", "label": "baseline"}
    return {"kind": "outcomes", "measure": measure, "arm": arm, "time": time, "stat": stat, "value": value,
            "unit": unit, "spread": spread, "n": n, "_s": sentence, "_v": surface}  # fmt: skip


STUDIES: dict[str, dict[str, Any]] = {
    "deng-2017": {
        "year": 2017, "registry_ids": ["NCT01539902"],
        "design": {"type": "randomised", "phase": "II", "randomised": True, "blinding": "double"},
        "arms": [{"id": "A1", "label": "hUC-MSC", "n": 12, "role": "experimental"},
                 {"id": "A2", "label": "placebo", "n": 6, "role": "placebo"}],
        "cohort": {"n": 18},
        "ln_classes": [{"class": "III", "n": 7}, {"class": "IV", "n": 11}],
        "interventions": [{"arm": "A1", "role": "study", "agent": "umbilical cord mesenchymal stem cells", "amount": 200000000,
                           "unit": "cells", "route": "iv", "schedule": "single infusion", "doses": 1},
                          {"arm": "A2", "role": "comparator", "agent": "placebo", "route": "iv"}],
        "items": [
            _resp("overall", "A1", (12, "month"), 9, 12, "Remission occurred in 9 of 12 MSC patients (75%) at 12 months.", "9 of 12"),
            _resp("overall", "A2", (12, "month"), 5, 6, "Remission occurred in 5 of 6 placebo patients (83%) at 12 months.", "5 of 6"),
            _resp("complete", "A1", (12, "month"), 5, 12, "Complete remission was seen in 5/12 MSC patients at 12 months.", "5/12"),
            _resp("complete", "A2", (12, "month"), 3, 6, "Complete remission was seen in 3/6 placebo patients at 12 months.", "3/6"),
            _out("proteinuria_24h", "A1", (12, "month"), "median", 2.5, "Proteinuria at 12 months was 2.5 g/24h (IQR 1.2-4.1).",
                 "2.5", spread={"kind": "iqr", "low": 1.2, "high": 4.1}, n=30, unit="g/24h"),
            _out("egfr", "A1", (52, "week"), "mean", 88.0, "eGFR at week 52 was 88 ± 12 mL/min.", "88",
                 spread={"kind": "sd", "value": 12.0}, n=12, unit="mL/min/1.73m2"),
        ],
    },
    "wang-2014": {
        "year": 2014, "registry_ids": ["NCT01620911"],
        "design": {"type": "single-arm", "randomised": False},
        "arms": [{"id": "A1", "label": "UC-MSC", "n": 40, "role": "experimental"}],
        "cohort": {"n": 40},
        "ln_classes": [{"class": "IV-G", "n": 6}, {"class": "V", "n": 2}],
        "interventions": [{"arm": "A1", "role": "study", "agent": "allogeneic umbilical cord mesenchymal stromal cells",
                           "amount": 1000000, "unit": "cells", "per": "kg", "route": "iv", "doses": 2}],
        "items": [
            _resp("overall", "A1", (6, "month"), 24, 40, "By month 6, 24 of the 40 patients had responded.", "24 of the 40"),
            _resp("overall", "A1", (12, "month"), 24, 40, "At 12 months 24 of 40 patients were in MCR or PCR.", "24 of 40"),
            _resp("major_clinical", "A1", (12, "month"), 13, 40, "After 12 months, 13 of the 40 patients (32.5%) were in MCR.", "13 of the 40"),
            _out("sledai", "A1", (0, "day"), "mean", 12.3, "Mean SLEDAI was 12.3 ± 3.6 at baseline.", "12.3",
                 spread={"kind": "sd", "value": 3.6}, unit="score"),
            _out("proteinuria_24h", "A1", (6, "month"), "median", 2.5, "Median proteinuria at 6 months was 2.5 g/24h (range 0.8-9.6).",
                 "2.5", spread={"kind": "range", "low": 0.8, "high": 9.6}, n=12, unit="g/24h"),
        ],
    },
    "ranjbar-2022": {
        "year": 2022, "registry_ids": ["IRCT20160809029275N1"],
        "design": {"type": "single-arm", "phase": "I", "randomised": False},
        "arms": [{"id": "A1", "label": "AD-MSC", "n": 9, "role": "experimental"}],
        "cohort": {"n": 9},
        "ln_classes": [{"class": "IV-S", "activity": "A/C", "n": 3}],
        "interventions": [{"arm": "A1", "role": "study", "agent": "adipose-derived mesenchymal stem cells", "amount": 2000000,
                           "unit": "cells", "per": "kg", "route": "iv", "doses": 1}],
        "items": [
            _resp("complete", None, (24, "week"), 3, 9, "Three of nine patients (33.3%) reached complete response at week 24.", "Three of nine"),
            _resp("overall", None, (52, "week"), 2, 9, "Two of nine patients responded by week 52.", "Two of nine"),
        ],
    },
    "li-2020": {
        "year": 2020, "registry_ids": [],
        "design": {"type": "single-arm", "randomised": False},
        "arms": [{"id": "A1", "label": "BM-MSC", "n": 15, "role": "experimental"}],
        "cohort": {"n": 15},
        "ln_classes": [{"class": "IV+V", "n": 4}],
        "interventions": [{"arm": "A1", "role": "study", "agent": "bone marrow mesenchymal stem cells", "route": "iv"}],
        "items": [
            _resp("overall", "A1", (48, "week"), 14, 15, "Fourteen of 15 patients responded at week 48.", "Fourteen of 15"),
        ],
    },
    "deng-2019-followup": {
        "year": 2019, "registry_ids": ["NCT01539902"],
        "design": {"type": "randomised", "randomised": True},
        "arms": [{"id": "A1", "label": "hUC-MSC", "n": 12, "role": "experimental"},
                 {"id": "A2", "label": "placebo", "n": 6, "role": "placebo"}],
        "cohort": {"n": 18},
        "ln_classes": [{"class": "IV", "n": 11}],
        "interventions": [{"arm": "A1", "role": "study", "agent": "umbilical cord mesenchymal stem cells", "route": "iv"}],
        "items": [
            _resp("overall", "A1", (12, "month"), 8, 12, "At one year, 8 of 12 MSC patients remained in remission.", "8 of 12"),
            _resp("overall", "A2", (12, "month"), 4, 6, "At one year, 4 of 6 placebo patients remained in remission.", "4 of 6"),
        ],
    },
    "furie-2020": {
        "year": 2020, "registry_ids": ["NCT01639339"],
        "design": {"type": "randomised", "phase": "III", "randomised": True, "blinding": "double"},
        "arms": [{"id": "A1", "label": "belimumab", "n": 224, "role": "experimental"},
                 {"id": "A2", "label": "placebo", "n": 224, "role": "placebo"}],
        "cohort": {"n": 448},
        "ln_classes": [{"class": "III/IV"}, {"class": "V"}],
        "interventions": [{"arm": "A1", "role": "study", "agent": "belimumab", "amount": 10, "unit": "mg", "per": "kg", "route": "iv"},
                          {"arm": "A2", "role": "comparator", "agent": "placebo", "route": "iv"}],
        "items": [
            _resp("overall", "A1", (104, "week"), 96, 224, "At week 104, 96 of 224 patients on belimumab had a renal response.", "96 of 224"),
            _resp("overall", "A2", (104, "week"), 72, 224, "At week 104, 72 of 224 patients on placebo had a renal response.", "72 of 224"),
        ],
    },
}  # fmt: skip


def build(doc_id: str, spec: dict[str, Any] | None = None, *, path: str | None = None, salt: str = "") -> tuple[Document, EvidenceRecord]:
    """A Document and its EvidenceRecord from a spec of STUDIES (offsets computed here)."""
    spec = copy.deepcopy(spec or STUDIES[doc_id])
    text = f"{doc_id} trial report{salt}.\n"
    data: dict[str, Any] = {
        "document": {"id": doc_id, "path": path or f"corpus/{doc_id}.pdf", "year": spec["year"], "title": f"{doc_id} trial",
                     "registry_ids": spec["registry_ids"]},
        "design": spec["design"], "arms": spec["arms"], "cohort": spec["cohort"], "ln_classes": spec["ln_classes"],
        "interventions": [{"amount": None, "unit": None, "per": None, **iv} for iv in spec["interventions"]],
        "responses": [], "outcomes": [],
    }  # fmt: skip
    for item in spec["items"]:
        sentence, surface, kind = item.pop("_s"), item.pop("_v"), item.pop("kind")
        start = len(text)
        text += sentence + " "
        at = start + sentence.index(surface)
        item["evidence"] = {"page": 2, "start": start, "end": start + len(sentence), "section": "results",
                            "text": sentence, "rule": f"test.{kind}", "span": [at, at + len(surface)]}  # fmt: skip
        data[kind].append(item)
    sha = hashlib.sha256(text.encode()).hexdigest()
    data["document"]["sha256"] = sha
    document = Document(path=data["document"]["path"], sha256=sha, kind="pdf", text=text, doc_id=doc_id)
    return document, EvidenceRecord.model_validate(data)


def make_db(tmp_path: Path, studies: list[str] | None = None) -> str:
    """A SQLite file in ``tmp_path`` holding the given STUDIES (all by default); returns its path."""
    db = str(tmp_path / "evidence.db")
    engine = open_engine(db)
    for doc_id in studies or list(STUDIES):
        document, record = build(doc_id)
        assert save_record(engine, document, record, rules_hash="test") == "stored"
    engine.dispose()
    return db
