"""Random terms of the official index and table files, read here with plain
ElementTree, looked up through the public API.

The reader below is independent of the build (``tools/icd10cm_build``): it walks
``mainTerm`` > ``term`` > ``term`` ... of each official file as the book prints it
(a title is its text and its ``<nemod>``), and for a few hundred random terms of
every file asks :func:`icd10cm.index_lookup` (or :func:`icd10cm.drug` and
:func:`icd10cm.neoplasm`, for every column) for the term by its printed path. The
answer must be the file's own: the ``code``, the ``manif`` printed in brackets after
it, the ``see``/``seeAlso`` references and the ``seecat``/``subcat`` category; in
the tables every cell, with ``-``/``--`` (no code) and the empty cell raising
:class:`icd10cm.NoTableCodeError`, and a dash-ended cell needing more characters.

Two differences between the XML and the printed book are applied here as the
book prints them (docs/search.md, "What the official files encode differently"):
a ``Note:`` term holding subterms stands under its preceding sibling, and
same-titled siblings are one term with the others among its ``alternatives``.
"""

from __future__ import annotations

import gzip
import random
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import pytest

import icd10cm
from icd10cm import Behavior, Intent, NoTableCodeError

pytestmark = pytest.mark.slow  # reads every official index and table file

SAMPLES = 300  # terms per index file
TABLE_SAMPLES = 150  # rows per table file (each with its 6 columns)
SEED = 20261207


def _space(text: str | None) -> str:
    return " ".join((text or "").split())


def _root(path: Path) -> ET.Element:
    data = path.read_bytes()
    return ET.fromstring(gzip.decompress(data) if path.name.endswith(".gz") else data)


def _printed(term: ET.Element) -> str:
    """The title as the book prints it: its text, a space (none before a plural "(s)"),
    its ``<nemod>`` and what follows it (``Insect<nemod>(sting)</nemod>, venomous``:
    "Insect (sting), venomous"; ``Band<nemod>(s)</nemod>``: "Band(s)")."""
    title = term.find("title")
    assert title is not None
    nemod = title.find("nemod")
    if nemod is None:
        return _space(title.text)
    space = "" if (nemod.text or "").startswith("(s)") else " "
    return _space(f"{title.text or ''}{space}{nemod.text or ''}{nemod.tail or ''}")


@attrs.frozen
class RawTerm:
    path: tuple[str, ...]
    fields: dict[str, str]  # tag -> text, for code, manif, see, seeAlso, seecat, subcat
    cells: dict[str, str]  # col -> text (the tables)
    twins: int  # siblings with the same printed title, this one included


def _walk(terms: list[ET.Element], above: tuple[str, ...]) -> Iterator[RawTerm]:
    siblings: list[tuple[str, ET.Element]] = []
    for term in terms:
        title = _printed(term)
        children = term.findall("term")
        if title.startswith("Note:") and children and siblings:
            # the book prints the note and its subterms under the preceding sibling
            yield from _walk([term, *children], (*above, siblings[-1][0]))
            continue
        siblings.append((title, term))
    counts: dict[str, int] = {}
    for title, _ in siblings:
        counts[title] = counts.get(title, 0) + 1
    for title, term in siblings:
        fields = {child.tag: _space(child.text) for child in term
                  if child.tag in ("code", "manif", "see", "seeAlso", "seecat", "subcat")}
        cells = {cell.get("col", ""): _space(cell.text) for cell in term.findall("cell")}
        yield RawTerm((*above, title), fields, cells, counts[title])
        children = term.findall("term")
        if title.startswith("Note:") and children:
            continue  # walked where the book prints them, by the loop above
        yield from _walk(children, (*above, title))


def raw_terms(path: Path) -> list[RawTerm]:
    root = _root(path)
    mains = [main for letter in root.iter("letter") for main in letter.findall("mainTerm")]
    return list(_walk(mains, ()))


def _files(role: str) -> list[tuple[str, str]]:
    """(release, file relative to cms-raw) of every release's own file of *role*."""
    return [(info.id, source.file) for info in icd10cm.available_releases()
            for source in info.sources if source.role == role]


def _sample(items: list[RawTerm], count: int, salt: str) -> list[RawTerm]:
    return random.Random(f"{SEED}-{salt}").sample(items, min(count, len(items)))


@pytest.mark.parametrize("role", ["index", "eindex"])
def test_random_index_terms_give_the_official_codes_and_references(
        cms_raw: Path, role: str) -> None:
    files = _files(role)
    assert len(files) == (4 if role == "index" else 10)
    failures = []
    for release, file in files:
        terms = raw_terms(cms_raw / file)
        # every term with two codes (etiology + [manifestation]) and every reference
        # to a category is checked, besides the random sample
        chosen = {term.path: term for term in _sample(terms, SAMPLES, release + role)}
        for term in terms:
            if "manif" in term.fields or "seecat" in term.fields or "subcat" in term.fields:
                chosen.setdefault(term.path, term)
        for raw in chosen.values():
            try:
                found = icd10cm.index_lookup(*raw.path, release=release,
                                             external_cause=role == "eindex")
            except icd10cm.Icd10cmError as error:
                failures.append((release, raw.path, repr(error)))
                continue
            if found.source_release != release:
                failures.append((release, raw.path, "not its own index"))
            options = [found, *found.alternatives] if raw.twins > 1 else [found]
            want = raw.fields
            expected = (want.get("code"), want.get("manif"), want.get("see"),
                        want.get("seeAlso"), want.get("seecat") or want.get("subcat"))
            got = [(term.code, term.manifestation, _space(term.see) or None,
                    _space(term.see_also) or None, term.see_category) for term in options]
            if expected not in got and not (raw.twins > 1 and _merged(expected, got)):
                failures.append((release, raw.path, f"expected {expected}, got {got}"))
            if raw.twins == 1 and _space(found.text) != raw.path[-1]:
                failures.append((release, raw.path, f"printed as {found.text!r}"))
        print(f"{release} {role}: {len(chosen)} of {len(terms)} terms checked")
    assert not failures, "\n".join(map(str, failures[:40]))


def _merged(expected: tuple[str | None, ...],
            got: Sequence[tuple[str | None, ...]]) -> bool:
    """Two same-titled siblings that differ in no field are one term: the merged term
    has every field of this one."""
    return any(all(e is None or e == g for e, g in zip(expected, one, strict=True))
               for one in got)


def _cell(role: str, path: tuple[str, ...], column: Intent | Behavior,
          release: str) -> icd10cm.TableCode:
    if role == "drug":
        assert isinstance(column, Intent)
        return icd10cm.drug(path, column, release=release)
    assert isinstance(column, Behavior)
    return icd10cm.neoplasm(path, column, release=release)


@pytest.mark.parametrize("role", ["drug", "neoplasm"])
def test_random_table_cells_give_the_official_codes(cms_raw: Path, role: str) -> None:
    columns: list[Intent | Behavior] = [*(Intent if role == "drug" else Behavior)]
    files = _files(role)
    assert len(files) == (11 if role == "drug" else 10)
    failures = []
    empty = dashed = 0
    for release, file in files:
        rows = [row for row in raw_terms(cms_raw / file) if row.twins == 1]
        for raw in _sample(rows, TABLE_SAMPLES, release + role):
            for number, column in enumerate(columns, start=2):
                cell = raw.cells.get(str(number), "")
                try:
                    found = _cell(role, raw.path, column, release)
                except NoTableCodeError:
                    if cell and cell not in ("-", "--"):
                        failures.append((release, raw.path, column, cell, "no code"))
                    empty += 1
                    continue
                except icd10cm.Icd10cmError as error:
                    failures.append((release, raw.path, column, cell, repr(error)))
                    continue
                if found.printed != cell or found.code != cell.rstrip("-").rstrip("."):
                    failures.append((release, raw.path, column, cell, found.printed))
                if found.source_release != release:
                    failures.append((release, raw.path, column, cell, found.source_release))
                if cell.endswith("-"):  # the table's mark: more characters are needed
                    dashed += 1
                    stem = found.code
                    if found.is_complete and icd10cm.load_release(release)[stem].is_billable:
                        continue  # the order file has the last word (docs/tables.md)
                    if found.is_complete or not (found.children or found.seventh_characters):
                        failures.append((release, raw.path, column, cell, found.advice))
                elif role == "drug" and not found.needs_seventh_character:
                    # every poisoning, adverse effect and underdosing code (T36-T65)
                    # takes a 7th character (Tabular List, T36-T65 sevenChrDef)
                    failures.append((release, raw.path, column, cell, found.advice))
        print(f"{release} {role}: {min(TABLE_SAMPLES, len(rows))} rows checked")
    assert empty and (dashed or role == "drug")
    assert not failures, "\n".join(map(str, failures[:40]))
