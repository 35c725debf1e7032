"""``shared_verdicts``, the bulk path of ``icd10cm validate --file``, agrees with
:func:`icd10cm.validate` row by row.

It validates an ASCII text once per key (the text stripped, upper case, without its
dot) and keeps one verdict per code. The reference is :func:`icd10cm.validate` on each
text alone: every field but the text must be equal, for every status a string can get.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

import icd10cm
from icd10cm import Status, Validation
from icd10cm.codes.validate import shared_verdicts
from icd10cm.core.text import dot

__all__: list[str] = []

_FIELDS = ("status", "message", "release", "code", "title", "suggestions",
           "seventh_characters")

# Each status a string can get (MISSING is for None and NaN), in the forms claims use
# and the ones normalize() accepts or refuses: one dot anywhere, two dots, white space
# inside or around (ASCII and not), non-ASCII look-alikes, blank and long text.
TEXTS = [
    "E11.9", "E119", "e11.9", " e119 ", "\tE11.9\n", "\x1cE11.9\x1f", "E1.19", ".E119",
    "E119.", "e1.19 ", "\u00a0E11.9", "E11.9\u3000", "I10", "i10 ", "I10.",  # valid
    "E11", "e11", "S52.5", "s525 ",  # header
    "S52.521", "s52521", "W21.89X", "w2189x", "T07", "T07.XX", "t07xx ",  # 7th missing
    "W21.89A", "w2189a", "T07A", "t07.a",  # placeholder missing
    "S52.521Z", "s52521z ", "T07.XXXZ",  # 7th invalid
    "H40.11X0", "h4011x0", "U07.1",  # in other releases (2025 lacks H40.11X0, 2019 U07.1)
    "E11.99Z", "e1199z", "Q99.99", "Z99.9Z",  # in no release
    "E11.9.9", "e1.1.9", "E11..9", "..E119", "", " ", "\t", "hello", "1234", "E", "E11 9",
    "\u017f10", "\uff2511.9", "\u00e911.9", "E" * 70,  # malformed
]


def _check(texts: Sequence[str], release: str) -> tuple[list[Validation], list[int]]:
    verdicts, positions = shared_verdicts(texts, release=release)
    assert len(positions) == len(texts)
    for text, position in zip(texts, positions, strict=True):
        shared, alone = verdicts[position], icd10cm.validate(text, release=release)
        fields = {f: getattr(shared, f) for f in _FIELDS}
        assert fields == {f: getattr(alone, f) for f in _FIELDS}, text
        if shared.code is None:  # its message may repeat its text: the text's own verdict
            assert shared.text == text
    return verdicts, positions


@pytest.mark.parametrize("release", ["2019", "2025"])
def test_each_text_gets_the_verdict_validate_gives_but_for_its_text(release: str) -> None:
    verdicts, _ = _check(TEXTS, release)
    assert {verdict.status for verdict in verdicts} == set(Status) - {Status.MISSING}


def test_one_verdict_per_code_and_one_per_text_without_a_code() -> None:
    texts = ["E11.9", " e119", "E1.19", "\u00a0E11.9", "E11.9.9", "E11.9.9", "hello", "I10"]
    verdicts, positions = _check(texts, "2025")
    assert positions[:4] == [positions[0]] * 4  # the four forms of E11.9, non-ASCII too
    assert len({positions[4], positions[5], positions[6]}) == 3  # each its own message
    assert [v.code for v in verdicts].count("E11.9") == 1 and len(verdicts) == 5


def test_no_texts() -> None:
    assert shared_verdicts([]) == ([], [])


@pytest.mark.slow
def test_every_code_of_the_latest_release_in_every_form() -> None:
    release = icd10cm.latest_release()
    texts = []
    for code in release.undotted_codes:
        dotted = dot(code)
        texts += [dotted, code, dotted.lower(), f" {code.lower()} ", f"{dotted[:2]}.{code[2:]}",
                  code[:-1], f"{code}Z", f"{code[:-1]}.{code[-1]}."]
    _check(texts, release.id)
