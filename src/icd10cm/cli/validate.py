"""``icd10cm validate``: validate codes from arguments, a CSV/TSV file or stdin."""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from icd10cm.cli.common import add_release_arguments, ascii_json, chosen_release

if TYPE_CHECKING:
    from icd10cm.codes.validate import Validation
    from icd10cm.core.release import Release

__all__ = ["register"]

_CHUNK = 100_000  # rows per progress update


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "validate",
        help="validate codes (arguments, a CSV/TSV file or stdin)",
        description="Validate ICD-10-CM codes against a release. Codes come from the "
        "arguments, or from a CSV/TSV file (--file), or from stdin when no codes are "
        "given. Exit 0 if every code is valid (reportable), 1 if any is not, 2 on bad "
        "input.",
    )
    parser.add_argument("codes", nargs="*", metavar="CODE")
    parser.add_argument("--file", metavar="PATH",
                        help="a CSV or TSV file (- for stdin); .tsv files are tab-separated")
    parser.add_argument("--column", metavar="NAME|N",
                        help="the column holding the codes: its header name or 1-based "
                        "number (needed when the file has more than one column)")
    parser.add_argument("--no-header", action="store_true",
                        help="the file has no header row: the first line is data")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output format (default: table)")
    add_release_arguments(parser)
    parser.set_defaults(run=_run)


def _inputs(args: argparse.Namespace) -> list[str]:
    from icd10cm.cli.input import InputError, read_column

    codes, source = list(args.codes), args.file
    if codes == ["-"]:  # `icd10cm validate -`: the file is stdin
        codes, source = [], source or "-"
    if codes and source:
        raise InputError("give codes as arguments or with --file, not both")
    if "-" in codes:
        raise InputError("- (stdin) is a file name: give it alone, or use --file -")
    if codes:
        if args.column or args.no_header:
            raise InputError("--column and --no-header apply to --file or stdin only")
        return codes
    if source is None:
        if sys.stdin is None:
            raise InputError("no codes: give them as arguments or with --file (stdin is "
                             "closed)")
        if sys.stdin.isatty():
            raise InputError("no codes: give them as arguments, with --file, or on stdin")
    return read_column(source or "-", args.column, header=not args.no_header)


def _validated(values: Sequence[str], release: Release) -> list[Validation]:
    from icd10cm.codes.validate import validate_many

    progress = sys.stderr is not None and sys.stderr.isatty() and len(values) > _CHUNK
    step = _CHUNK if progress else max(len(values), 1)
    results: list[Validation] = []
    for start in range(0, len(values), step):
        results.extend(validate_many(values[start:start + step], release=release))
        if progress:
            done = len(results)
            print(f"\rvalidating: {done:,}/{len(values):,} rows ({done / len(values):.0%})",
                  end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return results


def _run(args: argparse.Namespace) -> int:
    from icd10cm.codes.validate import Status

    release = chosen_release(args)  # a bad release is reported before stdin is read
    values = _inputs(args)
    results = _validated(values, release)
    count = len(results)
    width = max(map(len, values), default=0)  # of each verdict's text: its value
    del values
    statuses = {r.status for r in results}
    invalid = count - sum(r.status is Status.VALID for r in results)
    # Written in order, each verdict let go once written: its message is not kept.
    results.reverse()
    rows = map(results.pop, itertools.repeat(-1, count))
    out = sys.stdout
    if args.format == "json":  # an array of validation documents (docs/json.md)
        from icd10cm.io.json import to_json

        out.write("[\n")
        ascii_only = ascii_json()
        for row, r in enumerate(rows):
            out.write((",\n" if row else "") + json.dumps(to_json(r), ensure_ascii=ascii_only))
        out.write("\n]\n" if count else "]\n")
    elif args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["row", "input", "code", "status", "title", "message", "suggestions"])
        writer.writerows([row, r.text, r.code or "", r.status.value, r.title or "",
                          r.message, " ".join(r.suggestions)]
                         for row, r in enumerate(rows, start=1))
    else:
        status_width = max((len(status.value) for status in statuses), default=0)
        write = out.write
        for r in rows:
            write(f"{r.text:<{width}}  {r.status.value:<{status_width}}  {r.message}\n")
        write(f"{count - invalid:,} of {count:,} valid in ICD-10-CM "
              f"{release.info.label} ({release.id})\n")
    return 1 if invalid else 0
