"""``icd10cm validate``: validate codes from arguments, a CSV/TSV file or stdin."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import operator
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING, TypeVar

from icd10cm.cli.common import add_release_arguments, ascii_json, chosen_release, shown
from icd10cm.errors import quote

if TYPE_CHECKING:
    from icd10cm.codes.validate import Validation
    from icd10cm.core.release import Release

__all__ = ["register"]

_T = TypeVar("_T")

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
                        help="a CSV or TSV file in UTF-8 (- for stdin): .tsv and .tab files are "
                        "tab-separated, .csv files comma-separated, others tab-separated "
                        "when their first line has a tab")
    parser.add_argument("--column", metavar="NAME|N",
                        help="the column holding the codes: its header name or 1-based "
                        "number (needed when the file has more than one column)")
    parser.add_argument("--no-header", action="store_true",
                        help="the file has no header row: the first line is data")
    parser.add_argument("--delimiter", metavar="CHAR", type=_delimiter,
                        help="the character that separates the file's columns, such as ';' "
                        "or '|' (or tab), instead of the one chosen from the file's name")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table",
                        help="output format (default: table)")
    add_release_arguments(parser)
    parser.set_defaults(run=_run)


def _delimiter(text: str) -> str:
    """``--delimiter`` as one character (``tab`` or a typed ``\\t``: a tab); a usage
    error for text that cannot separate the columns of codes."""
    if text.lower() in ("tab", "\\t"):
        return "\t"
    if len(text) != 1 or text.isalnum() or text in '."\r\n':
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot separate the columns: give one character that is not a letter, "
            "a digit, a dot, a quote or a line break, such as ';' or '|' (or tab)")
    return text


def _inputs(args: argparse.Namespace) -> list[str]:
    from icd10cm.cli.input import InputError, other_delimiter, read_column

    codes, source = list(args.codes), args.file
    if codes == ["-"]:  # `icd10cm validate -`: the file is stdin
        codes, source = [], source or "-"
    if codes and source:
        raise InputError("give codes as arguments or with --file, not both")
    if "-" in codes:
        raise InputError("- (stdin) is a file name: give it alone, or use --file -")
    if codes:
        if args.column or args.no_header or args.delimiter:
            raise InputError("--column, --no-header and --delimiter apply to --file or stdin "
                             "only")
        return codes
    if source is None:
        if sys.stdin is None:
            raise InputError("no codes: give them as arguments or with --file (stdin is "
                             "closed)")
        if sys.stdin.isatty():
            raise InputError("no codes: give them as arguments, with --file, or on stdin")
    values, delimiter, header = read_column(source or "-", args.column,
                                            header=not args.no_header, delimiter=args.delimiter)
    if header is not None and sys.stderr is not None:
        other = other_delimiter(header, delimiter)
        if other is not None:
            print(f"icd10cm: note: the header of the column, {quote(header)}, holds "
                  f"{quote(other)}; if {quote(other)} separates the file's columns, give "
                  f"--delimiter {quote(other)}", file=sys.stderr)
        from icd10cm.codes.validate import Status, validate

        # a code of some release (not merely shaped like one, as DX1 is)
        if validate(header).status not in (Status.UNKNOWN, Status.MALFORMED, Status.MISSING):
            print(f"icd10cm: note: the header of the column, {quote(header)}, is a code; "
                  "if the file has no header row, give --no-header to validate it too",
                  file=sys.stderr)
    return values


class _Rows:
    """The values of the rows, the verdicts on them (see
    :func:`~icd10cm.codes.validate.shared_verdicts`: one per code, and the rows are
    written with their own text) and the position of each row's verdict."""

    def __init__(self, values: Sequence[str], release: Release) -> None:
        from icd10cm.codes.validate import shared_verdicts

        self.values = values
        self.verdicts: list[Validation] = []
        self.positions: list[int] = []
        progress = sys.stderr is not None and sys.stderr.isatty() and len(values) > _CHUNK
        step = _CHUNK if progress else max(len(values), 1)
        for start in range(0, len(values), step):
            verdicts, positions = shared_verdicts(values[start:start + step], release=release)
            self.positions.extend(map(len(self.verdicts).__add__, positions))
            self.verdicts.extend(verdicts)
            if progress:
                done = len(self.positions)
                print(f"\rvalidating: {done:,}/{len(values):,} rows "
                      f"({done / len(values):.0%})", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)

    def batches(self, render: Callable[[Validation], _T]) -> Iterator[tuple[int, Sequence[str],
                                                                          Iterator[_T]]]:
        """The rows in batches of ``_BATCH``: the number of the batch's first row, its
        values and ``render(verdict)`` of each row, worked out once per code (every
        field it writes but the text is the same for the verdicts on one code)."""
        by_code: dict[str, _T] = {}
        tails = []
        for verdict in self.verdicts:
            code = verdict.code
            if code is None:  # malformed: the message repeats the text
                tails.append(render(verdict))
            else:
                tail = by_code.get(code)
                if tail is None:
                    tail = by_code[code] = render(verdict)
                tails.append(tail)
        for start in range(0, len(self.values), _BATCH):
            stop = start + _BATCH
            yield (start, self.values[start:stop],
                   map(tails.__getitem__, self.positions[start:stop]))


def _unprintable(values: Sequence[str]) -> Iterator[int]:
    """The positions of the texts with a character that is not printable: a control
    character such as NUL, TAB or ESC, which the table shows escaped (:func:`shown`)."""
    return itertools.compress(itertools.count(), map(operator.not_, map(str.isprintable, values)))


def _write_table(rows: _Rows, write: Callable[[str], object], status_width: int) -> None:
    values = rows.values
    width = max(map(len, values), default=0)
    width = max([width, *(len(shown(values[index])) for index in _unprintable(values))])

    def render(verdict: Validation) -> str:
        return f"  {verdict.status.value:<{status_width}}  {verdict.message}\n"

    for _, batch, tails in rows.batches(render):
        texts = list(batch)
        for index in _unprintable(texts):
            texts[index] = shown(texts[index])
        # f"{text:<{width}}" pads a str as str.ljust() does
        padded = map(str.ljust, texts, itertools.repeat(width))
        write("".join(itertools.chain.from_iterable(zip(padded, tails, strict=True))))


def _write_csv(rows: _Rows, write: Callable[[str], object]) -> None:
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
    for start, values, tails in rows.batches(render):
        # The writer quotes each field alone: a text without the characters it may quote
        # for is written as it is, any other as the writer writes it alone (not empty).
        fields = list(values)
        for index in itertools.compress(itertools.count(), map(_CSV_SPECIAL, fields)):
            fields[index] = written([fields[index]]).removesuffix("\n")
        write("".join(map("{},{},{}".format, itertools.count(start + 1), fields, tails)))


def _write_json(rows: _Rows, write: Callable[[str], object]) -> None:
    """An array of validation documents (docs/json.md), as ``json.dumps(to_json(r))``
    writes each: the text of a row is spliced into the rest of its document."""
    from icd10cm.io.json import to_json

    ascii_only = ascii_json()
    encode = json.JSONEncoder(ensure_ascii=ascii_only).encode  # as json.dumps() makes it
    string = encode_basestring_ascii if ascii_only else encode_basestring
    mark = string("\0text\0")
    head = '{"icd10cm_json": 1, "type": "validation", "text": '

    def render(verdict: Validation) -> str:
        document = to_json(verdict)
        document["text"] = "\0text\0"
        before, _, after = encode(document).partition(mark)
        assert before == head, before  # the text is the third key of every document
        return after + ",\n"

    write("[\n")
    for start, values, tails in rows.batches(render):
        lines = "".join(itertools.chain.from_iterable(
            zip(itertools.repeat(head), map(string, values), tails)))
        write(lines if start + _BATCH < len(rows.values) else lines.removesuffix(",\n"))
    write("\n]\n" if rows.values else "]\n")


def _run(args: argparse.Namespace) -> int:
    from icd10cm.codes.validate import Status

    release = chosen_release(args)  # a bad release is reported before stdin is read
    values = _inputs(args)
    rows = _Rows(values, release)
    count = len(values)
    valid = [verdict.status is Status.VALID for verdict in rows.verdicts]
    invalid = count - sum(map(valid.__getitem__, rows.positions))
    statuses = {verdict.status for verdict in rows.verdicts}
    write = sys.stdout.write
    if args.format == "json":
        _write_json(rows, write)
    elif args.format == "csv":
        _write_csv(rows, write)
    else:
        status_width = max((len(status.value) for status in statuses), default=0)
        _write_table(rows, write, status_width)
        write(f"{count - invalid:,} of {count:,} valid in ICD-10-CM "
              f"{release.info.label} ({release.id})\n")
    return 1 if invalid else 0
