"""Run every extractor on one Document, in order, and assemble the EvidenceRecord.

identity → design → arms → cohort → ln_classes → interventions → outcomes → responses →
adverse events → checks. Earlier extractors leave shared state in ``ctx.state`` (arms,
cohort_n, follow_up) for the later ones. Sentences in the references section are never mined
(``Context.mined_sentences``). Modules of the second extraction stage are imported lazily and
skipped while they do not exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from extractor.extract import arms as arms_mod
from extractor.extract import checks, cohort, design, identity, ln_class
from extractor.extract.context import Context
from extractor.nlp.pipeline import parse
from extractor.records import Document, EvidenceRecord

# (record field, module, function) of the later extractors, imported lazily
LATE_STAGES = (
    ("interventions", "extractor.extract.dosing", "extract_interventions"),
    ("outcomes", "extractor.extract.outcomes", "extract_outcomes"),
    ("responses", "extractor.extract.responses", "extract_responses"),
    ("adverse_events", "extractor.extract.adverse", "extract_adverse_events"),
)


def _late(module: str, func: str) -> Callable[[Context], list[Any]] | None:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        if exc.name != module:
            raise  # the module exists but is broken: surface it
        return None
    return getattr(mod, func, None)


def build_context(document: Document) -> Context:
    doc, sentences = parse(document)
    return Context(document=document, doc=doc, sentences=sentences)


def extract_document(document: Document) -> EvidenceRecord:
    ctx = build_context(document)
    info = identity.extract_identity(ctx)
    record = EvidenceRecord(document=info)
    record.design = design.extract_design(ctx)
    record.arms = arms_mod.extract_arms(ctx)
    record.cohort = cohort.extract_cohort(ctx)
    if len(record.arms) == 1 and record.arms[0].n is None and record.cohort and record.cohort.n:
        record.arms[0].n = record.cohort.n
    if ctx.state.get("cohort_n") is None and record.arms:
        ns = [a.n for a in record.arms]
        if all(n is not None for n in ns):
            ctx.state["cohort_n"] = sum(n for n in ns if n is not None)
    record.ln_classes = ln_class.extract_ln_classes(ctx)
    for field_name, module, func in LATE_STAGES:
        fn = _late(module, func)
        if fn is None:
            continue
        try:
            setattr(record, field_name, fn(ctx))
        except Exception as exc:  # noqa: BLE001 - one failing extractor must not lose the record
            ctx.warnings.append(f"{field_name}: extractor failed ({type(exc).__name__}: {exc})")
    record.checks = checks.run_checks(ctx, record)
    record.warnings = list(dict.fromkeys([*document.warnings, *ctx.warnings]))
    return record
