"""Run random books through `python3 -m compcalc run` and compare with the reference model.

    cd /work/wt-review && python3 -m tests.reference.fuzz SEED COUNT OUTDIR
"""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from tests.reference import book_io, gen, quota_reference as q


def run_compcalc(folder: Path, through: str):
    out = folder / "out"
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "compcalc", "run", "--plans", str(folder / "plans"),
           "--roster", str(folder / "roster.csv"), "--deals", str(folder / "deals.csv"),
           "--through", through, "--out", str(out), "--statements", "none", "--quiet"]
    if (folder / "splits.csv").exists():
        cmd += ["--splits", str(folder / "splits.csv")]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stdout + p.stderr
    return (book_io.read_lines(out / "lines.csv"), book_io.read_register(out / "register.csv")), ""


def compare(book, got):
    L, R = q.compute(book)
    gl, gr = got
    L = {k: v for k, v in L.items() if v != 0}
    gl = {k: v for k, v in gl.items() if v != 0}
    diffs = []
    for k in sorted(set(L) | set(gl)):
        if L.get(k, 0) != gl.get(k, 0):
            diffs.append(("line", k, L.get(k, 0), gl.get(k, 0)))
    if R != gr:
        rs, gs = set(R), set(gr)
        for x in sorted(rs - gs):
            diffs.append(("reg-model", x))
        for x in sorted(gs - rs):
            diffs.append(("reg-compcalc", x))
    return diffs


def main():
    seed, count, outdir = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    small = len(sys.argv) > 4 and sys.argv[4] == 'small'
    outdir.mkdir(parents=True, exist_ok=True)
    r = random.Random(seed)
    summary = {"ok": 0, "diff": [], "error": []}
    for i in range(count):
        book = gen.gen_book(r, small)
        folder = outdir / f"b{i:04d}"
        if folder.exists():
            shutil.rmtree(folder)
        gen.write_book(book, folder)
        th = gen.through_text(book)
        (folder / "through.txt").write_text(th + "\n")
        got, err = run_compcalc(folder, th)
        if got is None:
            summary["error"].append(i)
            (folder / "error.txt").write_text(err)
            print(i, "ERROR", err.strip().splitlines()[-3:], flush=True)
            continue
        diffs = compare(book, got)
        if diffs:
            summary["diff"].append(i)
            (folder / "diffs.txt").write_text("\n".join(map(str, diffs)) + "\n")
            print(i, "DIFF", diffs[:4], flush=True)
        else:
            summary["ok"] += 1
            shutil.rmtree(folder / "out")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
