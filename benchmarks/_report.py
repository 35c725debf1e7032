"""The report table that every benchmark prints: measure, figure, target, verdict."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["Row", "finish", "render"]


@attrs.frozen
class Row:
    """One line of the report: what was measured, the figure, and its target."""

    name: str
    measured: str
    target: str = ""
    ok: bool | None = None  # None: reported for reference, no target

    @property
    def verdict(self) -> str:
        if self.ok is None:
            return "-"
        return "ok" if self.ok else "MISSED"


def render(rows: Sequence[Row]) -> str:
    headers = ("measure", "measured", "target", "")
    table = [headers, *((r.name, r.measured, r.target, r.verdict) for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def finish(rows: Sequence[Row], *, strict: bool) -> int:
    """Print which targets were missed; the exit status is 1 for a miss under *strict*."""
    missed = [r.name.strip() for r in rows if r.ok is False]
    print(f"\n{len(missed)} target(s) missed" + (f": {'; '.join(missed)}" if missed else ""))
    return 1 if strict and missed else 0
