"""``icd10cm search TEXT...``: ranked index terms, titles and inclusion terms for words."""

from __future__ import annotations

import argparse

from icd10cm.cli.common import (
    add_own_data_only,
    add_release_arguments,
    borrowed_from,
    chosen_release,
    in_command_line_words,
)

__all__ = ["register"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "search",
        help="find codes from words (Alphabetic Index, titles, Tabular List notes)",
        description="Search the Alphabetic Index, the External Cause Index, the code titles, "
        "the inclusion terms and the Includes notes of a release, following the index's "
        "see references. Common clinical abbreviations the release does not have (UTI, "
        "AFib, CHF) are searched as the words they stand for, and each hit says so. Case, "
        "accents, word order and word forms do not matter. Exit 0 with a hit, 1 if "
        "nothing matches, 2 on bad input.",
    )
    parser.add_argument("words", nargs="+", metavar="TEXT")
    parser.add_argument("--limit", type=_positive, default=20,
                        help="most hits to show (default: 20)")
    add_release_arguments(parser)
    add_own_data_only(parser, "indexes and Tabular List")
    parser.set_defaults(run=_run)


def _positive(text: str) -> int:
    """``--limit`` as a whole number of 1 or more; a usage error in command-line words."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of hits: give a whole number of 1 or more, such as 5")
    return number


def _run(args: argparse.Namespace) -> int:
    from icd10cm.index.search import search

    result = search(" ".join(args.words), release=chosen_release(args), limit=args.limit,
                    own_data_only=args.own_data_only)
    if result.note:
        print(f"note: {in_command_line_words(result.note)}")
    if result.unknown_words:
        print(f"note: no entry has the word(s): {', '.join(result.unknown_words)}")
    if result.partial:
        print("note: no entry has every word; these lack one of them")
    rows = []
    for hit in result:
        code = hit.code or ""
        if code and hit.needs_more_characters:
            code += " (needs more characters)"
        refs = [f"see {hit.see}"] if hit.see else []
        refs += [f"see also {hit.see_also}"] if hit.see_also else []
        refs += [f"see category {hit.see_category}"] if hit.see_category else []
        if hit.manifestation:
            code += f" [{hit.manifestation}]"
        tail = f"  ({'; '.join(refs)})" if refs else ""
        source = f"{hit.source}{borrowed_from(result.release, hit.source_release)}"
        problem = f"  ! {hit.code_problem}" if hit.code_problem else ""
        via = "".join(f"  (via {reference})" for reference in hit.via)
        via += "".join(f"  [{expansion}]" for expansion in hit.expansions)
        rows.append((code, f"{hit.text}{tail}  [{source}]{via}{problem}"))
    width = max((len(code) for code, _ in rows), default=0)
    for code, text in rows:
        print(f"{code:{width}}  {text}")
    if result.total > len(result):
        print(f"... {result.total - len(result)} more (use --limit)")
    return 0 if result.hits else 1
