"""End-to-end speed of `evidence ingest` (load + extract + store into a temp SQLite), not a test.

    python benchmarks/bench_e2e.py [--abstracts 1000] [--jobs 1 2] [--rounds 1] [--out benchmarks/RESULTS.md]

Sets: the real journal PDFs in ../shared/real/pdfs/ (skipped when absent), the corpus PDFs, and
N generated text abstracts (one template, varied numbers). For each set and each --jobs value:
wall seconds of ``ingest_paths`` into a fresh SQLite file (after one warm-up batch, so imports
are not counted; the CLI's start-up is measured apart), pages/s, documents/s, and the peak
resident memory of the busiest worker (the worker's own ru_maxrss; jobs=1 runs in this process).
The PDF sets are also read by pdfplumber's ``extract_text`` alone (one core), for the ratio
end-to-end / pdfplumber. Targets: ratio <= 0.5 at 1 job, speed-up >= 1.8 at 2 jobs, < 300 MB
per worker, 1,000 abstracts in < 10 s. The table goes to --out (and stdout).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_ingest import plumber_text  # noqa: E402
from extractor.batch import ingest_paths  # noqa: E402
from extractor.store.db import open_engine  # noqa: E402

REAL_PDFS = ROOT.parent / "shared" / "real" / "pdfs"
TARGET_RATIO, TARGET_SPEEDUP, TARGET_MB, TARGET_ABSTRACTS_S = 0.5, 1.8, 300.0, 10.0
TEMPLATE = """Title: {name}: {agent} versus mycophenolate in class {cls} lupus nephritis

Published: {year}

BACKGROUND: Lupus nephritis remains a major cause of morbidity in systemic lupus erythematosus.

METHODS: In this randomised, open-label trial, {n} adults with biopsy-proven class {cls} lupus
nephritis were randomised to {agent} {dose} mg/day (n = {n1}) or mycophenolate mofetil 2 g/day
(n = {n2}) for {weeks} weeks, with prednisone tapered to 5 mg/day.

RESULTS: At {months} months, complete renal response occurred in {r1}/{n1} ({p1:.1f}%) patients given
{agent} and {r2}/{n2} ({p2:.1f}%) given mycophenolate. Proteinuria fell from {u0:.2f} ± {sd:.2f} g/24 h
to {u1:.2f} ± {sd:.2f} g/24 h. Serious infections occurred in {ae} patients.

CONCLUSIONS: {agent} was not inferior to mycophenolate for induction.
"""


@dataclass
class Row:
    corpus: str
    reader: str
    files: int
    pages: int
    docs: int
    seconds: float
    peak_mb: float | None = None
    cpu_s: float | None = None  # user + sys of this process and its (finished) workers
    busy: float | None = None  # files' load + extract seconds / wall seconds: workers kept busy

    @property
    def pages_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def docs_s(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0


def write_abstracts(folder: Path, count: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    agents = ["voclosporin", "belimumab", "obinutuzumab", "tacrolimus", "rituximab", "anifrolumab"]
    out = []
    for i in range(count):
        n1, n2 = rng.randint(20, 200), rng.randint(20, 200)
        r1, r2 = rng.randint(3, n1 - 1), rng.randint(3, n2 - 1)
        path = folder / f"abstract_{i:04d}.txt"
        path.write_text(
            TEMPLATE.format(
                name=f"LUNA-{1000 + i}", agent=rng.choice(agents), cls=rng.choice(["III", "IV", "V", "III/IV"]),
                year=rng.randint(2000, 2024), n=n1 + n2, n1=n1, n2=n2, dose=rng.choice([10, 20, 40, 500]),
                weeks=rng.choice([24, 48, 52]), months=rng.choice([6, 12, 24]), r1=r1, r2=r2,
                p1=100 * r1 / n1, p2=100 * r2 / n2, u0=rng.uniform(2, 6), u1=rng.uniform(0.3, 2),
                sd=rng.uniform(0.2, 1.5), ae=rng.randint(0, 12),
            ),  # fmt: skip
            encoding="utf-8",
        )
        out.append(path)
    return out


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def end_to_end(name: str, files: list[Path], jobs: int, work: Path) -> Row:
    db = work / f"{name}-{jobs}-{time.monotonic_ns()}.db"
    engine = open_engine(str(db))
    cpu = _cpu()
    started = time.perf_counter()
    result = ingest_paths(files, engine, jobs=jobs, timeout=300)
    seconds = time.perf_counter() - started
    cpu = _cpu() - cpu
    engine.dispose()
    if result.failed:
        print(f"  {name}: {len(result.failed)} failed, e.g. {result.failed[0]}", file=sys.stderr)
    docs = result.stored + result.replaced + result.unchanged
    busy = result.work_seconds / seconds
    return Row(name, f"evidence ingest --jobs {jobs}", len(files), result.pages, docs, seconds, result.peak_worker_mb, cpu, busy)


def plumber(name: str, files: list[Path]) -> Row:
    cpu = _cpu()
    started = time.perf_counter()
    pages = sum(plumber_text(path) for path in files)
    seconds = time.perf_counter() - started
    return Row(name, "pdfplumber extract_text (1 core)", len(files), pages, len(files), seconds, None, _cpu() - cpu)


def cli_startup() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "extractor", "--help"], check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def best(rows: list[Row]) -> Row:
    return min(rows, key=lambda row: row.seconds)


def table(rows: list[Row], notes: list[str]) -> str:
    head = "| corpus | reader | files | pages | docs | wall s | CPU s | pages/s | docs/s | busy workers | peak MB / worker |\n"
    head += "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    body = "".join(
        f"| {r.corpus} | {r.reader} | {r.files} | {r.pages} | {r.docs} | {r.seconds:.2f} | "
        f"{'' if r.cpu_s is None else f'{r.cpu_s:.2f}'} | {r.pages_s:.1f} | "
        f"{r.docs_s:.1f} | {'' if r.busy is None else f'{r.busy:.2f}'} | {'' if r.peak_mb is None else f'{r.peak_mb:.0f}'} |\n"
        for r in rows
    )
    return head + body + "\n" + "\n".join(f"- {note}" for note in notes) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--abstracts", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1, help="Best of N runs per cell.")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    start_load = os.getloadavg()[0]
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    sets: list[tuple[str, list[Path], bool]] = []
    if REAL_PDFS.is_dir():
        sets.append(("real journal PDFs", sorted(REAL_PDFS.glob("*.pdf")), True))
    else:
        print(f"skipping the real PDFs: {REAL_PDFS} is absent", file=sys.stderr)
    sets.append(("corpus PDFs", sorted((ROOT / "corpus").glob("*.pdf")), True))
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        sets.append((f"{args.abstracts} text abstracts", write_abstracts(work / "abstracts", args.abstracts), False))
        end_to_end("warm-up", sets[-1][1][:3], 1, work)  # imports, pipeline, rules: not timed below
        for name, files, is_pdf in sets:
            runs: dict[str, list[Row]] = {}
            for _ in range(args.rounds):  # interleaved, so that the machine's load hits every reader alike
                if is_pdf:
                    runs.setdefault("plumber", []).append(plumber(name, files))
                for jobs in args.jobs:
                    runs.setdefault(str(jobs), []).append(end_to_end(name, files, jobs, work))
            for cell in runs.values():
                rows.append(best(cell))
                print(table(rows[-1:], []).splitlines()[-3], file=sys.stderr)
    by = {(r.corpus, r.reader): r for r in rows}
    for name, _files, is_pdf in sets:
        one, two = by.get((name, "evidence ingest --jobs 1")), by.get((name, "evidence ingest --jobs 2"))
        if is_pdf and one:
            ratio = one.seconds / by[(name, "pdfplumber extract_text (1 core)")].seconds
            notes.append(f"{name}: end-to-end at 1 job / pdfplumber = {ratio:.2f} (target <= {TARGET_RATIO})")
        if one and two:
            notes.append(f"{name}: speed-up at 2 jobs = {one.seconds / two.seconds:.2f}x (target >= {TARGET_SPEEDUP})")
    abstracts = [r for r in rows if r.corpus.endswith("text abstracts")]
    if abstracts:
        fastest = min(abstracts, key=lambda r: r.seconds)
        notes.append(f"abstracts: fastest {fastest.seconds:.1f} s ({fastest.reader}; target < {TARGET_ABSTRACTS_S:.0f} s)")
    peak = max((r.peak_mb for r in rows if r.peak_mb), default=0.0)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    notes.append(f"peak RSS of a worker: {peak:.0f} MB (target < {TARGET_MB:.0f}); ru_maxrss of children: {children:.0f} MB")
    notes.append(
        "busy workers = the files' load + extract seconds / wall seconds: how many workers were kept busy "
        "(about 2 at --jobs 2 means the pool overlaps fully; the speed-up is then bounded by the free cores)"
    )
    notes.append(f"CLI start-up (`python -m extractor --help`): {cli_startup():.2f} s, not included above")
    load = os.getloadavg()
    notes.append(
        f"machine: {os.cpu_count()} cores shared with other engineers (load average {start_load:.1f} at the start, "
        f"{load[0]:.1f} at the end); wall times are noisy: best of {args.rounds} interleaved runs; CPU s "
        "(this process + its workers) is steadier"
    )
    text = table(rows, notes)
    print(text)
    if args.out:
        args.out.write_text("# End-to-end benchmark (benchmarks/bench_e2e.py)\n\n" + text, encoding="utf-8")


if __name__ == "__main__":
    main()
