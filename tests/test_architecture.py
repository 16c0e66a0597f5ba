"""Imports point one way: foundation -> ingest -> nlp -> extract -> store -> read side -> cli.

Parsed with ``ast`` so the test sees every import, including ones inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "extractor"

# layer of each module group; the rule loader is foundation (every stage reads rules/)
FOUNDATION = {"errors", "records", "settings", "resources", "nlp.rules", "__init__"}
LAYERS = {"foundation": 0, "ingest": 1, "nlp": 2, "extract": 3, "store": 4, "read": 5, "cli": 6}
# groups a group may import besides the foundation
ALLOWED = {
    "foundation": set(),
    "ingest": {"ingest"},
    "nlp": {"nlp"},
    "extract": {"nlp", "extract"},
    "store": {"store"},
    "read": {"ingest", "nlp", "extract", "store", "read"},
    "cli": {"ingest", "nlp", "extract", "store", "read", "cli"},
}
MAX_LINES = 450


def _group(module: str) -> str:
    name = module.removeprefix("extractor.").removeprefix("extractor")
    name = name.strip(".")
    if name in FOUNDATION or name == "":
        return "foundation"
    head = name.split(".")[0]
    if head in {"ingest", "nlp", "extract", "store"}:
        return head
    if head in {"cli", "__main__"}:
        return "cli"
    return "read"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("extractor")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                found.append(target)
            elif node.module and node.module.startswith("extractor"):
                if node.module == "extractor":
                    found += [f"extractor.{a.name}" for a in node.names]
                else:
                    found.append(node.module)
    return found


def test_imports_point_one_way() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        group = _group(module)
        for target in _imports(path):
            tgroup = _group(target)
            if tgroup == "foundation" or tgroup in ALLOWED[group]:
                continue
            problems.append(f"{module} ({group}) imports {target} ({tgroup})")
    assert not problems, "\n".join(problems)


def test_modules_stay_small() -> None:
    big = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            big.append(f"{path.relative_to(PACKAGE.parent)}: {lines} lines")
    assert not big, "\n".join(big)


def test_group_classifier() -> None:
    assert _group("extractor.nlp.rules") == "foundation"
    assert _group("extractor.nlp.pipeline") == "nlp"
    assert _group("extractor.extract.cohort") == "extract"
    assert _group("extractor.meta") == "read"
    assert _group("extractor.cli") == "cli"
