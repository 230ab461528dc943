"""Benchmark the tally engine against pabutools on every Pabulib file.

Usage: .venv/bin/python bench/tally.py [--timeout 600] [--quick] [--only TEXT] [--repeat 3]
       [--rules greedy,phragmen]

Ours: read_pb + tally, in this process, run --repeat times; the table shows the fastest
wall time and the smallest CPU time (time.process_time) of those runs. The previous
results are freed and garbage collected before each run, outside the timing.
Reference: pabutools' parser + rule, in a subprocess killed after --timeout seconds
(then shown as ">LIMIT"); it is repeated (up to --repeat times) only while one run takes
less than --ref-repeat-below seconds, and the fastest run counts. Both include parsing.
The ratios are reference / ours, on wall time and on CPU time, from the same run of this
script. --quick skips the reference on files with more than 5,000 voters.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
DATA = Path("/work/shared/pabulib")

RULES = [
    ("greedy", {"rule": "greedy"}),
    ("equal-shares/cost/add1", {"rule": "equal-shares", "utility": "cost", "completion": "add1"}),
    ("phragmen", {"rule": "phragmen"}),
]


def reference(path: str, case: str) -> dict:
    """Run pabutools once (parse + rule) and return the selection and its times."""
    from tests.tally import tally_reference as ref

    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    # the parent reads this if it has to stop the run: CPU time before the measurement
    print(f"cpu-before {cpu}", file=sys.stderr, flush=True)
    instance, profile = ref.load(path)
    if case == "greedy":
        selected = ref.greedy(instance, profile)
    elif case == "phragmen":
        selected = ref.phragmen(instance, profile)
    else:
        selected = ref.equal_shares(instance, profile, "cost", "add1")
    return {
        "selected": selected,
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
    }


def ours(path: Path, kwargs: dict, repeat: int):
    """Run read_pb + tally ``repeat`` times; return the election, outcome, wall and CPU."""
    from buurtbegroting.tally import read_pb, tally

    wall = cpu = float("inf")
    election = outcome = None
    for _ in range(repeat):
        election = outcome = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        election = read_pb(path)
        if kwargs["rule"] == "phragmen" and election.vote_type not in ("approval", "choose-1"):
            return election, None, 0.0, 0.0
        outcome = tally(election, **kwargs)
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    return election, outcome, wall, cpu


def run_reference(path: Path, case: str, args) -> dict:
    """Run the reference up to --repeat times and return its fastest run.

    A run stopped at --timeout gives ``{"timeout": True, "cpu": …}`` with the CPU time
    it had used inside the measurement (a lower bound of what it would need).
    """
    best: dict | None = None
    for _ in range(args.repeat):
        proc = subprocess.Popen(
            [sys.executable, __file__, "--ref", str(path), case],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, _ = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, _, usage = os.wait4(proc.pid, 0)  # reap it here, to get its CPU time
            proc.returncode = -9
            used = usage.ru_utime + usage.ru_stime
            _, err = proc.communicate()  # what was read before the timeout is kept
            before = [
                float(line.split()[1])
                for line in err.splitlines()
                if line.startswith("cpu-before ")
            ]
            if best is not None:
                return best
            return {"timeout": True, "cpu": used - before[0] if before else None}
        if proc.returncode != 0:
            raise RuntimeError(f"reference failed on {path.name} {case}")
        result = json.loads(out)
        if best is None:
            best = result
        else:
            best["seconds"] = min(best["seconds"], result["seconds"])
            best["cpu"] = min(best["cpu"], result["cpu"])
        if result["seconds"] >= args.ref_repeat_below:
            break
    assert best is not None
    return best


def main() -> int:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--rules", default="", help="comma-separated rules (default: all)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ref-repeat-below", type=float, default=5.0)
    parser.add_argument("--ref", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ref:
        print(json.dumps(reference(*args.ref)))
        return 0

    head = (
        f"{'file':44} {'voters':>7} {'proj':>4} {'rule':24} {'wall s':>8} {'cpu s':>7} "
        f"{'ref wall':>9} {'ref cpu':>8} {'ratio':>7} {'cpu ratio':>9} same"
    )
    print(head, flush=True)
    for path in sorted(DATA.glob("*.pb")):
        if args.only not in path.name:
            continue
        for case, kwargs in RULES:
            if args.rules and case not in args.rules.split(","):
                continue
            election, outcome, wall, cpu = ours(path, kwargs, args.repeat)
            if outcome is None:
                continue
            voters, projects = len(election.ballots), len(election.projects)
            ref_wall = ref_cpu = "skipped"
            ratio = cpu_ratio = same = "-"
            if not (args.quick and voters > 5000):
                result = run_reference(path, case, args)
                if "timeout" in result:
                    ref_wall = f">{args.timeout:.0f}"
                    ratio = f">{args.timeout / wall:.0f}x"
                    if result["cpu"] is not None:
                        ref_cpu = f">{result['cpu']:.0f}"
                        cpu_ratio = f">{result['cpu'] / cpu:.0f}x"
                    else:
                        ref_cpu = "-"
                else:
                    ref_wall, ref_cpu = f"{result['seconds']:.3f}", f"{result['cpu']:.3f}"
                    ratio = f"{result['seconds'] / wall:.1f}x"
                    cpu_ratio = f"{result['cpu'] / cpu:.1f}x"
                    same = "yes" if set(result["selected"]) == set(outcome.selected) else "NO"
            name = path.stem[:44]
            row = (
                f"{name:44} {voters:>7} {projects:>4} {case:24} {wall:>8.3f} {cpu:>7.3f} "
                f"{ref_wall:>9} {ref_cpu:>8} {ratio:>7} {cpu_ratio:>9} {same}"
            )
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
