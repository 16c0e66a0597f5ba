"""The rich renderables behind `evidence studies` / `show` / `errors`, rendered to StringIO at width 100."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from extractor.display import ErrorsTable, StudiesTable, StudyView, describe_item, make_console
from extractor.records import Check, DocumentInfo, Evidence, EvidenceRecord, Response, TimePoint
from extractor.store.models import ErrorRow
from extractor.store.read import StudySummary


def render(renderable: object) -> str:
    out = io.StringIO()
    make_console(out, width=100).print(renderable)
    return out.getvalue()


def _row_cells(text: str, first_cell: str) -> list[str]:
    """The cells of the table row starting with ``first_cell``, wrapped lines joined."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"│ {first_cell} "))
    row = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("│ " + " " * len(first_cell)):
            break
        row.append(line)
    columns = [[part.strip() for part in line.strip("│").split("│")] for line in row]
    return [" ".join(filter(None, parts)) for parts in zip(*columns, strict=True)]


def test_studies_table_shows_one_row_per_study_with_its_facts() -> None:
    rows = [
        StudySummary("ranjbar-2022", design="single-arm", phase="I", n=9, arms=["AD-MSC (9)"], ln_classes=["IV-S", "V"],
                     agents=["adipose-derived MSC"], follow_up="12 months"),  # fmt: skip
        StudySummary("aurora-1", design="randomised", n=357),
    ]
    text = render(StudiesTable(rows))
    assert "2 studies" in text
    cells = _row_cells(text, "ranjbar-2022")
    assert cells == ["ranjbar-2022", "single-arm, phase I", "9", "AD-MSC (9)", "IV-S, V", "adipose-derived MSC", "12 months"]
    assert _row_cells(text, "aurora-1") == ["aurora-1", "RCT", "357", "", "", "", ""]
    assert all(len(line) <= 100 for line in text.splitlines())


def test_studies_table_in_a_narrow_terminal_leaves_the_agents_to_show() -> None:
    rows = [StudySummary("ranjbar-2022", design="single-arm", n=9, arms=["AD-MSC (9)"], agents=["adipose-derived MSC"])]
    out = io.StringIO()
    make_console(out, width=80).print(StudiesTable(rows))
    text = out.getvalue()
    assert "Interventions" not in text and "adipose-derived" not in text
    assert "ranjbar-2022" in text and all(len(line) <= 80 for line in text.splitlines())


def test_study_view_groups_items_by_kind_with_source_and_checks() -> None:
    evidence = Evidence(page=4, start=10, end=60, text="Complete response in 3/9 (33.3%) patients.", rule="response.n_of_N")
    record = EvidenceRecord(
        document=DocumentInfo(id="ranjbar-2022", title="AD-MSC for LN", year=2022, registry_ids=["IRCT2016"]),
        responses=[
            Response(type="complete", arm="A1", time=TimePoint(value=12, unit="month"), n=3, N=9, percent=33.3,
                     evidence=evidence, repaired="444% → 44.4% (4/9)"),  # fmt: skip
            Response(type="partial", n=2, N=9),
        ],
        checks=[Check(check="percent_matches_count", status="mismatch", detail="3/9 ≠ 40%")],
        warnings=["table 2 unreadable"],
    )
    text = render(StudyView(record))
    assert text.splitlines()[0].startswith("ranjbar-2022  AD-MSC for LN")
    assert "Responses (2)" in text and "Arms" not in text
    [row] = [line for line in text.splitlines() if "complete [A1] at 12 months: " in line or "complete [A1]" in line]
    assert "3/9 (33.3%)" in row and "p.4" in row
    assert "[response.n_of_N]" in text and "repaired: 444% → 44.4% (4/9)" in text
    assert "no source recorded" in text  # the partial response has no evidence
    assert "percent_matches_count" in text and "mismatch" in text and "warning: table 2 unreadable" in text


def test_study_view_of_an_empty_record_says_so() -> None:
    assert "no evidence items extracted" in render(StudyView(EvidenceRecord(document=DocumentInfo(id="x"))))


def test_errors_table() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    text = render(ErrorsTable([ErrorRow(path="a/broken.pdf", reason="corrupt or truncated PDF", run_id=3, at=at)]))
    assert "1 error" in text and "a/broken.pdf" in text and "corrupt or truncated PDF" in text
    assert "2026-01-02 03:04:05" in text
    assert render(ErrorsTable([])).strip() == "no errors"


def test_describe_item_formats() -> None:
    assert describe_item("interventions", {"role": "study", "agent": "rituximab", "amount": 375.0, "unit": "mg",
                                           "per": "m2", "route": "iv", "doses": 4}) == "study rituximab 375 mg/m2 iv × 4"  # fmt: skip
    assert describe_item("outcomes", {"measure": "c3", "stat": "mean", "value": 0.8, "unit": "g/L",
                                      "spread": {"kind": "sd", "value": 0.2}, "time": {"value": 0, "unit": "day",
                                      "label": "baseline"}}) == "c3 at baseline mean 0.8 g/L (sd 0.2)"  # fmt: skip
    assert describe_item("ln_classes", {"class": "IV", "activity": "A/C", "n": 3, "percent": 33.3}) == "class IV A/C n=3 (33.3%)"
