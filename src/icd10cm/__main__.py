"""Command line: ``icd10cm`` or ``python -m icd10cm``.

    icd10cm lookup E11.9 S52.521A [--release 2025 | --date 2025-06-30]
    icd10cm releases

Each subcommand lives in its own module under ``icd10cm.cli``. Exit codes
are documented in ``docs/cli.md``: 0 success, 1 a finding (an invalid code, an
encounter error), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _version() -> str:
    from icd10cm._version import __version__
    from icd10cm.releases.bundle import data_version

    return f"icd10cm {__version__} (ICD-10-CM data {data_version()})"


def _parser() -> argparse.ArgumentParser:
    from icd10cm.cli import COMMANDS

    parser = argparse.ArgumentParser(
        prog="icd10cm",
        description="US ICD-10-CM diagnosis codes, every official release bundled.",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"icd10cm.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from icd10cm.errors import Icd10cmError

    args = _parser().parse_args(argv)
    try:
        result: int = args.run(args)
        sys.stdout.flush()
    except Icd10cmError as exc:
        print(f"icd10cm: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `icd10cm releases | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
