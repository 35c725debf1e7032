"""``icd10cm diff A B``: the codes added, deleted, retitled or made (non-)billable."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import TYPE_CHECKING

from icd10cm.cli.common import ascii_json, release_argument

if TYPE_CHECKING:
    from icd10cm.releases.diff import ReleaseDiff

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "diff",
        help="compare two releases",
        description="List the codes added, deleted and retitled, and those whose billable "
        "status changed, from release A to release B (any two releases, either order). "
        "Exit 0, or 2 for an unknown release or a bad date.",
    )
    parser.add_argument("old", metavar="A", help="release id or date of service, e.g. 2025")
    parser.add_argument("new", metavar="B", help="release id or date of service, e.g. 2026")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output format (default: table)")
    parser.set_defaults(run=_run)


def _rows(changes: ReleaseDiff) -> list[tuple[str, str, str, str]]:
    rows = [("added", code, "", "") for code in changes.added]
    rows += [("deleted", code, "", "") for code in changes.deleted]
    # a code whose short title alone changed shows its short titles: its long titles
    # are the same, and a row of two equal titles would not say what changed
    rows += [("retitled", r.code, r.old_title, r.new_title) if r.old_title != r.new_title
             else ("retitled_short", r.code, r.old_short_title, r.new_short_title)
             for r in changes.retitled]
    rows += [("billable", b.code, _kind(b.old_billable), _kind(b.new_billable))
             for b in changes.billable_changed]
    return rows


def _kind(billable: bool) -> str:
    return "billable" if billable else "header"


def _run(args: argparse.Namespace) -> int:
    from icd10cm.io.json import to_json
    from icd10cm.releases.diff import diff

    changes = diff(release_argument("A", args.old), release_argument("B", args.new))
    if args.format == "json":
        print(json.dumps(to_json(changes), indent=1, ensure_ascii=ascii_json()))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("change", "code", "old", "new"))
        writer.writerows(_rows(changes))
    else:
        print(changes)
        rows = _rows(changes)
        width = max((len(row[0]) for row in rows), default=0)
        for change, code, old, new in rows:
            detail = f"{old!r} -> {new!r}" if change.startswith("retitled") else (
                f"{old} -> {new}" if old else "")
            print(f"{change:{max(width, 9)}} {code:9} {detail}".rstrip())
    return 0
