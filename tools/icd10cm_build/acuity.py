"""Bundle the acute and chronic pairs of each Alphabetic Index (I.B.8, I.B.9).

:func:`icd10cm.encounters.acuity.find_pairs` finds them in an index's terms; the
encounter rules read the result (``acuity.table``) instead of the whole index.
Written by the index builder, which parses the indexes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from icd10cm.encounters.acuity import FILE, PATH_SEPARATOR, IndexTerm, find_pairs
from icd10cm.official.assemble import BuildError
from icd10cm.releases.table_format import encode_table, merge_rows

__all__ = ["COLUMNS", "acuity_file"]

COLUMNS = ("path", "acute", "chronic", "combination")


def acuity_file(indexes: Mapping[str, tuple[str, Sequence[IndexTerm]]]) -> dict[str, bytes]:
    """The data file of the pairs of each release's Alphabetic Index, given as the
    index file's name and its terms, by release id (newest first, as the other tables)."""
    per_release: dict[str, list[tuple[str, ...]]] = {}
    for release_id, (file, terms) in indexes.items():
        pairs = find_pairs(terms)
        rows = per_release[release_id] = []
        for pair in pairs:
            if any(PATH_SEPARATOR in title for title in pair.path):
                raise BuildError(file, f"the index term {' / '.join(pair.path)!r} has "
                                       f"{PATH_SEPARATOR.strip()!r} in a title, which "
                                       f"{FILE} uses to join titles")
            rows.append((PATH_SEPARATOR.join(pair.path), pair.acute, pair.chronic,
                         pair.combination or ""))
    rows, selections = merge_rows(per_release)
    columns = {name: [row[number] for row in rows] for number, name in enumerate(COLUMNS)}
    return {FILE: encode_table("acuity", columns, selections)}
