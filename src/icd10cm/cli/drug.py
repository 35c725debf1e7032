"""``icd10cm drug SUBSTANCE [--intent ...]``: the Table of Drugs and Chemicals."""

from __future__ import annotations

import argparse

from icd10cm.cli.common import add_own_data_only, add_release_arguments, chosen_release
from icd10cm.tables.columns import Intent

__all__ = ["register"]

_INTENTS = tuple(column.value for column in Intent)  # cheap: an enum module


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "drug",
        help="look a substance up in the Table of Drugs and Chemicals",
        description="Show a substance's row of the Table of Drugs and Chemicals, or with "
        "--intent the one code for that column. SUBSTANCE is a main term (Acetaminophen) "
        "or a path of terms joined with '>' ('Alcohol > beverage'). Exit 0, or 2 for an "
        "unknown substance, an empty cell (--) or bad input.",
    )
    parser.add_argument("substance", nargs="+", metavar="SUBSTANCE")
    parser.add_argument("--intent", choices=_INTENTS,
                        help="the column: poisoning intent, adverse effect or underdosing")
    add_release_arguments(parser)
    add_own_data_only(parser, "Table of Drugs")
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from icd10cm.cli.table_output import print_code, print_row
    from icd10cm.tables.lookup import drug, drug_row

    release = chosen_release(args)
    substance = " ".join(args.substance)
    if args.intent:
        print_code(drug(substance, args.intent, release=release,
                        own_data_only=args.own_data_only))
    else:
        print_row(drug_row(substance, release=release, own_data_only=args.own_data_only))
    return 0
