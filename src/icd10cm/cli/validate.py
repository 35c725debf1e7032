"""``icd10cm validate``: validate codes from arguments, a CSV/TSV file or stdin."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, TypeVar

from icd10cm.cli.common import add_release_arguments, ascii_json, chosen_release

if TYPE_CHECKING:
    from icd10cm.codes.validate import Validation
    from icd10cm.core.release import Release

__all__ = ["register"]

T = TypeVar("T")

_CHUNK = 100_000  # rows per progress update
_BATCH = 10_000  # rows per write
# The characters for which the csv writer may quote a text (its delimiter, its quote and
# line breaks): a text without them is written as it is.
_CSV_SPECIAL = re.compile('[,"\r\n]').search


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
    """The verdict on each of *values*, shared by the values that name one code (see
    :func:`~icd10cm.codes.validate.shared_verdicts`): only their text differs, and the
    rows are written with their own."""
    from icd10cm.codes.validate import shared_verdicts

    progress = sys.stderr is not None and sys.stderr.isatty() and len(values) > _CHUNK
    step = _CHUNK if progress else max(len(values), 1)
    verdicts = shared_verdicts(values, release=release)
    results: list[Validation] = []
    while len(results) < len(values):
        results.extend(itertools.islice(verdicts, step))
        if progress:
            done = len(results)
            print(f"\rvalidating: {done:,}/{len(values):,} rows ({done / len(values):.0%})",
                  end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return results


def _tails(verdicts: list[Validation], render: Callable[[Validation], T]) -> Iterator[T]:
    """``render(verdict)`` for each of *verdicts*, worked out once per code: every field
    it writes but the text is the same for the verdicts on one code."""
    rendered: dict[str, T] = {}
    for verdict in verdicts:
        code = verdict.code
        if code is None:  # malformed: the message repeats the text
            yield render(verdict)
            continue
        tail = rendered.get(code)
        if tail is None:
            tail = rendered[code] = render(verdict)
        yield tail


def _batches(values: Sequence[str], tails: Iterator[T]) -> Iterator[list[tuple[str, T]]]:
    """The rows (each value with its tail) in lists of ``_BATCH``."""
    for start in range(0, len(values), _BATCH):
        yield list(zip(values[start:start + _BATCH], itertools.islice(tails, _BATCH)))


def _write_table(values: Sequence[str], verdicts: list[Validation], write: Callable[[str], object],
                 status_width: int) -> None:
    width = max(map(len, values), default=0)

    def render(verdict: Validation) -> str:
        return f"{verdict.status.value:<{status_width}}  {verdict.message}\n"

    for batch in _batches(values, _tails(verdicts, render)):
        write("".join([f"{text:<{width}}  {tail}" for text, tail in batch]))


def _write_csv(values: Sequence[str], verdicts: list[Validation],
               write: Callable[[str], object]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def written(row: list[object]) -> str:
        writer.writerow(row)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    def render(verdict: Validation) -> str:
        return written([verdict.code or "", verdict.status.value, verdict.title or "",
                        verdict.message, " ".join(verdict.suggestions)])

    write(written(["row", "input", "code", "status", "title", "message", "suggestions"]))
    row = 0
    for batch in _batches(values, _tails(verdicts, render)):
        lines = []
        for text, tail in batch:
            row += 1
            # The writer quotes each field alone: a text without these characters is
            # written as it is (a superset of those it quotes, in any Python).
            head = (f"{row},{text}," if _CSV_SPECIAL(text) is None
                    else written([row, text]).removesuffix("\n") + ",")
            lines.append(head + tail)
        write("".join(lines))


def _write_json(values: Sequence[str], verdicts: list[Validation],
                write: Callable[[str], object]) -> None:
    """An array of validation documents (docs/json.md), as ``json.dumps(to_json(r))``
    writes each; the text of a row is spliced into the rest of its document."""
    from icd10cm.io.json import to_json

    ascii_only = ascii_json()
    encode = json.JSONEncoder(ensure_ascii=ascii_only).encode  # as json.dumps() makes it
    string = encode_basestring_ascii if ascii_only else encode_basestring
    mark = "\0text\0"

    def render(verdict: Validation) -> tuple[str, str]:
        document = to_json(verdict)
        document["text"] = mark  # the third key, before any other string
        before, _, after = encode(document).partition(string(mark))
        return before, after

    write("[\n")
    separator = ""
    for batch in _batches(values, _tails(verdicts, render)):
        lines = []
        write(separator + ",\n".join([before + string(text) + after
                                       for text, (before, after) in batch]))
        separator = ",\n"
    write("\n]\n" if values else "]\n")


def _run(args: argparse.Namespace) -> int:
    from icd10cm.codes.validate import Status

    release = chosen_release(args)  # a bad release is reported before stdin is read
    values = _inputs(args)
    verdicts = _validated(values, release)
    count = len(verdicts)
    statuses = {verdict.status for verdict in verdicts}
    invalid = count - sum(verdict.status is Status.VALID for verdict in verdicts)
    write = sys.stdout.write
    if args.format == "json":
        _write_json(values, verdicts, write)
    elif args.format == "csv":
        _write_csv(values, verdicts, write)
    else:
        status_width = max((len(status.value) for status in statuses), default=0)
        _write_table(values, verdicts, write, status_width)
        write(f"{count - invalid:,} of {count:,} valid in ICD-10-CM "
              f"{release.info.label} ({release.id})\n")
    return 1 if invalid else 0
