"""``evidence review``: the interactive walk (driven through the real CLI with typed input) and its renderables."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from review_data import build, make_db
from rich.console import Console
from sqlmodel import Session, select
from typer.testing import CliRunner

from extractor.cli import app
from extractor.display import THEME, make_console
from extractor.review_session import CuratedStudyView, ItemCard, highlighted_source
from extractor.store.curation import Curation, curated_items, load_curated_record
from extractor.store.db import open_engine

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_db(tmp_path, ["ranjbar-2022", "li-2020"])


def _actions(db: str) -> list[tuple[str, str, str | None, object]]:
    with Session(open_engine(db)) as session:
        rows = session.exec(select(Curation).order_by(Curation.id)).all()
        return [(c.doc_id, c.action, c.field, c.value) for c in rows]


def test_highlight_marks_exactly_the_value_in_its_sentence() -> None:
    _, record = build("ranjbar-2022")
    item = record.responses[0].model_dump(mode="json", by_alias=True)
    text = highlighted_source(item)
    (span,) = [s for s in text.spans if s.style == "evidence.value"]
    assert text.plain[span.start : span.end] == "Three of nine"
    assert "Three of nine patients (33.3%) reached complete response at week 24." in text.plain
    assert text.plain.startswith("p.2, results")


def test_highlight_is_skipped_when_offsets_do_not_fit_the_sentence() -> None:
    item = {"evidence": {"start": 100, "end": 120, "text": "short sentence", "rule": "r", "span": [90, 95]}}
    assert not [s for s in highlighted_source(item).spans if s.style == "evidence.value"]
    assert highlighted_source({}).plain == "no source recorded"


def test_item_card_renders_with_the_plain_console(db: str) -> None:
    cur = curated_items(open_engine(db), "ranjbar-2022")["responses"][0]
    out = StringIO()
    make_console(out, width=100).print(ItemCard(cur, "1/2"))
    text = out.getvalue()
    assert "ranjbar-2022 · responses:1 · 1/2" in text
    assert "extracted" in text and "complete at 24 weeks 3/9 (33.3%)" in text
    assert "Three of nine patients" in text


def test_value_is_highlighted_in_colour_output(db: str) -> None:
    cur = curated_items(open_engine(db), "ranjbar-2022")["responses"][0]
    out = StringIO()
    Console(file=out, width=200, force_terminal=True, color_system="standard", theme=THEME).print(ItemCard(cur))
    assert "\x1b[1;3;7mThree of nine\x1b[0m" in out.getvalue()  # bold reverse (evidence.value) on italic source


def test_interactive_review_accept_edit_reject_skip(db: str) -> None:
    # ranjbar: 1 arm, cohort, 1 class, 1 intervention, 2 responses = 6 items
    typed = "\n".join(["a", "r", "e", "n", "4", "a", "s", "e", "n", "3", "e", "N", "10", "s", "r"]) + "\n"
    result = runner.invoke(app, ["review", "ranjbar", "--curator", "eve", "--db", db], input=typed, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert _actions(db) == [
        ("ranjbar-2022", "accept", None, None),  # arms:1
        ("ranjbar-2022", "reject", None, None),  # cohort:1
        ("ranjbar-2022", "edit", "n", 4),  # ln_classes:1 edited ...
        ("ranjbar-2022", "accept", None, None),  # ... then accepted
        ("ranjbar-2022", "edit", "n", 3),  # responses:1 (interventions:1 skipped)
        ("ranjbar-2022", "edit", "N", 10),
        ("ranjbar-2022", "reject", None, None),  # responses:2
    ]
    assert "reviewed 6 items: 2 accepted, 2 edited, 2 rejected, 1 skipped" in result.stderr
    assert "Three of nine patients" in result.stdout
    record = load_curated_record(open_engine(db), "ranjbar-2022", keep_rejected=True)
    statuses = [i["curation"]["status"] for k in ("arms", "ln_classes", "interventions", "responses") for i in record.to_json_dict()[k]]
    assert statuses == ["accepted", "edited", "extracted", "edited", "rejected"]
    assert record.cohort is not None and record.cohort.curation["status"] == "rejected"  # type: ignore[attr-defined]


def test_review_goes_on_where_it_stopped_and_quit_stores_nothing_more(db: str) -> None:
    first = runner.invoke(app, ["review", "ranjbar", "--db", db], input="a\nq\n")
    assert first.exit_code == 0, first.output
    assert len(_actions(db)) == 1
    second = runner.invoke(app, ["review", "ranjbar", "--db", db], input="q\n", env={"COLUMNS": "160"})
    assert "arms:1" not in second.stdout  # already accepted: not asked again
    assert "ranjbar-2022 · cohort:1 · 1/5" in second.stdout
    assert len(_actions(db)) == 1


def test_bad_edit_is_refused_and_the_item_asked_again(db: str) -> None:
    typed = "\n".join(["e", "n", '"lots"', "e", "role", "experimental", "a", "q"]) + "\n"
    result = runner.invoke(app, ["review", "ranjbar", "--kind", "arms", "--db", db], input=typed, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "not saved" in result.stdout and "does not fit" in result.stdout
    assert _actions(db) == [("ranjbar-2022", "edit", "role", "experimental"), ("ranjbar-2022", "accept", None, None)]


def test_end_of_input_stops_the_review(db: str) -> None:
    result = runner.invoke(app, ["review", "--db", db], input="a\n")
    assert result.exit_code == 0, result.output
    assert len(_actions(db)) == 1


def test_review_list_shows_ids_status_and_sources(db: str) -> None:
    runner.invoke(app, ["curate", "li-2020", "responses:1", "--reject", "--db", db])
    result = runner.invoke(app, ["review", "li", "--list", "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "responses:1" in line)
    assert "rejected" in line and "Fourteen of 15 patients responded at week 48." in line
    assert _actions(db) == [("li-2020", "reject", None, None)]


def test_show_keeps_item_ids_and_statuses(db: str) -> None:
    runner.invoke(app, ["curate", "ranjbar", "responses:1", "--set", "n=4", "--db", db])
    record = load_curated_record(open_engine(db), "ranjbar-2022")
    out = StringIO()
    make_console(out, width=160).print(CuratedStudyView(record))
    line = next(line for line in out.getvalue().splitlines() if "responses:1" in line)
    assert "edited" in line and "4/9" in line
    assert json.loads(json.dumps(record.to_json_dict()))["responses"][1]["curation"]["id"] == "responses:2"


def test_review_of_unknown_study_fails_in_one_line(db: str) -> None:
    result = runner.invoke(app, ["review", "nope", "--db", db])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no study 'nope' in the database"
