"""Golden request/result cases (tests/golden/<family>.json), shared by the extractor test modules.

A case is ``{"note", "req", "res", "state"?, "tables"?, "caption"?, "title"?}``: ``req`` is the
text, ``res`` the items expected in order (only the keys given are compared; ``[]`` is a
must-not-match case). Every produced item must carry evidence that points into the text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_tables import make_ctx

GOLDEN = Path(__file__).parent / "golden"


def load(family: str) -> list[dict[str, Any]]:
    return json.loads((GOLDEN / f"{family}.json").read_text(encoding="utf-8"))["cases"]


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [c["note"][:50] for c in cases]


def matches(want: Any, got: Any) -> bool:
    if isinstance(want, dict):
        return isinstance(got, dict) and all(matches(v, got.get(k)) for k, v in want.items())
    if isinstance(want, float) or isinstance(want, int) and not isinstance(want, bool) and isinstance(got, float):
        return got is not None and abs(float(got) - want) < 1e-6
    return bool(want == got)


def check(case: dict[str, Any], extract: Callable[[Any], list[Any]]) -> None:
    ctx = make_ctx(case["req"], case.get("state"), tables=case.get("tables"), caption=case.get("caption", ""),
                   title=case.get("title"))  # fmt: skip
    got = [item.model_dump(mode="json", by_alias=True) for item in extract(ctx)]
    shown = [{k: v for k, v in g.items() if v is not None and k != "evidence"} for g in got]
    assert len(got) == len(case["res"]), shown
    for want, item in zip(case["res"], got):
        assert matches(want, item), (want, shown)
    for item in got:
        ev = item["evidence"]
        assert ev["text"] and ev["rule"] and ctx.text[ev["span"][0] : ev["span"][1]]
