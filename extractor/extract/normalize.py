"""Map free text onto canonical ids with rapidfuzz (DOMAIN §3.2 hazards respected).

Short tokens (≤ ``SHORT_TOKEN_LEN`` characters after processing, e.g. C3/C4, CR/Cr, IV/V) only
match exactly (case-sensitively); longer strings use ``token_set_ratio`` with an explicit
``default_process`` processor and a ``score_cutoff``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz, process, utils

DEFAULT_CUTOFF = 88.0
SHORT_TOKEN_LEN = 4


def normalize_key(s: str) -> str:
    """Lower-case, alphanumerics and single spaces (``utils.default_process``)."""
    return utils.default_process(s)


def best_match(query: str, choices: Mapping[str, str], cutoff: float = DEFAULT_CUTOFF) -> tuple[str, float] | None:
    """``choices`` maps surface form → canonical id. Returns (canonical, score) or None."""
    if not query or not choices:
        return None
    q = query.strip()
    for surface, canonical in choices.items():
        if surface == q:
            return canonical, 100.0
    key = normalize_key(q)
    if len(key) <= SHORT_TOKEN_LEN:
        return None  # short tokens: exact (case-sensitive) only
    long_choices = {s: c for s, c in choices.items() if len(normalize_key(s)) > SHORT_TOKEN_LEN}
    for surface, canonical in long_choices.items():
        if normalize_key(surface) == key:
            return canonical, 100.0
    hit = process.extractOne(
        q, list(long_choices), scorer=fuzz.token_set_ratio, processor=utils.default_process, score_cutoff=cutoff
    )
    if hit is None:
        return None
    return long_choices[hit[0]], float(hit[1])


def normalize(query: str, choices: Mapping[str, str], cutoff: float = DEFAULT_CUTOFF) -> str | None:
    """Canonical id for ``query`` or None."""
    hit = best_match(query, choices, cutoff)
    return hit[0] if hit else None
