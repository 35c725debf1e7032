"""``icd10cm lookup CODE...``: title, billable or not, chapter and block, notes, 7th characters."""

from __future__ import annotations

import argparse

from icd10cm.cli.common import add_release_arguments, chosen_release, shown

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "lookup",
        help="show codes: title, billable, chapter, notes",
        description="Name the release, then show each code's title, whether it is billable, "
        "its chapter and block, its instructional notes and its 7th characters. Exit 1 if "
        "any code is not in the release.",
    )
    parser.add_argument("codes", nargs="+", metavar="CODE")
    add_release_arguments(parser)
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.codes.validate import validate
    from icd10cm.core.text import normalize
    from icd10cm.errors import MalformedCodeError

    release = chosen_release(args)
    print(f"ICD-10-CM {release.info.label} ({release.id})")
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
        for note in release.notes_at(code.value):
            print(f"    {note.kind}: {note.text}")
        sevenths = code.seventh_characters
        if sevenths and len(code.undotted) < 7:
            print("    7th characters: " + "; ".join(str(s) for s in sevenths))
    return 1 if missing else 0
