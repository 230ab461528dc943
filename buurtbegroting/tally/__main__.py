"""Command line: ``python -m buurtbegroting.tally FILE.pb [--rule …]`` prints one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
import time

from . import PabulibError, meta_rule, read_pb, tally


def main(argv: list[str] | None = None) -> int:
    """Tally a Pabulib file and print the outcome as JSON; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m buurtbegroting.tally", description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--rule", choices=["greedy", "equal-shares", "phragmen"])
    parser.add_argument("--utility", choices=["cost", "cardinality"], default="cost")
    parser.add_argument(
        "--completion", choices=["none", "greedy", "add1", "add1-only"], default="add1"
    )
    parser.add_argument(
        "--tie-break",
        default="lexicographic",
        help="lexicographic|cheaper|listed|seed:N (listed: the order of PROJECTS)",
    )
    parser.add_argument("--threshold", help="minimum score, or a percentage of voters like 10%%")
    parser.add_argument("--no-skip", action="store_true", help="greedy: stop at the first misfit")
    parser.add_argument("--lenient", action="store_true", help="tolerate known file defects")
    parser.add_argument("--no-explanation", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        election = read_pb(args.file, lenient=args.lenient)
        if args.rule is None:
            kwargs = meta_rule(election)
        else:
            kwargs = {"rule": args.rule}
            if args.threshold is not None:
                kwargs["threshold"] = args.threshold
            if args.no_skip:
                kwargs["no_skip"] = True
        if kwargs["rule"] == "equal-shares":
            kwargs.setdefault("utility", args.utility)
            kwargs.setdefault("completion", args.completion)
        outcome = tally(election, tie_break=args.tie_break, **kwargs)
    except PabulibError as exc:
        for line, reason in exc.problems:
            where = f"line {line}" if line else "file"
            print(f"{args.file}: {where}: {reason}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    result = outcome.to_json()
    result["seconds"] = round(time.perf_counter() - start, 4)
    if election.adjustments:
        result["adjustments"] = [{"line": ln, "reason": r} for ln, r in election.adjustments]
    if args.no_explanation:
        result.pop("explanation")
    ordered = {k: result[k] for k in ("rule", "selected", "total_cost", "budget", "seconds")}
    ordered.update(result)
    json.dump(ordered, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
