"""Arms listed after the randomisation verb: "randomised to either MMF alone, MMF plus DZB, or
placebo" (n unknown), "Sixty were allocated to high-dose, 58 to low-dose and 59 to placebo" (the
first size before the verb, the others in the items). Regexes: ``rules/regex/arms.jsonl``."""

from __future__ import annotations

from extractor.extract.arm_text import MAX_LABEL_WORDS, MAX_LIST_ARMS, Cand, clean_label, rx
from extractor.extract.context import Context
from extractor.extract.numbers import find_numbers, parse_number


def _split_top(text: str, rule: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` between separators outside parentheses."""
    depth, spans, pos = 0, [], 0
    seps = [m for m in rx(rule).finditer(text)]
    cuts = []
    for m in seps:
        depth = text[: m.start()].count("(") - text[: m.start()].count(")")
        if depth == 0:
            cuts.append(m)
    for m in cuts:
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def list_cands(ctx: Context, s) -> list[Cand]:  # type: ignore[no-untyped-def]
    """"randomised to either MMF alone, MMF plus DZB, or placebo" → three arms (n unknown)."""
    for start_m in rx("arms.list_start").finditer(s.text):
        rest = s.text[start_m.end() :]
        end_m = None
        depth = 0
        for m in rx("arms.list_end").finditer(rest):
            depth = rest[: m.start()].count("(") - rest[: m.start()].count(")")
            if depth == 0:
                end_m = m
                break
        body = rest[: end_m.start()] if end_m else rest
        tail = rx("arms.list_tail_item").match(rest[end_m.start() :]) if end_m else None
        if tail and end_m and rx("arms.label_trailing_schedule").search(" " + rest[end_m.start() :][: tail.start("item")]):
            at = end_m.start() + tail.start("item")  # "B 30 mg/kg followed by 10 mg/kg, or placebo,": placebo too
            body = f"{body}{' ' * (at - len(body) - 2)}, {tail['item']}"
        elif end_m and " or " not in body and (tail := rx("arms.list_tail_or").match(rest[end_m.start() :])):
            at = end_m.start() + tail.start("item")  # "C 150 mg every 4 weeks or placebo": placebo too
            body = f"{body}{' ' * (at - len(body) - 2)}, {tail['item']}"
        body = rx("arms.label_size_aside").sub(lambda m: " " * len(m.group(0)), body)  # "(20 per group)": no item
        rule = "arms.list_split" if any(d == 0 for d in _comma_depths(body)) else "arms.list_split_words"
        if rule == "arms.list_split_words" and len(_split_top(body, "arms.list_split_or")) == 2:
            rule = "arms.list_split_or"  # "belimumab and MMF or MMF alone": "and" joins agents of one arm
        pieces = _split_top(body, rule)
        if rule == "arms.list_split" and len(pieces) == 2:
            pieces = _split_top(body, "arms.list_split_words") if len(_split_top(body, "arms.list_split_words")) > 2 else pieces
        pieces = [p for a, b in pieces for p in _sized_items(body, a, b)]
        out: list[Cand] = []
        for a, b in pieces:
            raw = body[a:b]
            own = rx("arms.list_item_n").match(raw)
            n = _whole(own["n"]) if own else None
            item = raw[own.end() :] if own else raw
            size = rx("arms.list_item_size").search(item)  # "tacrolimus + MMF (n = 40)"
            if size and n is None:
                n, item = _whole(size["n"]), item[: size.start()]
            label = clean_label(item, strip_prefix=False, max_words=MAX_LABEL_WORDS + 2) or clean_label(
                rx("arms.paren_aside").sub("", item), strip_prefix=False, max_words=MAX_LABEL_WORDS + 2)  # "X (500 mg every ...)"
            if not label:
                out = []
                break
            off = s.start + start_m.end() + a
            out.append((label, n, off, off + len(raw), "arms.randomised_list"))
        if 2 <= len(out) <= MAX_LIST_ARMS:
            return _shared_agent(_lead_n(_drop_dose_asides(out), s.text[: start_m.start()]))
    return _paren_sizes(s)


def _paren_sizes(s) -> list[Cand]:  # type: ignore[no-untyped-def]
    """"448 patients were randomised (belimumab 223, placebo 225)": labelled sizes in parentheses
    after the verb, kept when they add up to a number written before them."""
    for m in rx("arms.paren_size_list").finditer(s.text):
        body, base = m["body"], s.start + m.start("body")
        items = [(a, b, rx("arms.paren_size_item").match(body[a:b]) or rx("arms.paren_size_item_n_first").match(body[a:b]))
                 for a, b in _split_top(body, "arms.paren_size_sep")]  # "(belimumab 223, placebo 225)", "(63 A, 62 B)"
        if not 2 <= len(items) <= MAX_LIST_ARMS or any(it is None for _, _, it in items):
            continue
        out = [(clean_label(it["label"]), int(it["n"]), base + a, base + b) for a, b, it in items if it]
        total = sum(c[1] for c in out)
        if any(c[0] is None for c in out) or not any(x.value == total for x in find_numbers(s.text[: m.start("body")])):
            continue
        return [(str(label), n, a, b, "arms.paren_size_list") for label, n, a, b in out]
    return []


def _drop_dose_asides(items: list[Cand]) -> list[Cand]:
    """"TRF-B (16 mg once daily, orally)" → "TRF-B": the dose aside is not the arm's name; kept
    when it is all that tells two arms apart ("drug (10 mg)" / "drug (20 mg)")."""
    bare = [rx("arms.paren_dose_aside").sub("", c[0]).strip() for c in items]
    if any(not b for b in bare) or len({b.lower() for b in bare}) < len(bare):
        return items
    return [(b, *c[1:]) for b, c in zip(bare, items)]


def _whole(text: str) -> int | None:
    v = parse_number(text)
    return int(v) if v is not None and v == int(v) and v > 0 else None


def _lead_n(items: list[Cand], before: str) -> list[Cand]:
    """"Forty patients were randomised to A and 41 to B": the first item's size precedes the verb."""
    if items[0][1] is not None or not all(c[1] is not None for c in items[1:]):
        return items
    m = rx("arms.list_lead_n").search(before)
    n = _whole(m["n"]) if m else None
    return [(items[0][0], n, *items[0][2:])] + items[1:] if n else items


def _comma_depths(text: str) -> list[int]:
    return [text[:i].count("(") - text[:i].count(")") for i, ch in enumerate(text) if ch == "," and not text[i + 1 : i + 4].isdigit()]


def _sized_items(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """A comma piece that holds more sized items joined by "and" ("58 to B and 59 to C") is split
    into them; other pieces stay whole ("MMF and steroids")."""
    subs = [(a + x, a + y) for x, y in _split_top(body[a:b], "arms.list_split_words")]
    if len(subs) > 1 and all(rx("arms.list_item_n").match(body[x:y]) for x, y in subs[1:]):
        return subs
    return [(a, b)]


def _shared_agent(items: list[Cand]) -> list[Cand]:
    """"low-dose or high-dose intravenous cyclophosphamide": the agent written once, after the
    last dose word, belongs to the bare dose words before it too."""
    last = rx("arms.dose_word_lead").match(items[-1][0])
    if not last:
        return _shared_agent_of_amounts(items)
    return [(f"{c[0]} {last['rest']}" if rx("arms.dose_word_only").match(c[0]) else c[0], *c[1:]) for c in items]


def _shared_agent_of_amounts(items: list[Cand]) -> list[Cand]:
    """"either 2,000 IU or 4,000 IU of oral vitamin D3 daily": bare amounts before the last item
    take the agent written after the last amount."""
    last = rx("arms.dose_then_agent").match(items[-1][0])
    if not last or not any(rx("arms.dose_only").match(c[0]) for c in items[:-1]):
        return items
    return [(f"{c[0]} {last['rest']}" if rx("arms.dose_only").match(c[0]) else c[0], *c[1:]) for c in items]
