"""Run the console examples of docs/cli.md and compare their output, and check that
the page documents every command."""

from __future__ import annotations

import contextlib
import re
import shlex
from pathlib import Path

import pytest

from icd10cm.__main__ import main
from icd10cm.cli import COMMANDS

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", PAGE.read_text(encoding="utf-8"),
                      flags=re.MULTILINE | re.DOTALL)


def _examples() -> list[tuple[str, str]]:
    """(command line, expected output) for every ``$ icd10cm ...`` line of the page."""
    examples = []
    for block in _blocks("console"):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


def _pattern(expected: str) -> re.Pattern[str]:
    """A line ``...`` stands for any lines; a line ending in ``...`` for any rest of it."""
    parts = []
    for line in expected.splitlines():
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        elif line.endswith("..."):
            parts.append(re.escape(line[:-3]) + r"[^\n]*\n")
        else:
            parts.append(re.escape(line) + r"\n")
    return re.compile("".join(parts))


def test_the_page_has_examples_and_documents_every_command() -> None:
    assert len(_examples()) >= 8
    headings = re.findall(r"^## `(\w+)", PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert sorted(headings) == sorted(COMMANDS)


@pytest.mark.parametrize(("command", "expected"), _examples(), ids=[c for c, _ in _examples()])
def test_console_example(
    command: str, expected: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "claims.csv").write_text(_blocks("csv")[0], encoding="utf-8")
    argv = shlex.split(command)
    assert argv[0] == "icd10cm"
    with contextlib.suppress(SystemExit):  # --version exits through argparse
        main(argv[1:])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert _pattern(expected).fullmatch(output), f"{command}\n--- got:\n{output}"
