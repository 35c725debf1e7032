"""Measure hierarchy navigation and inherited notes, side by side with simple-icd-10-cm.

    python benchmarks/bench_navigation.py               # 5,000 codes
    python benchmarks/bench_navigation.py --codes 500   # a quicker run
    python benchmarks/bench_navigation.py --strict      # exit 1 if a target is missed

This is a script, not a test: timings depend on the machine. Everything runs in
this one process, on the same codes: CODES codes (headers and billable codes)
drawn with ``random.Random(SEED)`` from those that both icd10cm's release
(``--release``, default 2025, the release simple-icd-10-cm 1.5.0 carries) and
simple-icd-10-cm know. Each figure is the median over PASSES passes of calls
per second of CPU time (other work may share the machine), after a first pass
that is not timed (warm: the release is loaded,
its notes read, and each library's per-code work done once); the ratio is
icd10cm's rate over simple-icd-10-cm's, measured in the same run.

- parent: ``code.parent`` against ``get_parent(code)``;
- children: ``code.children`` against ``get_children(code)``;
- ancestors: ``code.ancestors`` against ``get_ancestors(code)`` (which also
  names the block and chapter);
- from text: the same three starting from the code's text
  (``release[text].parent`` ...), since simple-icd-10-cm takes text;
- notes with inheritance: ``release.notes_for(code)``, every note at the code,
  each code above it, its block and its chapter, against simple-icd-10-cm's
  ten note getters with ``search_in_ancestors=True`` where they take it (the
  nearest note of each kind for "Use additional code", "Code first" ...);
- one kind: ``release.notes_for(code, kinds=[USE_ADDITIONAL_CODE])`` against
  ``get_use_additional_code(code, search_in_ancestors=True)``.

The target for each is a ratio of at least 1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import icd10cm
from _report import Row, finish, render  # benchmarks/ is on sys.path when run as a script
from bench_codes import load_simple_icd

TARGET_RATIO = 1.0
SEED = 2027

__all__ = ["main"]


def _rate(call: Callable[[Any], object], items: Sequence[Any], passes: int) -> float:
    """Calls per second: the median of *passes* timed passes, after one untimed."""
    for item in items:
        call(item)
    times = []
    for _ in range(passes):
        start = time.process_time()  # CPU time: other work may share the machine
        for item in items:
            call(item)
        times.append(time.process_time() - start)
    return len(items) / statistics.median(times)


def _notes_getters(simple: Any) -> Callable[[str], object]:
    inherited = (simple.get_seven_chr_def, simple.get_seven_chr_note,
                 simple.get_use_additional_code, simple.get_code_first, simple.get_code_also,
                 simple.get_notes)
    own = (simple.get_excludes1, simple.get_excludes2, simple.get_includes,
           simple.get_inclusion_term)

    def every_note(code: str) -> object:
        found = [get(code) for get in own]
        found += [get(code, search_in_ancestors=True) for get in inherited]
        return found

    return every_note


def bench(release_id: str, count: int, passes: int) -> list[Row]:
    loaded = load_simple_icd()
    release = icd10cm.load_release(release_id)
    release.notes_at("chapter:1")  # read the notes (not timed)
    if loaded is None:
        return [Row("simple-icd-10-cm", "not installed")]
    simple, version = loaded
    both = [code.value for code in release if simple.is_valid_item(code.value)]
    texts = random.Random(SEED).sample(both, min(count, len(both)))
    codes = [release[text] for text in texts]
    kind = [icd10cm.NoteKind.USE_ADDITIONAL_CODE]
    cases: list[tuple[str, Callable[[Any], object], Sequence[Any], Callable[[str], object]]] = [
        ("parent: code.parent", lambda c: c.parent, codes, simple.get_parent),
        ("children: code.children", lambda c: c.children, codes, simple.get_children),
        ("ancestors: code.ancestors", lambda c: c.ancestors, codes, simple.get_ancestors),
        ("parent from text: release[text].parent", lambda t: release[t].parent, texts,
         simple.get_parent),
        ("children from text: release[text].children", lambda t: release[t].children, texts,
         simple.get_children),
        ("ancestors from text: release[text].ancestors", lambda t: release[t].ancestors, texts,
         simple.get_ancestors),
        ("notes with inheritance: release.notes_for(code)", release.notes_for, codes,
         _notes_getters(simple)),
        ("one kind: notes_for(code, kinds=[USE_ADDITIONAL_CODE])",
         lambda c: release.notes_for(c, kinds=kind), codes,
         lambda t: simple.get_use_additional_code(t, search_in_ancestors=True)),
    ]
    rows = [Row(f"{len(texts):,} codes of release {release.id} that simple-icd-10-cm "
                f"{version} knows, median of {passes} passes", "")]
    for name, ours, inputs, theirs in cases:
        mine = _rate(ours, inputs, passes)
        reference = _rate(theirs, texts, passes)
        ratio = mine / reference
        rows.append(Row(name, f"{mine / 1e3:,.0f}k/s vs {reference / 1e3:,.0f}k/s: "
                              f"{ratio:.2f}x", f">= {TARGET_RATIO:g}x", ratio >= TARGET_RATIO))
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--codes", type=int, default=5_000, help="codes (default 5,000)")
    parser.add_argument("--passes", type=int, default=7, help="timed passes (default 7)")
    parser.add_argument("--release", default="2025", help="release (default 2025)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.codes < 1 or args.passes < 1:
        parser.error("--codes and --passes must be at least 1")
    rows = bench(args.release, args.codes, args.passes)
    print(f"icd10cm {icd10cm.__version__} navigation benchmark: Python "
          f"{sys.version.split()[0]} on {sys.platform}")
    print(render(rows))
    return finish(rows, strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
