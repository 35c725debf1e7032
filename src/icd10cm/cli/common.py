"""Arguments and helpers shared by subcommands."""

from __future__ import annotations

import argparse
import codecs
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from icd10cm.core.release import Release

__all__ = ["add_release_arguments", "ascii_json", "chosen_release"]


def add_release_arguments(parser: argparse.ArgumentParser) -> None:
    """``--release`` or ``--date`` (mutually exclusive); the latest release by default."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--release", help="release id, e.g. 2025 or 2025-04 (default: latest)")
    group.add_argument("--date", help="date of service (YYYY-MM-DD): use the release in force")


def chosen_release(args: argparse.Namespace) -> Release:
    """The release that ``--release``/``--date`` name, or the latest one."""
    from icd10cm.releases.registry import resolve_release

    return resolve_release(args.release or None, date_of_service=args.date or None)


def ascii_json() -> bool:
    """Whether JSON for stdout must escape every non-ASCII character: only when stdout
    is not UTF-8. (In UTF-8, the one thing left that cannot be encoded, a lone surrogate
    standing for a byte of an argument that is not UTF-8, is written by stdout's
    ``backslashreplace`` as ``\\udcff``: a JSON escape, so the output stays valid.)"""
    try:
        return codecs.lookup(getattr(sys.stdout, "encoding", None) or "ascii").name != "utf-8"
    except LookupError:
        return True
