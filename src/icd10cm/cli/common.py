"""Arguments and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import codecs
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icd10cm.core.release import Release

__all__ = ["add_own_data_only", "add_release_arguments", "ascii_json", "borrowed_from",
           "chosen_release", "in_command_line_words", "poa_indicators", "release_argument",
           "shown"]

#: Library wording that names a Python argument or value, and what a user of the command
#: line types instead (docs/cli.md: errors in command-line words).
_COMMAND_LINE_WORDS = (
    ("own_data_only=True", "--own-data-only"),
    ("as a tuple or joined with ' > '", "joined with ' > ' in one argument ('bone > femur')"),
    ("icd10cm.search() still answers", "icd10cm search still answers"),
    ("Try icd10cm.search() with", "Try icd10cm search with"),
    ("Each hit from them names its source_release",
     "Each hit from them says so (\"from release ...\")"),
    ("set setting='inpatient' or leave them out", "add --setting inpatient or leave --poa out"),
    ("use None (or a blank) where there is none", "leave it empty (Y,,N) where there is none"),
    ("use None where there is none", "leave it empty (Y,,N) where there is none"),
    ("Give a datetime.date or an ISO date such as '2025-10-01'",
     "Give it as YYYY-MM-DD, such as 2025-10-01"),
)


#: The library's hint that names the function completing a code with a 7th character:
#: the command line has no such function, and the message lists the full codes already.
_ADD_SEVENTH_HINT = re.compile(r"; icd10cm\.add_seventh_character\([^)]*\) gives [A-Z0-9.]*?"
                               r"(?=\.? The |\.?$)")


def in_command_line_words(message: str) -> str:
    """*message* of the library with each Python argument or value it names (such as
    ``own_data_only=True``) replaced by what the command line takes (``--own-data-only``),
    and hints at library functions (``icd10cm.add_seventh_character(...)``) left out."""
    for library, command_line in _COMMAND_LINE_WORDS:
        message = message.replace(library, command_line)
    return _ADD_SEVENTH_HINT.sub("", message)


def add_release_arguments(parser: argparse.ArgumentParser) -> None:
    """``--release`` or ``--date`` (mutually exclusive); the latest release by default."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--release", help="release id, e.g. 2025 or 2025-04 (default: latest)")
    group.add_argument("--date", type=_date_of_service,
                       help="date of service (YYYY-MM-DD): use the release in force")


def release_argument(option: str, text: str) -> Release:
    """The release that *text*, a release id or a date of service given as *option*
    (``--from``, ``A``...), names; a date that is not one is an error in command-line
    words."""
    from icd10cm.cli.input import InputError
    from icd10cm.errors import InvalidDateError
    from icd10cm.releases.registry import resolve_release

    try:
        return resolve_release(text)
    except InvalidDateError:
        raise InputError(f"{option} {text!r} is not a date: give a release id (such as 2025 "
                         "or 2025-04) or a date of service as YYYY-MM-DD, such as "
                         "2025-10-01") from None


def _date_of_service(text: str) -> date:
    """``--date`` as a date; a usage error in command-line words for text that is not one."""
    from icd10cm.errors import InvalidDateError
    from icd10cm.releases.registry import as_date

    try:
        return as_date(text)
    except InvalidDateError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: give it as YYYY-MM-DD, such as 2025-10-01") from None


def add_own_data_only(parser: argparse.ArgumentParser, what: str) -> None:
    """``--own-data-only``: refuse another release's *what* (the library's own_data_only)."""
    parser.add_argument(
        "--own-data-only", action="store_true",
        help=f"use only the release's own {what}; by default a release without one uses "
             "the nearest release's, and says so")


def borrowed_from(release: str, source_release: str) -> str:
    """``" (from release 2023)"`` for another release's entry; empty for the release's own."""
    return "" if source_release in ("", release) else f" (from release {source_release})"


def chosen_release(args: argparse.Namespace) -> Release:
    """The release that ``--release``/``--date`` name, or the latest one when neither is
    given. An empty value (``--release ""``, as an unset shell variable gives) is an
    error, as any other unknown release is, not the latest release."""
    from icd10cm.releases.registry import resolve_release

    return resolve_release(args.release, date_of_service=args.date)


_ONE_PER_CODE = ("give one per code, comma-separated (Y,,N: leave one empty where there "
                 "is none) or one letter per code (YYN)")


def poa_indicators(text: str | None, codes: Sequence[str]) -> list[str | None] | None:
    """``--poa`` as one indicator per code of *codes*: comma-separated (``Y,,N``: the
    second has none) or one letter per code (``YYN``); None when the option is not
    given. An empty ``--poa ""`` (an unset shell variable) is an error, not "no POA
    data", and so is a count that is not that of *codes*."""
    from icd10cm.cli.input import InputError

    if text is None:
        return None
    if not text:
        raise InputError(f"--poa '' gives no present-on-admission indicators: {_ONE_PER_CODE}, "
                         "or leave --poa out when there are no POA data")
    indicators = [value or None for value in (text.split(",") if "," in text else list(text))]
    if len(indicators) != len(codes):
        raise InputError(f"--poa {text!r} gives {len(indicators)} present-on-admission "
                         f"indicator(s) for {len(codes)} code(s): {_ONE_PER_CODE}")
    return indicators


def shown(text: str) -> str:
    """*text* as a command prints it: as it is, or as its repr when it has a character
    that is not printable (a control character such as NUL, TAB or ESC), so that an
    input cannot garble or recolour the terminal."""
    return text if text.isprintable() else repr(text)


def ascii_json() -> bool:
    """Whether JSON for stdout must escape every non-ASCII character: only when stdout
    is not UTF-8. (In UTF-8, the one thing left that cannot be encoded, a lone surrogate
    standing for a byte of an argument that is not UTF-8, is written by stdout's
    ``backslashreplace`` as ``\\udcff``: a JSON escape, so the output stays valid.)"""
    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name != "utf-8"
    except LookupError:
        return True
