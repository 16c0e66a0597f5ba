"""Print the README's accuracy tables: `evidence eval` on the dev and test splits of corpus/
and on the real third-party reports (../shared/real, when present), per kind and micro.

Usage: python scripts/accuracy_table.py > /tmp/accuracy.md
"""

from __future__ import annotations

from pathlib import Path

from extractor.evaluate import evaluate_paths

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
KINDS = ("design", "identity", "arms", "cohort", "ln_classes", "interventions", "outcomes", "responses", "adverse_events")


def main() -> None:
    runs = [
        ("dev", lambda: evaluate_paths(ROOT / "corpus", ROOT / "corpus" / "gold", split="dev")),
        ("test (held out)", lambda: evaluate_paths(ROOT / "corpus", ROOT / "corpus" / "gold", split="test")),
    ]
    if REAL.is_dir():
        runs.append(("real reports", lambda: evaluate_paths(REAL, ROOT / "corpus" / "gold-real")))
    scores = [(name, run().to_json()) for name, run in runs]
    header = "| kind | " + " | ".join(f"{name} P / R / F1" for name, _ in scores) + " |"
    print(header)
    print("|---|" + "---|" * len(scores))
    for kind in (*KINDS, "micro"):
        cells = []
        for _, js in scores:
            k = js["micro"] if kind == "micro" else js["kinds"].get(kind)
            cells.append("–" if not k else f"{k['precision']:.2f} / {k['recall']:.2f} / **{k['f1']:.2f}**" if kind == "micro"
                         else f"{k['precision']:.2f} / {k['recall']:.2f} / {k['f1']:.2f}")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    print()
    print("documents: " + ", ".join(f"{name} {len(js['documents'])}" for name, js in scores))


if __name__ == "__main__":
    main()
