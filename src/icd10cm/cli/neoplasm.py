"""``icd10cm neoplasm SITE [--behavior ...]``: the Neoplasm Table."""

from __future__ import annotations

import argparse

from icd10cm.cli.common import add_own_data_only, add_release_arguments, chosen_release
from icd10cm.tables.columns import Behavior

__all__ = ["register"]

_BEHAVIORS = tuple(column.value for column in Behavior)  # cheap: an enum module


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "neoplasm",
        help="look a site up in the Neoplasm Table",
        description="Show a site's row of the Neoplasm Table, or with --behavior the one "
        "code for that column. SITE is a path of terms joined with '>' ('bone > femur'); "
        "the main term 'Neoplasm, neoplastic' may be left out. Exit 0, or 2 for an unknown "
        "site, an empty cell (--) or bad input.",
    )
    parser.add_argument("site", nargs="+", metavar="SITE")
    parser.add_argument("--behavior", choices=_BEHAVIORS, help="the column: the behavior")
    add_release_arguments(parser)
    add_own_data_only(parser, "Neoplasm Table")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.cli.table_output import print_code, print_row
    from icd10cm.tables.lookup import neoplasm, neoplasm_row

    release = chosen_release(args)
    site = " ".join(args.site)
    if args.behavior:
        print_code(neoplasm(site, args.behavior, release=release,
                            own_data_only=args.own_data_only))
    else:
        print_row(neoplasm_row(site, release=release, own_data_only=args.own_data_only))
    return 0
