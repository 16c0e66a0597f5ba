"""An independent scorer written from docs/EVAL.md alone (not from extractor/evaluate*.py).

It shares no code with the package scorer: plain Python, augmenting-path (Kuhn) matching
instead of the Hungarian algorithm, its own value rules. A test checks that both give the
same micro F1 on hand-built cases and (when extraction works) on the corpus.

Usage: python scripts/independent_score.py PRED_DIR GOLD_DIR   (pred files named like gold)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from rapidfuzz import fuzz

DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30.4375, "year": 365.25}
STOP = set(
    "a an the of and or with in on for to by at as per plus vs versus any other total all patient patients "
    "group groups arm arms dose doses daily therapy treatment treated mg g kg ug iu ml iv oral".split()
)


def has(v):
    return v not in (None, "", [])


def num_ok(g, p):
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        return False
    return p == 0 if g == 0 else abs(p - g) <= 0.01 * abs(g)


def pct_ok(g, p):
    if isinstance(p, bool) or not isinstance(p, (int, float)):
        return False
    return abs(p - g) <= 0.15 + 1e-9


def days(t):
    unit = str(t.get("unit") or "").lower()
    if unit.endswith("s"):
        unit = unit[:-1]
    if unit not in DAYS or t.get("value") is None:
        return None
    return t["value"] * DAYS[unit]


def time_ok(g, p):
    if not g:
        return True
    if not p:
        return False
    gd, pd = days(g), days(p)
    if gd is None or pd is None:
        return False
    return pd == 0 if gd == 0 else abs(pd - gd) <= 0.1 * abs(gd) + 1e-9


def cid(v):
    return "-".join(re.split(r"[\s_\-]+", str(v).strip().lower()))


def id_ok(g, p):
    return has(p) and cid(g) == cid(p)


def phase(v):
    s = str(v).upper().replace("PHASE", "").strip()
    for d, r in (("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")):
        s = s.replace(d, r)
    return s.replace(" ", "").replace("-", "")


def kw(text):
    out = []
    for t in re.findall(r"[a-z0-9]+", (text or "").lower()):
        if t in STOP:
            continue
        if len(t) > 3 and t[-1] == "s" and t[-2] != "s":
            t = t[:-1]
        out.append(t)
    return out


def acronym(a, b):
    initials = "".join(t[0] for t in b if t[0].isalpha())
    return any(t.isalpha() and 3 <= len(t) <= 6 and t in initials for t in a)


def _agent_table():
    rows = []
    path = Path(__file__).resolve().parents[1] / "rules" / "vocab" / "agents.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            rows.append((" " + " ".join(re.findall(r"[a-z0-9]+", cols[1].lower())) + " ", cols[0].strip()))
    return sorted(set(r for r in rows if r[0].strip()), key=lambda r: -len(r[0]))


AGENTS = _agent_table()


def agents_of(text):
    padded = " " + " ".join(re.findall(r"[a-z0-9]+", str(text).lower())) + " "
    spans, names = [], set()
    for surface, canonical in AGENTS:
        i = padded.find(surface)
        while i >= 0:
            a0, b0 = i + 1, i + len(surface) - 1  # without the padding spaces
            if all(b0 <= a or b <= a0 for a, b in spans):
                spans.append((a0, b0))
                names.add(canonical)
            i = padded.find(surface, i + 1)
    return names


def words_ok(g, p):
    if not has(g) or not has(p):
        return False
    a, b = kw(g), kw(p)
    da, db = set(filter(str.isdigit, a)), set(filter(str.isdigit, b))
    if da and db and da != db:
        return False
    if agents_of(g) and agents_of(g) == agents_of(p):
        return True
    sa = " ".join(a) if a else str(g).lower()
    sb = " ".join(b) if b else str(p).lower()
    return fuzz.token_set_ratio(sa, sb) >= 80 or acronym(a, b) or acronym(b, a)


def need(g, p, key, rule):
    return not has(g.get(key)) or rule(g[key], p.get(key))


# --- matching: Kuhn's augmenting paths, required gold first ----------------------------


def kuhn(gold, pred, ok, seed=None):
    adj = [[j for j in range(len(pred)) if ok(g, pred[j])] for g in gold]
    owner = {}  # pred index -> gold index
    if seed:
        for i, j in seed:
            owner[j] = i

    def augment(i, seen):
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    taken = set(owner.values())
    order = [i for i in range(len(gold)) if not gold[i].get("optional")]
    order += [i for i in range(len(gold)) if gold[i].get("optional")]
    for i in order:
        if i not in taken:
            augment(i, set())
    return {i: j for j, i in owner.items()}


def count(gold, pred, ok, seed=None):
    m = kuhn(gold, pred, ok, seed)
    tp = len(m)
    fn = sum(1 for i, g in enumerate(gold) if i not in m and not g.get("optional"))
    return tp, len(pred) - tp, fn, m


# --- kinds -----------------------------------------------------------------------------


def num_clash(a, b):
    da, db = set(filter(str.isdigit, kw(a))), set(filter(str.isdigit, kw(b)))
    return bool(da) and bool(db) and da != db


def arm_ok(g, p):
    if has(g.get("n")) and has(p.get("n")) and not num_ok(g["n"], p["n"]):
        return False
    if words_ok(g.get("label"), p.get("label")):
        return True
    if num_clash(g.get("label"), p.get("label")):
        return False
    return has(g.get("n")) and num_ok(g["n"], p.get("n")) and id_ok(g.get("role"), p.get("role"))


def arm_score(g, p):
    s = fuzz.token_set_ratio(" ".join(kw(g.get("label"))), " ".join(kw(p.get("label"))))
    s += 50 if has(g.get("n")) and num_ok(g["n"], p.get("n")) else 0
    s += 25 if has(g.get("role")) and id_ok(g["role"], p.get("role")) else 0
    return s


def greedy_arms(gold, pred):
    pairs = sorted(
        ((arm_score(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred) if arm_ok(g, p)),
        key=lambda x: -x[0],
    )
    used_g, used_p, seed = set(), set(), []
    for _, i, j in pairs:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            seed.append((i, j))
    return seed


def item_ok(kind, g, p, arm_of, gold_arms):
    ga, pa = g.get("arm"), p.get("arm")
    if has(ga):
        if not has(pa):
            if gold_arms != [ga]:
                return False
        elif arm_of.get(str(pa)) != str(ga):
            return False
    if kind == "ln_classes":
        return id_ok(g.get("class"), p.get("class")) and need(g, p, "activity", id_ok) and need(g, p, "n", num_ok)
    if kind == "interventions":
        if not (words_ok(g.get("agent"), p.get("agent")) and id_ok(g.get("role"), p.get("role"))):
            return False
        if not need(g, p, "unit", id_ok):
            return False
        if has(g.get("amount")):
            return num_ok(g["amount"], p.get("amount")) and cid(g.get("per")) == cid(p.get("per"))
        return True
    if kind == "outcomes":
        return (
            id_ok(g.get("measure"), p.get("measure"))
            and id_ok(g.get("stat"), p.get("stat"))
            and time_ok(g.get("time"), p.get("time"))
            and need(g, p, "value", num_ok)
        )
    if kind == "responses":
        if not (id_ok(g.get("type"), p.get("type")) and time_ok(g.get("time"), p.get("time"))):
            return False
        shared = [(k, r) for k, r in (("n", num_ok), ("N", num_ok), ("percent", pct_ok)) if has(g.get(k)) and has(p.get(k))]
        return bool(shared) and all(r(g[k], p[k]) for k, r in shared)
    if kind == "adverse_events":
        return words_ok(g.get("term"), p.get("term")) and need(g, p, "n", num_ok)
    raise ValueError(kind)


def stat_ok(g, p):
    if not p or not id_ok(g.get("stat"), p.get("stat")):
        return False
    if not all(need(g, p, k, num_ok) for k in ("value", "low", "high")):
        return False
    if g.get("spread"):
        gs, ps = g["spread"], p.get("spread")
        return bool(ps) and id_ok(gs.get("kind"), ps.get("kind")) and all(need(gs, ps, k, num_ok) for k in ("value", "low", "high"))
    return True


def score(pred, gold):
    """(tp, fp, fn) summed over every kind of one document."""
    tp = fp = fn = 0

    def scalar(gv, pv, good):
        nonlocal tp, fp, fn
        if good:
            tp += 1
        else:
            fn += 1
            fp += 1 if has(pv) else 0

    gd, pd = gold.get("design") or {}, pred.get("design") or {}
    for key in ("type", "phase", "randomised"):
        if gd.get(key) is None:
            continue
        pv = pd.get(key)
        if key == "phase":
            good = has(pv) and phase(gd[key]) == phase(pv)
        elif key == "randomised":
            good = isinstance(pv, bool) and pv == gd[key]
        else:
            alts = gd.get("alt_" + key) or []
            good = any(id_ok(v, pv) for v in [gd[key], *(alts if isinstance(alts, list) else [alts])])
        scalar(gd[key], pv, good)

    gdoc, pdoc = gold.get("document") or {}, pred.get("document") or {}
    reg = lambda v: re.sub(r"[^A-Z0-9]", "", str(v).upper())  # noqa: E731
    g_ids = [{"r": reg(x)} for x in gdoc.get("registry_ids") or []]
    p_ids = [{"r": reg(x)} for x in pdoc.get("registry_ids") or []]
    a, b, c, _ = count(g_ids, p_ids, lambda g, p: g["r"] == p["r"])
    tp, fp, fn = tp + a, fp + b, fn + c
    doi = lambda v: re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", str(v).strip().lower())  # noqa: E731
    for key, norm in (("pmid", lambda v: str(v).strip()), ("doi", doi), ("year", str)):
        if has(gdoc.get(key)):
            pv = pdoc.get(key)
            scalar(gdoc[key], pv, has(pv) and norm(gdoc[key]) == norm(pv))

    garms, parms = gold.get("arms") or [], pred.get("arms") or []
    a, b, c, m = count(garms, parms, arm_ok, seed=greedy_arms(garms, parms))
    tp, fp, fn = tp + a, fp + b, fn + c
    arm_of = {}
    for j in sorted(m.values()):  # first matched arm with a repeated id wins
        i = next(gi for gi, pj in m.items() if pj == j)
        arm_of.setdefault(str(parms[j].get("id")), str(garms[i].get("id")))
    gold_arms = [str(x.get("id")) for x in garms]

    gc, pc = gold.get("cohort") or {}, pred.get("cohort") or {}
    for key in ("n", "female", "male"):
        if has(gc.get(key)):
            alts = [gc[key]] + list(gc.get("alt_" + key) or [])
            scalar(gc[key], pc.get(key), any(has(x) and num_ok(x, pc.get(key)) for x in alts))
    for key in ("age", "disease_duration"):
        if gc.get(key):
            scalar(gc[key], pc.get(key), stat_ok(gc[key], pc.get(key)))

    for kind in ("ln_classes", "interventions", "outcomes", "responses", "adverse_events"):
        a, b, c, _ = count(gold.get(kind) or [], pred.get(kind) or [], lambda g, p, k=kind: item_ok(k, g, p, arm_of, gold_arms))
        tp, fp, fn = tp + a, fp + b, fn + c
    return tp, fp, fn


def micro_f1(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def score_pairs(pairs):
    """Micro (tp, fp, fn, f1) over (pred, gold) pairs."""
    tp = fp = fn = 0
    for pred, gold in pairs:
        a, b, c = score(pred, gold)
        tp, fp, fn = tp + a, fp + b, fn + c
    return tp, fp, fn, micro_f1(tp, fp, fn)


def main(argv):
    pred_dir, gold_dir = Path(argv[1]), Path(argv[2])
    pairs = []
    for gold_path in sorted(gold_dir.rglob("*.json")):
        pred_path = pred_dir / gold_path.name
        pred = json.loads(pred_path.read_text()) if pred_path.exists() else {}
        pairs.append((pred, json.loads(gold_path.read_text())))
    tp, fp, fn, f1 = score_pairs(pairs)
    print(json.dumps({"tp": tp, "fp": fp, "fn": fn, "f1": f1}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
