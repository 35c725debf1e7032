"""Acute and chronic forms of one condition, as the Alphabetic Index gives them (I.B.8, I.B.9).

I.B.8: "If the same condition is described as both acute (subacute) and chronic,
and separate subentries exist in the Alphabetic Index at the same indentation
level, code both and sequence the acute (subacute) code first." A *pair* is two
sibling subterms of one index term whose essential titles are ``acute`` (or
``subacute``) and ``chronic``, each with a code: Pancreatitis > acute (K85.90) and
Pancreatitis > chronic (K86.1). I.B.9: where the index also gives a code for both
together (a subterm "and (on) chronic" of the acute one, or a sibling "acute on
chronic" / "acute and (on) chronic"), that *combination code* is reported alone.

:func:`find_pairs` finds the pairs of one index. The data build runs it on each
bundled Alphabetic Index and bundles the result (``acuity.table``), so that the
encounter rules need not read the whole index; the tests run it again on the
bundled index. A release uses the pairs of its own index, or the nearest
release's (:attr:`icd10cm.ReleaseInfo.borrowed`); an index code that is not a code
of the release (deleted since) gives no pair.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Sequence

import attrs

from icd10cm.core import caches
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.core.text import undot
from icd10cm.index.data_format import essential_title
from icd10cm.releases import bundle

__all__ = ["FILE", "PATH_SEPARATOR", "AcutePair", "IndexTerm", "acuity_of", "find_pairs",
           "pairs_of"]

#: The bundled pairs of each Alphabetic Index (columns path, acute, chronic, combination).
FILE = "acuity.table"
#: What joins the titles of a pair's path in :data:`FILE`.
PATH_SEPARATOR = " > "

_PARENS = re.compile(r"\([^()]*\)")
_ACUTE = ("acute", "subacute")
_COMBINED = ("and chronic", "and on chronic", "acute and chronic", "acute and on chronic",
             "acute on chronic")

#: A term of an index, in document order: its level (0 for a main term), its text as
#: printed, its nonessential modifiers and its code.
IndexTerm = tuple[int, str, str, str]


@attrs.frozen
class AcutePair:
    """One pair of sibling subterms: the path of the term above them, the acute
    (or subacute) and the chronic code as the index prints them (their trailing dash
    dropped), and the combination code where the index has one."""

    path: tuple[str, ...]
    acute: str
    chronic: str
    combination: str | None = None


def _words(text: str) -> str:
    """``"and<nemod>(on) chronic (congestive)"`` -> ``"and chronic"``; lower case."""
    return " ".join(_PARENS.sub(" ", text).lower().replace(",", " ").split())


def _code(text: str) -> str:
    return undot(text.rstrip("-").rstrip("."))


def find_pairs(terms: Sequence[IndexTerm]) -> tuple[AcutePair, ...]:
    """The pairs of one Alphabetic Index, from its terms in document order."""
    above = [-1] * len(terms)  # each term's parent
    children: dict[int, list[int]] = {}
    open_terms: list[int] = []  # the term open at each level
    for number, (level, *_) in enumerate(terms):
        del open_terms[level:]
        if open_terms:
            above[number] = open_terms[-1]
            children.setdefault(open_terms[-1], []).append(number)
        open_terms.append(number)

    def path(number: int) -> tuple[str, ...]:
        titles = []
        while number >= 0:
            titles.append(essential_title(terms[number][1]))
            number = above[number]
        return tuple(reversed(titles))

    found: list[AcutePair] = []
    for parent in sorted(children):
        titled: dict[str, list[int]] = {}
        for child in children[parent]:
            _, text, nemod, _ = terms[child]
            if "chronic" not in text and "acute" not in text:
                continue
            full = _words(text)
            key = "combined" if full in _COMBINED else _words(
                text.replace(nemod, " ") if nemod else text)
            titled.setdefault(key, []).append(child)
        chronic = [c for c in titled.get("chronic", ()) if terms[c][3]]
        if not chronic:
            continue
        combined = next((terms[c][3] for c in titled.get("combined", ()) if terms[c][3]), None)
        for acute_title in _ACUTE:
            for acute in titled.get(acute_title, ()):
                acute_code = terms[acute][3]
                if not acute_code:
                    continue
                below = next((terms[c][3] for c in children.get(acute, ())
                              if _words(terms[c][1]) in _COMBINED and terms[c][3]), combined)
                for other in chronic:
                    pair = AcutePair(path(parent), _code(acute_code), _code(terms[other][3]),
                                     _code(below) if below else None)
                    if pair.acute != pair.chronic:
                        found.append(pair)
    return tuple(found)


def _index_pairs(source: str) -> tuple[AcutePair, ...]:
    """The bundled pairs of the Alphabetic Index of release *source*, read once."""
    found = _by_index.get(source)
    if found is None:
        selected = bundle.read_table(FILE).select(
            source, "path", "acute", "chronic", "combination")
        found = () if selected is None else tuple(
            AcutePair(tuple(path.split(PATH_SEPARATOR)), acute, chronic, combination or None)
            for path, acute, chronic, combination in zip(*selected, strict=True))
        _by_index[source] = found
    return found


def _find_pairs(release: Release) -> tuple[AcutePair, ...]:
    """The pairs of the index that serves *release* whose codes are codes of it."""
    source = release.info.source_of(Part.INDEX)
    if source is None:
        return ()
    return tuple(pair for pair in _index_pairs(source)
                 if release.index_of(pair.acute) is not None
                 and release.index_of(pair.chronic) is not None)


# The pairs of a release, and the pairs each index code is in: (pair number, role).
_Table = tuple[tuple[AcutePair, ...], dict[str, tuple[tuple[int, str], ...]]]
_lock = threading.Lock()
_pairs: weakref.WeakKeyDictionary[Release, _Table] = weakref.WeakKeyDictionary()


_by_index: dict[str, tuple[AcutePair, ...]] = {}  # index release id -> its pairs


@caches.register
def clear() -> None:
    """Forget the pairs of every release."""
    with _lock:
        _pairs.clear()
        _by_index.clear()


def _table(release: Release) -> _Table:
    found = _pairs.get(release)
    if found is None:
        pairs = _find_pairs(release)
        roles: dict[str, list[tuple[int, str]]] = {}
        for number, pair in enumerate(pairs):
            roles.setdefault(pair.acute, []).append((number, "acute"))
            roles.setdefault(pair.chronic, []).append((number, "chronic"))
        found = (pairs, {code: tuple(found) for code, found in roles.items()})
        with _lock:
            found = _pairs.setdefault(release, found)
    return found


def pairs_of(release: Release) -> tuple[AcutePair, ...]:
    """Every acute/chronic pair of the index that serves *release* (built once)."""
    return _table(release)[0]


def acuity_of(undotted: str, release: Release) -> tuple[tuple[int, str], ...]:
    """The pairs a code belongs to, as (pair number, "acute" or "chronic"): those whose
    index code is the code or a code above it (the index's ``K85.9-`` covers K85.90)."""
    roles = _table(release)[1]
    found: list[tuple[int, str]] = []
    for length in range(len(undotted), 2, -1):
        found.extend(roles.get(undotted[:length], ()))
    return tuple(found)
