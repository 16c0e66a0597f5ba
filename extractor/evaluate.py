"""Score extractions against gold files (rules in docs/EVAL.md; matching in ``evaluate_match``).

``score_document(pred, gold)`` and ``score_corpus(preds, golds)`` work on plain dicts in the
EVIDENCE_FORMAT shape; ``evaluate_paths`` runs the extractor over a corpus first;
``eval_command`` is the body of ``evidence eval``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Text

from extractor import evaluate_match as m
from extractor.errors import ExtractorError

KINDS = (
    "design", "identity", "arms", "cohort", "ln_classes", "interventions", "outcomes", "responses", "adverse_events",
)  # fmt: skip
LIST_KINDS = ("ln_classes", "interventions", "outcomes", "responses", "adverse_events")
DESIGN_FIELDS = ("type", "phase", "randomised")
COHORT_FIELDS = ("n", "female", "male", "age", "disease_duration")
SPLITS = ("dev", "test", "all")
SKIP_SUFFIXES = (".json", ".jsonl", ".py", ".pyc")  # never report sources
SKIP_NAMES = ("SPLIT.md", "README.md")
STYLES = {  # semantic names; a console theme defining them overrides these defaults
    "eval.total": "bold",
    "eval.miss": "yellow",
    "eval.false_positive": "red",
    "eval.warning": "bold yellow",
}


def _style(console: Console | None, name: str) -> Style:
    default = Style.parse(STYLES[name])
    return console.get_style(name, default=default) if console is not None else default


@dataclass
class KindScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else (1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: KindScore) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def to_json(self, counts: bool = True) -> dict[str, float]:
        out: dict[str, float] = {"precision": self.precision, "recall": self.recall, "f1": self.f1}
        if counts:
            out.update(tp=self.tp, fp=self.fp, fn=self.fn)
        return out


@dataclass
class Error:
    """A miss (gold item not found) or a false positive (prediction with no gold partner)."""

    doc_id: str
    kind: str
    what: str  # "miss" | "false positive"
    item: Any
    text: str | None = None  # predicted evidence text (false positives, wrong values)


def _total(kinds: Mapping[str, KindScore]) -> KindScore:
    total = KindScore()
    for score in kinds.values():
        total.add(score)
    return total


@dataclass
class DocScore:
    doc_id: str
    kinds: dict[str, KindScore] = field(default_factory=lambda: {k: KindScore() for k in KINDS})
    errors: list[Error] = field(default_factory=list)

    @property
    def micro(self) -> KindScore:
        return _total(self.kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.doc_id,
            "micro": self.micro.to_json(),
            "kinds": {k: v.to_json() for k, v in self.kinds.items()},
        }


@dataclass
class CorpusScore:
    documents: list[DocScore] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # gold ids with no source file
    failed: dict[str, str] = field(default_factory=dict)  # doc id -> error of load/extract
    predictions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # by evaluate_paths
    show_errors: bool = True

    @property
    def kinds(self) -> dict[str, KindScore]:
        out = {k: KindScore() for k in KINDS}
        for doc in self.documents:
            for kind, score in doc.kinds.items():
                out[kind].add(score)
        return out

    @property
    def micro(self) -> KindScore:
        return _total(self.kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            "micro": self.micro.to_json(counts=False),
            "kinds": {k: v.to_json() for k, v in self.kinds.items()},
            "documents": [d.to_json() for d in self.documents],
            "missing": list(self.missing),
            "failed": dict(self.failed),
        }

    def __rich_console__(self, console: Console, options: Any) -> Any:
        yield score_table(self, console)
        warn = _style(console, "eval.warning")
        if self.missing:
            yield Text(f"no source file for gold: {', '.join(self.missing)}", style=warn)
        for doc_id, reason in self.failed.items():
            yield Text(f"{doc_id}: extraction failed: {reason}", style=warn)
        if self.show_errors:
            yield error_table(self, console)


# --- scoring -----------------------------------------------------------------------


def _scalar(score: KindScore, errors: list[Error], doc_id: str, kind: str, name: str, gold: Any, pred: Any, ok: bool) -> None:
    if ok:
        score.tp += 1
        return
    score.fn += 1
    errors.append(Error(doc_id, kind, "miss", {name: gold, "predicted": pred}))
    if m.present(pred):
        score.fp += 1


def _text(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("evidence"), dict):
        return item["evidence"].get("text")
    return None


def _score_list(
    doc: DocScore, kind: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]], compatible: Any, similarity: Any = None
) -> list[tuple[int, int]]:
    pairs = m.match_items(gold, pred, compatible, similarity)
    score = doc.kinds[kind]
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    score.tp += len(pairs)
    for i, g in enumerate(gold):
        if i not in matched_g and not g.get("optional"):
            score.fn += 1
            doc.errors.append(Error(doc.doc_id, kind, "miss", g, _text(g)))
    for j, p in enumerate(pred):
        if j not in matched_p:
            score.fp += 1
            doc.errors.append(Error(doc.doc_id, kind, "false positive", p, _text(p)))
    return pairs


def score_document(pred: dict[str, Any], gold: dict[str, Any]) -> DocScore:
    """Score one predicted record against its gold record (both EVIDENCE_FORMAT dicts)."""
    doc_id = str((gold.get("document") or {}).get("id") or (pred.get("document") or {}).get("id") or "?")
    doc = DocScore(doc_id)
    errs = doc.errors

    g_design, p_design = gold.get("design") or {}, pred.get("design") or {}
    for name in DESIGN_FIELDS:
        gv, pv = g_design.get(name), p_design.get(name)
        if gv is None:
            continue
        if name == "phase":
            ok = m.present(pv) and m.canon_phase(gv) == m.canon_phase(pv)
        elif name == "randomised":
            ok = isinstance(pv, bool) and pv == gv
        else:  # design.type: the gold value or one listed under alt_type
            ok = any(m.present(alt) and m.ids_agree(alt, pv) for alt in m.alternatives(g_design, name))
        _scalar(doc.kinds["design"], errs, doc_id, "design", f"design.{name}", gv, pv, ok)

    g_doc, p_doc = gold.get("document") or {}, pred.get("document") or {}
    _score_list(
        doc, "identity",
        [{"registry_id": x} for x in g_doc.get("registry_ids") or []], [{"registry_id": x} for x in p_doc.get("registry_ids") or []],
        lambda g, p: m.canon_registry(g["registry_id"]) == m.canon_registry(p["registry_id"]),
    )  # fmt: skip
    for name, same in (
        ("pmid", lambda g, p: str(g).strip() == str(p).strip()),
        ("doi", lambda g, p: m.canon_doi(g) == m.canon_doi(p)),
        ("year", lambda g, p: str(g) == str(p)),
    ):
        gv, pv = g_doc.get(name), p_doc.get(name)
        if m.present(gv):
            _scalar(doc.kinds["identity"], errs, doc_id, "identity", f"document.{name}", gv, pv, m.present(pv) and same(gv, pv))

    g_arms, p_arms = gold.get("arms") or [], pred.get("arms") or []
    arm_pairs = _score_list(doc, "arms", g_arms, p_arms, m.arms_compatible, m.arm_similarity)
    arm_map: m.ArmMap = {}
    for i, j in sorted(arm_pairs, key=lambda pair: pair[1]):  # a repeated id keeps its first match
        arm_map.setdefault(str(p_arms[j].get("id")), str(g_arms[i].get("id")))
    gold_arm_ids = [str(a.get("id")) for a in g_arms]

    g_cohort, p_cohort = gold.get("cohort") or {}, pred.get("cohort") or {}
    for name in COHORT_FIELDS:
        gv, pv = g_cohort.get(name), p_cohort.get(name)
        if not m.present(gv):
            continue
        if name in ("age", "disease_duration"):
            ok = m.stat_agrees(gv, pv)
        else:
            ok = any(m.present(alt) and m.numbers_agree(alt, pv) for alt in m.alternatives(g_cohort, name))
        _scalar(doc.kinds["cohort"], errs, doc_id, "cohort", f"cohort.{name}", gv, pv, ok)
        if not ok and m.present(pv):
            errs[-1].text = _text(p_cohort)

    for kind in LIST_KINDS:
        _score_list(
            doc, kind, gold.get(kind) or [], pred.get(kind) or [],
            lambda g, p, kind=kind: m.item_compatible(kind, g, p, arm_map, gold_arm_ids),
        )  # fmt: skip
    return doc


def score_corpus(preds: Mapping[str, dict[str, Any]], golds: Mapping[str, dict[str, Any]]) -> CorpusScore:
    """Score every gold document; a gold id without a prediction scores against an empty record."""
    result = CorpusScore()
    for doc_id in sorted(golds):
        pred = preds.get(doc_id) or {"document": {"id": doc_id}}
        doc = score_document(pred, golds[doc_id])
        doc.doc_id = doc_id
        for err in doc.errors:
            err.doc_id = doc_id
        result.documents.append(doc)
    return result


# --- display -----------------------------------------------------------------------


def score_table(score: CorpusScore, console: Console | None = None) -> Table:
    table = Table(title=f"extraction vs gold — {len(score.documents)} documents")
    for name in ("kind", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(name, justify="left" if name == "kind" else "right")
    rows = [*score.kinds.items(), ("micro", score.micro)]
    for kind, s in rows:
        style = _style(console, "eval.total") if kind == "micro" else None
        table.add_row(kind, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn), style=style)
    return table


def _describe(item: Any) -> str:
    """``key=value`` pairs of an item, nulls and provenance left out (time as "6 month")."""
    if not isinstance(item, dict):
        return str(item)
    parts = []
    for key, value in item.items():
        if value is None or value == [] or key in ("evidence", "definition", "note", "name"):
            continue
        if isinstance(value, dict) and "unit" in value and "value" in value and len(value) <= 3:
            value = f"{value['value']} {value['unit']}"
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}={value}")
    return " ".join(parts)


def error_table(score: CorpusScore, console: Console | None = None) -> Table:
    table = Table(title="misses and false positives", show_lines=True)
    for name in ("document", "kind", "error", "item", "source text"):
        table.add_column(name, overflow="fold")
    for doc in score.documents:
        for err in doc.errors:
            style = _style(console, "eval.miss" if err.what == "miss" else "eval.false_positive")
            table.add_row(err.doc_id, err.kind, err.what, _describe(err.item), err.text or "", style=style)
    return table


# --- files -------------------------------------------------------------------------


def load_gold(directory: str | Path) -> dict[str, dict[str, Any]]:
    """Every ``*.json`` under ``directory`` (recursively); the file stem is the document id."""
    golds: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory).rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "document" in data:
            golds[path.stem] = data
    return golds


def read_split(path: str | Path) -> dict[str, str]:
    """``| stem | split | ... |`` rows of SPLIT.md → {stem: split}."""
    out: dict[str, str] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[1].lower() in ("dev", "test") and not set(cells[0]) <= set("-: "):
            out[cells[0]] = cells[1].lower()
    return out


def _in_split(doc_id: str, splits: Mapping[str, str], wanted: str) -> bool:
    for stem, name in splits.items():
        if doc_id == stem or doc_id.startswith(stem + "-") or doc_id.startswith(stem + "#"):
            return name == wanted
    return False


def _find_split_file(*dirs: Path) -> Path | None:
    for d in dirs:
        if (d / "SPLIT.md").is_file():
            return d / "SPLIT.md"
    return None


def evaluate_paths(corpus_dir: str | Path, gold_dir: str | Path, split: str | None = None) -> CorpusScore:
    """Extract every gold document found in ``corpus_dir`` and score it.

    A gold file ``X.json`` names the source file with stem X anywhere under ``corpus_dir``;
    an id ``stem-pmid`` (or ``stem#pmid``) names one article of a PubMed XML collection.
    """
    from extractor.extract.run import extract_document
    from extractor.ingest.load import load

    corpus_dir, gold_dir = Path(corpus_dir), Path(gold_dir)
    for folder in (corpus_dir, gold_dir):
        if not folder.is_dir():
            raise ExtractorError("not a folder", path=str(folder))
    golds = load_gold(gold_dir)
    if not golds:
        raise ExtractorError("no gold files (*.json with a 'document' key)", path=str(gold_dir))
    if split and split != "all":
        if split not in SPLITS:
            raise ExtractorError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
        split_file = _find_split_file(corpus_dir, gold_dir, gold_dir.parent)
        if split_file is None:
            raise ExtractorError("no SPLIT.md here, in the gold folder or its parent", path=str(corpus_dir))
        splits = read_split(split_file)
        golds = {k: v for k, v in golds.items() if _in_split(k, splits, split)}
    sources: dict[str, Path] = {}
    for path in sorted(corpus_dir.rglob("*"), key=lambda p: (len(p.parts), str(p))):  # shallowest first
        if (
            path.is_file()
            and path.suffix.lower() not in SKIP_SUFFIXES
            and path.name not in SKIP_NAMES
            and not path.name.startswith(".")
            and gold_dir.resolve() not in path.resolve().parents
        ):
            sources.setdefault(path.stem, path)
    loaded: dict[Path, list[Any]] = {}
    preds: dict[str, dict[str, Any]] = {}
    result_missing, failed = [], {}
    for doc_id in sorted(golds):
        stem, pmid = doc_id, None
        if doc_id not in sources:
            hit = re.fullmatch(r"(.+)[-#](\d+)", doc_id)
            if hit and hit.group(1) in sources:
                stem, pmid = hit.group(1), hit.group(2)
        if stem not in sources:
            result_missing.append(doc_id)
            continue
        try:
            if sources[stem] not in loaded:
                loaded[sources[stem]] = load(sources[stem])
            docs = loaded[sources[stem]]
            if pmid is not None:
                docs = [d for d in docs if str(d.pmid) == pmid or (d.doc_id or "").replace("#", "-") == doc_id]
            if not docs:
                raise LookupError(f"no article {pmid} in {sources[stem].name}")
            preds[doc_id] = extract_document(docs[0]).to_json_dict()
        except Exception as exc:  # noqa: BLE001 - a failed document scores as empty, and is reported
            failed[doc_id] = f"{type(exc).__name__}: {exc}"
    score = score_corpus(preds, {k: v for k, v in golds.items() if k not in result_missing})
    score.missing, score.failed, score.predictions = result_missing, failed, preds
    return score


def eval_command(
    corpus: str | Path = "corpus",
    gold: str | Path | None = None,
    as_json: bool = False,
    split: str = "all",
    misses: bool = True,
    console: Console | None = None,
) -> CorpusScore:
    """Body of ``evidence eval``: score, then print a table (or JSON).

    Example: evidence eval corpus --gold corpus/gold --split dev --no-misses
    """
    console = console or Console()
    score = evaluate_paths(corpus, gold or Path(corpus) / "gold", split=split)
    score.show_errors = misses
    if as_json:
        console.print_json(json.dumps(score.to_json()))
    else:
        console.print(Group(score))
    return score

