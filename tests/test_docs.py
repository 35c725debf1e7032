"""The docs cannot go stale: generated tables, README examples, commands and links."""

from __future__ import annotations

import doctest
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
DOCS = REPO / "docs"
CHANGELOG = REPO / "CHANGELOG.md"

SETUP_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q . && "
    ".venv/bin/python -m icd10cm lookup E11.9 S52.521A G24.9"
)
TEST_COMMAND = (
    "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && "
    ".venv/bin/python -m pytest"
)


def _tool(name: str) -> ModuleType:
    """Import ``tools/<name>.py`` (tools/ is not a package)."""
    path = REPO / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_icd10cm_tools_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def render_data_doc() -> ModuleType:
    return _tool("render_data_doc")


def test_data_doc_release_table_is_up_to_date(render_data_doc: ModuleType) -> None:
    assert render_data_doc.is_up_to_date(), (
        "docs/data.md does not match src/icd10cm/data/releases.json: "
        "run python tools/render_data_doc.py"
    )


def test_data_doc_lists_every_bundled_release(render_data_doc: ModuleType) -> None:
    import icd10cm

    text = (DOCS / "data.md").read_text(encoding="utf-8")
    for info in icd10cm.available_releases():
        assert f"| `{info.id}` | {info.label} | {info.effective_from} |" in text


def test_render_data_doc_check_fails_on_a_stale_doc(
    render_data_doc: ModuleType, tmp_path: Path
) -> None:
    doc = tmp_path / "data.md"
    current = (DOCS / "data.md").read_text(encoding="utf-8")
    assert render_data_doc.main(["--check", "--doc", str(doc)]) == 2  # no such file

    doc.write_text(current.replace("| 74,260 |", "| 74,261 |", 1), encoding="utf-8")
    assert not render_data_doc.is_up_to_date(doc)
    assert render_data_doc.main(["--check", "--doc", str(doc)]) == 1

    assert render_data_doc.main(["--doc", str(doc)]) == 0  # rewrites the generated part
    assert doc.read_text(encoding="utf-8") == current
    assert render_data_doc.main(["--check", "--doc", str(doc)]) == 0


def test_render_data_doc_keeps_the_hand_written_text(
    render_data_doc: ModuleType, tmp_path: Path
) -> None:
    doc = tmp_path / "data.md"
    doc.write_text(f"# Intro\n\n{render_data_doc.BEGIN}\nold\n{render_data_doc.END}\n\nOutro\n",
                   encoding="utf-8")
    assert render_data_doc.main(["--doc", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith(f"# Intro\n\n{render_data_doc.BEGIN}\n\nData version **")
    assert text.endswith(f"\n{render_data_doc.END}\n\nOutro\n")
    assert "\nold\n" not in text


def test_render_data_doc_needs_its_markers(render_data_doc: ModuleType, tmp_path: Path) -> None:
    doc = tmp_path / "data.md"
    doc.write_text("# No markers here\n", encoding="utf-8")
    with pytest.raises(render_data_doc.DocError, match="BEGIN GENERATED"):
        render_data_doc.expected_doc(doc)
    assert render_data_doc.main(["--check", "--doc", str(doc)]) == 2


def _fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE)


def run_pycon_blocks(page: Path) -> doctest.TestResults:
    """Run every ``pycon`` block of a Markdown page in order, as one doctest session,
    and fail with doctest's report."""
    text = page.read_text(encoding="utf-8")
    blocks = list(re.finditer(r"^```pycon\n(.*?)^```$", text, flags=re.DOTALL | re.MULTILINE))
    assert blocks, f"{page.name} has no pycon examples"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    namespace: dict[str, object] = {}
    failures: list[str] = []
    for block in blocks:
        line = text.count("\n", 0, block.start(1))  # doctest adds 1 to this 0-based line
        test = parser.get_doctest(block.group(1), namespace, page.name, str(page), line)
        runner.run(test, out=failures.append, clear_globs=False)
        namespace = test.globs  # get_doctest copies the namespace: carry it on
    assert runner.failures == 0, "".join(failures)
    return runner.summarize(verbose=False)


#: Pages whose examples must stay numerous: a page that loses most of them fails.
MINIMUM_EXAMPLES = {"README.md": 20, "encounters.md": 80, "validating.md": 60, "migration.md": 25,
                    "frames.md": 20}


@pytest.mark.parametrize(
    "page",
    [README, *(p for p in sorted(DOCS.glob("*.md")) if "```pycon" in p.read_text("utf-8"))],
    ids=lambda p: p.name,
)
@pytest.mark.slow
def test_examples_run(page: Path) -> None:
    """Every ``pycon`` block of a page, run in order as one doctest session."""
    assert run_pycon_blocks(page).attempted >= MINIMUM_EXAMPLES.get(page.name, 1)


def test_readme_gives_exactly_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert TEST_COMMAND in lines, "the CI test command must stand alone on a line of README.md"
    assert SETUP_COMMAND in lines
    shell = [line for block in _fenced_blocks(text, "sh") for line in block.splitlines()]
    assert shell == [SETUP_COMMAND, TEST_COMMAND]


def test_readme_versions_match_the_package() -> None:
    import icd10cm

    text = README.read_text(encoding="utf-8")
    assert "icd10cm.__version__" in text and "icd10cm.data_version()" in text
    assert f"FY{icd10cm.data_version()[:4]}" in text


def _markdown_files() -> list[Path]:
    return [README, CHANGELOG, *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        assert path.exists(), f"{page.name} links to {target}, which does not exist"


def test_docs_pages_exist() -> None:
    for name in ("index.md", "data.md", "maintaining.md"):
        assert (DOCS / name).is_file()


def test_changelog_has_an_unreleased_section() -> None:
    text = CHANGELOG.read_text(encoding="utf-8")
    assert text.startswith("# Changelog")
    assert "\n## [Unreleased]\n" in text
    assert "keepachangelog.com" in text
