"""End to end, as a user waits: `compcalc run … --statements none` against a bare-pandas floor (issue 19).

    python benchmarks/bench_cli.py [--deals 10000 100000 250000 1000000] [--repeat 1] [--profile]
                                   [--no-floor] [--startup]

For each size, ``compcalc.synthetic.generate`` writes a book (roster, deals, milestones, metrics; one
rep per 150 deals, 36 months from 2025-01; cached in benchmarks/data/) for plans/land_and_expand.
Then it runs, each in a fresh child process:

- ``python -m compcalc run --plans plans/land_and_expand --roster … --deals … --milestones …
  --metrics … --through 2027-12 --out TMP --statements none --quiet``: the whole command, from the
  CSVs to lines.csv, register.csv, unassigned.csv and the payout register;
- ``python benchmarks/floor.py``: a bare-pandas program computing the same plans' core rules
  (SPEC §3–§4) with integer cents and writing the same lines.csv and register.csv.

Time is wall-clock and CPU (user + system) of the child, peak memory its maximum resident set
(``resource.getrusage(RUSAGE_CHILDREN)`` of a fresh helper per measurement, so children never
share a maximum). On a shared machine the CPU time is the steadier figure.

``--profile`` runs the command once per size in a child with timing hooks around its phases
(parse + validate, crediting, each component, payouts, sorting, writing) and prints the phase table;
there the CSVs are written before the payout register rather than beside it, so each phase is timed alone.
``--startup`` times ``--help``, ``--version`` and ``validate`` of the small golden book.
Run on demand; not part of the test suite.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans" / "land_and_expand"
DATA = ROOT / "benchmarks" / "data"
START, MONTHS, THROUGH, SEED = "2025-01-01", 36, "2027-12", 7
DEALS_PER_REP = 150
INPUTS = ("roster", "deals", "milestones", "metrics")


def book_files(deals: int) -> dict[str, Path]:
    """The synthetic book of ``deals`` deals, generated once and kept in benchmarks/data/."""
    reps = max(8, deals // DEALS_PER_REP)
    folder = DATA / f"cli-{deals}-{reps}"
    if not all((folder / f"{n}.csv").exists() for n in INPUTS):
        sys.path.insert(0, str(ROOT))
        from compcalc.synthetic import generate

        generate(folder, deals=deals, reps=reps, months=MONTHS, seed=SEED, start=START)
    return {n: folder / f"{n}.csv" for n in INPUTS}


def run_command(files: dict[str, Path], out: Path) -> list[str]:
    args = [sys.executable, "-m", "compcalc", "run", "--plans", str(PLANS)]
    for name, path in files.items():
        args += [f"--{name.replace('_', '-')}", str(path)]
    return args + ["--through", THROUGH, "--out", str(out), "--statements", "none", "--quiet"]


def floor_command(files: dict[str, Path], out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "--roster", str(files["roster"]),
            "--deals", str(files["deals"]), "--milestones", str(files["milestones"]), "--through", THROUGH,
            "--out", str(out)]


# -- measuring one child ---------------------------------------------------------------------------
# A helper process runs the command and reports its own RUSAGE_CHILDREN: the maximum RSS there is
# that one command's, whatever ran before in this process.

def _helper(cmd: list[str]) -> None:
    began = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": done.returncode, "stderr": done.stderr[-2000:], "wall": wall,
                      "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))


def measure(cmd: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--helper", json.dumps(cmd)], capture_output=True, text=True,
                          check=True)
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    if stats["rc"]:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stats['stderr']}")
    return stats


def best_of(cmd_for, files, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = Path(tempfile.mkdtemp(prefix="bench-cli-")) / "out"
        try:
            runs.append(measure(cmd_for(files, out)))
            runs[-1]["lines_mb"] = (out / "lines.csv").stat().st_size / 2**20
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)
    return min(runs, key=lambda s: s["cpu"])


# -- the phase table -------------------------------------------------------------------------------

PHASES: list[tuple[str, float, float, float]] = []  # (label, wall s, CPU s, peak RSS so far in MB)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(owner, name: str, label):
    """Wrap ``owner.name`` so each call adds (label, wall, CPU) to PHASES; ``label`` may be a function
    of the call's arguments. A call inside another timed call counts in both."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            PHASES.append((label(*args, **kwargs) if callable(label) else label, time.perf_counter() - wall,
                           time.process_time() - cpu, _peak_mb()))
    setattr(owner, name, wrapper)


def _profile_child(args: list[str]) -> None:
    """Run the CLI in this process with timing hooks around its phases; print the phases as JSON."""
    sys.path.insert(0, str(ROOT))
    began, cpu = time.perf_counter(), time.process_time()
    import compcalc.crediting as crediting
    import compcalc.engine as engine
    import compcalc.inputs as inputs
    import compcalc.outputs as outputs
    import compcalc.pipeline as pipeline
    from compcalc import statements
    from compcalc.cli import main
    from compcalc.components import REGISTRY

    PHASES.append(("imports", time.perf_counter() - began, time.process_time() - cpu, _peak_mb()))
    _timed(inputs, "load_book", "parse + validate inputs")
    _timed(crediting.Context, "__init__", "crediting")
    for cls in {c for c in REGISTRY.values() if "compute" in c.__dict__}:
        _timed(cls, "compute", lambda self, plan, ctx: f"component {plan.plan_id}.{self.id} ({self.type})")
    _timed(engine, "adjustment_lines", "component adjustments")
    _timed(engine.L, "concat_lines", "concatenating lines")
    _timed(pipeline, "compute_register", "payouts and carry")
    _timed(pipeline, "sort_lines", "sorting lines")
    _timed(outputs, "write_lines_csv", "writing lines.csv")
    _timed(outputs, "write_register_csv", "writing register.csv")
    _timed(outputs, "write_csv", "writing unassigned.csv")
    _timed(statements, "prepare", "payout register: indexing the run")
    _timed(statements, "write_register", "payout register: xlsx + html")

    @contextlib.contextmanager
    def one_after_another(job, *args):  # the run overlaps the CSVs with the workbook; phases time each alone
        job(*args)
        yield

    outputs.in_background = one_after_another
    began, cpu = time.perf_counter(), time.process_time()
    try:
        main(args, prog_name="compcalc", standalone_mode=False)
    finally:
        PHASES.append(("total (after imports)", time.perf_counter() - began, time.process_time() - cpu, _peak_mb()))
        print(json.dumps(PHASES))


def profile(files: dict[str, Path]) -> list[tuple[str, float, float, float]]:
    out = Path(tempfile.mkdtemp(prefix="bench-cli-")) / "out"
    try:
        cmd = run_command(files, out)[3:]  # the CLI arguments after "python -m compcalc"
        done = subprocess.run([sys.executable, __file__, "--profile-child", json.dumps(cmd)], cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr)
        phases = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    merged: dict[str, tuple[float, float, float]] = {}
    for label, wall, cpu, peak in phases:
        w, c, p = merged.get(label, (0.0, 0.0, 0.0))
        merged[label] = (w + wall, c + cpu, max(p, peak))
    return [(label, w, c, p) for label, (w, c, p) in merged.items()]


# -- start-up ---------------------------------------------------------------------------------------

def startup() -> None:
    case = ROOT / "tests" / "golden" / "land_and_expand"
    bare = _best_wall([sys.executable, "-c", "pass"])
    print(f"python -c pass: {bare:.3f} s (the interpreter alone)")
    for label, args in (("--help", ["--help"]), ("--version", ["--version"]),
                        ("validate (plans only)", ["validate", "--plans", str(case / "plans")]),
                        ("validate (golden book)", ["validate", "--plans", str(case / "plans"), "--roster",
                                                    str(case / "roster.csv"), "--deals", str(case / "deals.csv")])):
        wall = _best_wall([sys.executable, "-m", "compcalc", *args])
        print(f"compcalc {label}: {wall:.3f} s wall, {wall - bare:.3f} s beyond the interpreter")


def _best_wall(cmd: list[str], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, nargs="+", default=[10_000, 100_000, 250_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=1, help="runs per measurement; the one with least CPU is kept")
    ap.add_argument("--profile", action="store_true", help="print the phase table of each size")
    ap.add_argument("--no-floor", action="store_true", help="measure compcalc only")
    ap.add_argument("--startup", action="store_true", help="time --help, --version and validate")
    ap.add_argument("--helper", help=argparse.SUPPRESS)
    ap.add_argument("--profile-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.helper:
        return _helper(json.loads(args.helper))
    if args.profile_child:
        return _profile_child(json.loads(args.profile_child))
    if args.startup:
        return startup()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}; {MONTHS} months from {START}, run through {THROUGH}, "
          f"one rep per {DEALS_PER_REP} deals")
    for n in args.deals:
        files = book_files(n)
        size = sum(p.stat().st_size for p in files.values()) / 2**20
        reps = max(8, n // DEALS_PER_REP)
        if args.profile:
            phases = profile(files)
            print(f"\n{n:,} deals, {reps:,} reps ({size:,.0f} MB of CSV): phases (wall, CPU, peak RSS by its end)")
            for label, wall, cpu, peak in phases:
                print(f"  {label:<58} {wall:7.2f} s {cpu:7.2f} s {peak:7,.0f} MB")
            continue
        ours = best_of(run_command, files, args.repeat)
        line = (f"{n:>9,} deals, {reps:>5,} reps, {size:5,.0f} MB in, {ours['lines_mb']:5,.0f} MB lines.csv: "
                f"compcalc {ours['wall']:6.2f} s wall, {ours['cpu']:6.2f} s CPU, {ours['peak_mb']:6,.0f} MB peak")
        if not args.no_floor:
            floor = best_of(floor_command, files, args.repeat)
            line += (f" | floor {floor['wall']:6.2f} s wall, {floor['cpu']:6.2f} s CPU, {floor['peak_mb']:6,.0f} MB peak"
                     f" | ratio: {ours['wall'] / floor['wall']:.2f}× wall, {ours['cpu'] / floor['cpu']:.2f}× CPU, "
                     f"{ours['peak_mb'] / floor['peak_mb']:.2f}× memory")
        print(line, flush=True)


if __name__ == "__main__":
    main()
