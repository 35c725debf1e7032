"""Build the bundled ICD-10-CM data from the official CMS/CDC files.

    python tools/build_data.py            # rebuild src/icd10cm/data/ from ../shared/cms-raw
                                          # (and ../shared/ahrq-cmr, ../shared/docs)
    python tools/build_data.py --check    # rebuild into a temporary folder; fail on any difference

Every file of every release folder is checked against ``MANIFEST.tsv`` (sha256 of the
uncompressed content) and refused on a mismatch. The output is deterministic.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from icd10cm.errors import Icd10cmError
from icd10cm_build.extras import build_bundled
from icd10cm_build.writer import write_data

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW = REPO.parent / "shared" / "cms-raw"
DEFAULT_OUT = REPO / "src" / "icd10cm" / "data"


def differences(built: Path, committed: Path) -> list[str]:
    """Names of data files that differ between two folders (or exist in only one)."""
    names = {p.name for p in built.iterdir()} | {
        p.name for p in committed.iterdir() if p.suffix in (".table", ".json")
    }
    return sorted(
        name
        for name in names
        if not (built / name).is_file()
        or not (committed / name).is_file()
        or (built / name).read_bytes() != (committed / name).read_bytes()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cms-raw", type=Path, default=DEFAULT_RAW,
                        help=f"folder of official files (default: {DEFAULT_RAW})")
    parser.add_argument("--ahrq-cmr", type=Path, default=None,
                        help="folder of the AHRQ CMR zips (default: ahrq-cmr beside --cms-raw)")
    parser.add_argument("--charlson-doc", type=Path, default=None,
                        help="the Charlson source document (default: "
                        "docs/charlson-quan2005.md beside --cms-raw)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"where to write the data (default: {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with --out")
    args = parser.parse_args(argv)
    try:
        contents, extras = build_bundled(args.cms_raw, ahrq_cmr=args.ahrq_cmr,
                                         charlson_doc=args.charlson_doc)
        if not args.check:
            files = write_data(contents, args.out, extras)
            total = sum(len(data) for data in files.values())
            print(f"wrote {len(files)} files, {total:,} bytes, {len(contents)} releases "
                  f"to {args.out}")
            return 0
        with tempfile.TemporaryDirectory() as tmp:
            write_data(contents, Path(tmp), extras)
            changed = differences(Path(tmp), args.out)
    except Icd10cmError as exc:
        print(f"build_data: {exc}", file=sys.stderr)
        return 2
    if changed:
        print(f"build_data --check: generated data differs from {args.out}: "
              f"{', '.join(changed)}. Run tools/build_data.py and commit the result.",
              file=sys.stderr)
        return 1
    print(f"build_data --check: {args.out} matches a fresh build of {len(contents)} releases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
