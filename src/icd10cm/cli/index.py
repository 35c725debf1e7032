"""``icd10cm index TERM [SUBTERM...]``: walk the Alphabetic Index as the book is read."""

from __future__ import annotations

import argparse

from icd10cm.cli.common import (
    add_own_data_only,
    add_release_arguments,
    borrowed_from,
    chosen_release,
)

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "index",
        help="show an Alphabetic Index term and its subterms",
        description="Show the index term at a path (main term, then subterms), with its "
        "code, see/see also references and subterms. Exit 0, or 2 when the term is not "
        "in the index (the error names the closest terms) or on bad input.",
    )
    parser.add_argument("path", nargs="+", metavar="TERM",
                        help='e.g. "Fracture, traumatic" radius "lower end"')
    parser.add_argument("--external-cause", action="store_true",
                        help="walk the External Cause Index instead")
    add_release_arguments(parser)
    add_own_data_only(parser, "index")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.cli.input import InputError
    from icd10cm.index.entry_text import entry_text
    from icd10cm.index.terms import index_lookup

    blank = next((n for n, term in enumerate(args.path, start=1) if not term.strip()), None)
    if blank is not None:
        raise InputError(f"TERM {blank} is empty: give the main term, then any subterms, "
                         "each as one argument, such as \"Fracture, traumatic\" radius")
    term = index_lookup(*args.path, release=chosen_release(args),
                        external_cause=args.external_cause, own_data_only=args.own_data_only)
    print(f"{term}{borrowed_from(term.release, term.source_release)}")
    if term.code_problem:
        print(f"    ! {term.code_problem}")
    for child in term.children:  # each with its code, [manifestation] and references
        print("    " + entry_text(child.title, child.code, child.manifestation, child.see,
                                  child.see_also, child.see_category))
        if child.code_problem:
            print(f"        ! {child.code_problem}")
    return 0
