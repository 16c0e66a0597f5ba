"""Every CLI command is documented: in README.md, and with an Example: in its docstring."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

from extractor.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Leaf commands by their full name ("rules check"); typer vendors click, so duck-typed."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            found.update(_commands(command, f"{full} "))
        else:
            found[full] = command
    return found


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_the_expected_commands_exist() -> None:
    expected = {"ingest", "run", "extract", "text", "studies", "show", "errors", "rules check", "schema"}
    assert expected <= set(COMMANDS)


def test_every_command_is_in_the_readme() -> None:
    missing = [name for name in COMMANDS if f"evidence {name}" not in README]
    assert not missing, f"add to README.md '## Commands': {missing}"


def test_every_command_has_an_example_that_runs_itself() -> None:
    problems = []
    for name, command in COMMANDS.items():
        match = re.search(r"Example: (.+)", command.help or "")
        if not match:
            problems.append(f"{name}: no 'Example:' in its docstring")
        elif not match.group(1).startswith(f"evidence {name}"):
            problems.append(f"{name}: example does not run this command: {match.group(1)}")
    assert not problems, "\n".join(problems)


def test_every_option_has_help() -> None:
    bare = [
        f"{name} {param.name}"
        for name, command in COMMANDS.items()
        for param in command.params
        if param.param_type_name == "option" and not param.help
    ]
    assert not bare
