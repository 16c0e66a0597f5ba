"""Rich renderables for stored evidence: the studies table, one study, the errors table.

Display is kept apart from data: each class wraps plain data (store summaries, an
EvidenceRecord, error rows) and renders itself through ``__rich_console__``. Styles are semantic
names (``evidence.rule``...) defined once in :data:`THEME`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

from extractor.records import EvidenceRecord
from extractor.store.models import ErrorRow
from extractor.store.read import StudySummary

THEME = Theme(
    {
        "evidence.heading": "bold",
        "evidence.study": "bold cyan",
        "evidence.rule": "dim",
        "evidence.source": "italic",
        "evidence.missing": "dim",
        "evidence.repaired": "magenta",
        "evidence.low_confidence": "yellow",
        "evidence.check.ok": "green",
        "evidence.check.mismatch": "bold red",
        "evidence.check.repaired": "magenta",
        "evidence.check.warning": "yellow",
        "evidence.error": "red",
    }
)

KIND_TITLES = {
    "arms": "Arms",
    "cohort": "Cohort",
    "ln_classes": "LN classes",
    "interventions": "Interventions",
    "outcomes": "Outcomes",
    "responses": "Responses",
    "adverse_events": "Adverse events",
}


def make_console(file: IO[str] | None = None, *, stderr: bool = False, width: int | None = None) -> Console:
    """A console with the evidence theme (tests: ``file=StringIO(), width=100``)."""
    return Console(file=file, stderr=stderr, width=width, theme=THEME, color_system=None if file else "auto")


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _join(parts: Iterable[Any], sep: str = " ") -> str:
    return sep.join(str(p) for p in parts if p not in (None, ""))


def _time(time: dict[str, Any] | None) -> str:
    if not time:
        return ""
    if time.get("label"):
        return str(time["label"])
    unit = time.get("unit") or ""
    return f"{_num(time.get('value'))} {unit}{'s' if time.get('value') != 1 else ''}"


def _range(low: Any, high: Any) -> str:
    return f"{_num(low)}–{_num(high)}" if high is not None else _num(low)


def _stat(stat: dict[str, Any] | None) -> str:
    if not stat:
        return ""
    value = _num(stat.get("value")) if stat.get("value") is not None else _range(stat.get("low"), stat.get("high"))
    return _join([stat.get("stat"), value, stat.get("unit")])


def _spread(spread: dict[str, Any] | None) -> str:
    if not spread:
        return ""
    if spread.get("value") is not None:
        return f"({spread['kind']} {_num(spread['value'])})"
    return f"({spread['kind']} {_range(spread.get('low'), spread.get('high'))})"


def _arm(item: dict[str, Any]) -> str:
    return f"[{item['arm']}]" if item.get("arm") else ""


def describe_item(kind: str, item: dict[str, Any]) -> str:
    """One line saying what an item states, e.g. ``complete [A1] at 6 months: 3/9 (33.3%)``."""
    if kind == "arms":
        return _join([item.get("id"), item.get("label"), f"n={item['n']}" if item.get("n") is not None else None, item.get("role")])
    if kind == "cohort":
        sex = _join(
            [f"{_num(item[k])} {k}" for k in ("female", "male") if item.get(k) is not None], ", "
        )
        age = f"age {_stat(item.get('age'))}" if item.get("age") else ""
        duration = f"disease duration {_stat(item.get('disease_duration'))}" if item.get("disease_duration") else ""
        return _join([f"n={_num(item.get('n'))}" if item.get("n") is not None else "", sex, age, duration], "; ")
    if kind == "ln_classes":
        count = f"n={_num(item['n'])}" if item.get("n") is not None else ""
        percent = f"({_num(item['percent'])}%)" if item.get("percent") is not None else ""
        return _join([f"class {item.get('class')}", item.get("activity"), _arm(item), count, percent])
    if kind == "interventions":
        dose = _join([_range(item.get("amount"), item.get("amount_high")), item.get("unit")])
        if dose and item.get("per"):
            dose += f"/{item['per']}"
        doses = f"× {item['doses']}" if item.get("doses") else ""
        return _join([item.get("role"), _arm(item), item.get("agent"), dose, item.get("route"), item.get("schedule"), doses])
    if kind == "outcomes":
        at = f"at {_time(item.get('time'))}" if item.get("time") else ""
        count = f"n={item['n']}" if item.get("n") is not None else ""
        value = _join([item.get("stat"), _num(item.get("value")), item.get("unit"), _spread(item.get("spread"))])
        return _join([item.get("measure"), _arm(item), at, value, count])
    if kind == "responses":
        at = f"at {_time(item.get('time'))}" if item.get("time") else ""
        count = f"{_num(item.get('n'))}/{_num(item.get('N'))}" if item.get("n") is not None else ""
        percent = f"({_num(item['percent'])}%)" if item.get("percent") is not None else ""
        return _join([item.get("type"), _arm(item), at, count, percent])
    if kind == "adverse_events":
        count = f"n={item['n']}" if item.get("n") is not None else ""
        percent = f"({_num(item['percent'])}%)" if item.get("percent") is not None else ""
        return _join([item.get("term"), _arm(item), count, percent, "serious" if item.get("serious") else ""])
    return _join(f"{k}={v}" for k, v in item.items() if k != "evidence" and v is not None)


def _source(item: dict[str, Any]) -> Text:
    evidence = item.get("evidence")
    if not evidence:
        return Text("no source recorded", style="evidence.missing")
    text = Text()
    if evidence.get("page") is not None:
        text.append(f"p.{evidence['page']} ", style="evidence.rule")
    text.append(" ".join(str(evidence.get("text", "")).split()), style="evidence.source")
    text.append(f"  [{evidence.get('rule')}]", style="evidence.rule")
    return text


WIDE_TERMINAL = 100  # columns from which the studies table also lists the study agents
DESIGN_SHORT = {"randomised": "RCT", "non-randomised-controlled": "controlled"}  # the rest read well as they are


class StudiesTable:
    """``evidence studies``: one row per stored study."""

    def __init__(self, studies: Sequence[StudySummary]) -> None:
        self.studies = studies

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table(title=_plural(len(self.studies), "study", "studies"), title_style="evidence.heading", expand=False)
        wide = options.max_width >= WIDE_TERMINAL  # a narrow terminal leaves the agents to `show`
        table.add_column("Study", no_wrap=True)
        table.add_column("Design")
        table.add_column("N", justify="right", no_wrap=True)
        for header in ("Arms", "LN classes", *(("Interventions",) if wide else ()), "Follow-up"):
            table.add_column(header, overflow="fold")
        for study in self.studies:
            design = _join([DESIGN_SHORT.get(study.design or "", study.design), f"phase {study.phase}" if study.phase else None], ", ")
            agents = ("\n".join(study.agents),) if wide else ()
            table.add_row(
                Text(study.doc_id, style="evidence.study"),
                design,
                _num(study.n),
                "\n".join(study.arms),
                ", ".join(study.ln_classes),
                *agents,
                study.follow_up or "",
            )
        yield table


class StudyView:
    """``evidence show``: every item of one record grouped by kind, each with its source sentence."""

    def __init__(self, record: EvidenceRecord) -> None:
        self.record = record

    def _header(self, data: dict[str, Any]) -> Text:
        doc, design = data["document"], data["design"]
        text = Text(doc["id"], style="evidence.study")
        if doc.get("title"):
            text.append(f"  {doc['title']}")
        facts = _join(
            [
                doc.get("year"),
                design.get("type"),
                f"phase {design['phase']}" if design.get("phase") else None,
                design.get("blinding"),
                f"follow-up {_time(design['follow_up'])}" if design.get("follow_up") else None,
                f"{doc['pages']} pages" if doc.get("pages") else None,
                ", ".join(doc.get("registry_ids") or []),
                f"PMID {doc['pmid']}" if doc.get("pmid") else None,
                f"doi {doc['doi']}" if doc.get("doi") else None,
                doc.get("path"),
            ],
            " · ",
        )
        text.append(f"\n{facts}", style="evidence.rule")
        return text

    def _kind_table(self, kind: str, items: list[dict[str, Any]]) -> Table:
        table = Table(title=f"{KIND_TITLES[kind]} ({len(items)})", title_justify="left", title_style="evidence.heading")
        table.add_column("#", justify="right")
        table.add_column("Value", ratio=2, overflow="fold")
        table.add_column("Source", ratio=3, overflow="fold")
        for i, item in enumerate(items, 1):
            value = Text(describe_item(kind, item))
            if item.get("repaired"):
                value.append(f"\nrepaired: {item['repaired']}", style="evidence.repaired")
            table.add_row(str(i), value, _source(item))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        data = self.record.to_json_dict()
        parts: list[Any] = [self._header(data)]
        for kind in KIND_TITLES:
            value = data.get(kind)
            items = [value] if isinstance(value, dict) else list(value or [])
            if items:
                parts.append(self._kind_table(kind, items))
        if data["checks"]:
            checks = Table(title=f"Checks ({len(data['checks'])})", title_justify="left", title_style="evidence.heading")
            checks.add_column("Check")
            checks.add_column("Status")
            checks.add_column("Detail", overflow="fold")
            for check in data["checks"]:
                checks.add_row(check["check"], Text(check["status"], style=f"evidence.check.{check['status']}"), check["detail"])
            parts.append(checks)
        for warning in data.get("warnings") or []:
            parts.append(Text(f"warning: {warning}", style="evidence.low_confidence"))
        if len(parts) == 1:
            parts.append(Text("no evidence items extracted", style="evidence.missing"))
        yield Group(*parts)


class ErrorsTable:
    """``evidence errors``: the files that failed, with their one-line reasons."""

    def __init__(self, errors: Sequence[ErrorRow]) -> None:
        self.errors = errors

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.errors:
            yield Text("no errors", style="evidence.missing")
            return
        table = Table(title=_plural(len(self.errors), "error", "errors"), title_style="evidence.heading")
        table.add_column("Run", justify="right")
        table.add_column("When")
        table.add_column("File", overflow="fold")
        table.add_column("Reason", style="evidence.error", overflow="fold")
        for error in self.errors:
            table.add_row(_num(error.run_id), error.at.strftime("%Y-%m-%d %H:%M:%S"), error.path, error.reason)
        yield table
