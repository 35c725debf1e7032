"""Cut the miniature official release files the unit tests use out of the real ones.

    python tools/build_fixture.py          # write tests/fixtures/mini-cms/ from ../shared/cms-raw
    python tools/build_fixture.py --check  # fail if tests/fixtures/mini-cms/ is not a fresh cut

What is kept, and why, is described in ``icd10cm_build.fixture``. The output is
deterministic: run it twice and the bytes are the same.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from icd10cm.errors import Icd10cmError
from icd10cm_build.fixture import build_fixture, fixture_differences, write_fixture

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO.parent / "shared" / "cms-raw"
DEFAULT_OUT = REPO / "tests" / "fixtures" / "mini-cms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cms-raw", type=Path, default=DEFAULT_RAW,
                        help=f"folder of official files (default: {DEFAULT_RAW})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where to write the fixture (default: {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true",
                        help="compare a fresh cut with --out instead of writing it")
    args = parser.parse_args(argv)
    try:
        files = build_fixture(args.cms_raw)
    except Icd10cmError as exc:
        print(f"build_fixture: {exc}", file=sys.stderr)
        return 2
    if args.check:
        changed = fixture_differences(files, args.out)
        if changed:
            print(f"build_fixture --check: {args.out} differs from a fresh cut: "
                  f"{', '.join(changed)}. Run tools/build_fixture.py and commit the result.",
                  file=sys.stderr)
            return 1
        print(f"build_fixture --check: {args.out} matches a fresh cut ({len(files)} files)")
        return 0
    write_fixture(files, args.out)
    extra = [name for name in fixture_differences(files, args.out) if name not in files]
    for name in extra:
        print(f"build_fixture: warning: {args.out / name} is not part of the fixture",
              file=sys.stderr)
    print(f"wrote {len(files)} files, {sum(map(len, files.values())):,} bytes, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
