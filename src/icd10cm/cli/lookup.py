"""``icd10cm lookup CODE...``: title, billable or not, chapter and block, notes, 7th characters."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from icd10cm.cli.common import add_own_data_only, add_release_arguments, chosen_release, shown

if TYPE_CHECKING:
    from icd10cm.core.code import Code
    from icd10cm.core.release import Release

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "lookup",
        help="show codes: title, billable, chapter, notes",
        description="Name the release, then show each code's title, whether it is billable, "
        "its chapter and block, the instructional notes that apply to it (its own, then "
        "those of each code above it, its block and its chapter) and its 7th characters. "
        "Exit 0 when every code is in the release, 1 when one is not, 2 on bad input "
        "(an unknown release, a bad date).",
    )
    parser.add_argument("codes", nargs="+", metavar="CODE")
    add_release_arguments(parser)
    add_own_data_only(parser, "Tabular List notes")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.codes.seventh import seventh_characters
    from icd10cm.codes.validate import validate
    from icd10cm.core.seventh import meaning_sources
    from icd10cm.core.text import normalize
    from icd10cm.errors import MalformedCodeError

    release = chosen_release(args)
    print(f"ICD-10-CM {release.info.label} ({release.id})")
    if args.own_data_only and not release.has_notes:
        _say_no_notes(release)
    missing = 0
    for text in args.codes:
        try:
            code = release.get(normalize(text))
        except MalformedCodeError:
            code = None
        if code is None:
            print(f"{shown(text)}: {validate(text, release=release).message}")
            missing += 1
            continue
        kind = "billable" if code.is_billable else "header (not billable)"
        print(f"{code.value}  {code.title}")
        print(f"    {kind}; {code.chapter}; block {code.block}")
        _print_notes(release, code, own_data_only=args.own_data_only)
        sevenths = seventh_characters(code, own_data_only=args.own_data_only)
        if sevenths and len(code.undotted) < 7:
            lenders = meaning_sources(sevenths)
            whose = (f" (meanings from the {', '.join(lenders)} Tabular List)" if lenders
                     else "")
            print("    7th characters: " + "; ".join(str(s) for s in sevenths) + whose)
    return 1 if missing else 0


def _say_no_notes(release: Release) -> None:
    """The note that ``--own-data-only`` leaves out the notes of a release without a
    Tabular List of its own, naming the nearest releases that have one."""
    from icd10cm.core.info import Part
    from icd10cm.releases.nearest import nearest_having

    nearest = ", ".join(info.id for info in nearest_having(release, Part.TABULAR))
    print(f"note: release {release.id} has no Tabular List of its own and --own-data-only "
          "refuses another release's, so no instructional notes are shown (the nearest "
          f"releases with one: {nearest or 'none'})")


def _print_notes(release: Release, code: Code, *, own_data_only: bool) -> None:
    """The notes that apply to *code*, nearest first, under the node each stands at; for a
    release without a tabular of its own, whose notes they are and what changed since."""
    notes = release.notes_for(code, own_data_only=own_data_only)
    if notes and notes[0].source_release != release.id:
        print(f"    notes of the {notes[0].source_release} Tabular List (release "
              f"{release.id} has none of its own), re-checked against {release.id}")
    node = ""
    for note in notes:
        if note.node != node:
            node = note.node
            print(f"    at {note.where}:")
        print(f"        {note.kind}: {note.text}")
        for problem in note.reference_problems:
            print(f"            ! {problem}")
