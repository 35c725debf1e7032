r"""Read the Charlson comorbidity algorithm (Quan et al. 2005, ICD-10) from its markdown
source, ``docs/charlson-quan2005.md`` of the shared folder.

The conditions, their ICD-10 patterns, both weightings, the hierarchies and the two
ICD-10-CM points are parsed from the document (never copied here); a part of the
document that does not have the expected shape raises :class:`SourceFileError`.

Each pattern is expanded into *members*, the prefixes it stands for, dotted:

* ``"I21.x"``: the category ``I21`` (every code under it);
* ``"I25.2"``: the subcategory ``I25.2`` (it and every code under it; ICD-10-CM goes
  deeper than WHO ICD-10, so ``E10.2`` covers E10.21, E10.22, E10.29);
* ``"I42.5\u2013I42.9"`` (an en dash): ``I42.5``, ``I42.6`` ... ``I42.9``, enumerated
  at the same depth, over digits;
* ``"F00.x\u2013F03.x"``: ``F00``, ``F01``, ``F02``, ``F03``, enumerated over the two-digit
  numbers between the ends. Categories with a letter in third place (C4A, C7A, C7B,
  J4A ...) did not exist in WHO ICD-10 and are never members of a range, wherever they
  sort: the document says not to widen a pattern silently.

The two ICD-10-CM points of the document become two opt-in *variants*, checked against
the text of the points: counting all of E1x.6 as diabetes with chronic complication, and
counting C4A (Merkel cell carcinoma) as any malignancy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from icd10cm.errors import SourceFileError

__all__ = [
    "RANGE_SEPARATORS",
    "WEIGHTINGS",
    "CharlsonCondition",
    "CharlsonDoc",
    "CharlsonPattern",
    "CharlsonVariant",
    "parse_charlson",
    "parse_pattern",
]

#: Separators accepted between the two ends of a range. The document uses the en dash.
RANGE_SEPARATORS = ("\u2013", "-")
#: The weightings, by the name the library uses, and the header of their column.
WEIGHTINGS = {"charlson1987": "Charlson 1987 weight", "quan2011": "Quan 2011 weight"}

_TABLE_HEADER = ("condition", "id", "ICD-10 codes (Quan 2005)", *WEIGHTINGS.values())
# A single pattern may name any category or subcategory ("C4A.x", "I21.A"); the ends of a
# range must be numeric, since the range is enumerated over numbers.
_SINGLE_CATEGORY = re.compile(r"([A-Z][0-9A-Z]{2})\.x")
_SINGLE_SUBCATEGORY = re.compile(r"[A-Z][0-9A-Z]{2}\.[0-9A-Z]")
_CATEGORY = re.compile(r"([A-Z])([0-9]{2})\.x")
_SUBCATEGORY = re.compile(r"([A-Z][0-9]{2})\.([0-9])")
_ID = re.compile(r"[a-z][a-z0-9_]*")


@attrs.frozen
class CharlsonPattern:
    """One pattern as the document writes it, and the dotted prefixes it stands for."""

    text: str
    members: tuple[str, ...]


@attrs.frozen
class CharlsonCondition:
    """One row of the document's table."""

    id: str
    name: str
    patterns: tuple[CharlsonPattern, ...]
    weights: tuple[tuple[str, int], ...]  # (weighting, weight), in WEIGHTINGS order


@attrs.frozen
class CharlsonVariant:
    """An opt-in change to the patterns, for one of the document's ICD-10-CM points:
    the patterns *move* from one condition to another, or *add* to one."""

    name: str
    note: str  # the document's point, verbatim
    source: str | None  # the condition the patterns leave (None: they are new)
    target: str
    patterns: tuple[CharlsonPattern, ...]


@attrs.frozen
class CharlsonDoc:
    """The parsed document."""

    conditions: tuple[CharlsonCondition, ...]
    hierarchies: tuple[tuple[str, str, str], ...]  # (milder, more severe, the text)
    variants: tuple[CharlsonVariant, ...]


def _fail(file: str, problem: str) -> SourceFileError:
    return SourceFileError(file, problem)


def parse_pattern(text: str, file: str = "<pattern>") -> CharlsonPattern:
    r"""A pattern as written in the document (``"I42.5\u2013I42.9"``, with an en dash)."""
    raw = text.strip()
    for separator in RANGE_SEPARATORS:
        if separator in raw:
            left, _, right = raw.partition(separator)
            return CharlsonPattern(raw, _expand_range(left.strip(), right.strip(), raw, file))
    if (category := _SINGLE_CATEGORY.fullmatch(raw)) is not None:
        return CharlsonPattern(raw, (category.group(1),))
    if _SINGLE_SUBCATEGORY.fullmatch(raw) is not None:
        return CharlsonPattern(raw, (raw,))
    raise _fail(file, f"cannot read the ICD-10 pattern {raw!r}")


def _expand_range(left: str, right: str, whole: str, file: str) -> tuple[str, ...]:
    low_category, high_category = _CATEGORY.fullmatch(left), _CATEGORY.fullmatch(right)
    if low_category is not None and high_category is not None:
        if low_category.group(1) != high_category.group(1):
            raise _fail(file, f"the category range {whole!r} crosses letters")
        low, high = int(low_category.group(2)), int(high_category.group(2))
        if low >= high:
            raise _fail(file, f"the category range {whole!r} is empty or reversed")
        return tuple(f"{low_category.group(1)}{n:02d}" for n in range(low, high + 1))
    low_sub, high_sub = _SUBCATEGORY.fullmatch(left), _SUBCATEGORY.fullmatch(right)
    if low_sub is not None and high_sub is not None:
        if low_sub.group(1) != high_sub.group(1):
            raise _fail(file, f"the subcategory range {whole!r} crosses categories")
        low, high = int(low_sub.group(2)), int(high_sub.group(2))
        if low >= high:
            raise _fail(file, f"the subcategory range {whole!r} is empty or reversed")
        return tuple(f"{low_sub.group(1)}.{n}" for n in range(low, high + 1))
    raise _fail(file, f"the ends of the range {whole!r} must both be categories (X99.x) or "
                      "both subcategories (X99.9)")


def _cells(line: str, file: str) -> list[str]:
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|")):
        raise _fail(file, f"not a table row: {line!r}")
    return [cell.strip() for cell in stripped[1:-1].split("|")]


def _conditions(lines: Sequence[str], file: str) -> tuple[CharlsonCondition, ...]:
    starts = [i for i, line in enumerate(lines) if line.strip().startswith("| condition |")]
    if len(starts) != 1:
        raise _fail(file, f"expected one condition table, found {len(starts)}")
    header = tuple(_cells(lines[starts[0]], file))
    if header != _TABLE_HEADER:
        raise _fail(file, f"unexpected table header {header}")
    separator = _cells(lines[starts[0] + 1], file)
    if len(separator) != len(header) or not all(re.fullmatch(r":?-{3,}:?", c) for c in separator):
        raise _fail(file, "the table header is not followed by a separator row")
    conditions: list[CharlsonCondition] = []
    for line in lines[starts[0] + 2 :]:
        if not line.strip().startswith("|"):
            break
        cells = _cells(line, file)
        if len(cells) != len(header):
            raise _fail(file, f"row has {len(cells)} cells, expected {len(header)}: {line!r}")
        name, quoted_id, codes, *weights = cells
        condition_id = quoted_id.strip("`")
        if quoted_id != f"`{condition_id}`" or _ID.fullmatch(condition_id) is None:
            raise _fail(file, f"a condition id must be `snake_case` in backticks: {quoted_id!r}")
        texts = [text.strip() for text in codes.split(",")]
        if not name or not all(texts):
            raise _fail(file, f"empty name or pattern in row {line!r}")
        if not all(re.fullmatch(r"-?[0-9]+", weight) for weight in weights):
            raise _fail(file, f"{condition_id}: the weights {weights} are not integers")
        conditions.append(CharlsonCondition(
            condition_id, name, tuple(parse_pattern(text, file) for text in texts),
            tuple(zip(WEIGHTINGS, map(int, weights), strict=True)),
        ))
    if not conditions:
        raise _fail(file, "the condition table has no rows")
    if len({c.id for c in conditions}) != len(conditions) or (
        len({_norm(c.name) for c in conditions}) != len(conditions)
    ):
        raise _fail(file, "two conditions have the same id or name")
    return tuple(conditions)


def _norm(text: str) -> str:
    text = re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("/", " or "))
    return " ".join(text.split())


def _resolve_pair(phrase: str, conditions: Sequence[CharlsonCondition], file: str
                  ) -> tuple[str, str]:
    """``"mild and moderate/severe liver disease"`` -> ``("mild_liver", "severe_liver")``.

    The phrase is "A and B" with a shared head or tail factored out: side A is tried
    alone and with the tail words of B appended, side B alone and with the head words of
    A prepended. A name is matched whole, or by its head before the first comma ("Any
    malignancy"). Each side must name exactly one condition.
    """
    parts = phrase.split(" and ")
    if len(parts) != 2:
        raise _fail(file, f"the hierarchy {phrase!r} is not of the form 'A and B'")
    left, right = parts[0].split(), parts[1].split()
    left_forms = [" ".join(left + right[len(right) - k :]) for k in range(len(right))]
    right_forms = [" ".join(left[:k] + right) for k in range(len(left))]

    def resolve(forms: list[str], side: str) -> str:
        wanted = {_norm(form) for form in forms}
        found = {c.id for c in conditions
                 if {_norm(c.name), _norm(c.name.split(",", 1)[0])} & wanted}
        if len(found) != 1:
            raise _fail(file, f"the hierarchy {phrase!r}: its {side} side names "
                              f"{len(found)} conditions ({sorted(found)}); tried {sorted(wanted)}")
        return found.pop()

    milder, severe = resolve(left_forms, "first"), resolve(right_forms, "second")
    if milder == severe:
        raise _fail(file, f"the hierarchy {phrase!r} names one condition twice")
    return milder, severe


def _bullets_after(lines: Sequence[str], start: int) -> list[str]:
    items: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith("- "):
            items.append(line[2:].strip())
        elif items or line.strip():
            break
    return items


def _paragraph(lines: Sequence[str], opening: str, file: str) -> int:
    starts = [i for i, line in enumerate(lines) if line.startswith(opening)]
    if len(starts) != 1:
        raise _fail(file, f"expected one paragraph starting {opening!r}, found {len(starts)}")
    return starts[0]


def _hierarchies(lines: Sequence[str], conditions: Sequence[CharlsonCondition], file: str
                 ) -> tuple[tuple[str, str, str], ...]:
    start = _paragraph(lines, "Hierarchies", file)
    if "more severe" not in lines[start]:
        raise _fail(file, "the hierarchy paragraph no longer says 'more severe'")
    items = _bullets_after(lines, start)
    if not items:
        raise _fail(file, "the hierarchy paragraph has no bullet list")
    weights = {c.id: c.weights for c in conditions}
    found = []
    for item in items:
        phrase = item.rstrip(";.").strip()
        milder, severe = _resolve_pair(phrase, conditions, file)
        if any(m > s for (_, m), (_, s) in zip(weights[milder], weights[severe], strict=True)):
            raise _fail(file, f"the hierarchy {phrase!r}: the more severe condition weighs less")
        found.append((milder, severe, phrase))
    return tuple(found)


def _variants(lines: Sequence[str], conditions: Sequence[CharlsonCondition], file: str
              ) -> tuple[CharlsonVariant, ...]:
    """The document's two ICD-10-CM points, as opt-in variants; each point must still say
    what the variant is about."""
    notes = _bullets_after(lines, _paragraph(lines, "Two points for ICD-10-CM", file))
    by_id = {c.id: c for c in conditions}
    e1x6 = tuple(p for p in by_id["diabetes"].patterns if p.text.endswith(".6"))
    if len(notes) != 2 or not ("E10.6" in notes[0] and "chronic complication" in notes[0]
                               and "C4A" in notes[1]) or not e1x6:
        raise _fail(file, f"the two ICD-10-CM points no longer speak of E1x.6 as diabetes "
                          f"without chronic complication and of C4A: {notes}")
    return (
        CharlsonVariant("e1x6_as_complicated", notes[0], "diabetes", "diabetes_complicated",
                        e1x6),
        CharlsonVariant("c4a_as_malignancy", notes[1], None, "malignancy",
                        (parse_pattern("C4A.x", file),)),
    )


def parse_charlson(text: str, file: str) -> CharlsonDoc:
    """Parse the markdown text of the Charlson document (*file* names it in errors)."""
    lines = text.splitlines()
    conditions = _conditions(lines, file)
    return CharlsonDoc(conditions, _hierarchies(lines, conditions, file),
                       _variants(lines, conditions, file))
