"""docs/evidence.schema.json is generated from EvidenceRecord and must be current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from extractor.cli import app, render_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "docs" / "evidence.schema.json"
GOLD = sorted((ROOT / "corpus" / "gold").glob("*.json"))


def test_schema_file_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), "run: evidence schema"


def test_schema_command_writes_the_same_file(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = CliRunner().invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == SCHEMA_PATH.read_text(encoding="utf-8")
    printed = CliRunner().invoke(app, ["schema", "--out", "-"])
    assert json.loads(printed.stdout) == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_schema_is_valid_and_rejects_non_canonical_values() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {"document": {"id": "x"}, "responses": [{"type": "complete", "n": 3, "N": 9}]}
    jsonschema.validate(good, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"document": {"id": "x"}, "responses": [{"type": "cured"}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"design": {}}, schema)  # document is required


@pytest.mark.parametrize("gold", GOLD, ids=[g.stem for g in GOLD])
def test_gold_files_follow_the_schema(gold: Path) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(gold.read_text(encoding="utf-8")), schema)
