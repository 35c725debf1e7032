"""Read the official POA-exempt lists and bundle them (Guidelines Appendix I).

Each fiscal year's folder has ``POAexemptCodes*.txt``: the codes exempt from
present-on-admission reporting, tab-separated with a header row
(``Order...``, ``POAexemptCode``, ``Description``) and CRLF line endings. The
order column is the code's order number in that year's order file and the
description its long title; the build checks both against the release's own
order rows, so a list cannot be bundled with the wrong release. The add, delete
and revise files of a folder document the change from the previous list; the
tests check them against the bundled lists.

Titles that contain a comma are quoted as a spreadsheet quotes them; the build
reads them unquoted. A code that a list names but its release does not have
would be kept, as published, and reported by the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

import attrs

from icd10cm.official.assemble import BuildError, FolderFiles, ReleaseContent
from icd10cm.official.order_file import decode_lines
from icd10cm.official.sources import SourceFile
from icd10cm.releases.table_format import encode_table, merge_rows
from icd10cm_build.catalog import RELEASES
from icd10cm_build.extra_data import ExtraData, relative_records

__all__ = ["PoaExemptRow", "build_poa_exempt", "list_file", "parse_poa_exempt"]

FILE = "poa-exempt.table"
_HEADER = ("poaexemptcode", "description")


@attrs.frozen
class PoaExemptRow:
    """One line of a POA-exempt list: order number, dotted code, long title."""

    order: str
    code: str
    title: str


def list_file(files: Sequence[SourceFile]) -> SourceFile | None:
    """The folder's list of exempt codes (not its add, delete or revise files)."""
    found = [f for f in files if f.role == "poa_exempt"
             and PurePosixPath(f.name).name.lower().startswith("poaexemptcodes")]
    if len(found) > 1:
        raise BuildError(found[0].name, f"more than one POA-exempt list: "
                                        f"{', '.join(f.name for f in found)}")
    return found[0] if found else None


def _unquoted(title: str) -> str:
    """A title as a spreadsheet exports it (``"A, B"`` quoted, inner quotes doubled)."""
    if len(title) >= 2 and title[0] == title[-1] == '"':
        return title[1:-1].replace('""', '"')
    return title


def parse_poa_exempt(data: bytes, file: str) -> tuple[PoaExemptRow, ...]:
    """The rows of a ``POAexemptCodes*.txt`` file, strictly: any deviation names the line."""
    lines = list(decode_lines(data, file))
    header = tuple(field.strip().lower() for field in lines[0].split("\t"))
    if len(header) != 3 or not header[0].startswith("ord") or header[1:] != _HEADER:
        raise BuildError(file, f"unexpected header {lines[0]!r}; expected an order column, "
                               "POAexemptCode and Description")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0].isdigit() or not fields[1]:
            raise BuildError(file, f"not an order, code and title: {line!r}")
        rows.append(PoaExemptRow(fields[0], fields[1].strip(), _unquoted(fields[2].strip())))
        if rows[-1].code != fields[1]:
            raise BuildError(file, f"line {number}: spaces around the code {fields[1]!r}")
    if not rows:
        raise BuildError(file, "the list has no codes")
    return tuple(rows)


def _check_against(rows: Sequence[PoaExemptRow], content: ReleaseContent, file: str) -> None:
    """The order numbers must be the release's own, for the codes it has: a list cannot
    be bundled with the wrong release. (Titles are not compared here: a few differ from
    the order file by a typo or a space; the tests list them.)"""
    order = {row.code: number for number, row in enumerate(content.rows, start=1)}
    wrong = [f"{row.code} (order {row.order})" for row in rows
             if order.get(row.code.replace(".", ""), int(row.order)) != int(row.order)]
    if wrong:
        raise BuildError(file, f"{len(wrong)} order numbers disagree with the order file of "
                               f"release {content.id}, e.g. {'; '.join(wrong[:3])}")


def build_poa_exempt(
    root: Path, folder: Callable[[str], FolderFiles], contents: Sequence[ReleaseContent]
) -> ExtraData:
    """The POA-exempt list of every release whose own folder has one."""
    by_id = {content.id: content for content in contents}
    per_release: dict[str, list[tuple[str, ...]]] = {}
    parts: dict[str, tuple[str, ...]] = {}
    sources = {}
    for spec in reversed(RELEASES):  # newest first: the longest runs for the newest
        if spec.folder is None or spec.id not in by_id:
            continue
        files = folder(spec.folder)
        file = list_file(files.files)
        if file is None:
            continue
        listed = parse_poa_exempt(files.read(file), file.name)
        _check_against(listed, by_id[spec.id], file.name)
        per_release[spec.id] = [(row.code,) for row in listed]
        parts[spec.id] = ("poa_exempt",)
        sources[spec.id] = relative_records(
            [r for r in files.records if r.file == file.name], root)
    rows, selections = merge_rows(per_release)
    order = [spec.id for spec in RELEASES]
    return ExtraData(
        files={FILE: encode_table("poa_exempt", {"code": [row[0] for row in rows]},
                                  selections)},
        parts={rid: parts[rid] for rid in order if rid in parts},
        sources={rid: sources[rid] for rid in order if rid in sources},
    )
