"""Acute and chronic forms of one condition, as the Alphabetic Index gives them (I.B.8, I.B.9).

I.B.8: "If the same condition is described as both acute (subacute) and chronic,
and separate subentries exist in the Alphabetic Index at the same indentation
level, code both and sequence the acute (subacute) code first." A *pair* is two
sibling subterms of one index term whose essential titles are ``acute`` (or
``subacute``) and ``chronic``, each with a code: Pancreatitis > acute (K85.90) and
Pancreatitis > chronic (K86.1). I.B.9: where the index also gives a code for both
together (a subterm "and (on) chronic" of the acute one, or a sibling "acute on
chronic" / "acute and (on) chronic"), that *combination code* is reported alone.

The pairs come from the release's Alphabetic Index, or the nearest release's
(:attr:`icd10cm.ReleaseInfo.borrowed`); an index code that is not a code of the
release (deleted since) gives no pair.
"""

from __future__ import annotations

import re
import threading
import weakref

import attrs

from icd10cm.core import caches
from icd10cm.core.info import Part
from icd10cm.core.release import Release
from icd10cm.core.text import undot
from icd10cm.index.corpus import release_corpus
from icd10cm.index.words import words

__all__ = ["AcutePair", "acuity_of", "pairs_of"]

_PARENS = re.compile(r"\([^()]*\)")
_ACUTE = ("acute", "subacute")
_COMBINED = ("and chronic", "and on chronic", "acute and chronic", "acute and on chronic",
             "acute on chronic")


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


def _index_pairs(source: str) -> tuple[AcutePair, ...]:
    """The pairs of the bundled Alphabetic Index of release *source*, found once."""
    found = _by_index.get(source)
    if found is None:
        found = _by_index[source] = _scan(source)
    return found


def _scan(source: str) -> tuple[AcutePair, ...]:
    index = release_corpus(Part.INDEX.value, source)
    view = index.view()
    rows = view.rows
    texts, nemods, codes = (view.columns[name] for name in ("text", "nemod", "code"))
    # the terms whose own words include "chronic" (from the search word lists), and
    # the terms above them: the only places a pair can be
    where = index.position or {}
    chronic_terms = (where.get(row) for stem in words("chronic")
                     for row in index.corpus.postings(stem))
    parents = sorted({view.parent(position) for position in chronic_terms
                      if position is not None and view.level(position) > 0})
    found: list[AcutePair] = []
    for parent in parents:
        children = view.children(parent)
        titled: dict[str, list[int]] = {}
        for child in children:
            row = rows[child]
            text = texts[row]
            if "chronic" not in text and "acute" not in text:
                continue
            full = _words(text)
            key = "combined" if full in _COMBINED else _words(
                text.replace(nemods[row], " ") if nemods[row] else text)
            titled.setdefault(key, []).append(child)
        chronic = [c for c in titled.get("chronic", ()) if codes[rows[c]]]
        if not chronic:
            continue
        combined = next((codes[rows[c]] for c in titled.get("combined", ())
                         if codes[rows[c]]), None)
        for acute_title in _ACUTE:
            for acute in titled.get(acute_title, ()):
                acute_code = codes[rows[acute]]
                if not acute_code:
                    continue
                below = next((codes[rows[c]] for c in view.children(acute)
                              if _words(texts[rows[c]]) in _COMBINED and codes[rows[c]]),
                             combined)
                for other in chronic:
                    pair = AcutePair(view.path(parent), _code(acute_code),
                                     _code(codes[rows[other]]),
                                     _code(below) if below else None)
                    if pair.acute != pair.chronic:
                        found.append(pair)
    return tuple(found)


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
