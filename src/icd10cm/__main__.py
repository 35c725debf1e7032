"""Command line: ``icd10cm`` or ``python -m icd10cm``.

    icd10cm lookup E11.9 S52.521A [--release 2025 | --date 2025-06-30]
    icd10cm releases

Each subcommand lives in its own module under ``icd10cm.cli``. Exit codes
are documented in ``docs/cli.md``: 0 success, 1 a finding (an invalid code, an
encounter error), 2 bad input or usage, 141 (128 + SIGPIPE) a reader that closed the
pipe before the output was all written.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NoReturn

__all__ = ["main"]


def _version() -> str:
    from icd10cm._version import __version__
    from icd10cm.releases.bundle import data_version

    return f"icd10cm {__version__} (ICD-10-CM data {data_version()})"


class _Parser(argparse.ArgumentParser):
    """argparse, except that help or a version that cannot be written to stdout (a full
    disk) is an error for :func:`main` to report, where argparse would ignore it; a
    usage error is one line."""

    #: The parsers of the subcommands, by name (set on the parser of ``icd10cm``).
    commands: Mapping[str, argparse.ArgumentParser] = MappingProxyType({})

    def _print_message(self, message: str, file: object = None) -> None:
        stdout = sys.stdout
        if stdout is not None and id(stdout) == id(file):
            stdout.write(message)
            stdout.flush()
        elif message and sys.stderr is not None:
            with contextlib.suppress(OSError):
                sys.stderr.write(message)

    def error(self, message: str) -> NoReturn:
        """A usage error as one line on stderr (docs/cli.md), naming the command whose
        ``--help`` describes its usage; exit 2."""
        command = self.prog.removeprefix("icd10cm").strip()
        self.exit(2, f"icd10cm: {command + ': ' if command else ''}{message} "
                     f"(see {self.prog} --help)\n")


def _parser() -> _Parser:
    from icd10cm.cli import COMMANDS

    parser = _Parser(
        prog="icd10cm",
        description="US ICD-10-CM diagnosis codes, every official release bundled.",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"icd10cm.cli.{name}").register(commands)
    parser.commands = MappingProxyType(commands.choices)
    return parser


def _parse(parser: _Parser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed arguments; an argument that no parser knows is the usage error of the
    command it was given to, not of ``icd10cm`` (whose usage would not list it)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        given = list(sys.argv[1:] if argv is None else argv)
        after = (args.command in given and extra[0] in given
                 and given.index(extra[0]) > given.index(args.command))
        command = parser.commands[args.command] if after else parser
        command.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _say(message: str) -> None:
    """One line on stderr (nothing, if stderr is closed)."""
    if sys.stderr is not None:
        print(f"icd10cm: {message}", file=sys.stderr)


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush of output that
    could not be written (a closed pipe, a full disk) does not fail again."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # no descriptor (tests)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (docs/cli.md): errors are one line on
    stderr, never a traceback, including a closed stdin or stdout and a full disk."""
    from icd10cm.cli.common import in_command_line_words
    from icd10cm.errors import Icd10cmError

    if sys.stdout is None:
        _say("standard output is closed, so nothing can be printed; run the command "
             "with an open stdout (redirect it to a file or /dev/null to discard it)")
        return 2
    if isinstance(sys.stdout, io.TextIOWrapper):  # what cannot be encoded is escaped
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        args = _parse(_parser(), argv)
        result: int = args.run(args)
        sys.stdout.flush()
    except SystemExit as exit_:  # --help, --version and usage errors, from argparse
        try:
            sys.stdout.flush()
        except OSError as exc:
            return _unwritable(exc)
        return exit_.code if isinstance(exit_.code, int) else 2
    except Icd10cmError as exc:
        _say(in_command_line_words(str(exc)))
        return 2
    except OSError as exc:
        return _unwritable(exc)
    return result


#: The exit status for a reader that closed the pipe early (`icd10cm validate --file
#: big.csv | head -1`): 128 + SIGPIPE, what the shell reports for a Unix tool that the
#: signal ends (`yes | head -1`), so that `set -o pipefail` sees the output was cut short.
SIGPIPE_STATUS = 128 + int(getattr(signal, "SIGPIPE", 13))


def _unwritable(exc: OSError) -> int:
    """The exit code for output that could not be written."""
    _discard_stdout()  # as docs.python.org's "Note on SIGPIPE" does, before exiting
    if isinstance(exc, BrokenPipeError):  # a closed pipe: silent, as Unix tools are
        return SIGPIPE_STATUS
    _say(f"cannot write the output: {exc.strerror or exc}")  # a full disk, a closed descriptor
    return 2


if __name__ == "__main__":
    sys.exit(main())
