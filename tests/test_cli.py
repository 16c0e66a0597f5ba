"""The real `evidence` CLI (typer's CliRunner, and a subprocess where the process matters)
against a tmp-path SQLite file; rows are read back with SQLModel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from typer.testing import CliRunner

from extractor.cli import app
from extractor.ingest.load import load
from extractor.records import Evidence, EvidenceRecord
from extractor.store.db import open_engine, save_record
from extractor.store.models import DOCUMENT_TABLES, DocumentRow, ErrorRow

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PDF = CORPUS / "a01_voclosporin_rct.pdf"
REPORTS = [CORPUS / "src" / "a01_voclosporin_rct.md", CORPUS / "src" / "b04_iga_methylpred.md"]
TRUNCATED = ROOT / "tests" / "fixtures" / "ingest" / "truncated.pdf"
SCHEMA = json.loads((ROOT / "docs" / "evidence.schema.json").read_text())

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    lib = tmp_path / "reports"
    lib.mkdir()
    for report in REPORTS:
        shutil.copy(report, lib / report.name)
    shutil.copy(TRUNCATED, lib / "broken.pdf")
    return lib


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "evidence.db")


def _counts(db: str) -> dict[str, int]:
    with Session(open_engine(db)) as session:
        out = {t.__tablename__: session.exec(select(func.count()).select_from(t)).one() for t in DOCUMENT_TABLES}
        out["documents"] = session.exec(select(func.count()).select_from(DocumentRow)).one()
        return out


def _one_line_error(stderr: str, name: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert "Traceback" not in stderr
    [line] = [line for line in lines if name in line]
    return line


def test_ingest_stores_good_files_records_the_corrupt_one_and_exits_1(folder: Path, db: str) -> None:
    result = invoke("ingest", folder, "--db", db, "--jobs", "1")
    assert result.exit_code == 1
    line = _one_line_error(result.stderr, "broken.pdf")
    assert str(folder / "broken.pdf") in line and "corrupt" in line.lower()
    with Session(open_engine(db)) as session:
        assert sorted(session.exec(select(DocumentRow.doc_id)).all()) == ["a01_voclosporin_rct", "b04_iga_methylpred"]
        [error] = session.exec(select(ErrorRow)).all()
    assert error.path == str(folder / "broken.pdf") and "\n" not in error.reason


def test_ingest_twice_leaves_the_same_rows_and_exits_0_without_failures(folder: Path, db: str) -> None:
    (folder / "broken.pdf").unlink()
    assert invoke("ingest", folder, "--db", db).exit_code == 0
    before = _counts(db)
    again = invoke("ingest", folder, "--db", db)
    assert again.exit_code == 0 and "2 skipped" in again.stderr
    assert _counts(db) == before and before["documents"] == 2


def test_ingest_reports_a_missing_path_and_exits_1(tmp_path: Path, db: str) -> None:
    result = invoke("ingest", tmp_path / "nope.pdf", "--db", db)
    assert result.exit_code == 1
    assert "no such file or directory" in _one_line_error(result.stderr, "nope.pdf")


def test_run_prints_the_studies_table_and_errors_lists_the_failure(folder: Path, db: str) -> None:
    result = invoke("run", folder, "--db", db, "--jobs", "1")
    assert result.exit_code == 1  # broken.pdf
    assert "2 studies" in result.stdout
    assert "a01_voclosporin_rct" in result.stdout and "b04_iga_methylpred" in result.stdout
    errors = invoke("errors", "--db", db)
    assert errors.exit_code == 0 and "broken.pdf" in errors.stdout and "1 error" in errors.stdout


def test_studies_on_an_empty_database(db: str) -> None:
    result = invoke("studies", "--db", db)
    assert result.exit_code == 0 and "0 studies" in result.stdout


def _stored_record(db: str) -> EvidenceRecord:
    """The gold record of a01, its first response given evidence at a real line of the PDF text."""
    [document] = load(PDF)
    record = EvidenceRecord.model_validate(json.loads((CORPUS / "gold" / "a01_voclosporin_rct.json").read_text()))
    page = document.pages[1]
    end = document.text.index("\n", page.start)
    evidence = Evidence(page=2, start=page.start, end=end, text=document.text[page.start : end], rule="test.rule_id")
    record.responses[0].evidence = evidence
    save_record(open_engine(db), document, record)
    return record


def test_show_prints_every_item_with_its_source_sentence(db: str) -> None:
    record = _stored_record(db)
    result = runner.invoke(app, ["show", "a01", "--db", db], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for kind, title in (("arms", "Arms"), ("interventions", "Interventions"), ("responses", "Responses")):
        assert f"{title} ({len(getattr(record, kind))})" in out
    evidence = record.responses[0].evidence
    [line] = [line for line in out.splitlines() if evidence.text in line]
    assert "p.2" in line and "[test.rule_id]" in line
    assert record.responses[0].type in line  # the value and its source sentence on one row
    assert out.count("no source recorded") == sum(len(getattr(record, k) or []) for k in ("arms", "ln_classes",
        "interventions", "outcomes", "responses", "adverse_events")) + (record.cohort is not None) - 1  # fmt: skip


def test_show_unknown_or_ambiguous_study_is_one_line_exit_1(db: str) -> None:
    _stored_record(db)
    missing = invoke("show", "zzz", "--db", db)
    assert missing.exit_code == 1 and missing.stderr.strip() == "error: no study 'zzz' in the database"
    assert invoke("show", "a01_voclosporin_rct", "--db", db).exit_code == 0


def test_extract_json_validates_against_the_schema() -> None:
    result = invoke("extract", PDF, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict) and data["document"]["id"] == "a01_voclosporin_rct"
    jsonschema.validate(data, SCHEMA)
    assert EvidenceRecord.model_validate(data).to_json_dict() == data


def test_extract_several_files_gives_an_array_or_json_lines() -> None:
    array = invoke("extract", *REPORTS, "--format", "json")
    assert array.exit_code == 0
    data = json.loads(array.stdout)
    assert [d["document"]["id"] for d in data] == ["a01_voclosporin_rct", "b04_iga_methylpred"]
    lines = invoke("extract", *REPORTS, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == data
    for item in data:
        jsonschema.validate(item, SCHEMA)


def test_extract_table_and_a_missing_file(tmp_path: Path) -> None:
    result = invoke("extract", REPORTS[0], tmp_path / "absent.md", "--format", "table")
    assert result.exit_code == 1
    assert "a01_voclosporin_rct" in result.stdout
    assert "absent.md" in _one_line_error(result.stderr, "absent.md")


def test_text_prints_the_document_text_or_one_page() -> None:
    [document] = load(PDF)
    whole = invoke("text", PDF)
    assert whole.exit_code == 0 and whole.stdout == document.text + "\n"
    page = document.pages[1]
    second = invoke("text", PDF, "--page", "2")
    assert second.exit_code == 0 and second.stdout == document.text[page.start : page.end] + "\n"
    assert second.stdout != invoke("text", PDF, "--page", "1").stdout
    beyond = invoke("text", PDF, "--page", "99")
    assert beyond.exit_code == 1 and "no page 99" in _one_line_error(beyond.stderr, PDF.name)


def test_text_of_a_corrupt_file_is_one_line_exit_1() -> None:
    result = invoke("text", TRUNCATED)
    assert result.exit_code == 1
    assert str(TRUNCATED) in _one_line_error(result.stderr, "truncated.pdf")


@pytest.mark.parametrize(
    "args",
    [
        ["ingest"],
        ["ingest", "x", "--jobs", "-1"],
        ["extract", "x", "--format", "xml"],
        ["text", "x", "--page", "0"],
        ["studies", "--jobs", "2"],
        ["nonsense"],
    ],
)
def test_wrong_arguments_are_usage_errors_exit_2(args: list[str]) -> None:
    assert invoke(*args).exit_code == 2


def test_a_bad_database_url_is_one_line_exit_1(tmp_path: Path) -> None:
    result = invoke("studies", "--db", str(tmp_path / "no" / "such" / "dir.db"))
    assert result.exit_code == 1 and "does not exist" in _one_line_error(result.stderr, "dir.db")


def test_db_comes_from_the_environment(folder: Path, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_DB", db)
    (folder / "broken.pdf").unlink()
    assert invoke("ingest", folder).exit_code == 0
    assert _counts(db)["documents"] == 2


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
        cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_rules_check_passes_on_the_rules_and_fails_on_a_bad_rule_file(tmp_path: Path) -> None:
    good = _cli("rules", "check")
    assert good.returncode == 0 and "entries" in good.stdout
    bad = tmp_path / "rules"
    (bad / "regex").mkdir(parents=True)
    (bad / "regex" / "numbers.jsonl").write_text('{"id": "a", "regex": "x"}\n{"id": "a", "regex": "y"}\n')
    result = _cli("rules", "check", env={"EVIDENCE_RULES": str(bad)})
    assert result.returncode == 1
    assert result.stderr.strip() == "error: numbers.jsonl:2: duplicate id 'a'"


def test_the_app_help_documents_exit_codes() -> None:
    result = _cli("--help")
    assert result.returncode == 0
    assert "Exit codes: 0 ok; 1 some files failed" in " ".join(result.stdout.split())
