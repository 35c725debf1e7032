"""The acute and chronic pairs of the Alphabetic Index (I.B.8, I.B.9): found in small
indexes written here from the rule's wording, and bundled for each Alphabetic Index
as a fresh look at the bundled index finds them."""

from __future__ import annotations

import pytest

import icd10cm
from icd10cm.core.info import Part
from icd10cm.encounters.acuity import AcutePair, IndexTerm, find_pairs, pairs_of
from icd10cm.index.corpus import release_corpus


def _terms(*lines: str) -> list[IndexTerm]:
    """Terms written as ``"  text | nemod | code"``, two spaces per level."""
    terms: list[IndexTerm] = []
    for line in lines:
        text, nemod, code = (part.strip() for part in (line.strip() + " | |").split("|")[:3])
        terms.append(((len(line) - len(line.lstrip())) // 2, text, nemod, code))
    return terms


def test_sibling_acute_and_chronic_subterms_with_codes_are_a_pair() -> None:
    # I.B.8: "separate subentries exist in the Alphabetic Index at the same
    # indentation level"; the nonessential modifiers do not count.
    terms = _terms("Pancreatitis",
                   "  acute (without necrosis or infection) | (without necrosis or infection)"
                   " | K85.90",
                   "  chronic (infectious) | (infectious) | K86.1",
                   "  hereditary | | K86.1")
    assert find_pairs(terms) == (AcutePair(("Pancreatitis",), "K8590", "K861"),)


def test_a_subacute_subterm_pairs_too_and_deeper_terms_keep_their_path() -> None:
    terms = _terms("Thyroiditis",
                   "  subacute | | E06.1",
                   "  chronic | | E06.5",
                   "Failure",
                   "  heart",
                   "    systolic",
                   "      acute | | I50.21",
                   "      chronic | | I50.22")
    assert find_pairs(terms) == (
        AcutePair(("Thyroiditis",), "E061", "E065"),
        AcutePair(("Failure", "heart", "systolic"), "I5021", "I5022"),
    )


def test_the_combination_code_is_a_sibling_or_below_the_acute_subterm() -> None:
    # I.B.9: a subterm "and (on) chronic" of the acute one, or a sibling "acute on
    # chronic"; the index's trailing dash is dropped.
    terms = _terms("Failure",
                   "  diastolic",
                   "    acute | | I50.31",
                   "    acute on chronic | | I50.33",
                   "    chronic | | I50.32",
                   "Cholecystitis",
                   "  acute | | K81.0",
                   "    with chronic cholecystitis | | K81.2",
                   "    and chronic | | K81.2-",
                   "  chronic | | K81.1")
    assert find_pairs(terms) == (
        AcutePair(("Failure", "diastolic"), "I5031", "I5032", "I5033"),
        AcutePair(("Cholecystitis",), "K810", "K811", "K812"),
    )


def test_no_pair_without_both_codes_or_with_one_code() -> None:
    terms = _terms("Bronchitis",
                   "  acute | | J20.9",
                   "  chronic",
                   "Otitis",
                   "  acute | | H66.90",
                   "  chronic | | H66.90")
    assert find_pairs(terms) == ()


def _bundled_index(source: str) -> list[IndexTerm]:
    view = release_corpus(Part.INDEX.value, source).view()
    level, text, nemod, code = (view.columns[name] for name in ("level", "text", "nemod", "code"))
    return [(int(level[row]), text[row], nemod[row], code[row]) for row in view.rows]


def _check_bundled(release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    source = release.info.source_of(Part.INDEX)
    assert source is not None
    expected = [pair for pair in find_pairs(_bundled_index(source))
                if pair.acute in release and pair.chronic in release]
    assert list(pairs_of(release)) == expected
    assert len(expected) > 100  # the index has many (Pancreatitis, Cholecystitis, ...)


def test_bundled_pairs_are_those_of_the_bundled_index() -> None:
    _check_bundled(icd10cm.latest_release().id)


@pytest.mark.slow
def test_bundled_pairs_of_every_release_are_those_of_its_index() -> None:
    for info in icd10cm.available_releases():
        _check_bundled(info.id)
