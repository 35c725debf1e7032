"""Reliability of the library: typed errors for any input, bounded messages and memory,
errors that pickle, and the shape of a code (issue 16)."""

from __future__ import annotations

import ast
import gc
import pickle
import tracemalloc
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import icd10cm
from icd10cm import errors
from icd10cm.core.text import CANONICAL, UNDOTTED, dot
from icd10cm.errors import Icd10cmError, quote
from icd10cm.official.assemble import BuildError

SRC = Path(__file__).resolve().parent.parent / "src" / "icd10cm"
HUGE = 10**4300  # str() of it raises ValueError (the 4300-digit limit of Python 3.11+)


class NoRepr:
    """An input whose __repr__ raises."""

    def __repr__(self) -> str:
        raise RuntimeError("repr refused")


class NoReprStr(str):
    """A string whose __repr__ raises."""

    __slots__ = ()

    def __repr__(self) -> str:
        raise RuntimeError("repr refused")


# --- quote: the one safe, bounded repr ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("E11.9", "'E11.9'"), (None, "None"), (2025, "2025"), ("x" * 100_000, "'" + "x" * 78 + "…"),
     (HUGE, f"<int of {HUGE.bit_length()} bits>"), (-HUGE, f"<int of {HUGE.bit_length()} bits>"),
     (NoRepr(), "<NoRepr object whose repr() failed>"), (["x" * 100, 1], "['" + "x" * 77 + "…"),
     ([HUGE], "<list object whose repr() failed>"), ("\ud800", "'\\ud800'")],
    ids=["code", "none", "int", "long", "huge", "-huge", "no-repr", "list", "list-huge",
         "surrogate"],
)
def test_quote_is_a_bounded_repr_that_never_fails(value: object, expected: str) -> None:
    assert quote(value) == expected
    assert len(quote(value)) <= 80


# --- the library's text entry points never leak an untyped exception ----------------------

RELEASE = "2023"  # has every part: notes, the indexes and both tables

ENTRY_POINTS: dict[str, Callable[[Any], object]] = {
    "normalize": lambda x: icd10cm.normalize(x),
    "parse_code": lambda x: icd10cm.parse_code(x, release=RELEASE),
    "validate": lambda x: icd10cm.validate(x, release=RELEASE),
    "is_valid": lambda x: icd10cm.is_valid(x, release=RELEASE),
    "validate_many": lambda x: list(icd10cm.validate_many([x, x], release=RELEASE)),
    "release=": lambda x: icd10cm.validate("E11.9", release=x),
    "load_release": lambda x: icd10cm.load_release(x),
    "release_for": lambda x: icd10cm.release_for(x),
    "search": lambda x: icd10cm.search(x, release=RELEASE),
    "search limit=": lambda x: icd10cm.search("fracture", release=RELEASE, limit=x),
    "index_lookup": lambda x: icd10cm.index_lookup(x, release=RELEASE),
    "drug_row": lambda x: icd10cm.drug_row(x, release=RELEASE),
    "drug intent": lambda x: icd10cm.drug("Acetaminophen", x, release=RELEASE),
    "neoplasm_row": lambda x: icd10cm.neoplasm_row(x, release=RELEASE),
    "seventh_characters": lambda x: icd10cm.seventh_characters(x, release=RELEASE),
    "add_seventh_character": lambda x: icd10cm.add_seventh_character(
        "S52.521", x, release=RELEASE),
    "pad_placeholder": lambda x: icd10cm.pad_placeholder(x, release=RELEASE),
    "i69_side_code": lambda x: icd10cm.i69_side_code("I69.35", x),
    "convert": lambda x: icd10cm.convert(x, "2024", "2025"),
    "diff": lambda x: icd10cm.diff(x, "2025"),
    "loads": lambda x: icd10cm.loads(x, icd10cm.Code),
    "from_json": lambda x: icd10cm.from_json(
        {"icd10cm_json": 1, "type": "code", "code": x, "release": "2025"}, icd10cm.Code),
    "from_codes": lambda x: icd10cm.Encounter.from_codes([x], release=RELEASE),
    "setting=": lambda x: icd10cm.Encounter.from_codes(["E11.9"], setting=x),
    "present_on_admission=": lambda x: icd10cm.Encounter.from_codes(
        ["E11.9"], setting="inpatient", present_on_admission=[x]),
    "date_of_service=": lambda x: icd10cm.Encounter.from_codes(["E11.9"], date_of_service=x),
    "elixhauser": lambda x: icd10cm.elixhauser(x, release=RELEASE),
    "elixhauser [code]": lambda x: icd10cm.elixhauser([x, "E11.9"], release=RELEASE),
    "elixhauser poa=": lambda x: icd10cm.elixhauser(["E11.9"], poa=x, release=RELEASE),
    "elixhauser version=": lambda x: icd10cm.elixhauser(["E11.9"], version=x),
    "charlson": lambda x: icd10cm.charlson([x], release=RELEASE),
    "charlson weights=": lambda x: icd10cm.charlson(["E11.9"], weights=x),
}

LONG = ["x" * 100_000, "E11.9" + " " * 100_000, "\ud800" * 100_000, "fracture " * 11_000]
HOSTILE = st.one_of(
    st.text(max_size=12),
    st.text(st.characters(categories=["Cs"]), min_size=1, max_size=4),  # lone surrogates
    st.text(alphabet="EQAXSZ0123456789.- \t", max_size=9),  # near codes
    st.sampled_from([HUGE, -HUGE, NoRepr(), NoReprStr("E11.9"), None, float("nan"), True,
                     b"E11.9", ["E11.9"], {"code": "E11.9"}, date(2025, 1, 1), *LONG]),
    st.integers(),
    st.floats(),
)


def _says(entry: str, value: object) -> str:
    """What an entry point says of *value*: its error's message, or its results' messages.
    Any exception other than an Icd10cmError fails the test."""
    try:
        result = ENTRY_POINTS[entry](value)
    except Icd10cmError as error:
        return str(error)
    results = result if isinstance(result, list) else [result]
    return " ".join(str(getattr(r, "message", "")) for r in results) + " ".join(
        str(u) for r in results for u in getattr(r, "unmapped", ()))


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=HOSTILE)
def test_text_entry_points_give_a_result_or_an_icd10cm_error(entry: str, value: object) -> None:
    assert len(_says(entry, value)) < 5_000  # the input is quoted, bounded, never whole


@pytest.mark.slow
@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=HOSTILE)
def test_text_entry_points_at_length(entry: str, value: object) -> None:
    assert len(_says(entry, value)) < 5_000


@pytest.mark.parametrize("entry", ["normalize", "parse_code", "validate", "validate_many",
                                   "load_release", "release="])
@pytest.mark.parametrize("value", [HUGE, NoRepr()], ids=["huge-int", "failing-repr"])
def test_a_huge_int_and_a_failing_repr_are_quoted_safely(entry: str, value: object) -> None:
    said = _says(entry, value)
    assert f"<int of {HUGE.bit_length()} bits>" in said or "<NoRepr object whose repr() " \
        "failed>" in said
    assert icd10cm.is_valid(value, release="2025") is False  # type: ignore[arg-type]


def test_validate_never_raises_and_quotes_the_input_bounded() -> None:
    for value in (HUGE, NoRepr(), NoReprStr("E1"), "x" * 100_000):
        verdict = icd10cm.validate(value, release="2025")  # type: ignore[arg-type]
        assert verdict.status is icd10cm.Status.MALFORMED
        assert len(verdict.message) < 300 and repr(verdict)
    verdict = icd10cm.validate(NoReprStr("E11.9"), release="2025")
    assert verdict.is_valid and type(verdict.text) is str  # its own text, not the input's
    assert icd10cm.validate(HUGE, release="2025").text == f"<int of {HUGE.bit_length()} bits>"  # type: ignore[arg-type]


# --- memory -------------------------------------------------------------------------------


@pytest.mark.slow
def test_long_inputs_are_not_memoised() -> None:
    """The memo counts entries: text longer than any code is not kept, and its message
    quotes it truncated, so 200 distinct 100 KB strings keep no memory (issue 16: 3,000
    of them grew a process from 63 MB to 631 MB)."""
    release = icd10cm.load_release("2025")
    icd10cm.validate("E11.9", release=release)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(200):
            text = f"{n:05d}" + "x" * 100_000
            verdict = icd10cm.validate(text, release=release)
            assert verdict.status is icd10cm.Status.MALFORMED and len(verdict.message) < 300
            del text, verdict
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 1_000_000  # 200 inputs of 100 KB would be 20 MB


# --- the shape of a code --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["XYZ", "AAA", "QAA", "EEE.1", "ZZZ9", "xyz"])
def test_text_that_breaks_the_code_grammar_is_malformed_not_unknown(text: str) -> None:
    verdict = icd10cm.validate(text, release="2027")
    assert verdict.status is icd10cm.Status.MALFORMED, verdict
    with pytest.raises(icd10cm.MalformedCodeError):
        icd10cm.parse_code(text)


def test_the_grammar_names_the_characters_and_the_rule() -> None:
    with pytest.raises(icd10cm.MalformedCodeError) as info:
        icd10cm.normalize("xyz")
    assert "'xyz'" in str(info.value) and "characters 2 and 3 are 'YZ'" in str(info.value)


@pytest.mark.parametrize("code", ["QA0", "QA0.0", "QA00.101", "C4A", "Z3A.00", "E11.9"])
def test_codes_with_a_letter_second_or_third_are_well_formed(code: str) -> None:
    assert CANONICAL.fullmatch(icd10cm.normalize(code.lower()))


@pytest.mark.slow
def test_every_code_of_every_bundled_release_fits_the_grammar() -> None:
    for info in icd10cm.available_releases():
        release = icd10cm.load_release(info.id)
        for undotted in release.undotted_codes:
            assert UNDOTTED.fullmatch(undotted), (info.id, undotted)
            assert icd10cm.normalize(undotted) == dot(undotted)
        assert any(code.startswith("QA") for code in release.undotted_codes) == (
            info.fiscal_year >= 2026), info.id  # the only categories with a letter second


@pytest.mark.slow
@pytest.mark.cms_raw
def test_every_code_of_every_official_order_file_fits_the_grammar(cms_raw: Path) -> None:
    """The official files, including FY2027's, are the authority: the only codes with a
    letter in position 2 are those of QA0 and QA1 (FY2026 on), whose third is a digit."""
    import gzip

    seen = set()
    for path in sorted(cms_raw.glob("*/*order*.txt*")):
        if "addenda" in path.name:
            continue
        data = path.read_bytes()
        lines = (gzip.decompress(data) if path.suffix == ".gz" else data).decode().splitlines()
        for line in lines:
            code = line[6:13].rstrip()
            assert UNDOTTED.fullmatch(code), (path, code)
            if not code[1].isdigit():
                seen.add(code[:3])
    assert seen == {"QA0", "QA1"}


# --- errors ---------------------------------------------------------------------------------

EXAMPLES: list[Icd10cmError] = [
    errors.Icd10cmError("something went wrong"),
    errors.UnknownReleaseError("1999", ["2025", "2026"]),
    errors.ConversionUnavailableError("2030", ["2025", "2026"]),
    errors.NoReleaseForDateError(date(2001, 1, 1), ["2016"], "2015-10-01 to 2027-09-30",
                                 before=True),
    errors.ReleaseDateMismatchError("2025", "FY2025", date(2020, 1, 1), "2020"),
    errors.InvalidDateError("2025-13-01"),
    errors.SourceFileError("order.txt", "truncated", 12),
    errors.DataIntegrityError("codes.table", "sha256 mismatch"),
    errors.MalformedCodeError("XYZ", "characters 2 and 3 are 'YZ'"),
    errors.UnknownCodeError("E11.99", "2025", "FY2025", "in no release", ("E11.9",)),
    errors.SeventhCharacterError("E11.9", "it takes no 7th character"),
    errors.PlaceholderError("W21.89", "no code"),
    errors.EncounterError([(0, "bad code"), (None, "bad date")]),
    errors.DominanceError("'middle' is not a Side"),
    errors.SerializationError("Code", ["expected an object @ $"]),
    errors.IndexUnavailableError("2027", "FY2027", "Alphabetic Index", ["2023"]),
    errors.PoaExemptUnavailableError("2016", "FY2016", ["2017"], own_data_only=False),
    errors.UnknownIndexTermError("Fracturez", ("Fracture",), "Alphabetic Index", ("x",)),
    errors.SearchQueryError("", "no words"),
    errors.TableUnavailableError("2027", "FY2027", "Table of Drugs", ["2023"]),
    errors.UnknownTableTermError("Acetaminophenn", "substance", "Table of Drugs", ["a"]),
    errors.AmbiguousTableTermError("femur", "Neoplasm Table", ["a > femur", "b > femur"]),
    errors.NoTableCodeError("Acetaminophen", "underdosing", "Table of Drugs", "empty"),
    errors.UnknownTableColumnError("bogus", "intent", ["accidental"]),
    errors.UnsupportedColumnError({"a": 1}),
    errors.ComorbidityError("Unknown CMR version 'v2024.1'"),
    errors.UnsupportedTableError(["E11.9"]),
    errors.MissingColumnError([("position", "dx_position")], ["claim", "dx"]),
    errors.DuplicateColumnError([("code", "dx")], ["claim", "dx", "dx"]),
]


def _exported_errors() -> set[type[BaseException]]:
    return {value for name in icd10cm.__all__
            if isinstance(value := getattr(icd10cm, name), type)
            and issubclass(value, BaseException)}


def test_the_examples_cover_every_exported_exception() -> None:
    assert {type(error) for error in EXAMPLES} == _exported_errors()


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
def test_every_exported_exception_pickles(error: Icd10cmError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error) and copy.args == error.args
    assert vars(copy) == vars(error)


def _unknown_code() -> None:
    icd10cm.parse_code("E11.99", release="2025")


def test_an_error_crosses_a_process_boundary() -> None:
    with ProcessPoolExecutor(max_workers=1) as pool, \
            pytest.raises(icd10cm.UnknownCodeError) as info:
        pool.submit(_unknown_code).result()
    assert info.value.code == "E11.99" and info.value.suggestions
    assert "'E11.99' is not a code of ICD-10-CM FY2025" in str(info.value)


def test_every_public_exception_lives_in_errors_and_is_exported() -> None:
    defined = {value for value in vars(errors).values()
               if isinstance(value, type) and issubclass(value, Icd10cmError)}
    assert defined == _exported_errors()
    assert sorted(c.__name__ for c in defined) == sorted(
        name for name in errors.__all__ if name != "quote")
    assert issubclass(icd10cm.DominanceError, icd10cm.Icd10cmError)
    assert issubclass(icd10cm.DominanceError, ValueError)
    # Elsewhere: only private helpers, the command line's own input error, the build's
    # SourceFileError subclass and the bundled-data reader's internal error.
    elsewhere = set()
    for path in SRC.rglob("*.py"):
        if path.name == "errors.py" and path.parent == SRC:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ClassDef) and not node.name.startswith("_")
                    and node.name.endswith(("Error", "Exception"))):
                elsewhere.add(node.name)
    assert elsewhere == {"InputError", "BuildError", "TableFormatError"}
    assert issubclass(BuildError, icd10cm.SourceFileError)


def test_dominance_errors_name_the_bad_value() -> None:
    with pytest.raises(icd10cm.DominanceError, match="'middle' is not a Side: give 'right' or"):
        icd10cm.i69_side_code("I69.35", "middle")
    with pytest.raises(icd10cm.DominanceError, match=r"whose repr\(\) failed> is not a Handedness"):
        icd10cm.i69_side_code("I69.35", "left", NoRepr())  # type: ignore[arg-type]
    assert icd10cm.i69_side_code("I69.35", "left", "right").value == "I69.354"


def test_from_codes_reports_every_problem_at_once() -> None:
    """A bad code, a release that does not cover the date of service and a POA count that
    does not match: one EncounterError lists them all."""
    with pytest.raises(icd10cm.EncounterError) as info:
        icd10cm.Encounter.from_codes(["E11.9", "E11.99"], setting="inpatient",
                                     release="2025", date_of_service="2020-06-01",
                                     present_on_admission=["Y"])
    problems = [problem for _, problem in info.value.problems]
    assert len(problems) == 3, problems
    assert any("'2025'" in p and "does not cover the date of service 2020-06-01" in p
               and "'2020-04'" in p for p in problems)
    assert any("1 present-on-admission indicator(s) for 2 diagnoses" in p for p in problems)
    assert (1, next(p for p in problems if "E11.99" in p)) in info.value.problems
    assert str(info.value).startswith("Invalid encounter (3 problems)")



_MINI_2025 = Path(__file__).resolve().parent / "fixtures" / "mini-cms" / "2025"
# What a user does with a release built from files; each leaves caches filled for it.
_USES: dict[str, Callable[[icd10cm.Release, list[str]], object]] = {
    "validate": lambda r, codes: [icd10cm.validate(c, release=r).message for c in codes],
    "validate_many": lambda r, codes: list(icd10cm.validate_many(codes, release=r)),
    "unknown code": lambda r, codes: icd10cm.validate("Q99.99", release=r).suggestions,
    "check and sequence": lambda r, codes: icd10cm.sequence(
        icd10cm.Encounter.from_codes(codes[:3], release=r), own_data_only=True),
    "check": lambda r, codes: icd10cm.check(icd10cm.Encounter.from_codes(codes, release=r)),
    "navigation": lambda r, codes: [(r[c].parent, r[c].children) for c in codes],
    "notes": lambda r, codes: [r.notes_for(c) for c in codes],
    "search": lambda r, codes: icd10cm.search("dystonia", release=r),
    "index_lookup": lambda r, codes: icd10cm.index_lookup("Dystonia", release=r),
    "elixhauser": lambda r, codes: icd10cm.elixhauser(codes, release=r),
    "charlson": lambda r, codes: icd10cm.charlson(codes, release=r),
    "rules": lambda r, codes: icd10cm.rules(r),
    "poa_exempt_list": lambda r, codes: icd10cm.poa_exempt_list(r),
}


# The uses whose caches once kept the release alive run in the fast tier; the rest, slow.
_ONCE_LEAKED = ("check", "search")


@pytest.mark.parametrize("use", [
    pytest.param(use, marks=() if use in _ONCE_LEAKED else pytest.mark.slow)
    for use in sorted(_USES)])
def test_a_release_built_from_files_is_freed_once_dropped(use: str) -> None:
    # The library's caches must not keep a release alive after the caller lets it go
    # (a weakly keyed cache whose value refers to the release would).
    built = icd10cm.release_from_files(_MINI_2025)
    codes = [code.value for code in built.billable_codes()][:6]
    _USES[use](built, codes)
    gone = weakref.ref(built)
    del built
    for _ in range(20):  # the analyses of the last few encounters are kept a while
        for own_data_only in (False, True):
            icd10cm.check(icd10cm.Encounter.from_codes(["J18.9"], release="2025"),
                          own_data_only=own_data_only)
    gc.collect()
    assert gone() is None, f"{use} keeps the release alive"


def test_clear_cache_takes_back_what_the_caches_keep_on_a_release() -> None:
    built = icd10cm.release_from_files(_MINI_2025)
    codes = [code.value for code in built.billable_codes()][:3]
    icd10cm.check(icd10cm.Encounter.from_codes(codes, release=built))
    icd10cm.search("dystonia", release=built)
    assert len(built.memos) == 2  # the facts of its codes, its search index
    icd10cm.clear_cache()
    assert built.memos == {}
    assert icd10cm.check(icd10cm.Encounter.from_codes(codes, release=built)) is not None
    assert len(built.memos) == 1  # made again on use
