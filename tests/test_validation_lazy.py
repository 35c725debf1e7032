"""Verdicts written on first read give the answers the eager validation gave.

:func:`icd10cm.validate` decides a verdict's status at once and writes its title,
message, suggestions and 7th characters when one of them is first read. The
reference here is the eager validation as it was before (the same public pieces:
seventh_characters, placeholder_candidates, closest_codes, releases_with and
describe_history, called at once), over a sample of every kind of verdict.
"""

from __future__ import annotations

import itertools
import pickle
import random
import threading
from collections.abc import Iterator

import pytest

import icd10cm
from icd10cm import Status, Validation
from icd10cm.codes.seventh import placeholder_candidates, seventh_characters
from icd10cm.core.release import Release
from icd10cm.core.seventh import SeventhCharacter, seventh_character_codes
from icd10cm.core.text import dot, listing, normalize, undot
from icd10cm.releases.history import (
    closest_codes,
    describe_history,
    in_some_release,
    releases_with,
)

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@pytest.fixture(autouse=True, scope="module")
def _fresh_cache() -> Iterator[None]:
    icd10cm.clear_cache()
    yield
    icd10cm.clear_cache()


def _sevenths(options: tuple[SeventhCharacter, ...]) -> str:
    return "; ".join(f"{o.character} = {o.meaning}" for o in options)


def _whose(options: tuple[SeventhCharacter, ...], release: Release) -> str:
    """The sentence that ends a message whose 7th characters mean what another
    release's Tabular List says."""
    lenders = {o.source_release for o in options} - {None}
    if not lenders:
        return ""
    assert lenders == {release.notes_from} != {release.id}
    return (f" The meanings of these 7th characters are those of the Tabular List of release "
            f"{release.notes_from}: release {release.id} has no Tabular List of its own.")


def _eager(text: str, release: Release) -> Validation:
    """The verdict on well-formed *text*, every field computed at once (as before)."""
    label, value = release.info.label, normalize(text)
    code = release.get(value)
    if code is not None:
        if code.is_billable:
            return Validation(text, Status.VALID, f"{code.value} is a reportable code in "
                              f"ICD-10-CM {label}: {code.title}.", release.id, code.value,
                              code.title)
        options = seventh_characters(code)
        if options:
            return Validation(
                text, Status.MISSING_SEVENTH_CHARACTER,
                f"{code.value} ({code.title}) needs a 7th character (Guidelines I.A.5) in "
                f"ICD-10-CM {label}: {_sevenths(options)}. For example {options[0].code}."
                + _whose(options, release),
                release.id, code.value, code.title, tuple(o.code for o in options), options)
        below = release.billable_below(code.index)
        return Validation(
            text, Status.HEADER,
            f"{code.value} ({code.title}) is a header, not reportable in ICD-10-CM {label}: "
            f"report one of the {len(below)} codes below it, such as {listing(below)}.",
            release.id, code.value, code.title, below)
    options = seventh_characters(value, release=release)
    if options:
        return Validation(
            text, Status.MISSING_SEVENTH_CHARACTER,
            f"{value} needs placeholder X and a 7th character (Guidelines I.A.4, I.A.5) in "
            f"ICD-10-CM {label}: {_sevenths(options)}. For example {options[0].code}."
            + _whose(options, release),
            release.id, value, None, tuple(o.code for o in options), options)
    padded = placeholder_candidates(value, release)
    if padded:
        intended = (f"the intended code is {padded[0].value} ({padded[0].title})"
                    if len(padded) == 1 else f"it may be any of {listing(c.value for c in padded)}")
        return Validation(
            text, Status.MISSING_PLACEHOLDER,
            f"{value} lacks the placeholder X that fills a code to 6 characters before its "
            f"7th character (Guidelines I.A.4): {intended}.",
            release.id, value, None, tuple(c.value for c in padded))
    ids = releases_with(value)
    history = describe_history(ids, release)
    if len(undot(value)) == 7:
        stem = value[:-1]
        options = seventh_characters(stem, release=release)
        if options:
            return Validation(
                text, Status.INVALID_SEVENTH_CHARACTER,
                f"{value}: {value[-1]} is not a valid 7th character for {stem.rstrip('X.')} "
                f"in ICD-10-CM {label} (Guidelines I.A.5); valid: {_sevenths(options)}."
                + _whose(options, release) + (f" Note: {history}." if ids else ""),
                release.id, value, None, tuple(o.code for o in options), options)
    closest = closest_codes(value, release)
    advice = f"Closest valid codes: {', '.join(closest)}." if closest else "No close code found."
    if ids:
        return Validation(text, Status.NOT_IN_RELEASE, f"{value} is not a code of ICD-10-CM "
                          f"{label}: {history}. {advice}", release.id, value, None, closest)
    return Validation(text, Status.UNKNOWN, f"{value} is not an ICD-10-CM code: {history}. "
                      f"{advice}", release.id, value, None, closest)


def _sample(release: Release, seed: int = 15) -> list[str]:
    """Texts of every kind: codes in several forms, typos, X-padded stems, placeholders
    left out, wrong 7th characters, codes of other releases."""
    rng = random.Random(seed)
    codes = list(release.undotted_codes)
    texts = [dot(c) for c in rng.sample(codes, 60)]
    texts += [c.lower() for c in rng.sample(codes, 20)]
    texts += [f" {dot(c)} " for c in rng.sample(codes, 20)]
    texts += [dot(c[:-1] + rng.choice(_ALPHABET)) for c in rng.sample(codes, 80)]
    sevenths = [c for c in codes if len(c) == 7 and "X" in c[3:6]]
    for code in rng.sample(sevenths, 30):
        texts.append(dot(code[:6].rstrip("X")))  # the stem without its placeholder
        texts.append(dot(code[:3] + code[3:].replace("X", "", 1)))  # placeholder left out
    texts += ["E11", "T07", "T07.XX", "W21.89X", "W21.89A", "S52.521", "S52.521Z",
              "E11.9", "e119", "E1.19", "E11.", "Z99.999", "A00.99"]
    return texts


@pytest.mark.slow
def test_lazy_verdicts_equal_the_eager_ones() -> None:
    release = icd10cm.latest_release()
    texts = _sample(release)
    verdicts = [icd10cm.validate(text) for text in texts]  # nothing read yet
    statuses = {v.status for v in verdicts}
    assert statuses >= {Status.VALID, Status.HEADER, Status.MISSING_SEVENTH_CHARACTER,
                        Status.MISSING_PLACEHOLDER, Status.INVALID_SEVENTH_CHARACTER,
                        Status.UNKNOWN}, statuses
    for text, verdict in zip(texts, verdicts, strict=True):
        assert verdict == _eager(text, release), text


@pytest.mark.slow
def test_an_older_release_and_codes_of_other_releases() -> None:
    older = icd10cm.load_release("2016")
    latest = icd10cm.latest_release()
    gone = [dot(c) for c in older.undotted_codes if c not in latest][:40]
    new = [dot(c) for c in latest.undotted_codes if c not in older][:40]
    assert gone and new
    for text in gone:
        assert icd10cm.validate(text) == _eager(text, latest), text
    for text in new:
        assert icd10cm.validate(text, release="2016") == _eager(text, older), text


@pytest.mark.slow
def test_unread_verdicts_compare_hash_and_pickle_as_read_ones() -> None:
    texts = ("E11", "S52.521", "W21.89A", "E11.99Z", "E11.9")
    unread = [icd10cm.validate(text) for text in texts]
    icd10cm.clear_cache()
    release = icd10cm.latest_release()
    for text, first in zip(texts, unread, strict=True):
        again = icd10cm.validate(text)
        copy = pickle.loads(pickle.dumps(again))  # pickling reads every field
        assert first == again == copy == _eager(text, release)
        assert hash(first) == hash(copy)
        assert repr(copy) == repr(first)


def test_a_verdict_read_after_clear_cache_is_unchanged() -> None:
    texts = ["E11", "S52.521", "Q99.9X9", "W21.89A", "E11.99Z"]
    verdicts = [icd10cm.validate(text) for text in texts]
    icd10cm.clear_cache()  # the release and its facts are gone; the verdicts remain
    release = icd10cm.latest_release()
    for text, verdict in zip(texts, verdicts, strict=True):
        assert verdict == _eager(text, release)


def test_threads_reading_the_same_verdicts_see_the_same_fields() -> None:
    release = icd10cm.latest_release()
    texts = _sample(release, seed=16)[:60]
    verdicts = [icd10cm.validate(text) for text in texts]
    seen: list[list[tuple[object, ...]]] = []

    def read() -> None:
        seen.append([(v.message, v.suggestions, v.title, v.seventh_characters)
                     for v in verdicts])

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [_eager(text, release) for text in texts]
    assert len(seen) == 4
    for fields in seen:
        assert fields == [(e.message, e.suggestions, e.title, e.seventh_characters)
                          for e in expected]


def test_in_some_release_agrees_with_releases_with() -> None:
    release = icd10cm.latest_release()
    rng = random.Random(17)
    texts = [dot(c) for c in rng.sample(list(release.undotted_codes), 50)]
    texts += [dot(c[:-1] + rng.choice(_ALPHABET)) for c in rng.sample(release.undotted_codes, 200)]
    texts += ["B97.29", "J12.82", "U07.1", "Z20.828"]  # codes of other releases too
    assert {in_some_release(t) for t in texts} == {True, False}
    for text in texts:
        assert in_some_release(text) == bool(releases_with(text)), text


def test_seventh_character_codes_are_the_reportable_codes_of_each_character() -> None:
    """The stems table gives what probing every 7th character gives (I.A.5)."""
    release = icd10cm.latest_release()
    stems = {c[:6] for c in release.undotted_codes if len(c) == 7}
    rng = random.Random(18)
    for stem in [*rng.sample(sorted(stems), 100), "T07XXX", "E1199", "S52521"]:
        probed = sorted(i for i in (release.index_of(stem + ch) for ch in _ALPHABET)
                        if i is not None and release.billable_flags[i])
        found = seventh_character_codes(stem, release)
        assert [c.index for c in found] == probed, stem


@pytest.mark.slow
def test_every_code_without_its_placeholders_gets_the_eager_status() -> None:
    """Each reportable code with placeholder X, with any of its X's in the 4th to 6th
    places left out, and the same text with one character changed: the status is the
    eager algorithm's (MISSING_PLACEHOLDER where placeholder_candidates finds a code)."""
    release = icd10cm.load_release("2025")
    rng = random.Random(15)
    texts: set[str] = set()
    for code, reportable in zip(release.undotted_codes, release.billable_flags, strict=True):
        if not (reportable and len(code) == 7 and "X" in code[3:6]):
            continue
        places = [place for place in range(3, 6) if code[place] == "X"]
        for size in range(1, len(places) + 1):
            for taken in itertools.combinations(places, size):
                text = "".join(c for place, c in enumerate(code) if place not in taken)
                texts.add(text)
                place = rng.randrange(len(text))
                texts.add(text[:place] + rng.choice(_ALPHABET) + text[place + 1:])
    sample = rng.sample(sorted(t for t in texts if icd10cm.validate(t, release=release).status
                               is not Status.MALFORMED), 3000)
    statuses = {icd10cm.validate(dot(text), release=release).status for text in sample}
    assert Status.MISSING_PLACEHOLDER in statuses and len(statuses) > 2
    for text in sample:
        assert icd10cm.validate(dot(text), release=release).status is \
            _eager(dot(text), release).status, text
