"""``evidence curate`` and the curations table, through the real CLI on a real SQLite file."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from review_data import STUDIES, build, make_db
from sqlalchemy import inspect
from sqlmodel import Session, select
from typer.testing import CliRunner

from extractor.cli import app
from extractor.store.curation import Curation, load_curated_record, stale_curations
from extractor.store.db import open_engine, save_record

runner = CliRunner()


def evidence(*args: str) -> object:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path: Path) -> str:
    return make_db(tmp_path)


def _query_json(db: str, *args: str) -> list[dict]:
    result = evidence("query", "--db", db, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _curations(db: str) -> list[Curation]:
    with Session(open_engine(db)) as session:
        return list(session.exec(select(Curation).order_by(Curation.id)).all())


def test_curations_table_is_created_with_the_store(tmp_path: Path) -> None:
    engine = open_engine(str(tmp_path / "fresh.db"))
    columns = {c["name"] for c in inspect(engine).get_columns("curations")}
    assert {"doc_id", "kind", "item_key", "action", "field", "value", "curator", "at"} <= columns


def test_edit_is_stored_and_applied_everywhere(db: str) -> None:
    result = evidence("curate", "deng-2017", "responses:1", "--set", "n=10", "--curator", "ana", "--db", db)
    assert result.exit_code == 0, result.output
    assert "n = 10" in result.stdout
    (cur,) = _curations(db)
    assert (cur.doc_id, cur.kind, cur.action, cur.field, cur.value, cur.curator) == ("deng-2017", "responses", "edit", "n", 10, "ana")
    rows = _query_json(db, "--response", "overall", "--agent", "umbilical cord mesenchymal stem")
    deng = next(r for r in rows if r["study"] == "deng-2017" and r["arm"] == "A1")
    assert (deng["events"], deng["total"], deng["curation"]) == (10, 12, "edited")
    shown = evidence("show", "deng-2017", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "responses:1" in shown.stdout and "edited" in shown.stdout and "10/12" in shown.stdout


def test_reject_hides_the_item_and_accept_brings_it_back(db: str) -> None:
    assert evidence("curate", "ranjbar", "responses:2", "--reject", "--db", db).exit_code == 0
    assert not [r for r in _query_json(db, "--response", "overall") if r["study"] == "ranjbar-2022"]
    record = load_curated_record(open_engine(db), "ranjbar-2022", keep_rejected=True)
    assert [r.curation["status"] for r in record.responses] == ["extracted", "rejected"]  # type: ignore[attr-defined]
    assert evidence("curate", "ranjbar", "responses:2", "--accept", "--db", db).exit_code == 0
    rows = [r for r in _query_json(db, "--response", "overall") if r["study"] == "ranjbar-2022"]
    assert [r["curation"] for r in rows] == ["accepted"]


def test_item_can_be_named_by_its_item_key(db: str) -> None:
    key = next(r["item_key"] for r in _query_json(db, "--response", "complete") if r["study"] == "ranjbar-2022")
    result = evidence("curate", "ranjbar-2022", key, "--set", "N=10", "--db", db)
    assert result.exit_code == 0, result.output
    row = next(r for r in _query_json(db, "--response", "complete") if r["study"] == "ranjbar-2022")
    assert row["total"] == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["responses:1", "--set", "type=bogus"], "does not fit"),
        (["responses:1", "--set", "n=many"], "does not fit"),
        (["responses:1", "--set", "colour=blue"], "no field 'colour'"),
        (["responses:1", "--set", "evidence.page=3"], "no field"),
        (["responses:9", "--reject"], "no item 'responses:9'"),
        (["cures:1", "--reject"], "unknown item kind"),
        (["0123abcd0123abcd", "--accept"], "no item"),
    ],
)
def test_bad_curations_fail_with_one_line_and_store_nothing(db: str, args: list[str], message: str) -> None:
    result = evidence("curate", "deng-2017", *args, "--db", db)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert _curations(db) == []


def test_curate_needs_exactly_one_action(db: str) -> None:
    assert evidence("curate", "deng-2017", "responses:1", "--db", db).exit_code == 2
    assert evidence("curate", "deng-2017", "responses:1", "--reject", "--accept", "--db", db).exit_code == 2


def test_time_shorthand_edit_moves_the_item_into_a_time_filter(db: str) -> None:
    before = [r for r in _query_json(db, "--response", "overall", "--time", "24w") if r["study"] == "li-2020"]
    assert before == []
    assert evidence("curate", "li-2020", "responses:1", "--set", "time=24w", "--db", db).exit_code == 0
    after = [r for r in _query_json(db, "--response", "overall", "--time", "24w") if r["study"] == "li-2020"]
    assert [(r["time_value"], r["time_unit"], r["curation"]) for r in after] == [(24, "week", "edited")]


def test_curation_survives_reingesting_the_same_file(db: str) -> None:
    engine = open_engine(db)
    assert evidence("curate", "deng-2017", "responses:1", "--set", "n=10", "--db", db).exit_code == 0
    assert evidence("curate", "deng-2017", "responses:3", "--reject", "--db", db).exit_code == 0
    document, record = build("deng-2017")
    assert save_record(engine, document, record, rules_hash="test") == "unchanged"
    # new rules read the same file differently (a definition appears): its rows are replaced
    spec = copy.deepcopy(STUDIES["deng-2017"])
    spec["items"][0]["definition"] = "remission: proteinuria < 0.5 g/24 h"
    document, record = build("deng-2017", spec)
    assert save_record(engine, document, record, rules_hash="test-2") == "replaced"
    curated = load_curated_record(engine, "deng-2017")
    assert [(r.arm, r.type, r.n) for r in curated.responses] == [("A1", "overall", 10), ("A2", "overall", 5), ("A2", "complete", 3)]
    assert curated.responses[0].definition == "remission: proteinuria < 0.5 g/24 h"  # the new extraction, curated


def test_curation_survives_reingesting_a_changed_file(db: str) -> None:
    """The file changes (new text, a new item before ours, other numbers): the key finds the item."""
    engine = open_engine(db)
    assert evidence("curate", "wang-2014", "responses:3", "--set", "n=14", "--curator", "bo", "--db", db).exit_code == 0
    spec = copy.deepcopy(STUDIES["wang-2014"])
    spec["items"].insert(0, dict(spec["items"][2], type="partial_clinical", n=11, _s="PCR in 11 of 40.", _v="11 of 40"))
    spec["items"][3]["N"] = 41  # the corrected report now counts 41 patients
    document, record = build("wang-2014", spec, salt=" (corrected version)")
    assert save_record(engine, document, record, rules_hash="test") == "replaced"
    rows = [r for r in _query_json(db, "--response", "major_clinical") if r["study"] == "wang-2014"]
    assert [(r["events"], r["total"], r["curation"], r["item"]) for r in rows] == [(14, 41, "edited", "responses:4")]
    assert stale_curations(engine, "wang-2014") == []


def test_curation_of_an_item_no_longer_extracted_is_kept_but_not_applied(db: str) -> None:
    engine = open_engine(db)
    assert evidence("curate", "li-2020", "responses:1", "--reject", "--db", db).exit_code == 0
    spec = copy.deepcopy(STUDIES["li-2020"])
    spec["items"][0]["time"] = {"value": 52, "unit": "week"}  # identity changed: another item
    document, record = build("li-2020", spec, salt="!")
    save_record(engine, document, record, rules_hash="test")
    assert [c.action for c in stale_curations(engine, "li-2020")] == ["reject"]
    rows = [r for r in _query_json(db, "--response", "overall") if r["study"] == "li-2020"]
    assert [r["curation"] for r in rows] == ["extracted"]


def test_studies_table_applies_curations(db: str) -> None:
    assert evidence("curate", "ranjbar", "cohort:1", "--set", "n=11", "--db", db).exit_code == 0
    assert evidence("curate", "ranjbar", "ln_classes:1", "--set", "class=IV-G", "--db", db).exit_code == 0
    result = runner.invoke(app, ["studies", "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "ranjbar-2022" in line)
    assert " 11 " in line and "IV-G" in line and "IV-S" not in line


def test_edit_that_breaks_n_over_N_is_warned_about_not_fixed(db: str) -> None:
    result = evidence("curate", "wang", "responses:3", "--set", "n=20", "--db", db)
    assert result.exit_code == 0, result.output
    assert "warning: percent 32.5 no longer matches 20/40 = 50.0%" in result.stderr
    row = next(r for r in _query_json(db, "--response", "major_clinical"))
    assert (row["events"], row["percent"]) == (20, 32.5)
    fixed = evidence("curate", "wang", "responses:3", "--set", "percent=50", "--db", db)
    assert fixed.exit_code == 0 and "warning" not in fixed.stderr


CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_real_reports_end_to_end_curation_survives_reingestion(tmp_path: Path) -> None:
    """A PDF and a text report ingested through the CLI; a curation of the text report survives a changed file."""
    pdf = tmp_path / "b01_ucmsc_refractory_sle.pdf"
    text = tmp_path / "a01_voclosporin_rct.md"
    pdf.write_bytes((CORPUS / "b01_ucmsc_refractory_sle.pdf").read_bytes())
    text.write_text((CORPUS / "src" / "a01_voclosporin_rct.md").read_text(encoding="utf-8"), encoding="utf-8")
    db = str(tmp_path / "e2e.db")
    ingested = evidence("ingest", pdf, text, "--db", db, "--jobs", "1", "--no-progress")
    assert ingested.exit_code == 0, ingested.output

    # the PDF: the value is highlighted where `evidence text` has it
    (mcr,) = _query_json(db, "--response", "major_clinical", "--time", "12mo")
    assert (mcr["study"], mcr["events"], mcr["total"]) == ("b01_ucmsc_refractory_sle", 13, 40)
    record = load_curated_record(open_engine(db), "b01_ucmsc_refractory_sle")
    item = next(r for r in record.responses if r.curation["id"] == mcr["item"])  # type: ignore[attr-defined]
    doc_text = evidence("text", pdf).stdout
    assert item.evidence is not None and item.evidence.span is not None
    assert "13" in doc_text[item.evidence.span[0] : item.evidence.span[1]]
    listed = runner.invoke(app, ["review", "b01", "--list", "--kind", "responses", "--db", db], env={"COLUMNS": "250"})
    assert listed.exit_code == 0 and mcr["item"] in listed.stdout

    # the text report: curate its placebo arm's complete response at week 52
    placebo = [r for r in _query_json(db, "--response", "complete", "--time", "52w") if r["arm_role"] == "placebo"]
    assert [r["study"] for r in placebo] == ["a01_voclosporin_rct"]
    item_id = placebo[0]["item"]
    for setting in ("n=40", "N=178", "definition=reviewer: UPCR <= 0.5 mg/mg, eGFR stable"):
        assert evidence("curate", "a01", item_id, "--set", setting, "--db", db).exit_code == 0

    def placebo_row() -> dict:
        (row,) = [r for r in _query_json(db, "--response", "complete", "--time", "52w") if r["arm_role"] == "placebo"]
        return row

    assert (placebo_row()["events"], placebo_row()["curation"]) == (40, "edited")
    # the report file changes (an erratum is appended): it is re-extracted, the curation stays
    text.write_text(text.read_text(encoding="utf-8") + "\n\nErratum: a typographical error in Table 3 was corrected.\n", encoding="utf-8")
    again = evidence("ingest", text, "--db", db, "--jobs", "1", "--no-progress")
    assert again.exit_code == 0, again.output
    assert "1 replaced" in again.stderr
    row = placebo_row()
    assert (row["events"], row["total"], row["curation"]) == (40, 178, "edited")
    assert row["definition"] == "reviewer: UPCR <= 0.5 mg/mg, eGFR stable"
    meta = runner.invoke(app, ["meta", "--db", db, "--response", "complete", "--time", "52w", "--compare", "--json"])
    assert meta.exit_code == 0, meta.output
    (trial,) = json.loads(meta.stdout)["studies"]
    assert (trial["study"], trial["events_c"], trial["total_c"]) == ("a01_voclosporin_rct", 40, 178)
