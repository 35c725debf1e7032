"""closest_codes finds exactly what the plain search over every typing slip finds.

The reference below is closest_codes as it was before it used an index (commit 2fe97d6):
it tries each of the ~500 strings one slip away from the code in turn. The indexed
search must give the same codes in the same order for any input.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

import icd10cm
from icd10cm.core.release import Release
from icd10cm.core.text import dot, undot
from icd10cm.releases.history import closest_codes

__all__: list[str] = []

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def reference_closest_codes(code: str, release: Release, limit: int = 5) -> tuple[str, ...]:
    undotted = undot(code)
    found: list[str] = []
    billable, index_of = release.billable_flags, release.positions.get
    for length in range(len(undotted) - 1, 2, -1):
        index = index_of(undotted[:length])
        if index is not None:
            if billable[index]:
                found.append(dot(undotted[:length]))
            else:
                found.extend(release.billable_below(index, limit))
            break
    unique = dict.fromkeys(found[:limit])
    for candidate in reference_slips(undotted):
        if len(unique) >= limit:
            break
        index = index_of(candidate)
        if index is not None and billable[index] and candidate != undotted:
            unique[dot(candidate)] = None
    return tuple(unique)


def reference_slips(undotted: str) -> Iterator[str]:
    for i in range(len(undotted) - 1, -1, -1):
        if i + 1 < len(undotted):
            yield undotted[:i] + undotted[i + 1] + undotted[i] + undotted[i + 2 :]
        yield from (undotted[:i] + ch + undotted[i + 1 :] for ch in _ALPHABET)
        yield undotted[:i] + undotted[i + 1 :]
        if i >= 3:
            yield from (undotted[:i] + ch + undotted[i:] for ch in _ALPHABET)
    yield from (undotted + ch for ch in _ALPHABET)


def _typos(release: Release, count: int, seed: int) -> list[str]:
    """Codes of the release with one or two slips of every kind, in any case and
    length, and a few strings that are no code at all."""
    rng = random.Random(seed)
    codes = list(release.undotted_codes)
    typos = ["E11", "E1", "X", "A00", "e119", "Z99999999", "E11*9", "É119", "ZZZ", "0000"]
    while len(typos) < count:
        code = rng.choice(codes)
        for _ in range(rng.choice((1, 1, 1, 2))):
            i = rng.randrange(len(code))
            kind = rng.randrange(4)
            ch = rng.choice(_ALPHABET)
            if kind == 0:
                code = code[:i] + ch + code[i + 1:]
            elif kind == 1:
                code = code[:i] + ch + code[i:]
            elif kind == 2 and len(code) > 3:
                code = code[:i] + code[i + 1:]
            elif i + 1 < len(code):
                code = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        typos.append(dot(code) if rng.random() < 0.5 else code)
    return typos


@pytest.mark.parametrize("release_id", ["2027", pytest.param("2016", marks=pytest.mark.slow)])
def test_closest_codes_match_the_plain_search(release_id: str) -> None:
    release = icd10cm.load_release(release_id)
    typos = _typos(release, 2500, seed=int(release_id))
    for limit in (5, 1, 12):
        got = [closest_codes(typo, release, limit) for typo in typos[:800]]
        assert got == [reference_closest_codes(t, release, limit) for t in typos[:800]]
    assert ([closest_codes(typo, release) for typo in typos]
            == [reference_closest_codes(typo, release) for typo in typos])
