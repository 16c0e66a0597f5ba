"""One item per figure: abstract, results and tables often repeat a response rate (see
:func:`dedupe_figures`); a figure whose time point was guessed gives way to the same figure
stated with its own time point (:func:`drop_guessed`)."""

from __future__ import annotations

from extractor.records import Response

ROUNDING_SLACK = 0.5  # percentage points between "43%" and "42.9%"


def dedupe_figures(items: list[Response]) -> list[Response]:
    """Items de-duplicated by (n, N) or percent, then by (n, percent)."""
    return _dedupe(_dedupe(items, _n_N), _n_pct)


def _n_N(r: Response) -> object:
    return ("n", r.n, r.N) if r.n is not None and r.N else (round(r.percent, 1) if r.percent is not None else ("n", r.n, r.N))


def _n_pct(r: Response) -> object:
    return ("n%", r.n, round(r.percent, 1)) if r.n is not None and r.percent is not None else _n_N(r)


def _dedupe(items: list[Response], figure) -> list[Response]:  # type: ignore[no-untyped-def]
    """Abstract, results and tables often repeat a figure: one item per (type, name, arm, time,
    figure), keeping the one that states n, then the one whose percent is printed most exactly
    (table "67 (29.9)" over prose "67 patients (30%)"; "104 (46.6)" of 223 over 104 of 224)."""
    best: dict[tuple[object, ...], int] = {}
    out: list[Response | None] = []
    for r in items:
        key = (r.type, getattr(r, "name", None), r.arm, r.time.value if r.time else None, r.time.unit if r.time else None, figure(r))
        if key in best:
            kept = out[best[key]]
            if kept is not None and (kept.n is None and r.n is not None or _exactness(r) < _exactness(kept)):
                out[best[key]] = r
            continue
        best[key] = len(out)
        out.append(r)
    kept = [r for r in out if r is not None]
    return [r for r in kept if r.n is not None or not any(_same_figure(r, o) for o in kept if o.n is not None)]


def drop_guessed(items: list[Response], guessed: set[int]) -> list[Response]:
    """A figure whose time point was guessed (carried from an earlier sentence, or none) is dropped
    when the same figure is stated elsewhere with a time point of its own."""
    def same(a: Response, b: Response) -> bool:
        return (a.type, getattr(a, "name", None), a.arm, a.n, a.N) == (b.type, getattr(b, "name", None), b.arm, b.n, b.N)
    return [r for r in items if not ((id(r) in guessed or r.time is None) and r.n is not None and any(
        o is not r and id(o) not in guessed and o.time is not None and same(r, o) for o in items))]


def _exactness(r: Response) -> float:
    """Distance between the printed percent and n/N (0 when exact)."""
    if r.n is None or not r.N or r.percent is None:
        return 100.0
    return abs(100.0 * r.n / r.N - r.percent)


def _same_figure(rounded: Response, exact: Response) -> bool:
    """Is ``rounded`` (a percent without n) the figure of ``exact`` printed with fewer decimals
    ("43%" in the abstract, "96 (42.9)" in the table)?"""
    if (rounded.type, getattr(rounded, "name", None), rounded.arm, rounded.time) != (
            exact.type, getattr(exact, "name", None), exact.arm, exact.time):
        return False
    if rounded.percent is None or exact.percent is None:
        return False
    slack = ROUNDING_SLACK if rounded.percent == int(rounded.percent) else ROUNDING_SLACK / 10
    return abs(rounded.percent - exact.percent) <= slack

