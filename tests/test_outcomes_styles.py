"""Outcome wordings and table layouts of unseen report styles (tests/golden/outcomes_styles.json):
arms as table rows, response columns, % change columns, "After 3 courses" rows, grouped entry /
N-week columns, event-component tables, a measure named in a group row; prose with arm orders
carried across clauses, signed percent changes, category shares, subgroup sentences, dose-named
arms, text-drawn flow diagrams and end-point definitions.

A case may say ``"only": measure`` (compare the items of that measure only) or ``"last": true``
(compare the last item only: the value the case is about follows others)."""

from __future__ import annotations

from typing import Any

import golden_cases
import pytest
from test_tables import make_ctx

from extractor.extract.outcomes import extract_outcomes

GOLD = golden_cases.load("outcomes_styles")


@pytest.mark.parametrize("case", GOLD, ids=golden_cases.ids(GOLD))
def test_golden(case: dict[str, Any]) -> None:
    if "only" not in case and "last" not in case:
        golden_cases.check(case, extract_outcomes)
        return
    ctx = make_ctx(case["req"], case.get("state"), tables=case.get("tables"), caption=case.get("caption", ""))
    got = [o.model_dump(mode="json", by_alias=True) for o in extract_outcomes(ctx)]
    if "only" in case:
        got = [g for g in got if g["measure"] == case["only"]]
    elif got:
        got = got[-1:]
    shown = [{k: v for k, v in g.items() if v is not None and k != "evidence"} for g in got]
    assert len(got) == len(case["res"]), shown
    for want, item in zip(case["res"], got):
        assert golden_cases.matches(want, item), (want, shown)
