"""The Table of Drugs and the Neoplasm Table at run time: gold cases checked by hand
against the official XML files, errors, matching, caching and the CLI."""

from __future__ import annotations

import threading

import attrs
import pytest

import icd10cm
from icd10cm import Behavior, Intent, Part
from icd10cm.__main__ import main
from icd10cm.tables.lookup import table_code

# (release, substance, intent, code as printed) - read off the official drug XML files
DRUG_GOLD = [
    ("2025", "Acetaminophen", "accidental", "T39.1X1"),
    ("2025", "Acetaminophen", "intentional_self_harm", "T39.1X2"),
    ("2025", "Acetaminophen", "assault", "T39.1X3"),
    ("2025", "Acetaminophen", "undetermined", "T39.1X4"),
    ("2025", "Acetaminophen", "adverse_effect", "T39.1X5"),
    ("2025", "Acetaminophen", "underdosing", "T39.1X6"),
    ("2016", "Acetaminophen", "accidental", "T39.1X1"),
    ("2020", "Fentanyl", "accidental", "T40.4X1"),  # FY2021 split fentanyl out of T40.4
    ("2021", "Fentanyl", "accidental", "T40.411"),
    ("2026-04", "Fentanyl (analogs)", "accidental", "T40.411"),
    ("2026-04", "Warfarin", "underdosing", "T45.516"),
    ("2026-04", "Aspirin", "adverse_effect", "T39.015"),  # title has (aluminum) (soluble)
    ("2026-04", "Alcohol", "accidental", "T51.91"),
    ("2026-04", "Alcohol > beverage", "accidental", "T51.0X1"),
    ("2024-04", "2,4-D", "accidental", "T60.3X1"),
    ("2026-04", "2,4,5-T", "accidental", "T60.3X1"),  # two rows: the printed title decides
    ("2026-04", "2,4,5-T (trichloro-phenoxyacetic acid)", "accidental", "T60.1X1"),
]

# (release, site, behavior, code as printed) - read off the official neoplasm XML files
NEOPLASM_GOLD = [
    ("2025", "bone > femur", "malignant_primary", "C40.2-"),
    ("2025", "bone > femur", "malignant_secondary", "C79.51"),
    ("2025", "bone > femur", "benign", "D16.2-"),
    ("2026-04", "Neoplasm, neoplastic", "malignant_primary", "C80.1"),
    ("2026-04", "Neoplasm, neoplastic", "unspecified", "D49.9"),
    ("2026-04", "Neoplasm, neoplastic > bone (periosteum)", "benign", "D16.9-"),
    ("2026-04", "bone", "uncertain", "D48.0"),
    ("2026-04", "lung", "malignant_primary", "C34.9-"),
    ("2026-04", "lung", "uncertain", "D38.1"),
    ("2016", "breast", "ca_in_situ", "D05.-"),
    ("2016", "bone > femur", "malignant_primary", "C40.2-"),
]


@pytest.mark.parametrize(("release", "substance", "intent", "printed"), DRUG_GOLD)
@pytest.mark.slow
def test_drug_gold(release: str, substance: str, intent: str, printed: str) -> None:
    found = icd10cm.drug(substance, intent, release=release)
    assert found.printed == printed and found.code == printed
    assert found.column is Intent(intent) and found.release == release
    assert found.in_release and not found.is_complete and found.needs_seventh_character
    full = icd10cm.add_seventh_character(found.code, "A", release=release)
    assert full.startswith(found.code.rstrip("X")) and full.endswith("A")
    assert icd10cm.load_release(release)[full].is_billable


@pytest.mark.parametrize(("release", "site", "behavior", "printed"), NEOPLASM_GOLD)
def test_neoplasm_gold(release: str, site: str, behavior: str, printed: str) -> None:
    found = icd10cm.neoplasm(site, behavior, release=release)
    assert found.printed == printed and found.column is Behavior(behavior)
    assert found.code == printed.rstrip("-").rstrip(".")
    assert found.path[0] == "Neoplasm, neoplastic"
    code = icd10cm.load_release(release).get(found.code)
    assert code is not None
    assert found.is_complete == code.is_billable
    if not found.is_complete:
        assert found.children == tuple(child.value for child in code.children)
        assert f"needs more characters: one of {found.children[0]}" in found.advice
    elif printed.endswith("-"):  # D16.9-: the order file lists D16.9 as reportable
        assert f"the table prints {printed}, but" in found.advice


def test_the_seventh_character_is_explained_and_added() -> None:
    found = icd10cm.drug("Acetaminophen", Intent.ACCIDENTAL, release="2025")
    assert [s.character for s in found.seventh_characters] == ["A", "D", "S"]
    assert "needs a 7th character" in found.advice and "'T39.1X1', 'A'" in found.advice
    assert icd10cm.add_seventh_character(found.code, "A", release="2025") == "T39.1X1A"
    assert found.path == ("Acetaminophen",) and str(found) == "T39.1X1"


def test_a_code_without_placeholder_gets_its_x() -> None:
    found = icd10cm.drug(("Carbon", "monoxide (from incomplete combustion)", "utility gas"),
                         "accidental", release="2026-04")
    assert found.code == "T58.11"
    assert icd10cm.add_seventh_character(found.code, "A", release="2026-04") == "T58.11XA"


def test_whole_rows_and_their_columns() -> None:
    row = icd10cm.drug_row("acetaminophen", release="2025")
    assert row.part is Part.DRUG and row.path == ("Acetaminophen",)
    assert row.cells == ("T39.1X1", "T39.1X2", "T39.1X3", "T39.1X4", "T39.1X5", "T39.1X6")
    assert row.cell(Intent.UNDERDOSING) == "T39.1X6" and row.has_codes
    assert table_code(row, Intent.ASSAULT).code == "T39.1X3"
    site = icd10cm.neoplasm_row("bone > femur", release="2025")
    assert str(site) == "Neoplasm, neoplastic > bone (periosteum) > femur (any part)"
    assert site.modifiers == ("(any part)",) and site.columns == tuple(Behavior)
    assert site.cells == ("C40.2-", "C79.51", "-", "D16.2-", "-", "-")
    with pytest.raises(TypeError):
        table_code(site, Intent.ASSAULT)


def test_an_empty_cell_is_a_typed_error_that_explains_it() -> None:
    with pytest.raises(icd10cm.NoTableCodeError) as error:
        icd10cm.neoplasm("bone > femur", "ca_in_situ", release="2025")
    message = str(error.value)
    assert "'-'" in message and "no code for a neoplasm of this behavior" in message
    assert "malignant_primary C40.2-" in message and "Ca in situ" in message
    with pytest.raises(icd10cm.NoTableCodeError, match=r"'--'.*substance and intent.*T51\.91"):
        icd10cm.drug("Alcohol", "adverse_effect", release="2026-04")


def test_a_row_without_codes_says_where_to_look() -> None:
    with pytest.raises(icd10cm.NoTableCodeError, match="see 'Adrenaline'"):
        icd10cm.drug("Adrenalin", "accidental", release="2025")
    row = icd10cm.drug_row("Adrenalin", release="2025")
    assert row.see == "Adrenaline" and row.cells == ("",) * 6 and not row.has_codes


def test_unknown_terms_get_suggestions() -> None:
    with pytest.raises(icd10cm.UnknownTableTermError) as error:
        icd10cm.drug("acetaminofen", "accidental", release="2025")
    assert error.value.suggestions[0] == "Acetaminophen"
    assert "Unknown substance: 'acetaminofen'" in str(error.value)
    with pytest.raises(icd10cm.UnknownTableTermError, match="neoplasm site") as site:
        icd10cm.neoplasm("bone > femurr", "benign", release="2025")
    assert "Neoplasm, neoplastic > bone (periosteum) > femur (any part)" in site.value.suggestions
    for bad in ("", " > ", 42, ("bone", 3)):
        with pytest.raises(icd10cm.UnknownTableTermError):
            icd10cm.neoplasm_row(bad, release="2025")  # type: ignore[arg-type]


def test_a_term_under_several_rows_is_ambiguous() -> None:
    with pytest.raises(icd10cm.AmbiguousTableTermError) as error:
        icd10cm.drug("beverage", "accidental", release="2026-04")
    assert "Alcohol > beverage" in error.value.candidates
    assert len(error.value.candidates) == len(set(error.value.candidates)) > 2
    with pytest.raises(icd10cm.AmbiguousTableTermError, match="Carbamate \\(sedative\\)"):
        icd10cm.drug_row("Carbamate", release="2026-04")
    assert icd10cm.drug("Carbamate (sedative)", "adverse_effect", release="2026-04").code \
        == "T42.6X5"


def test_matching_ignores_case_accents_and_spacing() -> None:
    for text in ("ACETAMINOPHEN", "  Acétaminophen ", ("acetaminophen",)):
        assert icd10cm.drug(text, "accidental", release="2025").code == "T39.1X1"
    assert icd10cm.neoplasm_row(["Neoplasm, neoplastic", "BONE", "femur"], release="2025") \
        == icd10cm.neoplasm_row("bone (periosteum) > femur (any part)", release="2025")


def test_columns_as_enum_or_value_only() -> None:
    assert icd10cm.drug("Acetaminophen", " Adverse-Effect ", release="2025").code == "T39.1X5"
    with pytest.raises(icd10cm.UnknownTableColumnError, match=r"'poison'.*accidental"):
        icd10cm.drug("Acetaminophen", "poison", release="2025")
    with pytest.raises(icd10cm.UnknownTableColumnError, match="intent"):
        icd10cm.drug("Acetaminophen", Behavior.BENIGN, release="2025")
    with pytest.raises(icd10cm.UnknownTableColumnError, match="behavior"):
        icd10cm.neoplasm("bone", Intent.ASSAULT, release="2025")


@pytest.mark.parametrize(
    ("release", "part", "source", "nearest"),
    [
        ("2027", Part.DRUG, "2026-04", ["2026-04"]),  # the nearest earlier
        ("2027", Part.NEOPLASM, "2026-04", ["2026-04"]),
        ("2018", Part.NEOPLASM, "2017", ["2017", "2019"]),  # earlier before later
        ("2020-04", Part.DRUG, "2020", ["2020", "2021"]),  # its own fiscal year first
        ("2024-04", Part.NEOPLASM, "2023-04", ["2025", "2023-04"]),  # FY2024 has none
        ("2026", Part.DRUG, "2026-04", ["2026-04", "2025-04"]),  # the same fiscal year
    ],
)
def test_a_release_without_the_table_uses_the_nearest_and_says_so(
    release: str, part: Part, source: str, nearest: list[str]
) -> None:
    lookup = icd10cm.drug_row if part is Part.DRUG else icd10cm.neoplasm_row
    term = "Acetaminophen" if part is Part.DRUG else "bone > femur"
    row = lookup(term, release=release)
    assert (row.release, row.source_release, row.borrowed) == (release, source, True)
    assert icd10cm.load_release(release).info.borrowed[part] == source
    assert row == attrs.evolve(lookup(term, release=source), release=release)
    with pytest.raises(icd10cm.TableUnavailableError) as error:
        lookup(term, release=release, own_data_only=True)
    assert [n.split()[0] for n in error.value.nearest] == nearest
    assert f"({release!r})" in str(error.value) and "own_data_only=True" in str(error.value)
    for other in nearest:
        assert part in icd10cm.load_release(other).info.parts


def test_the_latest_release_uses_the_april_2026_tables() -> None:
    assert icd10cm.latest_release().id == "2027"
    code = icd10cm.drug("Acetaminophen", "accidental")
    assert (code.release, code.source_release, code.code) == ("2027", "2026-04", "T39.1X1")
    assert code.problem is None and "7th character" in code.advice
    with pytest.raises(icd10cm.TableUnavailableError, match="2026-04"):
        icd10cm.drug("Acetaminophen", "accidental", own_data_only=True)
    assert icd10cm.drug("Acetaminophen", "accidental", release="2026-06-30").release == "2026-04"


@pytest.mark.slow
def test_a_borrowed_code_that_was_deleted_is_never_presented_as_valid() -> None:
    """The FY2027 order addenda delete T52.8X1A-T52.8X4S (toxic effect of other organic
    solvents); the April 2026 Table of Drugs that FY2027 borrows still prints T52.8X1
    for Acetal. Every cell is re-checked against FY2027."""
    code = icd10cm.drug("Acetal", "accidental", release="2027")
    assert (code.printed, code.source_release) == ("T52.8X1", "2026-04")
    assert not code.is_complete and not code.in_release
    assert code.problem is not None and code.advice == code.problem
    assert "not a code of ICD-10-CM FY2027" in code.problem and "2026-04" in code.problem
    own = icd10cm.drug("Acetal", "accidental", release="2026-04")
    assert own.problem is None and own.needs_seventh_character
    fy2027 = icd10cm.load_release("2027")
    for row in icd10cm.drug_rows(release="2027"):
        for column, cell in zip(row.columns, row.cells, strict=True):
            if cell and cell not in ("-", "--"):
                found = icd10cm.tables.lookup.table_code(row, column)
                if found.problem is not None:
                    assert not found.is_complete and fy2027.get(found.code) is None


@pytest.mark.slow
def test_every_row_is_found_by_its_own_path() -> None:
    """Even rows that differ only in case (``1-propanol``, ``1-Propanol``)."""
    for info in icd10cm.available_releases():
        for part, rows, find in ((Part.DRUG, icd10cm.drug_rows, icd10cm.drug_row),
                                 (Part.NEOPLASM, icd10cm.neoplasm_rows, icd10cm.neoplasm_row)):
            if part in info.parts:
                for row in rows(release=info.id):
                    assert find(row.path, release=info.id) == row
    lower = icd10cm.drug_row("1-propanol", release="2025")
    assert lower.path == ("1-propanol",) != icd10cm.drug_row("1-Propanol", release="2025").path


def test_rows_iterate_in_table_order() -> None:
    rows = list(icd10cm.neoplasm_rows(release="2016"))
    assert rows[0].path == ("Neoplasm, neoplastic",)
    assert all(row.path[0] == "Neoplasm, neoplastic" for row in rows)
    drugs = list(icd10cm.drug_rows(release="2024-04"))
    assert drugs[0].path == ("1-propanol",) and all(r.release == "2024-04" for r in drugs)


@pytest.mark.slow
def test_loaded_once_shared_between_threads_and_dropped_by_clear_cache() -> None:
    from icd10cm.tables import loading

    icd10cm.clear_cache()
    release = icd10cm.load_release("2025")
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(
        loading.loaded_table(Part.DRUG, release))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and all(table is found[0] for table in found)
    assert loading.loaded_table(Part.DRUG, release) is found[0]
    icd10cm.clear_cache()
    assert not loading._cache
    assert loading.loaded_table(Part.DRUG, icd10cm.load_release("2025")) is not found[0]


def test_public_names_are_lazy() -> None:
    import subprocess
    import sys

    code = ("import sys, icd10cm; assert 'icd10cm.tables.lookup' not in sys.modules; "
            "icd10cm.drug; assert 'icd10cm.tables.lookup' in sys.modules; "
            "assert set(icd10cm.__all__) >= {'drug', 'neoplasm', 'Intent', 'Behavior'}")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
def test_cli_prints_a_row_or_one_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drug", "Acetaminophen", "--release", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Acetaminophen\n")
    assert "Underdosing" in out and "T39.1X6" in out
    assert main(["drug", "Acetaminophen", "--intent", "accidental", "--date", "2025-06-30"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("T39.1X1  Acetaminophen | Poisoning, Accidental") and "7th" in out
    assert main(["neoplasm", "bone", ">", "femur", "--release", "2025"]) == 0
    out = capsys.readouterr().out
    assert "femur (any part)" in out and "C40.2-" in out and "Ca in situ" in out
    assert main(["neoplasm", "bone > femur", "--behavior", "malignant_primary",
                 "--release", "2016"]) == 0
    assert capsys.readouterr().out.startswith("C40.2-  Neoplasm, neoplastic > bone")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["drug", "Acetaminophen", "--own-data-only"], "has no Table of Drugs and Chemicals"),
        (["drug", "acetaminofen", "--release", "2025"], "Closest rows: 'Acetaminophen'"),
        (["neoplasm", "femur", "--behavior", "ca_in_situ", "--release", "2025"], "'-'"),
    ],
)
def test_cli_errors_are_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_choices_are_the_columns() -> None:
    from icd10cm.cli import drug, neoplasm

    assert tuple(i.value for i in Intent) == drug._INTENTS
    assert tuple(b.value for b in Behavior) == neoplasm._BEHAVIORS
