"""Run pabutools on every Pabulib file and store its outcomes as test fixtures.

Usage: .venv/bin/python scripts/make_tally_fixtures.py [--timeout 1200] [--only TEXT]

Each (file, rule) runs in its own subprocess with a time limit; a run that exceeds it
is recorded as ``{"timeout": LIMIT}``. Results go to tests/tally/fixtures/<file>.json
(written after every run, so an interrupted run keeps what it has) together with the
pabutools version. Progress is printed to stderr.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
DATA = Path("/work/shared/pabulib")
OUT = ROOT / "tests" / "tally" / "fixtures"


def cases_for(path: Path) -> list[str]:
    """Return the reference runs to make for one file."""
    from buurtbegroting.tally import read_pb

    election = read_pb(path)
    cases = ["greedy"]
    if election.meta.get("min_project_score_threshold", "").strip():
        cases.append("greedy-threshold")
    cases += ["equal-shares/cost/none", "equal-shares/cost/add1", "equal-shares/cardinality/add1"]
    if election.vote_type in ("approval", "choose-1"):
        cases.append("phragmen")
    return cases


def run_one(path: str, case: str) -> dict:
    """Run one reference case in this process and return its result."""
    from tests.tally import tally_reference as ref

    instance, profile = ref.load(path)
    start = time.perf_counter()
    if case == "greedy":
        result = {"selected": ref.greedy(instance, profile)}
    elif case == "greedy-threshold":
        threshold = instance.meta["min_project_score_threshold"]
        result = {"selected": ref.greedy(instance, profile, threshold=threshold)}
    elif case == "phragmen":
        result = {"selected": ref.phragmen(instance, profile)}
    else:
        _, utility, completion = case.split("/")
        if completion == "none":
            result = {"selected": ref.equal_shares(instance, profile, utility, "none")}
        else:
            # one expensive add1 run gives both the add1-only and the completed outcome
            only = ref.equal_shares(instance, profile, utility, "add1-only")
            done = ref.complete_greedily(instance, profile, only)
            result = {"selected": done, "selected_add1_only": only}
    result["seconds"] = round(time.perf_counter() - start, 3)
    return result


def _stored(path: Path, case: str) -> bool:
    target = OUT / f"{path.stem}.json"
    return target.exists() and case in json.loads(target.read_text()).get("results", {})


def main() -> int:
    """Run every case for every file, with progress and a time limit per run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per run")
    parser.add_argument("--only", default="", help="only files whose name contains this")
    parser.add_argument("--missing", action="store_true", help="skip runs already stored")
    parser.add_argument("--one", nargs=2, metavar=("FILE", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in DATA.glob("*.pb") if args.only in p.name)
    todo = [(f, c) for f in files for c in cases_for(f) if not (args.missing and _stored(f, c))]
    for n, (path, case) in enumerate(todo, start=1):
        target = OUT / f"{path.stem}.json"
        data = json.loads(target.read_text()) if target.exists() else {}
        data.update(
            {
                "file": path.name,
                "pabutools_version": version("pabutools"),
                "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        data.setdefault("results", {})
        print(f"[{n}/{len(todo)}] {path.name} {case} …", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, __file__, "--one", str(path), case],
                capture_output=True,
                text=True,
                timeout=args.timeout,
                check=True,
            )
            result = json.loads(proc.stdout)
        except subprocess.TimeoutExpired:
            result = {"timeout": args.timeout}
        except subprocess.CalledProcessError as exc:
            result = {"error": exc.stderr.strip().splitlines()[-1:]}
        took = time.perf_counter() - start
        print(f"    {took:.1f} s: {str(result)[:100]}", file=sys.stderr, flush=True)
        data["results"][case] = result
        target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
