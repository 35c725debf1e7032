"""Command line: ``icd10cm`` or ``python -m icd10cm``.

    icd10cm lookup E11.9 S52.521A [--release 2025 | --date 2025-06-30]
    icd10cm releases
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _release_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--release", help="release id, e.g. 2025 or 2025-04 (default: latest)")
    group.add_argument("--date", help="date of service (YYYY-MM-DD): use the release in force")


def _lookup(args: argparse.Namespace) -> int:
    from icd10cm.errors import MalformedCodeError
    from icd10cm.parsing import normalize
    from icd10cm.releases import latest_release, load_release, release_for
    from icd10cm.validation import validate

    if args.date:
        release = release_for(args.date)
    elif args.release:
        release = load_release(args.release)
    else:
        release = latest_release()
    missing = 0
    for text in args.codes:
        try:
            code = release.get(normalize(text))
        except MalformedCodeError:
            code = None
        if code is None:
            print(f"{text}: {validate(text, release=release).message}")
            missing += 1
            continue
        kind = "billable" if code.is_billable else "header (not billable)"
        print(f"{code.value}  {code.title}")
        print(f"    {kind}; {code.chapter}; block {code.block}")
        for note in release.notes_at(code.value):
            print(f"    {note.kind}: {note.text}")
        sevenths = code.seventh_characters
        if sevenths and len(code.undotted) < 7:
            print("    7th characters: " + "; ".join(str(s) for s in sevenths))
    return 1 if missing else 0


def _releases(_args: argparse.Namespace) -> int:
    from icd10cm.releases import available_releases

    for info in available_releases():
        parts = ", ".join(sorted(str(p) for p in info.parts))
        print(
            f"{info.id:8} {info.label:24} {info.effective_from} to {info.effective_to}  "
            f"{info.billable_count:6} billable  {info.header_count:6} headers  [{parts}]"
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    from icd10cm.errors import Icd10cmError

    parser = argparse.ArgumentParser(prog="icd10cm", description="US ICD-10-CM codes.")
    commands = parser.add_subparsers(dest="command", required=True)
    lookup = commands.add_parser("lookup", help="show codes: title, billable, chapter, notes")
    lookup.add_argument("codes", nargs="+", metavar="CODE")
    _release_arguments(lookup)
    lookup.set_defaults(run=_lookup)
    releases = commands.add_parser("releases", help="list the bundled releases")
    releases.set_defaults(run=_releases)
    args = parser.parse_args(argv)
    try:
        result: int = args.run(args)
        sys.stdout.flush()
    except Icd10cmError as exc:
        print(f"icd10cm: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `icd10cm releases | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
