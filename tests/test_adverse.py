"""Golden req/res cases for extractor.extract.adverse (tests/golden/adverse.json), incl. must-not-match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_tables import make_ctx

from extractor.extract.adverse import extract_adverse_events

GOLD = json.loads((Path(__file__).parent / "golden" / "adverse.json").read_text(encoding="utf-8"))["cases"]


def _matches(want: Any, got: Any) -> bool:
    if isinstance(want, dict):
        return isinstance(got, dict) and all(_matches(v, got.get(k)) for k, v in want.items())
    if isinstance(want, float) or isinstance(want, int) and not isinstance(want, bool) and isinstance(got, float):
        return got is not None and abs(float(got) - want) < 1e-6
    return bool(want == got)


@pytest.mark.parametrize("case", GOLD, ids=[c["note"][:50] for c in GOLD])
def test_golden(case: dict[str, Any]) -> None:
    ctx = make_ctx(case["req"], case.get("state"), tables=case.get("tables"), caption=case.get("caption", ""),
                   title=case.get("title"))
    got = [item.model_dump(mode="json", by_alias=True) for item in extract_adverse_events(ctx)]
    shown = [{k: v for k, v in g.items() if v is not None and k != "evidence"} for g in got]
    assert len(got) == len(case["res"]), shown
    for want, item in zip(case["res"], got):
        assert _matches(want, item), (want, shown)
    for item in got:
        ev = item["evidence"]
        assert ev["text"] and ev["rule"] and ctx.text[ev["span"][0] : ev["span"][1]]
