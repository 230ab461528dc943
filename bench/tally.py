"""Benchmark the tally engine against pabutools on every Pabulib file.

Usage: .venv/bin/python bench/tally.py [--timeout 600] [--quick] [--only TEXT]

Ours: read_pb + tally, in this process. Reference: pabutools' parser + rule, in a
subprocess killed after --timeout seconds (then shown as ">LIMIT"). Both include parsing.
--quick skips the reference on files with more than 5,000 voters.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "tally")]
DATA = Path("/work/shared/pabulib")

RULES = [
    ("greedy", {"rule": "greedy"}),
    ("equal-shares/cost/add1", {"rule": "equal-shares", "utility": "cost", "completion": "add1"}),
    ("phragmen", {"rule": "phragmen"}),
]


def reference(path: str, case: str) -> dict:
    """Run pabutools once (parse + rule) and return the selection and time."""
    import tally_reference as ref

    start = time.perf_counter()
    instance, profile = ref.load(path)
    if case == "greedy":
        selected = ref.greedy(instance, profile)
    elif case == "phragmen":
        selected = ref.phragmen(instance, profile)
    else:
        selected = ref.equal_shares(instance, profile, "cost", "add1")
    return {"selected": selected, "seconds": time.perf_counter() - start}


def main() -> int:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="")
    parser.add_argument("--ref", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ref:
        print(json.dumps(reference(*args.ref)))
        return 0
    from buurtbegroting.tally import read_pb, tally

    head = f"{'file':44} {'voters':>7} {'proj':>4} {'rule':24} {'ours s':>8} {'ref s':>9} "
    print(head + f"{'ratio':>7} same", flush=True)
    for path in sorted(DATA.glob("*.pb")):
        if args.only not in path.name:
            continue
        for case, kwargs in RULES:
            start = time.perf_counter()
            election = read_pb(path)
            if case == "phragmen" and election.vote_type not in ("approval", "choose-1"):
                continue
            outcome = tally(election, **kwargs)
            ours = time.perf_counter() - start
            voters, projects = len(election.ballots), len(election.projects)
            ref_s, same = "skipped", "-"
            ratio = "-"
            if not (args.quick and voters > 5000):
                try:
                    proc = subprocess.run(
                        [sys.executable, __file__, "--ref", str(path), case],
                        capture_output=True,
                        text=True,
                        timeout=args.timeout,
                        check=True,
                    )
                    result = json.loads(proc.stdout)
                    ref_s = f"{result['seconds']:.3f}"
                    ratio = f"{result['seconds'] / ours:.0f}x"
                    same = "yes" if set(result["selected"]) == set(outcome.selected) else "NO"
                except subprocess.TimeoutExpired:
                    ref_s, ratio = f">{args.timeout:.0f}", f">{args.timeout / ours:.0f}x"
            name = path.stem[:44]
            row = f"{name:44} {voters:>7} {projects:>4} {case:24} {ours:>8.3f} {ref_s:>9} "
            print(row + f"{ratio:>7} {same}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
