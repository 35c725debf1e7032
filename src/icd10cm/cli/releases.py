"""``icd10cm releases``: the bundled releases, their dates, counts and parts."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "releases",
        help="list the bundled releases",
        description="List every bundled release: id, label, dates in force, counts of "
        "billable codes and headers, and the parts it has.",
    )
    parser.set_defaults(run=_run)


def _run(_args: argparse.Namespace) -> int:
    from icd10cm.releases.registry import available_releases

    for info in available_releases():
        parts = ", ".join(sorted(str(p) for p in info.parts))
        print(
            f"{info.id:8} {info.label:24} {info.effective_from} to {info.effective_to}  "
            f"{info.billable_count:6} billable  {info.header_count:6} headers  [{parts}]"
        )
    return 0
