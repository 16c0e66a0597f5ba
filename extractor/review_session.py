"""Reviewing extracted items: rich renderables (item card, curated study view) and the interactive loop.

``evidence review STUDY`` shows each item of a study with its source sentence, the value
highlighted in it (``evidence.span`` holds the value's document offsets, ``evidence.start`` the
sentence's), and asks a / e / r / s / q: accept, edit a field, reject, skip, quit. Every
answer is a curation (``store/curation.py``), so it is applied everywhere and survives
re-ingestion. The prompt function is passed in (``typer.prompt`` in the CLI), so the loop is
plain code a test can drive.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text
from rich.theme import Theme
from sqlalchemy import Engine

from extractor.display import KIND_TITLES, StudyView, describe_item
from extractor.records import EvidenceRecord
from extractor.store.curation import CuratedItem, CurationError, add_curation, consistency_notes, curated_items, get_path, parse_value  # fmt: skip

REVIEW_THEME = Theme(
    {
        "evidence.value": "bold reverse",
        "curation.extracted": "dim",
        "curation.accepted": "green",
        "curation.edited": "cyan",
        "curation.rejected": "red strike",
    }
)
ACTIONS = {"a": "accept", "e": "edit", "r": "reject", "s": "skip", "q": "quit"}
PROMPT = "[a]ccept [e]dit [r]eject [s]kip [q]uit"

Ask = Callable[[str, Sequence[str] | None, str | None], str]
"""ask(question, choices or None, default) -> answer; raises EOFError/KeyboardInterrupt to stop."""


class _Themed:
    """Renders with REVIEW_THEME pushed, so any console (e.g. ``display.make_console``) can print it."""

    def _render(self, console: Console, options: ConsoleOptions) -> RenderResult:
        raise NotImplementedError

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        console.push_theme(REVIEW_THEME)
        try:
            yield from self._render(console, options)
        finally:
            console.pop_theme()


def highlighted_source(item: dict[str, Any]) -> Text:
    """The item's sentence with its value highlighted (``evidence.value``), page, section and rule."""
    evidence = item.get("evidence")
    if not evidence:
        return Text("no source recorded", style="evidence.missing")
    sentence = str(evidence.get("text") or "")
    text = Text()
    where = ", ".join(str(p) for p in (f"p.{evidence['page']}" if evidence.get("page") else None, evidence.get("section")) if p)
    if where:
        text.append(where + "  ", style="evidence.rule")
    body = Text(sentence, style="evidence.source")
    span, start = evidence.get("span"), evidence.get("start")
    if span and start is not None:
        low, high = span[0] - start, span[1] - start
        if 0 <= low < high <= len(sentence):
            body.stylize("evidence.value", low, high)
    text.append_text(body)
    text.append(f"  [{evidence.get('rule')}]", style="evidence.rule")
    return text


def _value(kind: str, cur: CuratedItem) -> Text:
    text = Text(describe_item(kind, cur.item))
    if cur.edited_fields:
        was = "; ".join(f"{f}: {json.dumps(get_path(cur.original, f))} → {json.dumps(get_path(cur.item, f))}" for f in cur.edited_fields)
        text.append(f"\nedited ({was})", style="curation.edited")
    if cur.item.get("repaired"):
        text.append(f"\nrepaired: {cur.item['repaired']}", style="evidence.repaired")
    return text


def _status(cur: CuratedItem) -> Text:
    text = Text(cur.status, style=f"curation.{cur.status}")
    last = cur.curations[-1] if cur.curations else None
    if last is not None and last.curator:
        text.append(f"\n{last.curator}", style="evidence.rule")
    return text


class ItemCard(_Themed):
    """One item under review: id, status, value (edits shown), fields and the highlighted source."""

    def __init__(self, cur: CuratedItem, position: str = "") -> None:
        self.cur, self.position = cur, position

    def _render(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cur = self.cur
        title = f"{cur.doc_id} · {cur.ref}" + (f" · {self.position}" if self.position else "")
        table = Table(title=title, title_justify="left", title_style="evidence.heading", show_header=False, expand=True)
        table.add_column("", style="evidence.heading", no_wrap=True)
        table.add_column("", ratio=1, overflow="fold")
        table.add_row("status", _status(cur))
        value = _value(cur.kind, cur)
        for note in consistency_notes(cur.kind, cur.item):
            value.append(f"\nwarning: {note}", style="evidence.low_confidence")
        table.add_row("value", value)
        fields = {k: v for k, v in cur.item.items() if k not in ("evidence", "curation") and v is not None}
        table.add_row("fields", Text(", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())))
        table.add_row("source", highlighted_source(cur.item))
        table.add_row("key", Text(cur.item_key, style="evidence.rule"))
        yield table


class ReviewList(_Themed):
    """Every item of one study, by kind, with id, status and highlighted source (``review --list``)."""

    def __init__(self, doc_id: str, items: dict[str, list[CuratedItem]]) -> None:
        self.doc_id, self.items = doc_id, items

    def _render(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts: list[Any] = [Text(self.doc_id, style="evidence.study")]
        for kind, title in KIND_TITLES.items():
            items = self.items.get(kind) or []
            if not items:
                continue
            table = Table(title=f"{title} ({len(items)})", title_justify="left", title_style="evidence.heading")
            table.add_column("Item", no_wrap=True)
            table.add_column("Status")
            table.add_column("Value", ratio=2, overflow="fold")
            table.add_column("Source", ratio=3, overflow="fold")
            for cur in items:
                table.add_row(cur.ref, _status(cur), _value(kind, cur), highlighted_source(cur.item))
            parts.append(table)
        if len(parts) == 1:
            parts.append(Text("no evidence items extracted", style="evidence.missing"))
        yield Group(*parts)


class CuratedStudyView(_Themed, StudyView):
    """``evidence show`` over a curated record: the item id (``responses:3``) and status per row."""

    def __init__(self, record: EvidenceRecord) -> None:
        StudyView.__init__(self, record)

    def _render(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from StudyView.__rich_console__(self, console, options)

    def _kind_table(self, kind: str, items: list[dict[str, Any]]) -> Table:
        table = Table(title=f"{KIND_TITLES[kind]} ({len(items)})", title_justify="left", title_style="evidence.heading")
        table.add_column("Item", no_wrap=True)
        table.add_column("Status")
        table.add_column("Value", ratio=2, overflow="fold")
        table.add_column("Source", ratio=3, overflow="fold")
        for i, item in enumerate(items, 1):
            curation = item.get("curation") or {}
            status = str(curation.get("status") or "extracted")
            value = Text(describe_item(kind, item))
            if item.get("repaired"):
                value.append(f"\nrepaired: {item['repaired']}", style="evidence.repaired")
            table.add_row(str(curation.get("id") or f"{kind}:{i}"), Text(status, style=f"curation.{status}"), value,
                          highlighted_source(item))  # fmt: skip
        return table


# --------------------------------------------------------------------------------------
# the interactive loop
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class ReviewSummary:
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    skipped: int = 0
    seen: int = 0
    quit: bool = False
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"reviewed {self.seen} items: {self.accepted} accepted, {self.edited} edited, "
                f"{self.rejected} rejected, {self.skipped} skipped")  # fmt: skip


def items_to_review(engine: Engine, doc_id: str, *, kinds: Sequence[str] | None = None, all_items: bool = False) -> list[CuratedItem]:
    """Items of a study in display order; only those still ``extracted`` unless ``all_items``."""
    by_kind = curated_items(engine, doc_id)
    out = []
    for kind in KIND_TITLES:
        if kinds and kind not in kinds:
            continue
        out += [c for c in by_kind.get(kind, []) if all_items or c.status == "extracted"]
    return out


def _edit(engine: Engine, cur: CuratedItem, ask: Ask, console: Console, curator: str | None) -> bool:
    fields = [k for k in cur.item if k not in ("evidence", "curation", "optional")]
    name = ask(f"field ({', '.join(fields)})", None, None).strip()
    if not name:
        return False
    current = get_path(cur.item, name)
    raw = ask(f"new value for {name} (JSON; now {json.dumps(current)})", None, None)
    try:
        add_curation(engine, cur.doc_id, f"{cur.kind}:{cur.item_key}", "edit", edits=[(name, parse_value(raw))], curator=curator)
    except CurationError as exc:
        console.print(Text(f"not saved: {exc}", style="evidence.error"))
        return False
    return True


def review_items(
    engine: Engine,
    doc_id: str,
    console: Console,
    ask: Ask,
    *,
    curator: str | None = None,
    kinds: Sequence[str] | None = None,
    all_items: bool = False,
    summary: ReviewSummary | None = None,
) -> ReviewSummary:
    """Walk a study's items, asking a/e/r/s/q for each; every answer but skip/quit is stored."""
    summary = summary or ReviewSummary()
    todo = items_to_review(engine, doc_id, kinds=kinds, all_items=all_items)
    if not todo:
        console.print(Text(f"{doc_id}: nothing to review", style="evidence.missing"))
    for number, cur in enumerate(todo, 1):
        edited = False
        while True:
            fresh = next(c for c in curated_items(engine, doc_id)[cur.kind] if c.item_key == cur.item_key)
            console.print(ItemCard(fresh, f"{number}/{len(todo)}"))
            try:
                answer = ACTIONS[ask(PROMPT, list(ACTIONS), "s")]
            except (EOFError, KeyboardInterrupt):
                answer = "quit"
            if answer == "edit":
                try:
                    edited = _edit(engine, fresh, ask, console, curator) or edited
                except (EOFError, KeyboardInterrupt):
                    answer = "quit"
                else:
                    continue  # show the item again: more edits, accept, reject or skip
            break
        summary.seen += 1
        summary.edited += int(edited)
        if answer == "quit":
            summary.quit = True
            summary.seen -= 1 if not edited else 0
            break
        if answer in ("accept", "reject"):
            add_curation(engine, doc_id, f"{cur.kind}:{cur.item_key}", answer, curator=curator)
            summary.accepted += answer == "accept"
            summary.rejected += answer == "reject"
        elif not edited:
            summary.skipped += 1
    return summary
