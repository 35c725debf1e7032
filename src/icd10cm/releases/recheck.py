"""Re-check what a release borrows from another against the release it now serves.

A release without a part of its own (a Tabular List, an index, a table) answers
from the nearest release that has it (:mod:`icd10cm.releases.borrowing`). The
borrowed notes, index terms and table rows cite codes of *their* release; these
functions say which of those codes are not codes of the serving release
(deleted, or not yet added) and which changed into headers there, so that
borrowed data is never presented as the release's own or as valid when it is not.
"""

from __future__ import annotations

import attrs

from icd10cm.core.notes import Note
from icd10cm.core.release import Release
from icd10cm.core.text import listing
from icd10cm.releases.history import billable_in, describe_history, releases_with

__all__ = ["code_problem", "recheck_note"]


def code_problem(code: str, release: Release, source_release: str) -> str | None:
    """Why *code*, cited by release *source_release*'s data, is not a plain code of
    *release*: it is not a code there (it was deleted, or added later), or it was
    reportable in the source and is a header there (naming the codes below it). None
    when nothing changed; also for text that is a code of no release at all (a typo in
    the official file, or an abbreviation shaped like a code, such as "GH1")."""
    index = release.index_of(code)
    label = release.info.label
    if index is None:
        history = releases_with(code)
        if not history:  # a code of no release: a typo in the source, or not a code ("GH1")
            return None
        return f"{code} is not a code of ICD-10-CM {label}: {describe_history(history, release)}"
    if not release.billable_flags[index] and billable_in(code, source_release):
        below = release.billable_below(index)
        return (f"{code} is a header in ICD-10-CM {label}, not reportable: report one of the "
                f"{len(below)} codes below it, such as {listing(below)}")
    return None


def recheck_note(release: Release, note: Note) -> Note:
    """*note*, borrowed from another release, with the problems of the codes it cites
    in *release* (see :attr:`Note.reference_problems`). A range, a ``-`` reference or
    any code that is a header here is cited as a header; only a single code cited
    as a code is checked for having become one."""
    problems: dict[str, None] = {}
    for reference in note.references:
        single = reference.first == reference.last and not reference.text.endswith("-")
        for code in dict.fromkeys((reference.first, reference.last)):
            index = release.index_of(code)
            if index is not None and (release.billable_flags[index] or not single):
                continue  # a code of the release, or a header the note cites as one
            problem = code_problem(code, release, note.source_release)
            if problem is not None:
                problems[problem] = None
    return attrs.evolve(note, reference_problems=tuple(problems)) if problems else note
