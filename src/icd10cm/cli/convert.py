"""``icd10cm convert CODE --from A --to B``: follow the official conversion tables."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "convert",
        help="convert a code to another release",
        description="Convert a code of release A to the codes of release B (older or "
        "newer) by the official CMS/CDC conversion tables, showing every candidate and "
        "the steps that lead to it. Exit 0 with a candidate, 1 with none, 2 on bad input "
        "(an unknown release, a code not in release A).",
    )
    parser.add_argument("code", metavar="CODE")
    parser.add_argument("--from", dest="source", required=True, metavar="A",
                        help="the release of CODE (id or date of service)")
    parser.add_argument("--to", dest="target", required=True, metavar="B",
                        help="the release to convert to (id or date of service)")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.cli.common import release_argument
    from icd10cm.releases.conversion import convert

    result = convert(args.code, release_argument("--from", args.source),
                     release_argument("--to", args.target))
    print(f"{result.code} ({result.from_release}) -> release {result.to_release}: "
          f"{len(result.candidates)} candidate(s)")
    for candidate in result.candidates:
        print(f"  {candidate.code}  ({candidate.relation})")
        for step in candidate.steps:
            if str(step.relation) != "unchanged":
                print(f"      {step}")
    for dead in result.dead_ends:
        print(f"  no conversion: {dead.reason}")
    return 0 if result.candidates else 1
