"""Arm label text: cleaning a label, its role word, agent aliases, and whether two labels name one arm.

Shared by ``arms`` and the arm readers (``arm_headers``, ``arm_lists``, ``arm_roles``, ``arm_sizes``),
so that they all import from here and ``arms`` imports them: imports point one way.
Regexes: ``rules/regex/arms.jsonl``; roles: ``rules/vocab/arm_roles.tsv``.
"""

from __future__ import annotations

from extractor.errors import RuleFileError
from extractor.extract.normalize import normalize, normalize_key
from extractor.nlp.rules import regex, vocab, vocab_rows

FAMILY = "arms"
ARM_SECTIONS = (None, "title", "abstract", "methods", "results", "tables", "other")
MAX_LABEL_WORDS = 6
MAX_LIST_ARMS = 6
Cand = tuple[str, "int | None", int, int, str]  # label, n, start, end, rule id


def rx(rule_id: str):  # type: ignore[no-untyped-def]
    return regex(FAMILY, rule_id)


def _join_lines(raw: str) -> str:
    """The last line of ``raw``, with earlier lines joined on while it reads as their
    continuation ("voclosporin 39.5\nmg twice daily" → one label)."""
    lines = [ln.strip() for ln in raw.strip().split("\n")]
    label = lines.pop()
    while lines and label[:1] and (label[:1].islower() or label[:1].isdigit()) and lines[-1]:
        label = f"{lines.pop()} {label}"
    return label


def _unglue(label: str) -> str:
    """Flattened tables glue cells ("study participantsMPC + HA"): keep what follows the last glue."""
    ends = [m.end() for m in rx("arms.glued_words").finditer(label)]
    return label[ends[-1] :] if ends else label


def clean_label(raw: str, strip_prefix: bool = True, max_words: int = MAX_LABEL_WORDS) -> str | None:
    """Strip leading connective words ("randomly assigned to X" → "X"); reject non-arm labels."""
    label = _unglue(_join_lines(raw))
    m = rx("arms.label_stop_prefix").match(label) if strip_prefix else rx("arms.list_item_prefix").match(label)
    if m:
        label = label[m.end() :]
    label = label.strip(" -–:;,.")
    if label.count("(") != label.count(")"):
        label = label.strip("()").strip()
    label = rx("arms.label_size_aside").sub("", rx("arms.label_trailing_schedule").sub("", label))
    label = rx("arms.label_stop_suffix").sub("", label).strip(" -–:;,.")
    if label.count("(") > label.count(")"):  # "X 300 mg (150 mg for the first 2 weeks)" cut inside its aside
        label = label[: label.rfind("(")].strip(" -–:;,.")
    if not label or len(label.split()) > max_words or rx("arms.not_arm_label").match(label) or rx("arms.not_arm_phrase").search(label):
        return None
    if not any(ch.isalpha() for ch in label):
        return None
    return label


def role_of(label: str) -> str | None:
    key = label.lower()
    for role in ("placebo", "control", "experimental"):
        for row in vocab_rows("arm_roles"):
            if row[0] == role and contains(key, row[1].lower()) >= 0:
                return role
    return None


def contains(hay: str, needle: str) -> int:
    """Offset of ``needle`` in ``hay`` at word boundaries, or -1."""
    start = 0
    while True:
        i = hay.find(needle, start)
        if i < 0:
            return -1
        before = hay[i - 1] if i > 0 else " "
        after = hay[i + len(needle)] if i + len(needle) < len(hay) else " "
        if not before.isalnum() and not after.isalnum():
            return i
        start = i + 1


def agent_aliases(label: str) -> list[str]:
    """Every surface of the agents named in ``label`` (so "MMF" finds "mycophenolate mofetil")."""
    key = label.lower()
    rows = vocab_rows("agents") if has_vocab("agents") else ()
    canon = {row[0] for row in rows if (surface := row[1].lower()) in key and contains(key, surface) >= 0}
    return [row[1].lower() for row in vocab_rows("agents") if row[0] in canon] + [c.lower() for c in canon]


def has_vocab(name: str) -> bool:
    try:
        vocab(name)
        return True
    except RuleFileError:  # a missing vocabulary only means fewer aliases
        return False


def same_arm(a: str, b: str) -> bool:
    if digits(a) and digits(b) and digits(a) != digits(b):
        return False  # two doses of one agent
    ka, kb = normalize_key(a), normalize_key(b)
    if ka == kb:
        return True
    if (rx("arms.label_connector").search(a) is None) != (rx("arms.label_connector").search(b) is None):
        return False  # "drug D plus MMF" and "MMF (alone)": an add-on arm and its control share an agent
    if contains(ka, kb) >= 0 or contains(kb, ka) >= 0:
        return True
    if normalize(a, {b: b}) is not None:
        return True
    agents_a, agents_b = set(agent_aliases(a)), set(agent_aliases(b))
    return bool(agents_a & agents_b) and not (digits(a) and digits(b) and digits(a) != digits(b))


def digits(label: str) -> str:
    return "".join(ch for ch in label if ch.isdigit() or ch == ".")
